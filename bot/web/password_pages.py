"""Passwords from the pages (issue #32): a one-time reset link an admin passed on, and a signed-in user
changing their own password.

A new password ends the account's other sessions at their next request (bot.web.sessions): a reset link
ends them all, changing your own keeps the session that changed it. The link's page needs no sign-in (its
token is the credential), so it is rate limited like the sign-in (bot.web.sign_in_limits): a wrong or spent
token counts as a failure against the address, and every attempt that reaches the (slow) password hash
takes its share of the checks per second. The rules a new password must meet are the store's
(bot.domain.rules.password_problem), asked at every place a password is set; this module only words the
answer.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.domain.errors import NotFoundError, StoreError
from bot.domain.records import Actor, UserInfo
from bot.store.reset_links import RESET_PATH, token_user
from bot.web.auth import REFUSAL_MESSAGES, SIGN_IN_LIMITER
from bot.web.client_address import client_address
from bot.web.field_messages import sentences
from bot.web.pages import form_text, render_page
from bot.web.sessions import keep_after_password_change
from bot.web.state import SETTINGS, STORE, USER

RESET_ROUTE = RESET_PATH + "{token}"
OWN_PASSWORD_PATH = "/account/password"  # noqa: S105  # an address, not a password
LABELS = {"password": "The new password", "new_password": "The new password", "current_password": ""}
MISMATCH = "The two new passwords are not the same. Type the same password in both boxes."
GONE_STATUS = 410  # the link existed once, perhaps, and is no good now: not a page that was never there


async def reset_page(request: web.Request) -> web.StreamResponse:
    target = await _target(request)
    if target is None:
        return await _gone(request)
    return await render_page(request, "account/reset.html", {"username": target.username, "problems": {}})


async def reset_password(request: web.Request) -> web.StreamResponse:
    token = request.match_info["token"]
    form = await request.post()
    password, again = form_text(form.get("password")), form_text(form.get("password_again"))
    limiter, address = request.app[SIGN_IN_LIMITER], client_address(request)
    claimed = token_user(token)
    account = f"reset:{claimed[0] if claimed else '-'}"
    refusal = await limiter.admit(account, address)
    if refusal is not None:
        context = {"username": None, "problems": {"password": REFUSAL_MESSAGES[refusal]}}
        return await render_page(request, "account/reset.html", context, status=429)
    target = await _target(request)
    if target is None:
        await limiter.failed(account, address)
        return await _gone(request)
    problems = {"password_again": MISMATCH} if password != again else {}
    if not problems:
        use = request.app[STORE].accounts.use_reset
        try:
            await asyncio.to_thread(use, token, password, request.app[SETTINGS].session_secret)
        except NotFoundError:
            return await _gone(request)
        except StoreError as refused:
            problems = sentences(refused.fields, LABELS)
        else:
            await limiter.succeeded(account, address)
            return await render_page(request, "account/password_changed.html", {"signed_in": False})
    context = {"username": target.username, "problems": problems}
    return await render_page(request, "account/reset.html", context, status=400)


async def own_password_page(request: web.Request) -> web.StreamResponse:
    return await render_page(request, "account/password.html", {"problems": {}, "active_page": None})


async def change_own_password(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    current = form_text(form.get("current_password"))
    new, again = form_text(form.get("new_password")), form_text(form.get("new_password_again"))
    problems: dict[str, str] = {}
    if not current:
        problems["current_password"] = "Enter your current password."  # noqa: S105  # a field name
    if not new:
        problems["new_password"] = "Enter a new password."  # noqa: S105  # a field name
    elif new != again:
        problems["new_password_again"] = MISMATCH
    if not problems:
        user = request[USER]
        service = request.app[STORE].accounts.for_actor(Actor.user(user.id))
        try:
            stamp = await asyncio.to_thread(service.change_own_password, user.id, current, new)
        except StoreError as refused:
            problems = sentences(refused.fields, LABELS)
        else:
            await keep_after_password_change(request, stamp)  # every other session of theirs ends
            return await render_page(request, "account/password_changed.html", {"signed_in": True})
    context = {"problems": problems, "active_page": None}
    return await render_page(request, "account/password.html", context, status=400)


async def _target(request: web.Request) -> UserInfo | None:
    service, secret = request.app[STORE].accounts, request.app[SETTINGS].session_secret
    return await asyncio.to_thread(service.reset_target, request.match_info["token"], secret)


async def _gone(request: web.Request) -> web.Response:
    return await render_page(request, "account/reset_gone.html", {}, status=GONE_STATUS)
