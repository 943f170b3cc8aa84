"""A page or API call made while the database cannot be reached: 503 and "try again", never a server error.

During a PostgreSQL restart (an operator's `pg_ctl restart`, scaled mode, issue #34) a request already
holding a connection meets "terminating connection due to administrator command"; one opening a connection
waits for the server (bot.store.db). The first came back as aiohttp's bare 500. The server rolled that
transaction back, so nothing of the request was kept and it can be made again: this says so. The page is
plain text, as rendering the usual template reads the database too; an API caller (the action server)
gets a 503 and tells the practitioner their answer was not saved.
"""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.store.db import store_unreachable

log = logging.getLogger(__name__)

MESSAGE = (
    "The records cannot be reached for a moment, so nothing was saved from this request. "
    "Nothing you had already saved is lost. Go back and try again in a minute; if this keeps happening, "
    "tell your safeguarding lead."
)
RETRY_AFTER_SECONDS = "10"


@web.middleware
async def store_down_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except Exception as error:
        if not store_unreachable(error):
            raise
        log.warning("the store could not be reached for %s %s: %s", request.method, request.path, type(error))
        return web.Response(status=503, text=MESSAGE, headers={"Retry-After": RETRY_AFTER_SECONDS})
