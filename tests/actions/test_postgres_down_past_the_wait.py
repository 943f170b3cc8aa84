"""PostgreSQL down for longer than the store waits for it (issue #34): the practitioner is told, in the bot's
own reply, that their message is kept and nothing moved on; when they send it again the same question
takes it, and it is stored once.

Every part is real: the run's PostgreSQL server (stopped and started again by the test), the
store's JSON API behind the product's 503 middleware (bot.web.store_down) on a loopback port, and the action
server process, started as `bot run` starts it, called over HTTP with the engine's token and the tracker the
engine sends. Each message is the engine's two calls for it: the form's validation, then the question.
The server is stopped with `pg_ctl stop -m fast` and started again only after the reply to the message sent
meanwhile, so the store's wait for it (bot.store.db.SERVER_RESTART_SECONDS) runs out.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml
from aiohttp import web
from aiohttp.test_utils import TestServer
from aiohttp.typedefs import Handler

from bot.api.routes import add_routes
from bot.domain.limits import (
    ENGINE_REPLY_TIMEOUT_SECONDS,
    STORE_CALL_TIMEOUT_SECONDS,
    STORE_RESTART_WAIT_SECONDS,
)
from bot.domain.protocol import OUTCOME_HEADER
from bot.questions import QuestionBank
from bot.runtime import processes
from bot.runtime.data_folder import make_private
from bot.runtime.process_env import actions_env
from bot.settings import REPO_ROOT, Settings
from bot.store import db
from bot.store.services import Store
from bot.store_client import StoreClient
from bot.web.store_down import store_down_middleware
from tests import builders
from tests.actions.trackers import state_from
from tests.fixtures.postgres import PostgresDatabases
from tests.fixtures.postgres_cluster import PostgresCluster

ADVICE = "  She said to keep a note of it\r\nand ring the duty line if it happens again.  "
ENGINE_VERSION = "3.6.21"


@pytest.fixture
def cluster(postgres_cluster: PostgresCluster) -> PostgresCluster:
    """The run's PostgreSQL server, which these tests stop on purpose: the PostgreSQL tests run one at a time
    on one worker (the `postgresql` xdist group, tests/conftest.py), so no other test is using it meanwhile.
    A server of each test's own cost an `initdb` each (three a run)."""
    return postgres_cluster


@pytest.fixture
def database_url(cluster: PostgresCluster, postgres_databases: PostgresDatabases) -> Iterator[str]:
    """This test's own database on that server; the server is up again before the next test, whatever this
    one did (each test also starts it again in a `finally`)."""
    url = postgres_databases.create()
    yield url
    if not cluster.running:
        cluster.start_server()
    postgres_databases.drop(url)


@pytest.fixture
def service(database_url: str) -> Iterator[Store]:
    """The store the API serves, and the test's own way to set up and check what is held."""
    sessions = db.make_session_factory(database_url)
    yield Store(sessions)
    sessions.kw["bind"].dispose()


@pytest.fixture
def at_lead_advice(service: Store, bank: QuestionBank) -> str:
    """A practitioner's screening open at "What did your lead say?", as the web gateway leaves it."""
    user = service.users.create_user(
        "pat.smith", "correct horse battery staple", "practitioner", "North Team"
    )
    service.users.create_user(
        "lee.lead", "correct horse battery staple", "lead", "North Team", email="lee.lead@example.invalid"
    )
    cid = service.conversations.open_conversation(user.id, "test")
    service.assessments.start_or_resume(cid, bank.version)
    builders.answer_and_move(
        service.assessments, cid, "discussed_with_lead", "Yes", "lead_advice", value="yes"
    )
    return cid


