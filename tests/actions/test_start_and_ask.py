"""Starting (or resuming) an assessment, and asking the bank's current question."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.assessment import FINISHED, ActionAskAnswer, ActionStartAssessment, ValidateAssessmentForm
from bot.questions import QuestionBank
from bot.store.services import Store
from tests import builders
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
    builders.move(service, started, "discussed_with_lead")

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
    """Issue #26 item 9: the intro comes once. A reply the question cannot read changes nothing, so the
    question asked straight after it (same message) comes without its section's introduction; the next
    message's question, asked afresh, is not affected."""
    first = bank.first_question()
    intro = bank.section(first.section_id).intro
    unreadable = tracker_from("form_answer", started, "banana", intent="inform")
    unreadable.latest_message["message_id"] = "m-unreadable"
    refused = CollectingDispatcher()
    await ValidateAssessmentForm().run(refused, unreadable, domain)
    assert refused.messages  # the question could not read it, and said so

    again = CollectingDispatcher()
    await ActionAskAnswer().run(again, unreadable, domain)

    progress, question = again.messages[0]["text"].split("\n\n")
    assert intro not in again.messages[0]["text"]
    assert progress.startswith("Before we start, question 1 of ") and question == first.text
    fresh = tracker_from("form_answer", started)
    fresh.latest_message["message_id"] = "m-next"
    afresh = CollectingDispatcher()
    await ActionAskAnswer().run(afresh, fresh, domain)
    assert intro in afresh.messages[0]["text"]  # still due: nothing in the section is answered yet
