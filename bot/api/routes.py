"""JSON API routes for the action server: thin handlers that parse, call one service method, reply.

Service calls are synchronous SQLAlchemy, so they run in a worker thread to keep the event loop (and the web
pages served beside this API) responsive. Every bad request gets a 4xx with `{"errors": {field: message}}`.
Each body is parsed once, into the strict model the service takes (bot.api.body); the service does not check
it again. The routes and bodies are described in openapi.yaml beside this file; tests keep the three in step.
These are exactly the calls the action server makes (bot/store_client.py): every change to an assessment is
one turn, so there is no route that writes a single field (tests build state through the same turn).
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.api.body import ApiError, parse, read_body, read_object
from bot.domain.conversation_inputs import StartIn
from bot.domain.errors import ConflictError, NotFoundError, NotPermittedError, StoreError, ValidationError
from bot.domain.records import SERVICE_ACTOR, TurnIn
from bot.settings import Settings
from bot.store.assessments import AssessmentService

PREFIX = "/api/v1"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_STATUS_BY_ERROR: dict[type[StoreError], int] = {
    ValidationError: 422,
    NotFoundError: 404,
    ConflictError: 409,
    NotPermittedError: 403,  # the account's role may not do this (an admin's or coordinator's screening)
}


def add_routes(app: web.Application, service: AssessmentService, settings: Settings) -> None:
    api = _StoreApi(service.for_actor(SERVICE_ACTOR))
    app.router.add_get(f"{PREFIX}/health", api.health, name="api_health", allow_head=False)
    # Path segments take any character but "/" (aiohttp's default also refuses braces), so that odd ids reach
    # a handler and get a JSON reason instead of the router's plain-text 404.
    conversation = "/conversations/{cid:[^/]+}"
    routes: list[tuple[str, str, Handler, str]] = [
        ("POST", "/assessments", api.start_or_resume, "api_start_or_resume"),
        ("GET", f"{conversation}/assessment", api.get_assessment, "api_get_assessment"),
        ("POST", f"{conversation}/turn", api.apply_turn, "api_apply_turn"),
    ]
    for method, path, handler, name in routes:
        app.router.add_route(method, PREFIX + path, _guarded(handler, settings.service_token), name=name)


def error_response(status: int, fields: dict[str, str]) -> web.Response:
    return web.json_response({"errors": fields}, status=status)


def _guarded(handler: Handler, token: str) -> Handler:
    """Require the service token, and turn every expected failure into a JSON 4xx."""
    expected = token.encode()

    async def guarded(request: web.Request) -> web.StreamResponse:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(errors="surrogateescape"), expected
        ):
            response = error_response(401, {"authorization": "a valid service token is required (Bearer)"})
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        try:
            return await handler(request)
        except ApiError as error:
            return error_response(error.status, error.fields)
        except StoreError as error:
            return error_response(_STATUS_BY_ERROR.get(type(error), 400), error.fields)

    return guarded


class _StoreApi:
    def __init__(self, service: AssessmentService) -> None:
        self.service = service

    async def health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def start_or_resume(self, request: web.Request) -> web.Response:
        body = await read_body(request, StartIn)
        record = await _call(self.service.start, body)
        return web.json_response(record.to_json())

    async def get_assessment(self, request: web.Request) -> web.Response:
        record = await _call(self.service.get_assessment, conversation_id=request.match_info["cid"])
        if record is None:
            raise NotFoundError({"conversation_id": "no assessment for this conversation"})
        return web.json_response(record.to_json())

    async def apply_turn(self, request: web.Request) -> web.Response:
        # `move` is not sent: a present `move_to` (null included: the first question) means move.
        data = await read_object(request)
        turn = parse(TurnIn, data, move="move_to" in data)
        record = await _call(self.service.apply_turn, request.match_info["cid"], turn)
        return web.json_response(record.to_json())


async def _call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return await asyncio.to_thread(function, *args, **kwargs)
