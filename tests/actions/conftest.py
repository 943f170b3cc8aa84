"""A real store for the actions: a migrated SQLite file, its JSON API on a free loopback port, and the
actions' environment pointing at it (or at a port where nothing answers).

The actions build their client from the environment on first use, so the variables are set and the
module-level client cleared before each test; the client is closed (and cleared) after it.
"""

from __future__ import annotations

import contextlib
import copy
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web
from aiohttp.test_utils import TestServer
from rasa_sdk.executor import CollectingDispatcher

import actions.store
from bot.api.routes import add_routes
from bot.questions import QuestionBank
from bot.settings import REPO_ROOT, Settings
from bot.store.services import Store
from tests import builders
from tests.fixtures.action_server import action_server  # noqa: F401  # one real server: probes and token files
from tests.fixtures.databases import MigratedSqlite, SessionsFor


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store_settings(data_dir: Path) -> Settings:
    """Embedded mode: the service token is generated in the data folder, where the actions read it too."""
    return Settings.from_env({"BOT_DATA_DIR": str(data_dir)})


@pytest.fixture
def service(store_settings: Settings, migrated_sqlite: MigratedSqlite, sqlite_sessions: SessionsFor) -> Store:
    assert migrated_sqlite(store_settings.data_dir / "store.db") == store_settings.database_url
    return Store(sqlite_sessions(store_settings.database_url))


@pytest.fixture(scope="session")
def parsed_domain() -> dict[str, Any]:
    """domain.yml parsed once per session (about 10 ms a parse, and some 200 tests ask for it)."""
    return yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture
def domain(parsed_domain: dict[str, Any]) -> dict[str, Any]:
    """This test's own copy of the domain: the actions are handed it, and nothing one test does to it may
    reach the next."""
    return copy.deepcopy(parsed_domain)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def conversation(service: Store) -> str:
    """A conversation opened for a signed-in practitioner, as the web gateway does; no assessment yet. The
    team has a lead who can be reached (by email), as every team must (issue #26, item 8); a team without one
    is tests/actions/test_danger_check.py's `test_in_a_team_no_lead_can_be_reached...`."""
    user = service.users.create_user(
        "pat.smith", "correct horse battery staple", "practitioner", "North Team"
    )
    service.users.create_user(
        "lee.lead", "correct horse battery staple", "lead", "North Team", email="lee.lead@example.invalid"
    )
    return service.conversations.open_conversation(user.id, "test")


@pytest.fixture
def started(service: Store, conversation: str, bank: QuestionBank) -> str:
    """A conversation whose assessment has begun (position: the first question, nothing answered)."""
    service.assessments.start_or_resume(conversation, bank.version)
    return conversation


@pytest.fixture
async def store_up(
    service: Store, store_settings: Settings, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[None]:
    app = web.Application()
    add_routes(app, service.assessments, store_settings)
    async with (
        TestServer(app, host="127.0.0.1") as server,
        _actions_using(monkeypatch, data_dir, server.port),
    ):
        yield


@pytest.fixture
async def store_down(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """A port that is bound (so nothing else takes it) but not listening: every connection is refused."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        async with _actions_using(monkeypatch, data_dir, closed.getsockname()[1]):
            yield


@contextlib.asynccontextmanager
async def _actions_using(monkeypatch: pytest.MonkeyPatch, data_dir: Path, port: int) -> AsyncIterator[None]:
    monkeypatch.setenv("BOT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("BOT_APP_PORT", str(port))
    for name in ("BOT_SERVICE_TOKEN", "BOT_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    actions.store._client = None
    try:
        yield
    finally:
        client, actions.store._client = actions.store._client, None
        if client is not None:
            await client.close()


@pytest.fixture
def answered(service: Store, bank: QuestionBank, started: str) -> Callable[[str, str, Any], None]:
    """Record an earlier answer (revision 1) in a turn of its own, as if given in an earlier message."""

    def answer(question_id: str, text: str, value: Any) -> None:
        wording = bank.question(question_id).text
        builders.answer(service, started, question_id, text, wording=wording, value=value)

    return answer
