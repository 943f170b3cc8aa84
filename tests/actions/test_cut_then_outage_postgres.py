"""A turn whose COMMIT the server confirmed but the app never heard, with PostgreSQL then down for longer than
the store waits for it (issue #34): the turn is stored once, and the practitioner is told that the bot cannot
tell whether it was saved, never that it has not moved on.

Every part is real. PostgreSQL is the run's server (stopped and started again by the test: the PostgreSQL
tests run one at a time on one worker), and the cut is the proxy's (tests/fixtures/commit_cut_proxy.py): it
drops the connection right after the server's reply to a COMMIT, then stops the server with `pg_ctl stop -m
fast` before letting the store's next connection through. The store makes the turn again on a new connection
to find out whether it landed, and that connection waits the whole of bot.store.db.SERVER_RESTART_SECONDS
(20 s: there is no setting to shorten it, so the test waits it out) for a server that stays down. The store's
JSON API is behind the product's 503 middleware (bot.web.store_down) on a loopback port, and the actions call
it over HTTP with the service token, as the action server does. The server is started again once the reply has
been given.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.assessment import ActionAskAnswer
from actions.controls import ActionDangerInterrupt, ActionGoBack, ActionSkipQuestion
from bot.api.routes import add_routes
from bot.domain.protocol import OUTCOME_UNKNOWN
from bot.questions import QuestionBank
from bot.settings import Settings
from bot.store.services import Store
from bot.web.store_down import store_down_middleware
from tests.actions.conftest import _actions_using
from tests.actions.test_cut_after_commit_postgres import (
    ADVICE,
    REPORT,
    app_store,
    message,
    proxy,
    revisions,
    send,
)
from tests.actions.test_postgres_down_past_the_wait import (
    StoreApi,
    at_lead_advice,
    cluster,
    database_url,
    service,
)
from tests.actions.trackers import said, tracker_from
from tests.fixtures.commit_cut_proxy import CommitCutProxy
from tests.fixtures.postgres_cluster import PostgresCluster

__all__ = ["app_store", "at_lead_advice", "cluster", "database_url", "proxy", "service"]


@pytest.fixture
def postgres_url(database_url: str) -> str:
    """The cut's fixtures (its proxy, and the app's store through it) over this test's database, on the
    server the outage stops."""
    return database_url


@pytest.fixture
async def store_api(
    app_store: Store, store_settings: Settings, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[StoreApi]:
    """The store's JSON API over the app's store, noting each answer it gives; the actions call it."""
    api = StoreApi()
    app = web.Application(middlewares=[api.note_status, store_down_middleware])
    add_routes(app, app_store.assessments, store_settings)
    async with (
        TestServer(app, host="127.0.0.1") as server,
        _actions_using(monkeypatch, data_dir, server.port),
    ):
        yield api


class Outage:
    """The server stopped straight after the cut, and started again after the reply."""

    def __init__(self, cluster: PostgresCluster, proxy: CommitCutProxy) -> None:
        self._cluster = cluster
        self._proxy = proxy
        self.down = False

    async def _go_down(self) -> None:
        await asyncio.to_thread(self._cluster.stop_server)
        self.down = True

    def arm(self, *, after: int = 0) -> None:
        self._proxy.cut_after_commit(after=after, then=self._go_down)

    async def end(self) -> None:
        await self._proxy.after_cut()
        if self.down:
            await asyncio.to_thread(self._cluster.start_server)


def control(cid: str, text: str, intent: str, number: int) -> Tracker:
    tracker = tracker_from("control_message", cid, text, intent=intent, confidence=1.0)
    tracker.latest_message["message_id"] = f"m-{number}"
    return tracker


async def run_control(action: Action, tracker: Tracker, domain: dict[str, Any]) -> CollectingDispatcher:
    """A control inside the form as the engine runs it: the control's action, then the form's question."""
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker, domain)
    await ActionAskAnswer().run(dispatcher, tracker, domain)
    return dispatcher


async def test_an_answer_cut_after_its_commit_with_the_database_then_down_is_not_called_unsaved(
    cluster: PostgresCluster,
    proxy: CommitCutProxy,
    service: Store,
    at_lead_advice: str,
    store_api: StoreApi,
    domain: dict[str, Any],
    bank: QuestionBank,
) -> None:
    cid = at_lead_advice
    before = revisions(service, cid)
    outage = Outage(cluster, proxy)
    outage.arm()
    try:
        first = await send(message(cid, ADVICE, 1), domain)
    finally:
        await outage.end()

    assert proxy.cuts == 1 and outage.down
    # The read before the turn, then the turn: the store could not find out, and said so.
    assert store_api.statuses == [200, 503]
    assert store_api.outcomes == [None, OUTCOME_UNKNOWN]
    # One reply, and no question after it (that would wait for the store again).
    assert first == ["utter_store_outcome_unknown"]
    [words] = [variant["text"] for variant in domain["responses"]["utter_store_outcome_unknown"]]
    assert "haven't moved on" not in words and "same question" not in words
    assert "can't tell whether your last answer was saved" in words
    assert "wait a minute, then say 'back'" in words and "send it again" in words
    assert "say 'back'" in words and "'Keep my answer'" in words

    # It had in fact landed: stored once, verbatim, and the position moved on.
    assert revisions(service, cid) == [*before, ("lead_advice", 1, ADVICE)]
    record = service.assessments.get_assessment(conversation_id=cid)
    assert record is not None and record.current_question_id == "practitioner_role"

    # With the database back, "back" shows the question before the one open now, with the answer kept.
    back = await run_control(ActionGoBack(), control(cid, "back", "go_back", 2), domain)
    [shown] = said(back)
    assert bank.question("lead_advice").text in shown
    assert f"Your answer was: {ADVICE}" in shown
    assert "Keep my answer" in [button["title"] for button in back.messages[0]["buttons"]]
    # "Keep my answer" goes on from there, to the question after it.
    kept = await run_control(ActionSkipQuestion(), control(cid, "/skip", "skip", 3), domain)
    assert said(kept)[-1].endswith("What is your role?")

    # Had they sent the same words again instead, they are read against the question now open ("What is your
    # role?", a choice of roles), which cannot take them: the bot says it could not match them to an option
    # and asks that question again. Nothing is stored and nothing moves; the earlier question keeps its one
    # answer.
    again = await send(message(cid, ADVICE, 4), domain)
    assert again[0].startswith("I couldn't match that to one of the options.")
    assert again[-1].endswith("What is your role?")
    assert revisions(service, cid) == [*before, ("lead_advice", 1, ADVICE)]
    record = service.assessments.get_assessment(conversation_id=cid)
    assert record is not None and record.current_question_id == "practitioner_role"


async def test_a_danger_report_cut_after_its_commit_with_the_database_then_down_gives_the_999_guidance_first(
    cluster: PostgresCluster,
    proxy: CommitCutProxy,
    service: Store,
    at_lead_advice: str,
    store_api: StoreApi,
    domain: dict[str, Any],
) -> None:
    """The danger report's own commit is the one cut (the first is the action's start-or-resume): the report
    is raised once, and the practitioner hears the 999 guidance before anything about the records, as
    whenever saving may have failed."""
    cid = at_lead_advice
    outage = Outage(cluster, proxy)
    outage.arm(after=1)
    dispatcher = CollectingDispatcher()
    try:
        await ActionDangerInterrupt().run(dispatcher, message(cid, REPORT, 1, intent="report_danger"), domain)
    finally:
        await outage.end()

    assert proxy.cuts == 1 and outage.down
    assert store_api.statuses == [200, 503]
    assert store_api.outcomes == [None, OUTCOME_UNKNOWN]
    assert said(dispatcher) == ["utter_danger_unsaved", "utter_danger_lines", "utter_store_outcome_unknown"]
    record = service.assessments.get_assessment(conversation_id=cid)
    assert record is not None and record.danger_reports == 1
    assert [flag.text for flag in record.urgent_messages] == [REPORT]
