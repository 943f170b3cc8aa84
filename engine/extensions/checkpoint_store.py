"""A tracker store for the engine that keeps every event but does not replay them all on every message.

Rasa's SQL tracker store rebuilds a conversation's tracker from every event of the current session on each
message, and the engine then serialises that whole tracker to the action server twice per message. Our
assessments run to 150+ turns (over a thousand events), so each reply got slower as the conversation grew:
profiling put a third of the engine's CPU in rebuilding events alone, and the last 20 turns of an
assessment took 3.7 times as long as the first 20.

This store writes exactly what Rasa's does (the same `events` table, every event, in order: the lead's
transcript is read from it) and adds one row per conversation in `tracker_checkpoints`: a short list of
events that recreates the dialogue state at the end of the last turn (slots, the active form, the last
user message with its time, so that sessions still expire, and the final `action_listen`). A tracker is
rebuilt from that checkpoint plus the events stored after it, so its size no longer grows with the
conversation.

One difference from Rasa's own store is deliberate. Rasa decides that a session has expired from the last
user message it counts as "applied", and inside a form it does not count the messages of the form's happy
path: a practitioner answering steadily for over an hour would be sent back to a new session mid-question.
A checkpoint keeps the last user message itself, so a session expires after 60 minutes of silence.

A checkpoint is written only when replaying it gives the same state as the full tracker (compared field
by field); otherwise the previous checkpoint stays, and the tracker is rebuilt from more events. The
dialogue itself lives in our referral store, not in the engine's events, which is what makes this safe:
the engine needs the current state, not the history.

Issue #31: every event's `data` and every checkpoint is sealed with the tracker keys (tracker_seal.py, the
conversation id and table bound in), so the tracker file, its write-ahead log and a dump hold no typed word.
The columns Rasa queries (type_name, intent_name, action_name, timestamp, sender_id) stay plain; they hold
names and times only. Rows written before sealing (plain JSON) still read. Reading goes through `_retrieve`,
the SQL store's own method that every retrieval (latest session or full tracker) calls.

This runs inside the engine's Python 3.11 environment (it imports Rasa); endpoints.yml names it, and
bot.runtime puts this folder on the engine's PYTHONPATH. It subclasses Rasa's store; nothing in Rasa is
patched.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from tracker_seal import TrackerSeal, seal_from_env

logger = logging.getLogger(__name__)

CHECKPOINT_TABLE = "tracker_checkpoints"
EVENTS_TABLE = "events"  # Rasa's SQLEvent table
# How many of a tracker's events are already stored; set on every tracker this store hands out or saves.
STORED_COUNT = "_checkpoint_store_stored_events"

_metadata = sa.MetaData()
checkpoints = sa.Table(
    CHECKPOINT_TABLE,
    _metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("last_event_id", sa.Integer, nullable=False),
    sa.Column("events", sa.Text, nullable=False),
)


class CheckpointedSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store, rebuilding trackers from a verified checkpoint plus the events after it."""

    def __init__(self, *args: Any, seal: TrackerSeal | None = None, **kwargs: Any) -> None:
        # Read before Rasa connects, so that a production engine without tracker keys stops at start-up
        # (a ValueError: Rasa falls back to memory only on an import error, and bot run checks for that).
        self.seal = seal or seal_from_env(os.environ)
        if self.seal is None:
            logger.warning("BOT_TRACKER_KEYS is not set: tracker events are written in plain text")
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # Write-ahead logging: one fsync per saved turn instead of about three with SQLite's default
            # rollback journal (measured here: 2.4 ms against 12.8 ms a commit), the same durability, and
            # the lead's transcript page can read while the engine writes.
            sa.event.listen(self.engine, "connect", _write_ahead_logging)
            self.engine.dispose()  # connections made before the listener get it on reconnect
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        try:
            _metadata.create_all(self.engine)
        except sa.exc.SQLAlchemyError:
            # Scaled mode (issue #34): another engine starting at the same moment created the table between
            # our check and our CREATE; the second pass finds it.
            _metadata.create_all(self.engine)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            checkpoint = session.execute(
                sa.select(checkpoints.c.last_event_id, checkpoints.c.events).where(
                    checkpoints.c.sender_id == sender_id
                )
            ).first()
            if checkpoint is None:
                return await self._retrieve_all(sender_id)
            after = session.execute(
                sa.select(self.SQLEvent.type_name, self.SQLEvent.data)
                .where(self.SQLEvent.sender_id == sender_id, self.SQLEvent.id > checkpoint.last_event_id)
                .order_by(self.SQLEvent.id)
            ).all()
        if any(row.type_name == SessionStarted.type_name for row in after):
            # A new session began after the checkpoint (not through a turn end): Rasa's own rule for
            # which events belong to the latest session applies.
            return await self._retrieve_all(sender_id)
        events = self._load(checkpoint.events, CHECKPOINT_TABLE, sender_id)
        events += [self._load(row.data, EVENTS_TABLE, sender_id) for row in after]
        return self._tracker(sender_id, events)

    async def _retrieve_all(self, sender_id: str) -> DialogueStateTracker | None:
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            setattr(tracker, STORED_COUNT, len(tracker.events))
        return tracker

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """Rasa's rebuild from every event (of the latest session, or of all), opening each event's data."""
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            events = [self._load(row.data, EVENTS_TABLE, sender_id) for row in rows]
        if not self.domain or not events:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    def _load(self, value: str, table: str, sender_id: str) -> Any:
        return json.loads(self.seal.open(value, table, sender_id) if self.seal else value)

    def _dump(self, value: Any, table: str, sender_id: str) -> str:
        text = json.dumps(value)
        return self.seal.seal(text, table, sender_id) if self.seal else text

    def _tracker(self, sender_id: str, events: list[dict[str, Any]]) -> DialogueStateTracker | None:
        if not self.domain or not events:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        setattr(tracker, STORED_COUNT, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        stored = getattr(tracker, STORED_COUNT, None)
        with self.session_scope() as session:
            if stored is None:  # not handed out by this store (a new tracker): Rasa's own rule
                new = list(self._additional_events(session, tracker))
            else:
                new = list(tracker.events)[stored:]
            rows = [self._row(tracker.sender_id, event) for event in new]
            session.add_all(rows)
            session.flush()
            if rows:
                compact = checkpoint_events(tracker, self.domain.slots if self.domain else [])
                if compact is not None:
                    self._put_checkpoint(session, tracker.sender_id, rows[-1].id, compact)
            session.commit()
        setattr(tracker, STORED_COUNT, len(tracker.events))

    def _row(self, sender_id: str, event: Event) -> Any:
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=self._dump(data, EVENTS_TABLE, sender_id),
        )

    def _put_checkpoint(self, session: Any, sender_id: str, last_event_id: int, events: list[Event]) -> None:
        sealed = self._dump([e.as_dict() for e in events], CHECKPOINT_TABLE, sender_id)
        values = {"last_event_id": last_event_id, "events": sealed}
        updated = session.execute(
            checkpoints.update().where(checkpoints.c.sender_id == sender_id).values(**values)
        )
        if updated.rowcount == 0:
            session.execute(checkpoints.insert().values(sender_id=sender_id, **values))


