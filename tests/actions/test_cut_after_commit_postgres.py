"""A turn whose COMMIT the server confirmed but the app never heard (issue #34): stored once, and the
practitioner told the truth.

PostgreSQL is real, and so is the moment: a proxy of the test's own (tests/fixtures/commit_cut_proxy.py)
sits between the store and the server and drops the connection right after the server's reply to a COMMIT
has arrived, so the server has committed and the app only sees its connection go. The app is the store's
JSON API behind the same 503 middleware as the product's (bot.web.store_down), on a loopback port; the
actions call it over HTTP with the service token, as the action server does. Each message is the two calls
the engine makes for it (the form's validation, then the question), and a message sent again is a new
engine message with the same words, as a practitioner sends it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.engine import make_url

from actions.assessment import ActionAskAnswer, ValidateAssessmentForm
from actions.controls import ActionDangerInterrupt
from bot.api.routes import add_routes
from bot.domain.protocol import OUTCOME_HEADER, OUTCOME_UNKNOWN
from bot.questions import QuestionBank
from bot.settings import Settings
from bot.store import db
from bot.store.services import Store
from bot.web.store_down import MESSAGE, store_down_middleware
from tests import builders
from tests.actions.conftest import _actions_using
from tests.actions.trackers import said, tracker_from
from tests.fixtures.commit_cut_proxy import CommitCutProxy

ADVICE = "  She said to keep a note of it\r\nand ring the duty line if it happens again.  "
REPORT = "He showed me a knife in his bag and said he will use it on someone after school today"


@pytest.fixture
async def proxy(postgres_url: str) -> AsyncIterator[CommitCutProxy]:
    url = make_url(postgres_url)
    async with CommitCutProxy(url.host or "127.0.0.1", url.port or 5432) as running:
        yield running


@pytest.fixture
def service(postgres_url: str) -> Iterator[Store]:
    """The test's own way to the database, straight to the server: set-up and the checks of what is held."""
    sessions = db.make_session_factory(postgres_url)
    yield Store(sessions)
    sessions.kw["bind"].dispose()


@pytest.fixture
def app_store(postgres_url: str, proxy: CommitCutProxy) -> Iterator[Store]:
    """The app's store: the same database, through the proxy."""
    sessions = db.make_session_factory(proxy.url_for(postgres_url))
    yield Store(sessions)
    sessions.kw["bind"].dispose()


