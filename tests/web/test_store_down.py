"""A request that cannot reach the database answers 503 "may not have been saved, check", not a bare 500
(bot.web.store_down, issue #34: a PostgreSQL restart under scaled mode). The database error is real: a
connection to a loopback port where nothing listens."""

from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.domain.protocol import OUTCOME_HEADER, OUTCOME_UNKNOWN
from bot.runtime.processes import free_port
from bot.store import db
from bot.web.store_down import MESSAGE, store_down_middleware


def app() -> web.Application:
    async def reads_the_store(_request: web.Request) -> web.Response:
        engine = db.make_engine(f"postgresql+psycopg://nobody:nothing@127.0.0.1:{free_port()}/none")
        try:
            with engine.connect():
                return web.Response(text="unreachable")
        finally:
            engine.dispose()

    async def cannot_tell(_request: web.Request) -> web.Response:
        # The store's error for a write cut mid-way that it could not check (AssessmentService.apply_turn).
        raise db.WriteOutcomeUnknown("a turn cut mid-way could not be checked")

    async def fails_otherwise(_request: web.Request) -> web.Response:
        raise ValueError("a bug, not the database")

    application = web.Application(middlewares=[store_down_middleware])
    application.router.add_get("/store", reads_the_store)
    application.router.add_get("/unknown", cannot_tell)
    application.router.add_get("/bug", fails_otherwise)
    return application


async def test_an_unreachable_store_answers_503_try_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "SERVER_RESTART_SECONDS", 0)  # fail at the first refusal, not after 20 s
    async with TestClient(TestServer(app())) as client:
        response = await client.get("/store")
        assert response.status == 503
        assert response.headers["Retry-After"]
        assert await response.text() == MESSAGE
        assert OUTCOME_HEADER not in response.headers  # nothing was written: the plain 503


async def test_a_write_that_may_have_landed_answers_503_saying_the_outcome_is_unknown() -> None:
    async with TestClient(TestServer(app())) as client:
        response = await client.get("/unknown")
        assert response.status == 503
        assert response.headers["Retry-After"]
        assert response.headers[OUTCOME_HEADER] == OUTCOME_UNKNOWN
        # A page says the same either way: it never claims that nothing was kept.
        assert await response.text() == MESSAGE


async def test_any_other_error_is_still_a_server_error() -> None:
    async with TestClient(TestServer(app())) as client:
        assert (await client.get("/bug")).status == 500
