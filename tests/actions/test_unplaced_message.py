"""A message the classifier could not place (`nlu_fallback`) while a question is open, handed to our action by
the rule in data/stories/rules.yml when the form did not take it (issue #11): our reading decides, so it is
stored verbatim at free text, asked about when short and control-like, and refused with the options at a
choice question. Nothing typed is dropped to the engine's "I didn't follow that"."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import ActiveLoop, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.controls import ActionReadUnplacedMessage
from bot.dialogue.clarify import ASKED, KEEP_LABEL
from bot.store.services import Store
from tests.actions.trackers import said, tracker_from

# The classifier's ranking for "let me get back to this one" on the trained model: go_back first but too close
# to resume, so the FallbackClassifier put nlu_fallback on top.
RANKING = [
    {"name": "nlu_fallback", "confidence": 0.3},
    {"name": "go_back", "confidence": 0.4},
    {"name": "resume", "confidence": 0.31},
]


def unplaced(started: str, text: str, ranking: list[dict[str, Any]] | None = None):
    tracker = tracker_from(
        "control_message", started, text, intent="nlu_fallback", confidence=0.3, typed_text=text
    )
    if ranking is not None:
        tracker.latest_message["intent_ranking"] = ranking
    return tracker


async def test_an_unplaced_answer_at_free_text_is_stored_verbatim(
    store_up: None, service: Store, started: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    service.assessments.set_position(started, "household")

    events = await ActionReadUnplacedMessage().run(dispatcher, unplaced(started, "grandmother"), domain)

    assert events == []  # the rule goes on into the form, which asks the next question
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    answer = record.answers["household"]
    assert (answer.revision, answer.status, answer.text) == (1, "answered", "grandmother")
    assert record.current_question_id != "household"


async def test_a_control_like_message_at_free_text_is_asked_about(
    store_up: None, service: Store, started: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    service.assessments.set_position(started, "household")
    text = "let me get back to this one"

    events = await ActionReadUnplacedMessage().run(dispatcher, unplaced(started, text, RANKING), domain)

    [asked] = said(dispatcher)
    assert asked.startswith(ASKED)
    assert KEEP_LABEL in [b["title"] for b in dispatcher.messages[0]["buttons"]]
    # The form stays open for the reply to "which did you mean?", rather than the rule asking over it.
    assert ActiveLoop("assessment_form") in events and FollowupAction("action_listen") in events
    assert service.assessments.export(conversation_id=started)["answers"] == []


async def test_an_unplaced_message_at_a_choice_question_gets_the_options(
    store_up: None, service: Store, started: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    service.assessments.set_position(started, "relationship_to_young_person")

    await ActionReadUnplacedMessage().run(dispatcher, unplaced(started, "asdfgh"), domain)

    assert any("couldn't match" in text for text in said(dispatcher)), said(dispatcher)
    assert service.assessments.export(conversation_id=started)["answers"] == []
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None and record.current_question_id == "relationship_to_young_person"