class StoreApi:
    """The store's JSON API on a loopback port, noting the status of every answer it gives, and its
    `X-Bot-Outcome` (None when it has none: bot.web.store_down)."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.outcomes: list[str | None] = []

    @web.middleware
    async def note_status(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        self.statuses.append(response.status)
        self.outcomes.append(response.headers.get(OUTCOME_HEADER))
        return response


@pytest.fixture
async def store_api(service: Store, tmp_path: Path) -> AsyncIterator[tuple[StoreApi, Settings]]:
    data_dir = tmp_path / "data"
    settings = Settings.from_env({"BOT_DATA_DIR": str(data_dir)})
    api = StoreApi()
    app = web.Application(middlewares=[api.note_status, store_down_middleware])
    add_routes(app, service.assessments, settings)
    async with TestServer(app, host="127.0.0.1") as server:
        yield (
            api,
            Settings.from_env(
                {
                    "BOT_DATA_DIR": str(data_dir),
                    "BOT_APP_PORT": str(server.port),
                    "BOT_ACTIONS_PORT": str(processes.free_port()),
                }
            ),
        )


@pytest.fixture
def action_server(store_api: tuple[StoreApi, Settings]) -> Iterator[Settings]:
    _, settings = store_api
    (settings.data_dir / "logs").mkdir(parents=True, exist_ok=True)
    make_private(settings.data_dir)  # as bot run does: the action server refuses a folder open to others
    server = processes.Service(
        "actions",
        [sys.executable, "-m", "actions.server"],
        actions_env(settings),
        f"http://127.0.0.1:{settings.actions_port}/health",
        settings.data_dir / "logs" / "actions.log",
    )
    with processes.running([server], timeout=120):
        yield settings


@pytest.fixture
def domain() -> dict[str, Any]:
    return yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))


class Engine:
    """What the engine does with one typed message inside the form: two calls to the action server."""

    def __init__(self, settings: Settings, domain: dict[str, Any], cid: str) -> None:
        self._url = f"http://127.0.0.1:{settings.actions_port}/webhook?token={settings.actions_token}"
        self._domain = domain
        self._cid = cid

    async def send(self, text: str, message_id: str) -> list[dict[str, Any]]:
        """The bot's replies to `text`, in order, as the action server gave them."""
        tracker = state_from("form_answer", self._cid, text.strip(), typed_text=text)
        tracker["latest_message"]["message_id"] = message_id
        replies: list[dict[str, Any]] = []
        # The app waits this long for the engine's reply; the engine's own wait for an action is longer.
        timeout = aiohttp.ClientTimeout(total=ENGINE_REPLY_TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            for action in ("validate_assessment_form", "action_ask_answer"):
                call = {
                    "next_action": action,
                    "sender_id": self._cid,
                    "tracker": tracker,
                    "domain": self._domain,
                    "version": ENGINE_VERSION,
                }
                async with session.post(self._url, json=call) as response:
                    assert response.status == 200, await response.text()
                    replies += (await response.json())["responses"]
        return replies


def revisions(service: Store, cid: str) -> list[tuple[str, int, str]]:
    export = service.assessments.export(conversation_id=cid)
    return [
        (answer["question_id"], r["revision"], r["text"])
        for answer in export["answers"]
        for r in answer["revisions"]
    ]


def test_each_hop_waits_longer_than_the_one_it_waits_on() -> None:
    """The store answers before the action server gives up on it, and the engine before the app does, so a
    "nothing moved on" is never said while the store could still save the message."""
    assert db.SERVER_RESTART_SECONDS == STORE_RESTART_WAIT_SECONDS
    assert STORE_RESTART_WAIT_SECONDS < STORE_CALL_TIMEOUT_SECONDS < ENGINE_REPLY_TIMEOUT_SECONDS
    assert StoreClient("http://127.0.0.1:1", "t")._timeout.total == STORE_CALL_TIMEOUT_SECONDS


async def test_a_message_sent_while_the_database_stays_down_is_kept_and_taken_once_when_sent_again(
    cluster: PostgresCluster,
    service: Store,
    at_lead_advice: str,
    store_api: tuple[StoreApi, Settings],
    action_server: Settings,
    domain: dict[str, Any],
) -> None:
    cid = at_lead_advice
    api, _ = store_api
    engine = Engine(action_server, domain, cid)
    before = revisions(service, cid)

    cluster.stop_server()
    try:
        replies = await engine.send(ADVICE, "m-1")
    finally:
        cluster.start_server()

    # The store gave up on the database and said so (not the action server giving up on the store), and
    # that nothing was written: the turn never had a connection.
    assert api.statuses == [503]
    assert api.outcomes == [None]
    # One reply, from the domain's words, and no question asked after it (that would wait again).
    assert [reply["response"] for reply in replies] == ["utter_store_unavailable"]
    [words] = [variant["text"] for variant in domain["responses"]["utter_store_unavailable"]]
    assert "haven't moved on" in words
    assert "message is kept" in words
    assert "send it again in a minute" in words
    assert "same question" in words
    # Nothing moved on and nothing was stored.
    record = service.assessments.get_assessment(conversation_id=cid)
    assert record is not None and record.current_question_id == "lead_advice"
    assert revisions(service, cid) == before

    # Sent again with the database back: the same question takes it, verbatim, and the next one follows.
    again = await engine.send(ADVICE, "m-2")
    assert [reply["response"] for reply in again] == [None]
    assert again[0]["text"].endswith("What is your role?")
    # The engine repeating that message (its reply lost) stores nothing more.
    await engine.send(ADVICE, "m-2")
    assert revisions(service, cid) == [*before, ("lead_advice", 1, ADVICE)]
    record = service.assessments.get_assessment(conversation_id=cid)
    assert record is not None and record.current_question_id == "practitioner_role"
