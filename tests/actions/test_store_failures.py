"""When the store cannot be reached nothing is claimed; when a write is replayed nothing is doubled."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.assessment import FINISHED, ActionAskAnswer, ActionStartAssessment, ValidateAssessmentForm
from actions.conduct import carry_out, plan_for, reading_of
from actions.controls import ActionDangerInterrupt
from actions.store import store
from bot.api.routes import add_routes
from bot.questions import QuestionBank
from bot.settings import Settings
from bot.store import db
from bot.store.services import Store
from bot.web.store_down import store_down_middleware
from tests import builders
from tests.actions.conftest import _actions_using
from tests.actions.trackers import said, tracker_from

REPORT = "He showed me a knife in his bag and said he will use it on someone after school today"


def revisions(service: Store, cid: str) -> list[tuple[str, int]]:
    export = service.assessments.export(conversation_id=cid)
    return [
        (answer["question_id"], r["revision"]) for answer in export["answers"] for r in answer["revisions"]
    ]


async def test_validate_with_the_store_down_says_so_and_keeps_the_question_open(
    store_down: None,
    service: Store,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    tracker = tracker_from("form_answer", started, "No")

    events = await ValidateAssessmentForm().run(dispatcher, tracker, domain)

    assert events == [SlotSet("answer", None)]
    assert said(dispatcher) == ["utter_store_unavailable"]
    assert revisions(service, started) == []


async def test_start_and_ask_with_the_store_down_say_so(
    store_down: None, conversation: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    start = await ActionStartAssessment().run(
        dispatcher, tracker_from("start_assessment", conversation), domain
    )
    ask = await ActionAskAnswer().run(dispatcher, tracker_from("form_answer", conversation), domain)

    assert (start, ask) == ([SlotSet("answer", FINISHED)], [])
    # Opening: no question is open yet, so the reply offers to try again; asking: the question stays open.
    assert said(dispatcher) == ["utter_store_unavailable_at_start", "utter_store_unavailable"]
    [opening] = [variant for variant in domain["responses"]["utter_store_unavailable_at_start"]]
    assert "same question" not in opening["text"]
    assert [button["payload"] for button in opening["buttons"]] == ["/resume"]


async def test_danger_with_the_store_down_still_gives_the_999_guidance(
    store_down: None, started: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """conduct.carry_out promises that the 999 guidance reaches them even if saving failed."""
    tracker = tracker_from("control_message", started, REPORT, intent="report_danger")

    await ActionDangerInterrupt().run(dispatcher, tracker, domain)

    # The guidance claims no flag: nothing may have been saved.
    assert said(dispatcher) == ["utter_danger_unsaved", "utter_danger_lines", "utter_store_unavailable"]


async def test_danger_from_an_unlinked_conversation_still_gives_the_999_guidance(
    store_up: None, service: Store, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = tracker_from(
        "control_message", "nobody-opened-this-conversation", REPORT, intent="report_danger"
    )

    await ActionDangerInterrupt().run(dispatcher, tracker, domain)

    assert said(dispatcher)[:2] == ["utter_danger_unsaved", "utter_danger_lines"]
    assert service.assessments.get_assessment(conversation_id="nobody-opened-this-conversation") is None


async def test_the_same_validate_twice_records_one_revision(
    store_up: None,
    service: Store,
    started: str,
    bank: QuestionBank,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, "discussed_with_lead")
    tracker = tracker_from("form_answer", started, "Not yet")
    first, second = CollectingDispatcher(), CollectingDispatcher()

    await ValidateAssessmentForm().run(first, tracker, domain)
    await ValidateAssessmentForm().run(second, tracker, domain)

    assert revisions(service, started) == [("discussed_with_lead", 1)]
    assert first.messages == []
    [refusal] = said(second)  # the second reads the moved position: "Not yet" is no role
    options = "; ".join(
        f"{number} {choice.label}"
        for number, choice in enumerate(bank.question("practitioner_role").choices, start=1)
    )
    assert refusal == (
        "I couldn't match that to one of the options. "
        f"Reply with the number or the words of one option: {options}."
    )


async def test_replaying_a_plan_made_from_the_same_record_is_an_identical_put(
    store_up: None,
    service: Store,
    started: str,
    bank: QuestionBank,
    dispatcher: CollectingDispatcher,
) -> None:
    """What validate does after its read (plan, then carry out), twice over one read of the record: the
    engine retrying a turn whose reply was lost. The second PUT must be a replay, not revision 2."""
    builders.move(service, started, "concern_summary")
    text = "He said the teachers are all liars and he won't listen to them any more."
    tracker = tracker_from("form_answer", started, text, typed_text=text)
    record = await store().get_assessment(started)
    plan = plan_for(reading_of(tracker, bank, record), bank, record, tracker)

    assert await carry_out(plan, record, tracker, dispatcher) is True
    assert await carry_out(plan, record, tracker, dispatcher) is True

    assert dispatcher.messages == []
    assert revisions(service, started) == [("concern_summary", 1)]
    after = service.assessments.get_assessment(conversation_id=started)
    assert after is not None
    assert (after.answers["concern_summary"].text, after.current_question_id) == (
        text,
        "concern_summary__source",
    )


async def test_sending_again_after_a_half_finished_turn_records_no_second_revision(
    store_up: None,
    service: Store,
    started: str,
    bank: QuestionBank,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    """The answer was saved but the move failed (the store went away between the two PUTs), so the bot said
    "I haven't moved on ... please send it again". Sending it again is the same answer, not a change."""
    first = bank.first_question()
    builders.answer(service, started, first.id, "No", wording=first.text, value="no")
    tracker = tracker_from("form_answer", started, "No")

    await ValidateAssessmentForm().run(dispatcher, tracker, domain)

    assert revisions(service, started) == [("immediate_danger", 1)]
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None and record.current_question_id == "discussed_with_lead"


@pytest.fixture
async def database_unreachable(
    store_settings: Settings, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[None]:
    """The product's store API, behind its 503 middleware, over a database it cannot open (the file's folder
    does not exist): each request reaches the API, and nothing reaches a database."""
    sessions = db.make_session_factory(f"sqlite:///{tmp_path / 'no-such-folder' / 'store.db'}")
    app = web.Application(middlewares=[store_down_middleware])
    add_routes(app, Store(sessions).assessments, store_settings)
    try:
        async with (
            TestServer(app, host="127.0.0.1") as server,
            _actions_using(monkeypatch, data_dir, server.port),
        ):
            yield
    finally:
        sessions.kw["bind"].dispose()


async def test_a_turn_that_never_reached_the_database_is_said_to_be_unsaved(
    service: Store,
    started: str,
    bank: QuestionBank,
    database_unreachable: None,
    dispatcher: CollectingDispatcher,
) -> None:
    """The store's plain 503 (no `X-Bot-Outcome`) means nothing was written, so the bot may say it has not
    moved on and to send the message again (bot.web.store_down)."""
    builders.move(service, started, "concern_summary")
    text = "He said the teachers are all liars and he won't listen to them any more."
    tracker = tracker_from("form_answer", started, text, typed_text=text)
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    plan = plan_for(reading_of(tracker, bank, record), bank, record, tracker)

    assert await carry_out(plan, record, tracker, dispatcher) is False

    assert said(dispatcher) == ["utter_store_unavailable"]
    assert revisions(service, started) == []
