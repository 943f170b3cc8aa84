"""Carry out a Plan from bot.dialogue: record first, then move, then speak.

Ordering is the guarantee: an answer is in the store before the bot says anything that depends on it, so a
crash of this process or the engine between the two loses nothing; the next message resumes from the store.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import turn_records
from actions.store import store
from bot.dialogue import another_way, clarify
from bot.dialogue.clarify import Ranking, ask_which, asked_text, kept_answer
from bot.dialogue.plans import (
    Plan,
    Say,
    as_told,
    plan_answer,
    plan_control,
    plan_danger,
    position,
    read_reply,
    unsaved_danger_guidance,
)
from bot.dialogue.reading import Reading
from bot.dialogue.turn import turn_in
from bot.domain.limits import MAX_ANSWER_CHARS
from bot.domain.positions import AtQuestion
from bot.domain.protocol import DANGER_OPINION, TYPED_TEXT
from bot.domain.records import AssessmentRecord
from bot.questions import BankProvider, QuestionBank
from bot.store_client import StoreClientError

log = logging.getLogger(__name__)
LONDON = ZoneInfo("Europe/London")


def conversation_date(tracker: Tracker) -> date:
    """Dates such as "last Tuesday" are read against the day the practitioner wrote the message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user" and event.get("timestamp"):
            return datetime.fromtimestamp(event["timestamp"], UTC).astimezone(LONDON).date()
    return datetime.now(LONDON).date()


def latest_text(tracker: Tracker) -> str:
    """The message exactly as typed. The engine strips surrounding white space from every message, so our
    gateway also sends the untouched text as metadata; it is used only if it is the same message."""
    text = tracker.latest_message.get("text") or ""
    typed = (tracker.latest_message.get("metadata") or {}).get(TYPED_TEXT)
    if isinstance(typed, str) and typed.strip() == text:
        return typed
    return text


def ranking_of(parse_data: dict[str, Any]) -> Ranking:
    """The classifier's intents, best first, from the engine's parse of a message (`intent_ranking`)."""
    ranked = parse_data.get("intent_ranking") or []
    return tuple(
        (str(entry["name"]), float(entry.get("confidence") or 0.0))
        for entry in ranked
        if isinstance(entry, dict) and entry.get("name")
    )


def message_before(tracker: Tracker) -> tuple[str | None, str | None, float, Ranking]:
    """The practitioner's message before this one, exactly as typed, with what the classifier made of it: the
    engine's record keeps it (engine/extensions/checkpoint_store.py keeps the last user message)."""
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        users += 1
        if users == 2:
            text = event.get("text") or ""
            typed = (event.get("metadata") or {}).get(TYPED_TEXT)
            parse_data = event.get("parse_data") or {}
            intent = parse_data.get("intent") or {}
            exact = typed if isinstance(typed, str) and typed.strip() == text else text
            confidence = float(intent.get("confidence") or 0.0)
            return exact or None, intent.get("name"), confidence, ranking_of(parse_data)
    return None, None, 0.0, ()


def danger_opinion_of(parse_data: dict[str, Any]) -> float | None:
    """The engine's second opinion on danger (engine/extensions/danger_second_opinion.py), if the parse has
    one: a button's payload is not parsed, and a model trained without the component gives none."""
    opinion = parse_data.get(DANGER_OPINION)
    if isinstance(opinion, bool) or not isinstance(opinion, int | float):
        return None
    return float(opinion)


def reading_of(tracker: Tracker, bank: QuestionBank, record: AssessmentRecord) -> Reading:
    intent = tracker.latest_message.get("intent") or {}
    return read_reply(
        bank,
        record,
        latest_text(tracker),
        intent.get("name"),
        float(intent.get("confidence") or 0.0),
        today=conversation_date(tracker),
        ranking=ranking_of(tracker.latest_message),
        danger_opinion=danger_opinion_of(tracker.latest_message),
    )


async def load_record(tracker: Tracker, bank: QuestionBank) -> AssessmentRecord:
    return await store().start_or_resume(tracker.sender_id, bank.version)


def plan_for(reading: Reading, bank: QuestionBank, record: AssessmentRecord, tracker: Tracker) -> Plan:
    text = latest_text(tracker)
    today = conversation_date(tracker)
    if reading.kind == "too_long":
        return Plan(
            say=(
                Say(
                    response="utter_too_long",
                    values={"length": f"{len(text):,}", "limit": f"{MAX_ANSWER_CHARS:,}"},
                ),
            )
        )
    if reading.kind == "empty":
        return Plan(say=(Say(response="utter_empty"),))
    if reading.kind == "payload_refused":
        return Plan(say=(Say(response="utter_payload_refused"),))
    if reading.kind == "danger":
        return plan_danger(bank, record, text, today=today)
    if reading.kind == "clarify" and reading.control:
        return ask_which(reading.control, text)
    if reading.kind == "control" and reading.control == "keep_typed":
        return plan_keep(bank, record, tracker, today)
    if reading.kind == "control" and reading.control:
        return plan_control(bank, record, reading.control)
    return plan_answer(bank, record, text, today=today, misfits=tracker.get_slot(another_way.SLOT))


