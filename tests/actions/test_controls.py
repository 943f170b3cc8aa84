"""The control actions (back, skip, why, pause), and a long answer the classifier mistook for a control."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.controls import ActionExplainQuestion, ActionGoBack, ActionPauseAssessment, ActionSkipQuestion
from bot.questions import QuestionBank
from bot.store.services import Store
from tests import builders
from tests.actions.trackers import said, tracker_from


def position(service: Store, cid: str) -> str | None:
    record = service.assessments.get_assessment(conversation_id=cid)
    assert record is not None
    return record.current_question_id


async def test_go_back_moves_to_the_previous_question(
    store_up: None,
    service: Store,
    started: str,
    answered: Callable[[str, str, Any], None],
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    answered("immediate_danger", "No", "no")
    builders.move(service, started, "discussed_with_lead")
    tracker = tracker_from("control_message", started, "/go_back", intent="go_back", confidence=1.0)

    events = await ActionGoBack().run(dispatcher, tracker, domain)

    assert events == []
    assert dispatcher.messages == []
    assert position(service, started) == "immediate_danger"


async def test_go_back_typed_as_a_short_phrase_is_a_control(
    store_up: None,
    service: Store,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, "concern_summary")
    tracker = tracker_from("control_message", started, "go back", intent="go_back", confidence=0.95)

    await ActionGoBack().run(dispatcher, tracker, domain)

    assert position(service, started) == "relationship_to_young_person"
    assert service.assessments.export(conversation_id=started)["answers"] == []


async def test_go_back_at_the_first_question_says_so_and_stays(
    store_up: None,
    service: Store,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    tracker = tracker_from("control_message", started, "/go_back", intent="go_back")

    await ActionGoBack().run(dispatcher, tracker, domain)

    assert said(dispatcher) == ["This is the first question, so there is nothing to go back to."]
    assert position(service, started) is None


async def test_a_long_answer_misread_as_go_back_is_recorded_as_the_answer(
    store_up: None,
    service: Store,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, "concern_summary")
    text = "his mum said he wants to go back to Syria and stop school"
    tracker = tracker_from(
        "control_message", started, text, intent="go_back", confidence=0.99, typed_text=text
    )

    events = await ActionGoBack().run(dispatcher, tracker, domain)

    assert events == []
    assert dispatcher.messages == []
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    answer = record.answers["concern_summary"]
    assert (answer.revision, answer.text, answer.value, answer.status) == (1, text, text, "answered")
    assert record.current_question_id == "concern_summary__source"


async def test_skip_records_a_skipped_revision_and_moves_on(
    store_up: None,
    service: Store,
    started: str,
    bank: QuestionBank,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, "discussed_with_lead")
    tracker = tracker_from("control_message", started, "/skip", intent="skip")

    events = await ActionSkipQuestion().run(dispatcher, tracker, domain)

    assert events == []
    assert dispatcher.messages == []
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    answer = record.answers["discussed_with_lead"]
    assert (answer.revision, answer.status, answer.text, answer.value) == (1, "skipped", "", None)
    assert answer.wording == bank.question("discussed_with_lead").text
    assert record.current_question_id == "practitioner_role"  # the lead's advice is only asked after a yes


@pytest.mark.parametrize("qid", ["immediate_danger", "concern_summary", "own_account_confirmed"])
@pytest.mark.parametrize("text", ["/skip", "skip"])
async def test_skip_at_a_required_question_is_refused_and_nothing_is_recorded(
    store_up: None,
    service: Store,
    started: str,
    bank: QuestionBank,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
    qid: str,
    text: str,
) -> None:
    builders.move(service, started, qid)
    tracker = tracker_from("control_message", started, text, intent="skip")

    events = await ActionSkipQuestion().run(dispatcher, tracker, domain)

    assert events == []
    [message] = dispatcher.messages
    assert message["text"].startswith("This question can't be skipped")
    assert bank.question(qid).why in message["text"]
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    assert (record.answers, record.current_question_id) == ({}, qid)
    assert service.assessments.export(conversation_id=started)["answers"] == []


async def test_skip_after_an_earlier_answer_keeps_it(
    store_up: None,
    service: Store,
    started: str,
    answered: Callable[[str, str, Any], None],
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    answered("discussed_with_lead", "Not yet", "not_yet")
    builders.move(service, started, "discussed_with_lead")
    tracker = tracker_from("control_message", started, "/skip", intent="skip")

    await ActionSkipQuestion().run(dispatcher, tracker, domain)

    [history] = service.assessments.export(conversation_id=started)["answers"]
    assert [(r["revision"], r["status"], r["text"]) for r in history["revisions"]] == [
        (1, "answered", "Not yet")
    ]
    assert position(service, started) == "practitioner_role"  # the kept "Not yet" still hides the advice


async def test_why_are_you_asking_utters_the_questions_why(
    store_up: None,
    service: Store,
    started: str,
    bank: QuestionBank,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, "household")
    tracker = tracker_from("control_message", started, "/help", intent="help")

    events = await ActionExplainQuestion().run(dispatcher, tracker, domain)

    assert events == []
    assert said(dispatcher) == [f"Why we ask: {bank.question('household').why}"]
    assert position(service, started) == "household"
    assert service.assessments.export(conversation_id=started)["answers"] == []


async def test_pause_ends_the_form_and_says_it_is_saved(
    store_up: None,
    service: Store,
    started: str,
    answered: Callable[[str, str, Any], None],
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    answered("immediate_danger", "No", "no")
    builders.move(service, started, "discussed_with_lead")
    tracker = tracker_from("control_message", started, "/pause", intent="pause")

    events = await ActionPauseAssessment().run(dispatcher, tracker, domain)

    assert events == [SlotSet("answer", None), SlotSet("requested_slot", None), ActiveLoop(None)]
    assert said(dispatcher) == ["utter_paused"]
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    assert (record.status, record.current_question_id, list(record.answers)) == (
        "in_progress",
        "discussed_with_lead",
        ["immediate_danger"],
    )


async def test_a_choice_misread_as_pause_is_recorded_and_the_form_carries_on(
    store_up: None,
    service: Store,
    started: str,
    bank: QuestionBank,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, "attendance")
    label = next(c.label for c in bank.question("attendance").choices if c.value == "dropped_recently")
    tracker = tracker_from("control_message", started, label, intent="pause")

    events = await ActionPauseAssessment().run(dispatcher, tracker, domain)

    assert events == [FollowupAction("assessment_form")]
    assert "utter_paused" not in said(dispatcher)
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    assert record.answers["attendance"].value == "dropped_recently"
    assert record.current_question_id != "attendance"
