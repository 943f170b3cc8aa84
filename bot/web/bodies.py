"""A form body that cannot be read is the sender's mistake: a 400 saying so, never a 500 (issue #28).

aiohttp parses a form (urlencoded or multipart) the first time a handler or middleware asks for it, and a
malformed one (no boundary, a part with no name, bytes that are not in the declared charset) raises there as
an exception the app would answer with a 500. This middleware reads every form once, before the CSRF check
and the handler, and answers a broken one with 400 and a message; aiohttp keeps what it read, so the CSRF
check and the handler read it again for nothing. The JSON API reads its own bodies (bot.api.body: 400 with a
reason for any body that is not a JSON object) and so does the Bot Framework endpoint.

A browser (its Accept names text/html) gets the message as a page in the site's layout; a client that asks
for JSON gets `{"errors": {"form": ...}}`, and anything else the message as plain text.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.web.access import Access, access_rule
from bot.web.pages import render_page

FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
BOT_FRAMEWORK_ENDPOINT = "/api/messages"  # reads its own JSON body, as the API does


@web.middleware
async def form_body_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method in BODY_METHODS and request.content_type in FORM_TYPES and _reads_forms(request):
        try:
            await request.post()
        except (ValueError, LookupError, AssertionError) as error:
            # ValueError: a missing or unmatched boundary, a part without a name, undecodable bytes
            # (UnicodeDecodeError); LookupError: a charset Python does not know.
            return await _bad_request(request, _reason(error))
    return await handler(request)


async def _bad_request(request: web.Request, reason: str) -> web.StreamResponse:
    message = f"The form could not be read ({reason}). Go back, reload the page and send it again."
    accepts = request.headers.get("Accept", "").lower()
    if "text/html" in accepts:
        return await render_page(request, "bad_request.html", {"reason": reason}, status=400)
    if "application/json" in accepts:
        return web.json_response({"errors": {"form": message}}, status=400)
    return web.Response(status=400, text=message + "\n")


def _reads_forms(request: web.Request) -> bool:
    """Not the JSON API nor the Bot Framework endpoint, which read their bodies themselves."""
    if access_rule(request) is Access.API_TOKEN:
        return False
    resource = request.match_info.route.resource
    return resource is None or resource.canonical != BOT_FRAMEWORK_ENDPOINT


def _reason(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "it is not in the character set it declares"
    if isinstance(error, LookupError):
        return "it declares a character set that is not known"
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