@pytest.fixture
async def app_server(
    app_store: Store, store_settings: Settings, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[TestServer]:
    app = web.Application(middlewares=[store_down_middleware])
    add_routes(app, app_store.assessments, store_settings)
    async with (
        TestServer(app, host="127.0.0.1") as server,
        _actions_using(monkeypatch, data_dir, server.port),
    ):
        yield server


def message(sender: str, text: str, number: int, *, intent: str | None = None) -> Tracker:
    tracker = tracker_from("form_answer", sender, text.strip(), intent=intent, typed_text=text)
    tracker.latest_message["message_id"] = f"m-{number}"
    return tracker


async def send(tracker: Tracker, domain: dict[str, Any]) -> list[str]:
    """One message as the engine handles it inside the form: read the reply, then ask what comes next."""
    dispatcher = CollectingDispatcher()
    await ValidateAssessmentForm().run(dispatcher, tracker, domain)
    await ActionAskAnswer().run(dispatcher, tracker, domain)
    return said(dispatcher)


def revisions(service: Store, cid: str) -> list[tuple[str, int, str]]:
    export = service.assessments.export(conversation_id=cid)
    return [
        (answer["question_id"], r["revision"], r["text"])
        for answer in export["answers"]
        for r in answer["revisions"]
    ]


@pytest.fixture
def at_lead_advice(service: Store, started: str, bank: QuestionBank) -> str:
    builders.answer_and_move(
        service.assessments, started, "discussed_with_lead", "Yes", "lead_advice", value="yes"
    )
    return started


async def test_the_turn_api_answers_a_cut_commit_with_the_stored_record_and_a_replay_stores_nothing(
    app_server: TestServer,
    proxy: CommitCutProxy,
    service: Store,
    at_lead_advice: str,
    store_settings: Settings,
) -> None:
    cid = at_lead_advice
    answer = {
        "question_id": "lead_advice",
        "revision": 1,
        "wording": "What did your lead say?",
        "status": "answered",
    }
    body = {"answer": {**answer, "text": ADVICE, "value": ADVICE}, "move_to": "practitioner_role"}
    auth = {"Authorization": f"Bearer {store_settings.service_token}"}
    async with TestClient(app_server) as client:
        proxy.cut_after_commit()
        first = await client.post(f"/api/v1/conversations/{cid}/turn", json=body, headers=auth)
        assert proxy.cuts == 1
        assert first.status == 200, await first.text()
        record = await first.json()
        assert record["current_question_id"] == "practitioner_role"
        assert [a["text"] for a in record["answers"] if a["question_id"] == "lead_advice"] == [ADVICE]
        # What the action server sends when it is unsure: the very same turn.
        again = await client.post(f"/api/v1/conversations/{cid}/turn", json=body, headers=auth)
        assert again.status == 200, await again.text()
        assert (await again.json())["answers"] == record["answers"]
    assert revisions(service, cid) == [("discussed_with_lead", 1, "Yes"), ("lead_advice", 1, ADVICE)]


async def test_an_answer_whose_commit_was_cut_is_stored_once_and_the_next_question_asked_once(
    app_server: TestServer,
    proxy: CommitCutProxy,
    service: Store,
    at_lead_advice: str,
    domain: dict[str, Any],
) -> None:
    cid = at_lead_advice
    proxy.cut_after_commit()
    first = await send(message(cid, ADVICE, 1), domain)
    assert proxy.cuts == 1
    # Told nothing untrue: no "I can't save answers right now" for an answer that was saved.
    assert "utter_store_unavailable" not in first
    assert len(first) == 1 and first[0].endswith("What is your role?")
    # The same words sent again are read against the question now open, and stored nowhere.
    second = await send(message(cid, ADVICE, 2), domain)
    assert second[-1].endswith("What is your role?")
    record = service.assessments.get_assessment(conversation_id=cid)
    assert record is not None and record.current_question_id == "practitioner_role"
    assert revisions(service, cid) == [("discussed_with_lead", 1, "Yes"), ("lead_advice", 1, ADVICE)]


@pytest.mark.parametrize(
    "after", [1, 2], ids=["the danger report's own commit", "the rest of the turn's commit"]
)
async def test_a_danger_report_whose_commit_was_cut_is_raised_once_and_said_to_be_saved(
    after: int,
    app_server: TestServer,
    proxy: CommitCutProxy,
    service: Store,
    at_lead_advice: str,
    domain: dict[str, Any],
) -> None:
    cid = at_lead_advice
    proxy.cut_after_commit(after=after)
    dispatcher = CollectingDispatcher()
    await ActionDangerInterrupt().run(dispatcher, message(cid, REPORT, 1, intent="report_danger"), domain)
    assert proxy.cuts == 1
    told = said(dispatcher)
    assert "utter_store_unavailable" not in told and "utter_danger_unsaved" not in told
    assert "utter_danger_lines" in told
    record = service.assessments.get_assessment(conversation_id=cid)
    assert record is not None and record.danger_reports == 1
    assert [flag.text for flag in record.urgent_messages] == [REPORT]


async def test_an_appended_detail_whose_commit_was_cut_is_not_made_again_and_is_not_called_unsaved(
    app_server: TestServer,
    proxy: CommitCutProxy,
    service: Store,
    at_lead_advice: str,
    store_settings: Settings,
) -> None:
    """An answer to a danger follow-up question is appended, so making it again would store it twice: the
    caller hears the store could not confirm it, which is true, and never that nothing was saved."""
    cid = at_lead_advice
    builders.report_danger(service.assessments, cid, REPORT)
    detail = {"question_id": "happening_now", "wording": "Is it happening now?", "text": ADVICE}
    auth = {"Authorization": f"Bearer {store_settings.service_token}"}
    async with TestClient(app_server) as client:
        proxy.cut_after_commit()
        response = await client.post(
            f"/api/v1/conversations/{cid}/turn", json={"urgent_detail": detail}, headers=auth
        )
        assert proxy.cuts == 1
        assert response.status == 503
        assert await response.text() == MESSAGE
        # Said in a way the action server reads: the store cannot tell whether it was written.
        assert response.headers[OUTCOME_HEADER] == OUTCOME_UNKNOWN
    assert "may not have been saved" in MESSAGE and "nothing was saved" not in MESSAGE
    record = service.assessments.get_assessment(conversation_id=cid)
    assert record is not None
    assert [m.text for m in record.urgent_messages] == [REPORT, ADVICE]  # it was in fact kept, once
