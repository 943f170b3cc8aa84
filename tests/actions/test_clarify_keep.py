"""The "Save it as my answer" button stores the words asked about (issue #11), through the action server and
the real store over HTTP: the action that asks sets the engine's `asked_about` slot with the text exactly as
typed, and the save stores that text without working out again whether it would have been asked about (the
engine's record may not keep what the decision was made on, such as the classifier's second guess)."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.assessment import ValidateAssessmentForm
from bot.dialogue.clarify import ASKED, KEEP_LABEL, NOTHING_TO_KEEP, SLOT
from bot.store.services import Store
from tests import builders
from tests.actions.test_danger import record_of
from tests.actions.trackers import said, tracker_from

# Leading spaces, an ellipsis, a double space and a line break: all stored as typed.
TYPED = "  I'll finish this off after my meeting...  ok?\n"
RANKING = [
    {"name": "nlu_fallback", "confidence": 0.3},
    {"name": "pause", "confidence": 0.27},
    {"name": "inform", "confidence": 0.2},
]


async def asked_about(service: Store, started: str, domain: dict[str, Any]) -> object:
    """Type TYPED at the free-text question, read by the classifier as "pause" only second; the slot value
    the asking action sets."""
    builders.move(service, started, "concern_summary")
    asking = CollectingDispatcher()
    first = tracker_from(
        "form_answer", started, TYPED.strip(), intent="nlu_fallback", confidence=0.3, typed_text=TYPED
    )
    first.latest_message["intent_ranking"] = RANKING

    events = await ValidateAssessmentForm().run(asking, first, domain)

    assert said(asking)[0] == f"{ASKED} pause and come back later?"
    assert record_of(service, started).answers == {}
    [value] = [e["value"] for e in events if e == SlotSet(SLOT, e["value"])]
    return value


async def test_the_save_stores_the_words_in_the_slot_verbatim(
    store_up: None, service: Store, started: str, domain: dict[str, Any]
) -> None:
    value = await asked_about(service, started, domain)
    assert value == {"question": "concern_summary", "text": TYPED}

    keep = tracker_from("form_answer", started, KEEP_LABEL, intent="affirm")
    keep.slots[SLOT] = value
    keep.events[:0] = [  # the engine's record of the message before, without the ranking the asking used
        {"event": "user", "text": TYPED.strip(), "parse_data": {"intent": {"name": "nlu_fallback"}}},
    ]
    events = await ValidateAssessmentForm().run(CollectingDispatcher(), keep, domain)

    record = record_of(service, started)
    assert record.answers["concern_summary"].text == TYPED
    assert record.current_question_id == "concern_summary__source"
    assert SlotSet(SLOT, None) in events  # used once: a later save can never store it again


async def test_the_slot_is_used_even_when_the_engine_kept_no_message_before(
    store_up: None, service: Store, started: str, domain: dict[str, Any]
) -> None:
    value = await asked_about(service, started, domain)

    keep = tracker_from("form_answer", started, KEEP_LABEL, intent="affirm")  # no earlier user event at all
    keep.slots[SLOT] = value
    await ValidateAssessmentForm().run(CollectingDispatcher(), keep, domain)

    assert record_of(service, started).answers["concern_summary"].text == TYPED


async def test_a_slot_from_another_question_falls_back_and_says_when_there_is_nothing(
    store_up: None, service: Store, started: str, domain: dict[str, Any]
) -> None:
    builders.move(service, started, "concern_summary")
    keep = tracker_from("form_answer", started, KEEP_LABEL, intent="affirm")
    keep.slots[SLOT] = {"question": "practitioner_role", "text": TYPED}
    dispatcher = CollectingDispatcher()

    await ValidateAssessmentForm().run(dispatcher, keep, domain)

    assert said(dispatcher) == [NOTHING_TO_KEEP]
    assert record_of(service, started).answers == {}
