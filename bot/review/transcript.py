"""The conversation as the engine recorded it, and which turn produced each stored answer.

The transcript is read from the engine's own event stream (its SQL tracker store: a SQLite file, or PostgreSQL
in scaled mode, opened through bot.tracker.database) rather than from our display log, so a reviewer sees what
the engine actually received. `read_transcript` is the only place that knows which events make a transcript.
The database is opened read-only, so a review can never alter the engine's record; a missing or unreadable
one gives an empty transcript with a note saying why, never an error page.

Issue #31: the engine seals each event's data with the tracker keys (engine/extensions/tracker_seal.py); they
are derived from the data key ring this process already uses (bot.crypto.tracker_keys), so the transcript
opens them with no key of its own. Rows written before sealing are plain JSON and are read as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.crypto.key_ring import PREFIX, KeyRingError
from bot.crypto.tracker_keys import EVENTS_TABLE, tracker_key_ring
from bot.domain.protocol import TYPED_TEXT
from bot.domain.records import AnswerRecord
from bot.store.encrypted_text import key_ring_in_use
from bot.tracker.database import TrackerDatabase

NO_TRACKER = "The engine's record of this conversation could not be found, so no transcript can be shown."
UNREADABLE = "The engine's record of this conversation could not be read, so no transcript can be shown."
NO_TURNS = "The engine holds no messages for this conversation."
# The action server stores an answer just after the engine logs the message; allow for clock rounding.
LINK_SLACK = timedelta(seconds=2)


@dataclass(frozen=True)
class Turn:
    number: int
    speaker: str  # "user" or "bot"
    text: str  # for the user: verbatim as typed when the engine kept it, else what the engine received
    buttons: tuple[dict[str, str], ...]
    at: datetime
    answers: tuple[str, ...] = ()  # question ids of the stored answers this turn produced

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "speaker": self.speaker,
            "text": self.text,
            "buttons": [dict(b) for b in self.buttons],
            "at": self.at.isoformat(),
            "answers": list(self.answers),
        }


@dataclass(frozen=True)
class Transcript:
    turns: tuple[Turn, ...] = ()
    note: str | None = None  # why the transcript is empty, when it is
    links: dict[str, int] = field(default_factory=dict)  # question id -> turn number

    def to_json(self) -> dict[str, Any]:
        return {"note": self.note, "turns": [turn.to_json() for turn in self.turns]}


def read_transcript(tracker_db: TrackerDatabase | Path | None, sender_id: str) -> Transcript:
    """Every user and bot message of one conversation, oldest first, numbered from 1."""
    tracker = TrackerDatabase.of(tracker_db)
    if tracker is None or not tracker.present():
        return Transcript(note=NO_TRACKER)
    try:
        with tracker.reading() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT type_name, timestamp, data FROM events"
                    " WHERE sender_id = :sender AND type_name IN ('user', 'bot') ORDER BY timestamp, id"
                ),
                {"sender": sender_id},
            ).all()
    except sa.exc.SQLAlchemyError:
        return Transcript(note=UNREADABLE)
    try:
        opened = [(type_name, timestamp, _opened(data, sender_id)) for type_name, timestamp, data in rows]
    except KeyRingError:
        return Transcript(note=UNREADABLE)  # a tracker key missing from the ring, or a row changed
    turns = []
    for type_name, timestamp, data in opened:
        turn = _turn(len(turns) + 1, type_name, timestamp, data)
        if turn is not None:
            turns.append(turn)
    return Transcript(tuple(turns), None if turns else NO_TURNS)


def link_answers(transcript: Transcript, answers: Iterable[AnswerRecord]) -> Transcript:
    """Mark, for each answer, the user turn that gave it: one whose text is the answer's text (typed answers)
    or the label of the button pressed (button answers), at or before it was stored.

    Answers are taken in the order they were stored, and each claims a turn after the one the answer before
    it claimed: two identical answers in a row ("Not sure", "Not sure") link to their own turns, never both
    to the later one (issue #26 item 9)."""
    links: dict[str, int] = {}
    claimed = 0
    for answer in sorted(answers, key=lambda a: a.recorded_at):
        turn = _producing_turn(transcript.turns, answer, after=claimed)
        if turn is not None:
            links[answer.question_id] = turn
            claimed = turn
    by_turn: dict[int, list[str]] = {}
    for question_id, number in links.items():
        by_turn.setdefault(number, []).append(question_id)
    turns = tuple(
        Turn(t.number, t.speaker, t.text, t.buttons, t.at, tuple(by_turn.get(t.number, ())))
        for t in transcript.turns
    )
    return Transcript(turns, transcript.note, links)


def _producing_turn(turns: tuple[Turn, ...], answer: AnswerRecord, *, after: int) -> int | None:
    """The last matching turn after turn `after` logged before the answer was stored; failing that (clocks a
    little apart), the first one within LINK_SLACK after it."""
    before: int | None = None
    within_slack: int | None = None
    offered: dict[str, str] = {}  # payload -> title of the buttons last shown
    for turn in turns:
        if turn.at > answer.recorded_at + LINK_SLACK:
            break
        if turn.speaker == "bot":
            if turn.buttons:
                offered = {b["payload"]: b["title"] for b in turn.buttons}
            continue
        if turn.number <= after or answer.text not in {turn.text, offered.get(turn.text)}:
            continue
        if turn.at <= answer.recorded_at:
            before = turn.number
        elif within_slack is None:
            within_slack = turn.number
    return before if before is not None else within_slack


def _opened(data: str | None, sender_id: str) -> str | None:
    if data is None or not data.startswith(PREFIX):
        return data  # written before the engine sealed its events
    return tracker_key_ring(key_ring_in_use()).open(data, EVENTS_TABLE, sender_id)


def _turn(number: int, type_name: str, timestamp: float, data: str | None) -> Turn | None:
    try:
        event = json.loads(data or "{}")
    except ValueError:
        return None
    if not isinstance(event, dict):
        return None
    at = datetime.fromtimestamp(float(timestamp), tz=UTC)
    text = event.get("text")
    text = text if isinstance(text, str) else ""
    if type_name == "user":
        metadata = event.get("metadata")
        typed = metadata.get(TYPED_TEXT) if isinstance(metadata, dict) else None
        # The engine strips what it receives; the gateway sends the untouched text alongside. Use it only
        # when it is the same message, so a stray metadata value can never replace what was said.
        if isinstance(typed, str) and typed.strip() == text.strip():
            text = typed
        return Turn(number, "user", text, (), at)
    extra = event.get("data")
    raw_buttons = extra.get("buttons") if isinstance(extra, dict) else None
    buttons = tuple(
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in raw_buttons or ()
        if isinstance(b, dict)
    )
    return Turn(number, "bot", text, buttons, at)
