"""Form tokens: every form post must carry the token from its own session, so another site cannot post for us.

SameSite=Lax already keeps the cookie off most cross-site posts; the token covers older browsers and
same-site attackers. The JSON API is exempt: it takes no cookies, only its bearer token.
"""

from __future__ import annotations

import hmac

from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp_session import get_session

from bot.web.access import Access, access_rule
from bot.web.pages import render_page
from bot.web.sessions import CSRF_FORM_FIELD, CSRF_TOKEN

FORM_FIELD = CSRF_FORM_FIELD
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BOT_FRAMEWORK_ENDPOINT = "/api/messages"


@web.middleware
async def csrf_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method in SAFE_METHODS or access_rule(request) is Access.API_TOKEN:
        return await handler(request)
    resource = request.match_info.route.resource  # None for an address no route matches
    if resource is None:
        return await handler(request)  # the router's own 404 or 405; nothing to protect
    if request.method == "POST" and resource.canonical == BOT_FRAMEWORK_ENDPOINT:
        return await handler(request)  # the Bot Framework endpoint takes no cookies; it checks its own JWT
    session = await get_session(request)
    expected = session.get(CSRF_TOKEN)
    form = await request.post()
    given = form.get(FORM_FIELD)
    if not (isinstance(expected, str) and isinstance(given, str)) or not hmac.compare_digest(
        expected.encode(), given.encode()
    ):
        return await render_page(request, "csrf_failed.html", {}, status=403)
    return await handler(request)
