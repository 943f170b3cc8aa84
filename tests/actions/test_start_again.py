"""Start again: asked first, cleared only on an explicit yes, nothing deleted, answers given afterwards kept.

Real action code against the real store (the store API on a loopback port): the confirmation is a position
in the store, so it survives a crash or a pause like any open question.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.assessment import ActionAskAnswer, ValidateAssessmentForm
from actions.controls import ActionGoBack, ActionStartAgain
from bot.dialogue.plans import START_AGAIN_NO, START_AGAIN_YES
from bot.domain.positions import START_AGAIN_PREFIX
from bot.questions import QuestionBank
from bot.store.services import Store
from tests import builders
from tests.actions.trackers import said, tracker_from

ACCOUNT = "  He said the teachers 'had it coming'.\r\n"


def record_of(service: Store, cid: str) -> Any:
    record = service.assessments.get_assessment(conversation_id=cid)
    assert record is not None
    return record


@pytest.fixture
def half_done(service: Store, started: str, answered: Callable[[str, str, Any], None]) -> str:
    answered("immediate_danger", "No", "no")
    answered("discussed_with_lead", "Not yet", "not_yet")
    answered("concern_summary", ACCOUNT, ACCOUNT)
    builders.move(service, started, "relationship_to_young_person")
    return started


async def ask_start_again(cid: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> None:
    tracker = tracker_from("control_message", cid, "start again", intent="start_again", confidence=0.97)
    assert await ActionStartAgain().run(dispatcher, tracker, domain) == []


async def reply(cid: str, text: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> list[Any]:
    tracker = tracker_from("form_answer", cid, text)
    return await ValidateAssessmentForm().run(dispatcher, tracker, domain)


async def test_start_again_asks_first_and_clears_nothing_until_yes(
    store_up: None, service: Store, half_done: str, domain: dict[str, Any]
) -> None:
    await ask_start_again(half_done, CollectingDispatcher(), domain)

    record = record_of(service, half_done)
    assert record.current_question_id == START_AGAIN_PREFIX + "relationship_to_young_person"
    assert set(record.answers) == {"immediate_danger", "discussed_with_lead", "concern_summary"}

    asked = CollectingDispatcher()
    await ActionAskAnswer().run(asked, tracker_from("form_answer", half_done, "x"), domain)
    [question] = asked.messages
    assert "clears the 3 answers" in question["text"]
    assert [b["title"] for b in question["buttons"]] == [START_AGAIN_YES, START_AGAIN_NO, "Pause"]


@pytest.mark.parametrize("typed", ["yes", "Yes please", "ok", "sure, whatever"])
async def test_anything_but_the_exact_yes_clears_nothing(
    typed: str, store_up: None, service: Store, half_done: str, domain: dict[str, Any]
) -> None:
    """A "yes" meant for the open yes/no question must never wipe an account."""
    await ask_start_again(half_done, CollectingDispatcher(), domain)
    dispatcher = CollectingDispatcher()

    await reply(half_done, typed, dispatcher, domain)

    assert "Nothing has been cleared" in said(dispatcher)[0]
    record = record_of(service, half_done)
    assert record.current_question_id.startswith(START_AGAIN_PREFIX)
    assert len(record.answers) == 3
    assert all(
        len(a["revisions"]) == 1 for a in service.assessments.export(conversation_id=half_done)["answers"]
    )


@pytest.mark.parametrize("no", [START_AGAIN_NO, "no", "Carry on"])
async def test_no_goes_back_where_they_were_with_every_answer(
    no: str, store_up: None, service: Store, half_done: str, domain: dict[str, Any]
) -> None:
    await ask_start_again(half_done, CollectingDispatcher(), domain)

    await reply(half_done, no, CollectingDispatcher(), domain)

    record = record_of(service, half_done)
    assert record.current_question_id == "relationship_to_young_person"
    assert record.answers["concern_summary"].text == ACCOUNT


async def test_back_at_the_confirmation_is_a_no(
    store_up: None, service: Store, half_done: str, domain: dict[str, Any]
) -> None:
    await ask_start_again(half_done, CollectingDispatcher(), domain)
    tracker = tracker_from("control_message", half_done, "/go_back", intent="go_back", confidence=1.0)

    await ActionGoBack().run(CollectingDispatcher(), tracker, domain)

    record = record_of(service, half_done)
    assert record.current_question_id == "relationship_to_young_person"
    assert len(record.answers) == 3


async def test_yes_clears_every_answer_keeps_the_history_and_starts_at_the_first_question(
    store_up: None, service: Store, half_done: str, bank: QuestionBank, domain: dict[str, Any]
) -> None:
    builders.report_danger(service, half_done, "He has a knife in his bag now")
    await ask_start_again(half_done, CollectingDispatcher(), domain)
    dispatcher = CollectingDispatcher()

    events = await reply(half_done, START_AGAIN_YES, dispatcher, domain)

    assert events == [SlotSet("answer", None)]
    assert said(dispatcher) == ["Your answers are cleared. Starting again from the first question."]
    record = record_of(service, half_done)
    assert (record.answers, record.current_question_id, record.status) == ({}, None, "in_progress")
    assert record.urgent and record.urgent_messages[0].text == "He has a knife in his bag now"
    exported = {
        a["question_id"]: a["revisions"]
        for a in service.assessments.export(conversation_id=half_done)["answers"]
    }
    assert exported["concern_summary"][0]["text"] == ACCOUNT, "what was said stays in the history"
    assert [(r["revision"], r["status"], r["text"]) for r in exported["concern_summary"]] == [
        (1, "answered", ACCOUNT),
        (2, "withdrawn", ""),
    ]

    asked = CollectingDispatcher()
    await ActionAskAnswer().run(asked, tracker_from("form_answer", half_done, "x"), domain)
    assert bank.first_question().text in asked.messages[0]["text"]
    assert "Your answer was" not in asked.messages[0]["text"]

    # Answering again after starting again: the new answer follows the withdrawn revision; the run's mode,
    # fixed when it started, stays.
    await reply(half_done, "No", CollectingDispatcher(), domain)
    record = record_of(service, half_done)
    danger = record.answers["immediate_danger"]
    assert (danger.revision, danger.value, danger.text, record.mode) == (3, "no", "No", "live")
    assert record.current_question_id == "discussed_with_lead"


async def test_start_again_with_no_answers_needs_no_confirmation(
    store_up: None, service: Store, started: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    await ask_start_again(started, dispatcher, domain)

    assert said(dispatcher) == ["There are no answers to clear yet."]
    assert record_of(service, started).current_question_id == "immediate_danger"


async def test_start_again_on_a_practice_run_keeps_it_a_practice_run(
    store_up: None,
    service: Store,
    conversation: str,
    bank: QuestionBank,
    domain: dict[str, Any],
) -> None:
    """Issue #26: a run's mode is fixed when it starts. Clearing the answers starts the questions again, not
    the run: a practice run stays practice, and says so from its first question."""
    service.assessments.start_or_resume(conversation, bank.version, "rehearsal")
    await reply(conversation, "No", CollectingDispatcher(), domain)
    await ask_start_again(conversation, CollectingDispatcher(), domain)

    await reply(conversation, START_AGAIN_YES, CollectingDispatcher(), domain)

    record = record_of(service, conversation)
    assert (record.answers, record.current_question_id, record.mode) == ({}, None, "rehearsal")
    asked = CollectingDispatcher()
    await ActionAskAnswer().run(asked, tracker_from("form_answer", conversation, "x"), domain)
    progress, intro, question = asked.messages[0]["text"].split("\n\n")[:3]
    assert progress.endswith(" · Rehearsal - fictional case")
    assert intro == bank.section(bank.first_question().section_id).intro  # cleared: the section anew
    assert question == bank.first_question().text
