"""The record as it stood at the end of this turn's changes, for the question asked straight after them.

Each message makes the engine call the action server twice: once to read the reply (the form's validation)
and once to ask the next question. Both need the store's record; the first already got it back from the
store when it saved the turn, so the second reuses it instead of reading it again. The entry is keyed by
conversation and by the message being handled, and used once, so a record can never outlive its turn:
the next message, a retry or another channel always reads the store afresh. The engine handles one
message per conversation at a time, so nothing else can change the record between the two calls.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TypeVar

from rasa_sdk import Tracker

from bot.domain.records import AssessmentRecord

T = TypeVar("T")

MAX_ENTRIES = 1000  # conversations mid-turn at once; far above what one action server serves

_records: OrderedDict[tuple[str, str], AssessmentRecord] = OrderedDict()
# Messages whose reading changed nothing in the store (a refusal, "why are you asking?", "which did you
# mean?"): the question asked straight after is the same one again (bot.dialogue.plans.ask `again`).
_unchanged: OrderedDict[tuple[str, str], None] = OrderedDict()
# Messages answered with a question of the bot's own (bot.dialogue.plan.Plan.wait_for_reply): nothing more
# is asked until the reply.
_waiting: OrderedDict[tuple[str, str], None] = OrderedDict()


def _key(tracker: Tracker) -> tuple[str, str] | None:
    message_id = tracker.latest_message.get("message_id")
    return (tracker.sender_id, message_id) if message_id else None


def _put(table: OrderedDict[tuple[str, str], T], tracker: Tracker, value: T) -> None:
    """Note `value` for this message in `table`, newest last, keeping at most MAX_ENTRIES."""
    key = _key(tracker)
    if key is None:
        return
    table[key] = value
    table.move_to_end(key)
    while len(table) > MAX_ENTRIES:
        table.popitem(last=False)


def _taken(table: OrderedDict[tuple[str, str], object], tracker: Tracker) -> bool:
    """Whether this message was noted in `table`, once."""
    key = _key(tracker)
    return key is not None and table.pop(key, 0) is None


def keep(tracker: Tracker, record: AssessmentRecord) -> None:
    _put(_records, tracker, record)


def take(tracker: Tracker) -> AssessmentRecord | None:
    """The record kept for this message, once; None if there is none (then read the store)."""
    key = _key(tracker)
    return _records.pop(key, None) if key is not None else None


def forget(tracker: Tracker) -> None:
    key = _key(tracker)
    if key is not None:
        _records.pop(key, None)


def note_unchanged(tracker: Tracker, *, waiting: bool = False) -> None:
    _put(_unchanged, tracker, None)
    if waiting:
        _put(_waiting, tracker, None)


def take_unchanged(tracker: Tracker) -> bool:
    """Whether this message changed nothing (so the question is asked again), once."""
    return _taken(_unchanged, tracker)


def take_waiting(tracker: Tracker) -> bool:
    """Whether this message was answered with a question of the bot's own (ask nothing more), once."""
    return _taken(_waiting, tracker)


def note_unsaved(tracker: Tracker) -> None:
    """The store could not be reached for this message, and the practitioner was told that nothing moved on
    (or that it cannot be told whether it did): the question is not asked straight after (it would mean a
    second wait for the same store); it comes again with their next message."""
    _put(_waiting, tracker, None)
