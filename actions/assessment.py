"""The assessment form: start or resume, ask the bank's current question, read each reply.

One form with one slot serves every question in the bank: the question to ask comes from the store's
position, not from the domain, so the bank can grow or change with no domain edit and no retraining.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import turn_records
from actions.conduct import bank, carry_out, load_record, plan_for, reading_of, speak
from actions.store import store
from bot.dialogue.plans import ask, resume_point
from bot.questions import QuestionBank
from bot.store_client import StoreClientError

FINISHED = "__finished__"  # fills the form's slot so that Rasa ends the form


class ActionStartAssessment(Action):
    def name(self) -> str:
        return "action_start_assessment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        questions = bank()
        try:
            record = await load_record(tracker, questions)
        except StoreClientError as error:
            unlinked = error.status == 404
            dispatcher.utter_message(response="utter_not_linked" if unlinked else "utter_store_unavailable")
            return [SlotSet("answer", FINISHED)]
        if record.answers:
            dispatcher.utter_message(text=f"Carrying on from {resume_point(questions, record)}.")
        return [SlotSet("answer", None)]


class ActionAskAnswer(Action):
    def name(self) -> str:
        return "action_ask_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        questions = bank()
        record = turn_records.take(tracker)  # saved a moment ago by this message's validation
        if record is None:
            try:
                record = await store().get_assessment(tracker.sender_id)
            except StoreClientError:
                dispatcher.utter_message(response="utter_store_unavailable")
                return []
        speak(ask(questions, record, intros_said=intros_said(tracker, questions)), dispatcher)
        return []


def intros_said(tracker: Tracker, questions: QuestionBank) -> set[str]:
    """The section introductions the bot's previous turn showed (the messages between the practitioner's
    last two messages): a question asked again straight after (a reply it could not read, "why are you
    asking?") does not repeat its introduction. One asked anew after anything else (start again, the danger
    questions, a resumed session) shows it, as on first reaching the section. From the engine's own record."""
    said: list[str] = []
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                break
        elif users == 1 and event.get("event") == "bot" and event.get("text"):
            said.append(event["text"])
    return {s.intro for s in questions.sections if s.intro and any(s.intro in text for text in said)}


class ValidateAssessmentForm(FormValidationAction):
    def name(self) -> str:
        return "validate_assessment_form"

    async def validate_answer(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        questions = bank()
        try:
            record = await store().get_assessment(tracker.sender_id)
        except StoreClientError:
            dispatcher.utter_message(response="utter_store_unavailable")
            return {"answer": None}
        plan = plan_for(reading_of(tracker, questions, record), questions, record, tracker)
        done = await carry_out(plan, tracker, dispatcher)
        return {"answer": FINISHED if done and plan.finish else None}


class ActionAssessmentFormDone(Action):
    """Runs when the form ends (submitted, paused or stopped); its messages were said by the plan."""

    def name(self) -> str:
        return "action_assessment_form_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return [SlotSet("answer", None)]
