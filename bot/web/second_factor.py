"""The second factor's pages (issue #32): set-up with a QR code, a code after the password, recovery codes.

Who must give one and how a right password leaves someone waiting is bot.web.pending_sign_in's. Nothing but
these pages accepts a waiting session: every other route needs a live session, which only
`pending_sign_in.finish` begins after a code is taken, so there is no way round the set-up.

Codes count in the sign-in limiter with passwords (per name and address, per address, and the ceiling), so a
guesser gets no more tries at six digits than at a password. The QR code is drawn by segno as inline SVG: no
image is served, and the secret is on no page but the set-up page it was made for.
"""

from __future__ import annotations

import asyncio

import pyotp
import segno
from aiohttp import web

from bot.domain import second_factor as rules
from bot.domain.errors import StoreError
from bot.domain.records import UserInfo
from bot.domain.second_factor import FactorState
from bot.web.auth import REFUSAL_MESSAGES, SIGN_IN_LIMITER
from bot.web.client_address import client_address
from bot.web.landing import home_for, sign_in_address
from bot.web.pages import form_text, render_page
from bot.web.pending_sign_in import CODE_PATH, OWN_SET_UP_PATH, SET_UP_PATH, finish, pending_user
from bot.web.state import SETTINGS, STORE, USER

WRONG_CODE = "The code is not right, or it has been used already. Wait for a new code, then try again."
MISSING_CODE = "Enter the 6-digit code from your authenticator app."


async def code_page(request: web.Request) -> web.StreamResponse:
    await _pending_or_sign_in(request)
    return await render_page(request, "sign_in_code.html", {"error": None})


async def take_code(request: web.Request) -> web.StreamResponse:
    user = await _pending_or_sign_in(request)
    code = form_text((await request.post()).get("code"))
    problem, status = await _check(request, user, code, confirm=False)
    if problem is not None:
        return await render_page(request, "sign_in_code.html", {"error": problem}, status=status)
    raise web.HTTPSeeOther(await finish(request, user))


async def set_up_page(request: web.Request) -> web.StreamResponse:
    user, pending = await _setting_up(request)
    factor, key = request.app[STORE].second_factor, request.app[SETTINGS].session_secret
    # A reload shows the key already made (perhaps scanned already), not a new one.
    secret = await asyncio.to_thread(factor.pending_secret, user.id, key)
    if secret is None:
        secret = await asyncio.to_thread(factor.begin_set_up, user.id, key)
    return await _render_set_up(request, user, secret, pending, None, 200)


async def confirm_set_up(request: web.Request) -> web.StreamResponse:
    user, pending = await _setting_up(request)
    code = form_text((await request.post()).get("code"))
    problem, status = await _check(request, user, code, confirm=True)
    if problem is not None:
        secret = await asyncio.to_thread(
            request.app[STORE].second_factor.pending_secret, user.id, request.app[SETTINGS].session_secret
        )
        if secret is None:  # set-up was finished or reset in another tab: start it again
            raise web.HTTPSeeOther(request.path)
        return await _render_set_up(request, user, secret, pending, problem, status)
    codes = request[_CODES]
    onward = await finish(request, user) if pending else home_for(user.role)
    # Shown once, in this response only: they are stored as hashes and cannot be shown again.
    return await render_page(request, "second_factor_codes.html", {"codes": codes, "onward": onward})


_CODES = web.RequestKey("recovery_codes", list)


async def _check(request: web.Request, user: UserInfo, code: str, *, confirm: bool) -> tuple[str | None, int]:
    """None if the code was taken (the recovery codes of a confirmed set-up are left on the request), else
    what to say and the status; counted in the sign-in limiter like a password."""
    if not code.strip():
        return MISSING_CODE, 400
    limiter, account, address = (
        request.app[SIGN_IN_LIMITER],
        user.username.casefold(),
        client_address(request),
    )
    refusal = await limiter.admit(account, address)
    if refusal is not None:
        return REFUSAL_MESSAGES[refusal], 429
    factor, secret = request.app[STORE].second_factor, request.app[SETTINGS].session_secret
    try:
        if confirm:
            codes = await asyncio.to_thread(factor.confirm_set_up, user.id, code, secret)
            taken = codes is not None
            if codes is not None:
                request[_CODES] = codes
        else:
            taken = await asyncio.to_thread(factor.verify, user.id, code, secret) is not None
    except StoreError:
        taken = False
    if not taken:
        await limiter.failed(account, address)
        return WRONG_CODE, 400
    await limiter.succeeded(account, address)
    return None, 200


async def _pending_or_sign_in(request: web.Request) -> UserInfo:
    user = await pending_user(request)
    if user is None:
        raise web.HTTPSeeOther(sign_in_address(None, None))
    return user


async def _setting_up(request: web.Request) -> tuple[UserInfo, bool]:
    """Who is setting up a second factor: on the sign-in set-up page someone waiting after their password,
    on the account page (opting in; its rule needs a live session) the signed-in user."""
    if request.path == OWN_SET_UP_PATH:
        user, pending = request[USER], False
    else:
        user, pending = await _pending_or_sign_in(request), True
    state = await asyncio.to_thread(request.app[STORE].second_factor.state, user.id)
    if state is FactorState.ENROLLED and request.method == "GET":
        raise web.HTTPSeeOther(CODE_PATH if pending else home_for(user.role))
    return user, pending


async def _render_set_up(
    request: web.Request, user: UserInfo, secret: str, pending: bool, error: str | None, status: int
) -> web.Response:
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=rules.ISSUER)
    context = {
        "qr_svg": segno.make(uri, error="m").svg_inline(scale=4, light="#fff"),
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "action": SET_UP_PATH if pending else OWN_SET_UP_PATH,
        "required": rules.required_for(user.role),
        "error": error,
    }
    return await render_page(request, "second_factor_set_up.html", context, status=status)
