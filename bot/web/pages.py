"""Rendering a page with what every page needs: the signed-in user, and the form token for signing out."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.domain import second_factor
from bot.domain.records import UserInfo
from bot.domain.second_factor import FactorState
from bot.web.held import DRAFT_KEYS
from bot.web.landing import IDLE_REASON, return_path_of, sign_in_address
from bot.web.sessions import csrf_token
from bot.web.state import STORE, USER


async def render_page(
    request: web.Request, template: str, context: Mapping[str, Any], *, status: int = 200
) -> web.Response:
    user = request.get(USER)
    page = {
        "user": user,
        # chat.js's key for this account's drafts in the browser (bot.web.held); only on signed-in pages.
        "draft_key": await request.app[DRAFT_KEYS].for_user(user.id) if user is not None else None,
        "csrf_token": await csrf_token(request),
        "offer_second_factor": await _offers_second_factor(request, user),
        "problem": None,
        # The time-out dialog's "Sign in again" comes back to this page (a GET's) afterwards.
        "sign_in_again": sign_in_address(IDLE_REASON, return_path_of(request)),
        **context,
    }
    return aiohttp_jinja2.render_template(template, request, page, status=status)


def form_text(value: object) -> str:
    """A form field as text; a missing field or a file upload in its place counts as empty."""
    return value if isinstance(value, str) else ""


def form_texts(post: Mapping[str, object], names: Iterable[str]) -> dict[str, str]:
    """The named fields of a posted form as text, each exactly as typed (see form_text)."""
    return {name: form_text(post.get(name)) for name in names}


async def _offers_second_factor(request: web.Request, user: UserInfo | None) -> bool:
    """Whether the account navigation links to setting up a second factor: for a role that may opt in,
    until they have one (read each time: set up in another tab, or reset by an admin, it shows at once)."""
    if user is None or not second_factor.may_opt_in(user.role):
        return False
    state = await asyncio.to_thread(request.app[STORE].second_factor.state, user.id)
    return state is not FactorState.ENROLLED
