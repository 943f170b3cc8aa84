"""Rendering a page with what every page needs: the signed-in user, and the form token for signing out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.web.held import DRAFT_KEYS
from bot.web.landing import IDLE_REASON, return_path_of, sign_in_address
from bot.web.sessions import csrf_token
from bot.web.state import USER


async def render_page(
    request: web.Request, template: str, context: Mapping[str, Any], *, status: int = 200
) -> web.Response:
    user = request.get(USER)
    page = {
        "user": user,
        # chat.js's key for this account's drafts in the browser (bot.web.held); only on signed-in pages.
        "draft_key": await request.app[DRAFT_KEYS].for_user(user.id) if user is not None else None,
        "csrf_token": await csrf_token(request),
        "problem": None,
        # The time-out dialog's "Sign in again" comes back to this page (a GET's) afterwards.
        "sign_in_again": sign_in_address(IDLE_REASON, return_path_of(request)),
        **context,
    }
    return aiohttp_jinja2.render_template(template, request, page, status=status)


def form_text(value: object) -> str:
    """A form field as text; a missing field or a file upload in its place counts as empty."""
    return value if isinstance(value, str) else ""
