"""Free text stays sacred (issue #11), through the action server and the real store over HTTP: a short,
control-like message at a free-text question is asked about and changes nothing; "Save it as my answer"
then stores that message exactly as typed (read back from the engine's record of the conversation)."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.assessment import ActionAskAnswer, ValidateAssessmentForm
from actions.controls import ActionPauseAssessment
from bot.dialogue.clarify import ASKED, KEEP_LABEL, NOTHING_TO_KEEP, SLOT
from bot.questions import QuestionBank
from bot.store.services import Store
from tests import builders
from tests.actions.test_danger import record_of
from tests.actions.trackers import said, tracker_from

TYPED = "  can I come back to this later?\n"


async def test_asked_about_then_saved_verbatim(
    store_up: None, service: Store, started: str, domain: dict[str, Any]
) -> None:
    builders.move(service, started, "concern_summary")
    asking = CollectingDispatcher()
    first = tracker_from("form_answer", started, TYPED.strip(), intent="pause", typed_text=TYPED)

    await ValidateAssessmentForm().run(asking, first, domain)

    [question] = asking.messages
    assert question["text"].startswith(ASKED)
    assert [b["title"] for b in question["buttons"]] == [KEEP_LABEL, "Pause"]
    record = record_of(service, started)
    assert (record.answers, record.current_question_id) == ({}, "concern_summary")  # nothing changed

    keep = tracker_from("form_answer", started, KEEP_LABEL, intent="affirm")
    keep.events[:0] = [  # the engine's record keeps the message before, with its reading
        {
            "event": "user",
            "text": TYPED.strip(),
            "metadata": {"typed_text": TYPED},
            "parse_data": {"intent": {"name": "pause", "confidence": 0.93}},
        },
    ]
    await ValidateAssessmentForm().run(CollectingDispatcher(), keep, domain)

    record = record_of(service, started)
    assert record.answers["concern_summary"].text == TYPED  # verbatim, as first typed
    assert record.current_question_id == "concern_summary__source"


async def test_save_after_a_message_that_was_not_asked_about_asks_for_the_answer_again(
    store_up: None, service: Store, started: str, domain: dict[str, Any], bank: QuestionBank
) -> None:
    builders.move(service, started, "concern_summary")
    dispatcher = CollectingDispatcher()

    keep = tracker_from("form_answer", started, KEEP_LABEL, intent="affirm")
    keep.events[:0] = [  # an account, not a message the bot would have asked about
        {
            "event": "user",
            "text": "He has been quiet and withdrawn since the summer and stopped seeing friends",
            "parse_data": {"intent": {"name": "stop", "confidence": 0.7}},
        },
    ]
    keep.latest_message["message_id"] = "m-keep"
    await ValidateAssessmentForm().run(dispatcher, keep, domain)

    assert said(dispatcher) == [NOTHING_TO_KEEP]  # said, never silent
    assert record_of(service, started).answers == {}
    again = CollectingDispatcher()
    await ActionAskAnswer().run(again, keep, domain)  # and the open question comes again
    [question] = again.messages
    assert question["text"].endswith(bank.question("concern_summary").text)


async def test_through_the_pause_rule_the_question_waits_for_the_reply(
    store_up: None, service: Store, started: str, domain: dict[str, Any]
) -> None:
    """The engine's pause rule routes the message to the pause action; it asks which was meant and waits,
    with the form still open: no pause, and the open question is not asked over the buttons."""
    builders.move(service, started, "concern_summary")
    tracker = tracker_from("control_message", started, TYPED.strip(), intent="pause", typed_text=TYPED)
    tracker.latest_message["message_id"] = "m-which"
    dispatcher = CollectingDispatcher()

    events = await ActionPauseAssessment().run(dispatcher, tracker, domain)

    asked = {"question": "concern_summary", "text": TYPED}  # the words asked about, as typed, for the save
    # the form set afresh, so the engine hands the reply to it rather than to its fallback
    assert events == [SlotSet(SLOT, asked), ActiveLoop("assessment_form"), FollowupAction("action_listen")]
    assert said(dispatcher)[0].startswith(ASKED)
    quiet = CollectingDispatcher()
    await ActionAskAnswer().run(quiet, tracker, domain)  # were the form to ask, it says nothing this time
    assert quiet.messages == []
    assert record_of(service, started).current_question_id == "concern_summary"


FELL_BACK = "I'll finish this off after my meeting"
RANKING = [
    {"name": "nlu_fallback", "confidence": 0.3},
    {"name": "pause", "confidence": 0.27},
    {"name": "inform", "confidence": 0.2},
]


async def test_the_engine_ranking_reaches_the_reading_and_the_save(
    store_up: None, service: Store, started: str, domain: dict[str, Any]
) -> None:
    """A message below the engine's fallback threshold, "pause" second in its `intent_ranking`: asked about,
    not stored; "Save it as my answer" then finds it by the same ranking, kept in the engine's record."""
    builders.move(service, started, "concern_summary")
    asking = CollectingDispatcher()
    first = tracker_from("form_answer", started, FELL_BACK, intent="nlu_fallback", confidence=0.3)
    first.latest_message["intent_ranking"] = RANKING

    await ValidateAssessmentForm().run(asking, first, domain)

    assert said(asking)[0] == f"{ASKED} pause and come back later?"
    assert record_of(service, started).answers == {}

    keep = tracker_from("form_answer", started, KEEP_LABEL, intent="affirm")
    keep.events[:0] = [
        {
            "event": "user",
            "text": FELL_BACK,
            "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.3}, "intent_ranking": RANKING},
        },
    ]
    await ValidateAssessmentForm().run(CollectingDispatcher(), keep, domain)

    assert record_of(service, started).answers["concern_summary"].text == FELL_BACK
