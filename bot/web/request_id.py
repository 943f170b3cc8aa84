"""The app's end of the request id (bot.request_ids): one for each incoming request, and its access log line.

A caller's `X-Request-Id` is kept only when it can be trusted to name a request upstream: from one of our
own proxies (BOT_TRUSTED_PROXIES, the same rule as X-Forwarded-For), or on the store API from a caller
holding the service token (the action server, carrying the id of the engine message it is acting on).
Anyone else gets a fresh id, so a visitor cannot make their lines look like someone else's. Malformed ids
are never kept (bot.request_ids.safe_request_id). The id is returned in the response's `X-Request-Id`.
"""

from __future__ import annotations

import hmac
import logging

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.typedefs import Handler

from bot.request_ids import HEADER, current, new_request_id, safe_request_id
from bot.web.client_address import is_trusted_proxy
from bot.web.state import SETTINGS

API_PREFIX = "/api/"
REQUEST_ID = web.RequestKey("request_id", str)

access_log = logging.getLogger("bot.web.access")


def _trusted_caller(request: web.Request) -> bool:
    settings = request.app[SETTINGS]
    if request.path.startswith(API_PREFIX):
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        expected = settings.service_token.encode()
        if scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(errors="replace"), expected
        ):
            return True
    return is_trusted_proxy(request.remote or "", settings.trusted_proxies)


def request_id_for(request: web.Request) -> str:
    """The id this request is logged under: the caller's when trusted and well formed, else a new one."""
    given = safe_request_id(request.headers.get(HEADER)) if HEADER in request.headers else None
    return given if given is not None and _trusted_caller(request) else new_request_id()


@web.middleware
async def request_id_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """First of all: every line logged while this request is handled carries its id."""
    request_id = request_id_for(request)
    request[REQUEST_ID] = request_id  # read again by the access log below
    token = current.set(request_id)
    try:
        try:
            response = await handler(request)
        except web.HTTPException as refusal:
            refusal.headers[HEADER] = request_id
            raise
        response.headers[HEADER] = request_id
        return response
    finally:
        current.reset(token)


class AccessLogger(AbstractAccessLogger):
    """One line per request: method, path without its query string (which may carry search words),
    status and duration, under the request's id. Never a header, a cookie or a body."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        request_id = request.get(REQUEST_ID)
        token = current.set(request_id if isinstance(request_id, str) else None)
        try:
            self.logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status,
                extra={"status": response.status, "seconds": round(time, 4)},
            )
        finally:
            current.reset(token)
