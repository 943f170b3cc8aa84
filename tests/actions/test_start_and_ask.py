"""Starting (or resuming) an assessment, and asking the bank's current question."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.assessment import FINISHED, ActionAskAnswer, ActionStartAssessment
from bot.questions import QuestionBank
from bot.store.services import Store
from tests.actions.trackers import said, tracker_from

NAVIGATION = [
    {"title": "Back", "payload": "/go_back"},
    {"title": "Skip", "payload": "/skip"},
    {"title": "Why are you asking?", "payload": "/help"},
    {"title": "Pause", "payload": "/pause"},
]
# The first question (immediate danger) is required: it offers no "Skip" (issue #26).
REQUIRED_NAVIGATION = [button for button in NAVIGATION if button["payload"] != "/skip"]


async def test_start_creates_the_assessment_for_a_new_conversation(
    store_up: None,
    service: Store,
    conversation: str,
    bank: QuestionBank,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    assert service.assessments.get_assessment(conversation_id=conversation) is None

    events = await ActionStartAssessment().run(
        dispatcher, tracker_from("start_assessment", conversation), domain
    )

    assert events == [SlotSet("answer", None)]
    assert dispatcher.messages == []
    record = service.assessments.get_assessment(conversation_id=conversation)
    assert record is not None
    assert (record.status, record.mode, record.bank_version) == ("in_progress", "live", bank.version)
    assert (record.practitioner, record.current_question_id, record.answers) == ("pat.smith", None, {})


async def test_start_on_an_unknown_conversation_says_not_linked_and_ends_the_form(
    store_up: None, service: Store, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = tracker_from("start_assessment", "nobody-opened-this-conversation")

    events = await ActionStartAssessment().run(dispatcher, tracker, domain)

    assert events == [SlotSet("answer", FINISHED)]
    assert said(dispatcher) == ["utter_not_linked"]
    assert service.assessments.get_assessment(conversation_id="nobody-opened-this-conversation") is None


async def test_start_again_resumes_the_same_assessment_and_says_where_they_were(
    store_up: None,
    service: Store,
    started: str,
    answered: Callable[[str, str, Any], None],
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    before = service.assessments.get_assessment(conversation_id=started)
    answered("immediate_danger", "No", "no")
    service.assessments.set_position(started, "discussed_with_lead")

    events = await ActionStartAssessment().run(dispatcher, tracker_from("start_assessment", started), domain)

    assert events == [SlotSet("answer", None)]
    assert said(dispatcher) == ["Carrying on from Before we start, question 2."]
    after = service.assessments.get_assessment(conversation_id=started)
    assert before is not None and after is not None
    assert (after.id, after.reference) == (before.id, before.reference)
    assert list(after.answers) == ["immediate_danger"]


async def test_ask_utters_the_first_question_with_progress_choices_and_navigation(
    store_up: None,
    started: str,
    bank: QuestionBank,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    first = bank.first_question()

    events = await ActionAskAnswer().run(dispatcher, tracker_from("form_answer", started), domain)

    assert events == []
    [message] = dispatcher.messages
    # The section's intro comes once, before its first question (issue #26 item 9).
    progress, intro, question = message["text"].split("\n\n")
    assert intro == bank.section(first.section_id).intro
    assert progress.startswith("Before we start, question 1 of ")
    assert "; section 1 of " in progress
    assert question == first.text
    choices = [{"title": choice.label, "payload": choice.label} for choice in first.choices]
    assert choices  # the first question is a choice: its options are buttons
    assert message["buttons"] == [*choices, *REQUIRED_NAVIGATION]


async def test_ask_shows_the_earlier_answer_and_offers_to_keep_it(
    store_up: None,
    started: str,
    answered: Callable[[str, str, Any], None],
    bank: QuestionBank,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    answered("immediate_danger", "No", "no")

    await ActionAskAnswer().run(dispatcher, tracker_from("form_answer", started), domain)

    [message] = dispatcher.messages
    assert message["text"].endswith("Your answer was: No. Type a new answer, or choose 'Keep my answer'.")
    assert message["buttons"][-4:] == [{"title": "Keep my answer", "payload": "/skip"}, *REQUIRED_NAVIGATION]


async def test_a_question_asked_again_straight_after_does_not_repeat_its_section_introduction(
    store_up: None,
    started: str,
    bank: QuestionBank,
    domain: dict[str, Any],
) -> None:
    """Issue #26 item 9: the intro comes once. The previous turn asked this question with its intro and the
    reply could not be read (or was "why are you asking?"): asked again, the question comes without it."""
    first = bank.first_question()
    before = CollectingDispatcher()
    await ActionAskAnswer().run(before, tracker_from("form_answer", started), domain)
    tracker = tracker_from("form_answer", started, "he's in year 9, I think")
    tracker.events[:0] = [
        {"event": "user", "text": "/start_assessment"},
        {"event": "bot", "text": before.messages[0]["text"]},  # the question, with its intro
    ]
    tracker.events.append({"event": "bot", "text": "Please give one age in whole years."})

    again = CollectingDispatcher()
    await ActionAskAnswer().run(again, tracker, domain)

    progress, question = again.messages[0]["text"].split("\n\n")
    assert bank.section(first.section_id).intro not in again.messages[0]["text"]
    assert progress.startswith("Before we start, question 1 of ") and question == first.text