def _write_ahead_logging(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def checkpoint_events(tracker: DialogueStateTracker, slots: Any) -> list[Event] | None:
    """Events that recreate `tracker`'s state at the end of a turn, or None when that is not the case or
    the replay would differ in any way the engine can observe."""
    events = list(tracker.events)
    if not events or not _is_listen(events[-1]):
        return None  # mid-turn (an action failed, or a rule ended oddly): keep the older checkpoint
    compact: list[Event] = []
    session_start = _last(events, SessionStarted)
    if session_start is not None:
        started = ActionExecuted(ACTION_SESSION_START_NAME, timestamp=session_start.timestamp)
        compact += [started, session_start]
    for name, value in tracker.current_slot_values().items():
        if value != tracker.slots[name].initial_value:
            compact.append(SlotSet(name, value, timestamp=events[-1].timestamp))
    if tracker.active_loop_name:
        compact.append(ActiveLoop(tracker.active_loop_name, timestamp=events[-1].timestamp))
    last_user = _last(events, UserUttered)
    if last_user is not None:
        compact.append(last_user)
    compact.append(events[-1])
    replayed = DialogueStateTracker.from_events(tracker.sender_id, compact, slots)
    if _observable(replayed) != _observable(tracker):
        logger.warning("tracker checkpoint for %s skipped: replay differs", tracker.sender_id)
        return None
    return compact


def _observable(tracker: DialogueStateTracker) -> dict[str, Any]:
    """The state the engine and the action server act on (the form's trigger message is never read)."""
    state = tracker.current_state()
    loop = dataclasses.asdict(tracker.active_loop) if tracker.active_loop else {}
    loop.pop("trigger_message", None)
    state["active_loop"] = loop
    state["session_started"] = tracker.get_last_event_for(SessionStarted) is not None
    return state


def _is_listen(event: Event) -> bool:
    return isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME


def _last(events: list[Event], kind: type) -> Any:
    for event in reversed(events):
        if isinstance(event, kind):
            return event
    return None
