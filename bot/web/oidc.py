"""Signing in through the organisation's identity provider (issue #32); bot.web.oidc_client speaks OIDC.

GET /sign-in/oidc leaves for the provider with a fresh state, nonce and PKCE verifier kept in the (encrypted)
session; GET /sign-in/oidc/callback comes back, takes them out (so the same answer never works twice),
exchanges the code and verifies the ID token. The account is the one linked to the token's issuer and subject
(at a first sign-in, the one the mapping's username claim names, then linked: bot.store.oidc_links), and
only if it is active with a role and team its claims grant (bot.store.users). Every refusal is one page that
says what to do, never which check failed, and is audited with the reason. Both routes are 404 while OIDC is
off.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web
from aiohttp_session import get_session

from bot.store.oidc_links import LINKED_ELSEWHERE
from bot.web.held import after_sign_in
from bot.web.landing import NEXT_FIELD, safe_return_path
from bot.web.oidc_client import Attempt, OidcClient, OidcRefused
from bot.web.pages import render_page
from bot.web.sessions import begin_signed_in_session
from bot.web.state import SETTINGS, STORE

START_PATH = "/sign-in/oidc"
ATTEMPT = "oidc_attempt"
RETURN = "oidc_next"
OIDC_CLIENT = web.AppKey("oidc_client", OidcClient)

# What the refusal page says for each reason an account was found but not let in; anything else (a token that
# failed a check, a lost or wrong state) is "could not be completed".
REFUSALS = {
    "unknown": "There is no account in this service for the organisation account you signed in with.",
    "unmapped": "The organisation account you signed in with does not give you access to this service.",
    "deactivated": "The account you signed in with has been deactivated.",
    LINKED_ELSEWHERE: "The account with this name is linked to a different organisation account. Ask your "
    "admin to check which organisation account is linked to it.",
}
NOT_COMPLETED = "Signing in with your organisation account could not be completed."


def setup(app: web.Application) -> None:
    config = app[SETTINGS].oidc
    if config is not None:
        app[OIDC_CLIENT] = OidcClient(config)


def _client(request: web.Request) -> OidcClient:
    client = request.app.get(OIDC_CLIENT)
    if client is None:
        raise web.HTTPNotFound()
    return client


async def start(request: web.Request) -> web.StreamResponse:
    client = _client(request)
    attempt = Attempt.new()
    try:
        address = await client.authorize_url(attempt)
    except OidcRefused as refused:
        return await _refuse(request, refused.why)
    session = await get_session(request)
    session[ATTEMPT] = attempt.as_dict()
    return_path = safe_return_path(request.query.get(NEXT_FIELD))
    if return_path:
        session[RETURN] = return_path
    raise web.HTTPSeeOther(address)


async def callback(request: web.Request) -> web.StreamResponse:
    client = _client(request)
    session = await get_session(request)
    kept: Any = session.pop(ATTEMPT, None)
    return_path = safe_return_path(session.pop(RETURN, None))
    try:
        attempt = _checked_attempt(kept, request.query.get("state", ""))
        code = request.query.get("code", "")
        if not code:
            raise OidcRefused(f"provider-error-{request.query.get('error', 'no-code')}"[:80])
        claims = await client.verify(await client.exchange(code, attempt.verifier), attempt.nonce)
    except OidcRefused as refused:
        return await _refuse(request, refused.why)
    mapping = client.config.mapping
    username = claims.get(mapping.username_claim)
    if not isinstance(username, str) or not username:
        return await _refuse(request, "no-username-claim")
    users = request.app[STORE].users
    subject = claims.get(mapping.subject_claim)
    if not isinstance(subject, str) or not subject:
        return await _refuse(request, "no-subject-claim")
    user, why = await asyncio.to_thread(
        users.sign_in_verified, client.config.issuer, subject, username, mapping.allowed(claims)
    )
    if user is None:
        return await _page(request, why)
    await begin_signed_in_session(request, user)
    raise web.HTTPSeeOther(await after_sign_in(request, user, return_path))


def _checked_attempt(kept: Any, state: str) -> Attempt:
    if not isinstance(kept, dict) or not all(isinstance(kept.get(k), str) for k in ("state", "nonce")):
        raise OidcRefused("no-attempt-in-session")
    if not state or state != kept["state"]:
        raise OidcRefused("state-mismatch")
    verifier = kept.get("verifier")
    if not isinstance(verifier, str) or not verifier:
        raise OidcRefused("pkce-verifier-missing")
    return Attempt(kept["state"], kept["nonce"], verifier)


async def _refuse(request: web.Request, why: str) -> web.StreamResponse:
    await asyncio.to_thread(request.app[STORE].users.sign_in_refused, why)
    return await _page(request, why)


async def _page(request: web.Request, why: str) -> web.StreamResponse:
    context = {"problem": REFUSALS.get(why, NOT_COMPLETED)}
    return await render_page(request, "oidc_refused.html", context, status=403)
