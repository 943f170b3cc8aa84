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
from actions.conduct import bank, carry_out, load_record, plan_for, reading_of, speak, turn_slots
from actions.store import store
from bot.dialogue.plans import ask, resume_point
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
            dispatcher.utter_message(
                response="utter_not_linked" if unlinked else "utter_store_unavailable_at_start"
            )
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
        if turn_records.take_waiting(tracker):
            turn_records.take_unchanged(tracker)
            return []  # the bot has just asked something of its own; the reply comes first
        record = turn_records.take(tracker)  # saved a moment ago by this message's validation
        if record is None:
            try:
                record = await store().get_assessment(tracker.sender_id)
            except StoreClientError:
                dispatcher.utter_message(response="utter_store_unavailable")
                return []
        # Nothing changed by this message (a reply it could not read, "why are you asking?"): the same
        # question again, without its section's introduction.
        again = turn_records.take_unchanged(tracker)
        speak(ask(questions, record, again=again), dispatcher)
        return []


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
            turn_records.note_unsaved(tracker)
            return {"answer": None}
        plan = plan_for(reading_of(tracker, questions, record), questions, record, tracker)
        done = await carry_out(plan, record, tracker, dispatcher)
        slots = turn_slots(plan, done, questions, record, tracker)
        return {"answer": FINISHED if done and plan.finish else None, **slots}


class ActionAssessmentFormDone(Action):
    """Runs when the form ends (submitted, paused or stopped); its messages were said by the plan."""

    def name(self) -> str:
        return "action_assessment_form_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return [SlotSet("answer", None)]
