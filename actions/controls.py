"""Interruptions inside the assessment (back, skip, help, pause, stop, start again, immediate danger).

The engine's rules route a control intent here, but the engine can misread a long answer as a control; so
each action reads the message again with bot.dialogue.reading and records it as an answer if that is what
it was. Nothing the practitioner typed is dropped because a classifier guessed wrong.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conduct import bank, carry_out, plan_for, reading_of, speak, turn_slots
from actions.store import store
from bot.dialogue.plans import Plan, unsaved_danger_guidance
from bot.domain.lifecycle import AssessmentStatus
from bot.domain.records import AssessmentRecord
from bot.store_client import StoreClientError


class _ControlAction(Action):
    action_name = ""

    def name(self) -> str:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        questions = bank()
        try:
            record = await store().start_or_resume(tracker.sender_id, questions.version)
        except StoreClientError as error:
            if self.action_name == ActionDangerInterrupt.action_name:
                for say in unsaved_danger_guidance():  # the 999 guidance comes first, saved or not
                    speak(say, dispatcher)
            dispatcher.utter_message(
                response="utter_not_linked" if error.status == 404 else "utter_store_unavailable"
            )
            return self._after_a_failure(tracker)
        plan = plan_for(reading_of(tracker, questions, record), questions, record, tracker)
        done = await carry_out(plan, tracker, dispatcher)
        slots = [
            SlotSet(name, value) for name, value in turn_slots(plan, done, questions, record, tracker).items()
        ]
        return [*slots, *self._after(plan, done, record, tracker)]

    def _after(self, plan: Plan, done: bool, record: AssessmentRecord, tracker: Tracker) -> list[EventType]:
        """Where the conversation goes once the plan is carried out."""
        if self.action_name == ActionDangerInterrupt.action_name and (
            not done or record.status != AssessmentStatus.IN_PROGRESS
        ):
            return self._after_a_failure(tracker)
        if done and plan.finish:
            return [SlotSet("answer", None), SlotSet("requested_slot", None), ActiveLoop(None)]
        if done and plan.wait_for_reply:
            # "Which did you mean?" was asked: wait for the reply with the form still open, rather than
            # follow the control's rule (which would pause, or ask the open question over the buttons).
            # The engine marked the form rejected when it handed this message to the control's rule; set
            # afresh, the form takes the reply ("Save it as my answer"), where a rejected one would leave it
            # to no rule at all, the engine's fallback, which drops the reply.
            loop = tracker.active_loop_name
            return [*([ActiveLoop(loop)] if loop else []), FollowupAction("action_listen")]
        if self.action_name in ENDS_THE_FORM:
            # The rule for pause/stop expects the form to end; when the message was really an answer (a
            # choice such as "It has dropped recently" read as "pause"), hand straight back to the form so it
            # asks the next question, instead of leaving the engine with no rule to follow.
            return [FollowupAction("assessment_form")]
        return []

    def _after_a_failure(self, tracker: Tracker) -> list[EventType]:
        """Outside the form, the danger rule goes on into the form to ask the follow-up questions. With
        nothing saved, or a submitted assessment (which is never reopened), there is nothing to ask: wait
        for the next message instead."""
        if self.action_name == ActionDangerInterrupt.action_name and not tracker.active_loop_name:
            return [FollowupAction("action_listen")]
        return []


ENDS_THE_FORM = frozenset({"action_pause_assessment", "action_stop_assessment"})


class ActionGoBack(_ControlAction):
    action_name = "action_go_back"


class ActionSkipQuestion(_ControlAction):
    action_name = "action_skip_question"


class ActionExplainQuestion(_ControlAction):
    action_name = "action_explain_question"


class ActionPauseAssessment(_ControlAction):
    action_name = "action_pause_assessment"


class ActionStopAssessment(_ControlAction):
    action_name = "action_stop_assessment"


class ActionStartAgain(_ControlAction):
    action_name = "action_start_again"


class ActionDangerInterrupt(_ControlAction):
    action_name = "action_danger_interrupt"


class ActionReadUnplacedMessage(_ControlAction):
    """A message the classifier could not place (`nlu_fallback`) while a question is open, when the form
    did not take it: our reading decides what it is (an answer stored verbatim, a control-like message asked
    about at free text, a reply the question cannot read), never the engine's "I didn't follow that", which
    would drop it. The rule in data/stories/rules.yml sends it here; outside the form the engine's fallback
    stays."""

    action_name = "action_read_unplaced_message"
