"""JSON API routes for the action server: thin handlers that parse, call one service method, reply.

Service calls are synchronous SQLAlchemy, so they run in a worker thread to keep the event loop (and the web
pages served beside this API) responsive. Every bad request gets a 4xx with `{"errors": {field: message}}`.
The routes are described in openapi.yaml beside this file; a test keeps the two in step.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.api.body import ApiError, Body, read_object
from bot.domain.records import SERVICE_ACTOR, AnswerIn, TurnIn, UrgentDetailIn
from bot.settings import Settings
from bot.store.assessments import AssessmentService
from bot.store.errors import ConflictError, NotFoundError, StoreError, ValidationError

PREFIX = "/api/v1"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_STATUS_BY_ERROR: dict[type[StoreError], int] = {ValidationError: 422, NotFoundError: 404, ConflictError: 409}


def add_routes(app: web.Application, service: AssessmentService, settings: Settings) -> None:
    api = _StoreApi(service.for_actor(SERVICE_ACTOR))
    app.router.add_get(f"{PREFIX}/health", api.health, name="api_health", allow_head=False)
    # Path segments take any character but "/" (aiohttp's default also refuses braces), so that odd ids reach
    # a handler and get a JSON reason instead of the router's plain-text 404.
    conversation = "/conversations/{cid:[^/]+}"
    routes: list[tuple[str, str, Handler, str]] = [
        ("POST", "/assessments", api.start_or_resume, "api_start_or_resume"),
        ("GET", f"{conversation}/assessment", api.get_assessment, "api_get_assessment"),
        (
            "PUT",
            f"{conversation}/answers/{{question_id:[^/]+}}/{{revision:[^/]+}}",
            api.record_answer,
            "api_record_answer",
        ),
        ("PUT", f"{conversation}/position", api.set_position, "api_set_position"),
        ("PUT", f"{conversation}/mode", api.set_mode, "api_set_mode"),
        ("POST", f"{conversation}/urgent", api.flag_urgent, "api_flag_urgent"),
        ("POST", f"{conversation}/start-again", api.start_again, "api_start_again"),
        ("POST", f"{conversation}/turn", api.apply_turn, "api_apply_turn"),
        ("POST", f"{conversation}/submit", api.submit, "api_submit"),
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
        body = Body(await read_object(request), {"conversation_id", "bank_version", "mode"})
        conversation_id = body.text("conversation_id")
        bank_version = body.text("bank_version")
        mode = body.text("mode", required=False)
        body.finish()
        record = await _call(self.service.start_or_resume, conversation_id, bank_version, mode)
        return web.json_response(record.to_json())

    async def get_assessment(self, request: web.Request) -> web.Response:
        record = await _call(self.service.get_assessment, conversation_id=request.match_info["cid"])
        if record is None:
            raise NotFoundError({"conversation_id": "no assessment for this conversation"})
        return web.json_response(record.to_json())

    async def record_answer(self, request: web.Request) -> web.Response:
        revision = _revision(request.match_info["revision"])
        body = Body(await read_object(request), ANSWER_FIELDS)
        answer = _answer(body, request.match_info["question_id"], revision)
        body.finish()
        record, created = await _call(self.service.record_answer, request.match_info["cid"], answer)
        return web.json_response(
            {"created": created, "answer": record.to_json()}, status=201 if created else 200
        )

    async def set_position(self, request: web.Request) -> web.Response:
        body = Body(await read_object(request), {"question_id"})
        question_id = body.text("question_id", nullable=True)
        body.finish()
        record = await _call(self.service.set_position, request.match_info["cid"], question_id)
        return web.json_response(record.to_json())

    async def set_mode(self, request: web.Request) -> web.Response:
        body = Body(await read_object(request), {"mode"})
        mode = body.text("mode")
        body.finish()
        record = await _call(self.service.set_mode, request.match_info["cid"], mode)
        return web.json_response(record.to_json())

    async def flag_urgent(self, request: web.Request) -> web.Response:
        body = Body(await read_object(request), {"message"})
        message = body.text("message")
        body.finish()
        record = await _call(self.service.flag_urgent, request.match_info["cid"], message)
        return web.json_response(record.to_json())

    async def apply_turn(self, request: web.Request) -> web.Response:
        body = Body(
            await read_object(request),
            {"answer", "mode", "start_again", "move_to", "urgent_message", "urgent_detail", "submit"},
        )
        answer_body = body.nested("answer", {"question_id", "revision", *ANSWER_FIELDS})
        answer = _answer(answer_body) if answer_body is not None else None
        detail_body = body.nested("urgent_detail", {"question_id", "wording", "text"})
        urgent_detail = (
            UrgentDetailIn(
                question_id=detail_body.text("question_id") or "",
                wording=detail_body.text("wording") or "",
                text=detail_body.text("text") or "",
            )
            if detail_body is not None
            else None
        )
        turn = TurnIn(
            answer=answer,
            mode=body.text("mode", required=False),
            start_again=body.flag("start_again"),
            move="move_to" in body.data,
            move_to=body.text("move_to", required=False),
            urgent_message=body.text("urgent_message", required=False),
            urgent_detail=urgent_detail,
            submit=body.flag("submit"),
        )
        body.finish()
        record = await _call(self.service.apply_turn, request.match_info["cid"], turn)
        return web.json_response(record.to_json())

    async def start_again(self, request: web.Request) -> web.Response:
        record = await _call(self.service.start_again, request.match_info["cid"])
        return web.json_response(record.to_json())

    async def submit(self, request: web.Request) -> web.Response:
        record = await _call(self.service.submit, request.match_info["cid"])
        return web.json_response(record.to_json())


ANSWER_FIELDS = {"wording", "text", "value", "status", "source", "fact_date"}


def _answer(body: Body, question_id: str | None = None, revision: int | None = None) -> AnswerIn:
    """An answer from a body; the question and revision come from the path when the route has them."""
    if question_id is None:
        question_id = body.text("question_id") or ""
    if revision is None:
        raw = body.present("revision")
        if raw is not None and (not isinstance(raw, int) or isinstance(raw, bool)):
            body.problems["revision"] = "must be a whole number, 1 or more"
        revision = raw if isinstance(raw, int) and not isinstance(raw, bool) else 0
    return AnswerIn(
        question_id=question_id,
        revision=revision,
        wording=body.text("wording") or "",
        text=body.text("text") or "",
        value=body.present("value"),
        status=body.text("status") or "",
        source=body.text("source", required=False),
        fact_date=body.date("fact_date"),
    )


def _revision(raw: str) -> int:
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10 or int(raw) < 1:
        raise ApiError(422, {"revision": "must be a whole number, 1 or more"})
    return int(raw)


async def _call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return await asyncio.to_thread(function, *args, **kwargs)
