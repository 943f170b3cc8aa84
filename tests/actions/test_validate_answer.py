"""validate_assessment_form: each reply is recorded verbatim, refused with a reason, or read as a control."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.assessment import FINISHED, ValidateAssessmentForm
from bot.domain.positions import REVIEW
from bot.questions import QuestionBank
from bot.store.services import Store
from tests import builders
from tests.actions.trackers import said, tracker_from

TYPED = "  He said: “they deserve what's coming”\r\nthen laughed it off.  \r\n"


async def validate(
    tracker: Tracker, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> list[EventType]:
    return await ValidateAssessmentForm().run(dispatcher, tracker, domain)


def assert_nothing_recorded(service: Store, cid: str, position: str | None = None) -> None:
    record = service.assessments.get_assessment(conversation_id=cid)
    assert record is not None
    assert (record.answers, record.current_question_id, record.status) == ({}, position, "in_progress")
    assert service.assessments.export(conversation_id=cid)["answers"] == []


@pytest.mark.parametrize(
    ("label", "value"),
    [("Yes", "yes"), ("Not yet", "not_yet"), ("I tried but couldn't reach them", "could_not_reach")],
)
async def test_a_choice_by_its_label_is_recorded_verbatim_and_moves_on(
    label: str,
    value: str,
    store_up: None,
    service: Store,
    started: str,
    bank: QuestionBank,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, "discussed_with_lead")

    events = await validate(tracker_from("form_answer", started, label), dispatcher, domain)

    assert events == [SlotSet("answer", None)]
    assert dispatcher.messages == []
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    answer = record.answers["discussed_with_lead"]
    assert (answer.revision, answer.text, answer.value, answer.status) == (1, label, value, "answered")
    assert answer.wording == bank.question("discussed_with_lead").text
    assert record.mode == "live"  # an answer never changes the run's mode (issue #26)
    following = bank.next_question("discussed_with_lead", {"discussed_with_lead": value})
    assert following is not None
    assert record.current_question_id == following.id


async def test_typed_free_text_is_stored_byte_for_byte_from_the_gateway_copy(
    store_up: None,
    service: Store,
    started: str,
    bank: QuestionBank,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, "concern_summary")
    tracker = tracker_from("form_answer", started, TYPED.strip(), typed_text=TYPED)

    events = await validate(tracker, dispatcher, domain)

    assert events == [SlotSet("answer", None)]
    [revision] = service.assessments.export(conversation_id=started)["answers"][0]["revisions"]
    assert revision["text"].encode("utf-8") == TYPED.encode("utf-8")
    assert revision["value"] == TYPED
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    answer = record.answers["concern_summary"]
    assert (answer.revision, answer.text, answer.status) == (1, TYPED, "answered")
    assert record.current_question_id == "concern_summary__source"


async def test_metadata_from_a_different_message_is_ignored(
    store_up: None,
    service: Store,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, "concern_summary")
    text = "He stopped going to football after half term."
    tracker = tracker_from("form_answer", started, text, typed_text="  Something typed earlier.  ")

    await validate(tracker, dispatcher, domain)

    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    assert record.answers["concern_summary"].text == text


async def test_a_20000_character_message_is_refused_and_nothing_is_stored(
    store_up: None,
    service: Store,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, "concern_summary")
    text = "He said " + "x" * 19_992

    events = await validate(tracker_from("form_answer", started, text, typed_text=text), dispatcher, domain)

    assert len(text) == 20_000
    assert events == [SlotSet("answer", None)]
    assert said(dispatcher) == ["utter_too_long"]
    assert (dispatcher.messages[0]["length"], dispatcher.messages[0]["limit"]) == ("20,000", "10,000")
    assert_nothing_recorded(service, started, "concern_summary")


@pytest.mark.parametrize("typed_text", [None, "   \r\n"])
async def test_an_empty_message_is_refused(
    typed_text: str | None,
    store_up: None,
    service: Store,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    events = await validate(
        tracker_from("form_answer", started, "", typed_text=typed_text), dispatcher, domain
    )

    assert events == [SlotSet("answer", None)]
    assert said(dispatcher) == ["utter_empty"]
    assert_nothing_recorded(service, started)


async def test_a_typed_intent_payload_is_refused_and_sets_nothing(
    store_up: None,
    service: Store,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    text = '/inform{"answer":"x"}'

    events = await validate(tracker_from("form_answer", started, text, intent="inform"), dispatcher, domain)

    assert events == [SlotSet("answer", None)]
    assert said(dispatcher) == ["utter_payload_refused"]
    assert_nothing_recorded(service, started)


async def test_submit_before_the_end_does_not_submit(
    store_up: None,
    service: Store,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    events = await validate(
        tracker_from("form_answer", started, "/submit", intent="submit"), dispatcher, domain
    )

    assert events == [SlotSet("answer", None)]
    assert said(dispatcher) == ["You can submit once you reach 'Check your answers' at the end."]
    assert_nothing_recorded(service, started)
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None and record.submitted_at is None


async def test_submit_at_check_your_answers_submits_and_ends_the_form(
    store_up: None,
    service: Store,
    started: str,
    answered: Callable[[str, str, Any], None],
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    answered("immediate_danger", "No", "no")  # the required questions (issue #26)
    answered("concern_summary", "He said he wants to fight", "He said he wants to fight")
    answered("own_account_confirmed", "I confirm", "confirmed")
    builders.move(service, started, REVIEW)

    events = await validate(
        tracker_from("form_answer", started, "/submit", intent="submit"), dispatcher, domain
    )

    assert events == [SlotSet("answer", FINISHED)]
    assert said(dispatcher)[0] == "utter_submitted"
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    assert (record.status, record.submitted_at is not None) == ("submitted", True)


async def test_submit_is_refused_while_a_required_answer_is_missing(
    store_up: None,
    service: Store,
    started: str,
    answered: Callable[[str, str, Any], None],
    bank: QuestionBank,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    answered("immediate_danger", "No", "no")
    answered("own_account_confirmed", "I confirm", "confirmed")  # what was noticed: never answered
    builders.move(service, started, REVIEW)

    events = await validate(
        tracker_from("form_answer", started, "/submit", intent="submit"), dispatcher, domain
    )

    assert events == [SlotSet("answer", None)]
    [message] = dispatcher.messages
    assert message["text"].startswith("You can't submit yet")
    assert bank.question("concern_summary").text in message["text"]
    assert message["buttons"] == [{"title": "Answer question 2", "payload": "change 2"}]
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    assert (record.status, record.submitted_at, record.current_question_id) == ("in_progress", None, REVIEW)


@pytest.mark.parametrize(
    ("question_id", "text", "problem"),
    [
        ("first_noticed_date", "when the leaves turned", "I couldn't read that as a date."),
        ("young_person_age", "quite young really", "Please give one age in whole years"),
    ],
)
async def test_an_unreadable_date_or_age_gets_a_reason_and_nothing_is_stored(
    question_id: str,
    text: str,
    problem: str,
    store_up: None,
    service: Store,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, question_id)

    events = await validate(tracker_from("form_answer", started, text), dispatcher, domain)

    # Counted in the engine's slot (bot.dialogue.another_way), so a restart of this server keeps the count.
    assert events == [SlotSet("answer", None), SlotSet("misfits", {"question": question_id, "count": 1})]
    [message] = said(dispatcher)
    assert message.startswith(problem)
    assert_nothing_recorded(service, started, question_id)


async def test_the_second_unreadable_reply_in_a_row_puts_the_question_another_way(
    store_up: None,
    service: Store,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, "first_noticed_date")
    tracker = tracker_from("form_answer", started, "when the leaves turned")
    tracker.slots["misfits"] = {"question": "first_noticed_date", "count": 1}

    events = await validate(tracker, dispatcher, domain)

    counted = {"question": "first_noticed_date", "count": 2}
    assert events == [SlotSet("answer", None), SlotSet("misfits", counted)]
    [message] = dispatcher.messages
    assert "here is the question another way" in message["text"]
    assert [b["title"] for b in message["buttons"]] == ["Skip", "Not sure", "Why we ask"]
    assert_nothing_recorded(service, started, "first_noticed_date")


async def test_an_answer_after_unreadable_replies_is_stored_and_clears_the_count(
    store_up: None,
    service: Store,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, "first_noticed_date")
    tracker = tracker_from("form_answer", started, "March 2024")
    tracker.slots["misfits"] = {"question": "first_noticed_date", "count": 3}

    events = await validate(tracker, dispatcher, domain)

    assert events == [SlotSet("answer", None), SlotSet("misfits", None)]
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None and record.answers["first_noticed_date"].text == "March 2024"


async def test_a_relative_date_is_read_against_the_day_the_message_was_sent_in_london(
    store_up: None,
    service: Store,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, "first_noticed_date")

    # The fixture's message was sent at 23:30 UTC on 14 June 2024: already 15 June in London.
    await validate(tracker_from("form_answer", started, "yesterday"), dispatcher, domain)

    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    answer = record.answers["first_noticed_date"]
    assert (answer.text, answer.value, str(answer.fact_date)) == ("yesterday", "2024-06-14", "2024-06-14")
    assert record.current_question_id == "latest_noticed_date"
