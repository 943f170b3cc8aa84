"""Signing in and out.

One message for every wrong username or password, so the page never says which usernames exist. How many
attempts reach the password check is bot.web.sign_in_limits' to say: per account and address, per address,
and a ceiling of checks per second for the whole app.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.domain.limits import MAX_NAME_CHARS
from bot.domain.records import UserInfo
from bot.web.client_address import client_address
from bot.web.held import CLEAR_SITE_DATA, HELD_REASON
from bot.web.landing import (
    IDLE_REASON,
    LIFETIME_REASON,
    NEXT_FIELD,
    home_for,
    safe_return_path,
    sign_in_address,
)
from bot.web.metrics import METRICS
from bot.web.pages import form_text, render_page
from bot.web.pending_sign_in import after_password
from bot.web.session_timing import describe_duration
from bot.web.sessions import end_session, signed_in_user
from bot.web.sign_in_limits import FAILURE_WINDOW_SECONDS, Refusal, SignInLimiter
from bot.web.state import SETTINGS, STORE, TIMED_OUT

NOT_RIGHT_MESSAGE = "The username or password is not right."
MISSING_MESSAGE = "Enter your username and password."
LOCKED_MESSAGE = (
    f"There have been too many attempts to sign in with this username. Wait {FAILURE_WINDOW_SECONDS // 60} "
    "minutes, then try again, or ask your administrator to check your account."
)
ADDRESS_LOCKED_MESSAGE = (
    f"There have been too many attempts to sign in from this computer or network. Wait "
    f"{FAILURE_WINDOW_SECONDS // 60} minutes, then try again, or ask your administrator for help."
)
BUSY_MESSAGE = "Too many people are signing in at this moment. Wait a few seconds, then try again."
REFUSAL_MESSAGES = {
    Refusal.ACCOUNT_AT_ADDRESS: LOCKED_MESSAGE,
    Refusal.ADDRESS: ADDRESS_LOCKED_MESSAGE,
    Refusal.BUSY: BUSY_MESSAGE,
}


SIGN_IN_LIMITER = web.AppKey("sign_in_limiter", SignInLimiter)


class SignInRefused(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


async def check_sign_in(app: web.Application, username: str, password: str, address: str) -> UserInfo:
    """The user these details belong to, or SignInRefused with what to tell the person."""
    if not username or not password:
        raise SignInRefused(MISSING_MESSAGE, 400)
    limiter = app[SIGN_IN_LIMITER]
    account = username.strip().casefold()
    refusal = await limiter.admit(account, address)
    if refusal is not None:
        raise SignInRefused(REFUSAL_MESSAGES[refusal], 429)
    user = None
    if len(username) <= MAX_NAME_CHARS:
        user = await asyncio.to_thread(app[STORE].users.authenticate, username, password)
    if user is None:
        await limiter.failed(account, address)
        raise SignInRefused(NOT_RIGHT_MESSAGE, 400)
    await limiter.succeeded(account, address)
    return user


async def sign_in_page(request: web.Request) -> web.StreamResponse:
    # Where to go after (bot.web.landing): kept in the form only if it is a path on this site.
    return_path = safe_return_path(request.query.get(NEXT_FIELD))
    user = await signed_in_user(request)
    if user is not None:
        raise web.HTTPSeeOther(return_path or home_for(user.role))
    reason = IDLE_REASON if request.get(TIMED_OUT) else request.query.get("reason")
    context = {"notice": _notice(request, reason), "username": "", "return_path": return_path}
    return await render_page(request, "sign_in.html", context | _oidc_label(request))


async def sign_in(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    username, password = form_text(form.get("username")), form_text(form.get("password"))
    return_path = safe_return_path(form.get(NEXT_FIELD))
    try:
        user = await check_sign_in(request.app, username, password, client_address(request))
    except SignInRefused as refused:
        request.app[METRICS].sign_in_failures.labels("limited" if refused.status == 429 else "refused").inc()
        context = {"problem": refused.message, "username": username, "notice": None}
        context["return_path"] = return_path
        context |= _oidc_label(request)
        return await render_page(request, "sign_in.html", context, status=refused.status)
    # Signed in now, or (issue #32) left waiting for a second factor: bot.web.pending_sign_in decides.
    raise web.HTTPSeeOther(await after_password(request, user, return_path))


async def sign_out(request: web.Request) -> web.StreamResponse:
    """End the session for good; the drafts' key is replaced with it, and the browser told to clear the
    site's storage, so nothing typed here can be read on this computer later (an idle time-out keeps both,
    until its owner signs out: then both go, even though the session had already ended)."""
    await end_session(request)
    raise web.HTTPSeeOther(sign_in_address("signed-out"), headers={"Clear-Site-Data": CLEAR_SITE_DATA})


def _oidc_label(request: web.Request) -> dict[str, str]:
    """The organisation sign-in button's words (issue #32), or "" while OpenID Connect is off."""
    config = request.app[SETTINGS].oidc
    return {"oidc_label": config.label if config is not None else ""}


def _notice(request: web.Request, reason: str | None) -> str | None:
    if reason == "signed-out":
        return "You have signed out."
    if reason == IDLE_REASON:
        idle = describe_duration(request.app[SETTINGS].session_idle_minutes * 60)
        return (
            f"You were signed out because nothing happened for {idle}. "
            "Your answers so far are saved. Sign in to carry on."
        )
    if reason == LIFETIME_REASON:
        hours = request.app[SETTINGS].session_max_hours
        return (
            f"You were signed out because you had been signed in for {hours:g} hours, the longest a session "
            "lasts. Your answers so far are saved. Sign in to carry on."
        )
    if reason == HELD_REASON:
        return (
            "You were signed out, so the message you were sending has not been sent yet. We have kept it "
            "for you: sign in again, check it, then choose Send."
        )
    return None