def plan_keep(bank: QuestionBank, record: AssessmentRecord, tracker: Tracker, today: date) -> Plan:
    """The "Save it as my answer" button: the words the bot asked about, verbatim from the slot the asking
    action set; for a conversation without it, the message before worked out again (clarify.kept_answer).
    With nothing to keep, say so: nothing is stored and the open question comes again."""
    earlier = asked_text(bank, record, tracker.get_slot(clarify.SLOT))
    if earlier is None:
        earlier = kept_answer(bank, record, *message_before(tracker))
    if earlier is None:
        return Plan(say=(Say(text=clarify.NOTHING_TO_KEEP),))
    return plan_answer(bank, record, earlier, today=today)


def turn_slots(
    plan: Plan, done: bool, bank: QuestionBank, record: AssessmentRecord, tracker: Tracker
) -> dict[str, Any]:
    """The engine slots this message leaves behind: the misfit count (another_way) and what "which did you
    mean?" asked about (clarify), both about the question open when the message was read (`record`'s)."""
    here = position(bank, record)
    question_id = here.question_id if isinstance(here, AtQuestion) else None
    asked = clarify.slot_after(tracker.get_slot(clarify.SLOT), question_id, plan, done=done)
    return {**misfit_slots(plan, done, bank, record, tracker), **asked}


def misfit_slots(
    plan: Plan, done: bool, bank: QuestionBank, record: AssessmentRecord, tracker: Tracker
) -> dict[str, Any]:
    """The engine slot that counts replies in a row the open question could not read, after this plan
    (bot.dialogue.another_way): `record` is the one the plan was made from, so its position is the question
    the reply was read against."""
    here = position(bank, record)
    return another_way.slot_after(
        tracker.get_slot(another_way.SLOT),
        here.question_id if isinstance(here, AtQuestion) else None,
        misfit=plan.misfit,
        changed=done and turn_in(plan, danger_reports=record.danger_reports) is not None,
    )


async def carry_out(
    plan: Plan, record: AssessmentRecord, tracker: Tracker, dispatcher: CollectingDispatcher
) -> bool:
    """Apply the plan to the store in one call (one transaction), then say its messages. Returns False
    (and says so) if the store failed. Usually nothing moved then, and the practitioner is asked to send the
    message again; but when the store could not tell whether the turn landed (`outcome_unknown`: its
    connection was cut after the database may have committed it, and the database stayed out of reach),
    the position may have moved, so they are asked to check before sending it again, never told that
    nothing moved."""
    turn = turn_in(plan, danger_reports=record.danger_reports)
    turn_records.forget(tracker)
    if turn is None and plan.say:
        # Said something and changed nothing (a refusal, "why we ask", "which did you mean?"): the open
        # question comes again after it. A plan that says nothing (a "resume" while already in the
        # assessment) only asks the question, which then comes as on reaching it.
        turn_records.note_unchanged(tracker, waiting=plan.wait_for_reply)
    if turn is not None:
        try:
            record = await store().apply_turn(tracker.sender_id, turn)
        except StoreClientError as error:
            log.warning("store refused or unavailable for %s: %s", tracker.sender_id, error)
            if plan.urgent_message is not None:
                for (
                    say
                ) in unsaved_danger_guidance():  # the 999 guidance must reach them even if saving failed
                    speak(say, dispatcher)
            unknown = error.outcome_unknown
            dispatcher.utter_message(
                response="utter_store_outcome_unknown" if unknown else "utter_store_unavailable"
            )
            turn_records.note_unsaved(tracker)
            return False
        turn_records.keep(tracker, record)
        says = as_told(plan.say, record) if plan.urgent_message or plan.urgent_check else plan.say
    else:
        says = plan.say
    for say in says:
        speak(say, dispatcher)
    return True


def speak(say: Say, dispatcher: CollectingDispatcher) -> None:
    buttons = [{"title": b.title, "payload": b.payload} for b in say.buttons]
    if say.response:
        dispatcher.utter_message(response=say.response, buttons=buttons or None, **dict(say.values))
    else:
        dispatcher.utter_message(text=say.text, buttons=buttons or None)


# The action server's one provider (bot.questions.provider), of the same folder as the app's (BOT_BANK_PATH):
# loaded when the actions are, and reloaded with the app's when the files change.
BANKS = BankProvider.from_env()


def bank() -> QuestionBank:
    """The current bank: one call per action, so one action never mixes two versions."""
    return BANKS.current()
