"""A page or API call made while the database cannot be reached: 503 and "try again", never a server error.

During a PostgreSQL restart (an operator's `pg_ctl restart`, scaled mode, issue #34) a request already
holding a connection meets "terminating connection due to administrator command"; one opening a connection
waits for the server (bot.store.db). The first came back as aiohttp's bare 500. Usually the server rolled
that transaction back; but a connection cut just after the server committed, before its reply arrived,
looks the same from here, so this never claims that nothing was kept: it says the request may not have
been saved and to check before making it again. (A message's turn is made again by the store itself on
a new connection, which finds out which it was: bot.store.assessments.) The page is plain text, as
rendering the usual template reads the database too; an API caller (the action server) gets a 503.

For the API caller the 503 says which case it is, as it must not be told "nothing was written" when that may
be false. A plain 503 (the text below, `Retry-After`) to a turn means the turn was not written: the store
could not reach the database for it (or for all of it but an urgent flag, which commits first on its own
and is answered for by the 999 guidance the action server gives whenever saving failed). A 503 that also
carries `X-Bot-Outcome: unknown` (bot.domain.protocol.OUTCOME_HEADER) means the turn may have been written:
its connection was cut after the database may have committed it, and the store could not reach the
database again to find out (bot.store.db.WriteOutcomeUnknown). The action server then says so rather than
"I haven't moved on" (actions.conduct). The page text is the same in both cases, as it never claims that
nothing was kept.
"""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.domain.protocol import OUTCOME_HEADER, OUTCOME_UNKNOWN
from bot.store.db import WriteOutcomeUnknown, store_unreachable

log = logging.getLogger(__name__)

MESSAGE = (
    "The records cannot be reached for a moment, so this request may not have been saved. "
    "Nothing you had already saved is lost. In a minute, go back and check: if it is not there, "
    "try again; if this keeps happening, tell your safeguarding lead."
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
        headers = {"Retry-After": RETRY_AFTER_SECONDS}
        if isinstance(error, WriteOutcomeUnknown):
            headers[OUTCOME_HEADER] = OUTCOME_UNKNOWN
        return web.Response(status=503, text=MESSAGE, headers=headers)
