"""A new engine session (first contact, or after 60 minutes idle) offers to carry on where they were.

Rasa carries slots over but not the active form, and the first message after expiry would otherwise meet a
bot that has forgotten the assessment. The store knows where they were, so we ask it and say so.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conduct import bank
from actions.store import store
from bot.dialogue.plans import resume_point
from bot.domain.lifecycle import AssessmentStatus
from bot.domain.protocol import Payload
from bot.store_client import StoreClientError


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        events.extend(
            SlotSet(key, value)
            for key, value in tracker.slots.items()
            if key not in {"requested_slot", "answer"} and value is not None
        )
        try:
            record = await store().get_assessment(tracker.sender_id)
        except StoreClientError:
            record = None  # a new conversation, or the store is away: nothing to offer yet
        if record is not None and record.status == AssessmentStatus.IN_PROGRESS and record.answers:
            dispatcher.utter_message(
                text=f"Welcome back. You were on {resume_point(bank(), record)}. Carry on?",
                buttons=[{"title": "Carry on where I left off", "payload": Payload.RESUME}],
            )
        events.append(ActionExecuted("action_listen"))
        return events
