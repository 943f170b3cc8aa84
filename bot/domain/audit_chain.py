"""The audit trail's hash chain: how one event is hashed, and how a stored trail is checked (issue #31).

Each event carries the hash of the one before it and its own hash, SHA-256 over the previous hash and a
canonical serialisation of the event's fields. Changing a stored event breaks its own hash; deleting one
breaks the link of the next; moving one breaks the links around it. Pure Python, so the store (which
writes the chain) and `bot audit verify` (which checks it) cannot disagree about the format: the format is
part of the stored data, so it never changes without a migration that re-chains the trail.

The event's row id is deliberately not hashed: PostgreSQL's sequence leaves gaps when a transaction rolls
back, and the id is only known after the insert, which must already carry the hash. Order is held by the
links instead, and `find_break` walks the rows in id order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of the first event of a store
HASHED_FIELDS = (
    "at",
    "actor_kind",
    "actor_id",
    "action",
    "conversation_id",
    "assessment_id",
    "user_id",
    "detail",
)


def canonical(fields: Mapping[str, Any]) -> bytes:
    """One byte string per event whatever the backend: sorted keys, no spaces, UTC time to the microsecond.

    `detail` goes through a JSON round trip first, as the database's JSON column does, so a tuple written
    and the list read back serialise alike."""
    at: datetime = fields["at"]
    if at.tzinfo is None:
        raise ValueError("naive datetime in an audit event; the store only holds aware UTC times")
    values = {name: fields[name] for name in HASHED_FIELDS}
    values["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    values["detail"] = json.loads(json.dumps(fields["detail"]))
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def event_hash(previous: str, fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(previous.encode("ascii") + b"\n" + canonical(fields)).hexdigest()


@dataclass(frozen=True)
class ChainedEvent:
    """One stored event as `find_break` reads it: its id, its hashed fields and the two hashes."""

    id: int
    fields: Mapping[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainBreak:
    """The first place the trail is not what was written: the event and what is wrong with it."""

    event_id: int
    problem: str

    def __str__(self) -> str:
        return f"event {self.event_id}: {self.problem}"


@dataclass(frozen=True)
class ChainSummary:
    events: int
    last_id: int | None
    head: str  # the last event's hash (GENESIS for an empty trail): note it elsewhere to detect truncation


def find_break(
    events: Iterable[ChainedEvent], written_after: Callable[[str], int | None]
) -> ChainBreak | ChainSummary:
    """Walk the events in id order; the first break, or a summary when the chain is whole.

    A link that points at the wrong event is told apart with `written_after(hash)`, the id of the stored
    event with that hash, if any: an event whose `prev_hash` names another stored event was moved
    (reordered); one whose `prev_hash` names none lost its predecessor (deleted). The walk itself holds one
    event at a time, so a long trail is checked in constant memory."""
    previous, previous_id, count = GENESIS, None, 0
    for event in events:
        if event_hash(event.prev_hash, event.fields) != event.hash:
            return ChainBreak(event.id, "changed: its contents no longer match its hash")
        if event.prev_hash != previous:
            stored_after = f"event {previous_id}" if previous_id is not None else "the start of the trail"
            if event.prev_hash == GENESIS:
                return ChainBreak(
                    event.id, f"reordered: it was written first, but is stored after {stored_after}"
                )
            follows = written_after(event.prev_hash)
            if follows is not None:
                return ChainBreak(
                    event.id,
                    f"reordered: it was written after event {follows}, but is stored after {stored_after}",
                )
            return ChainBreak(
                event.id, f"an event before it was deleted (it no longer follows {stored_after})"
            )
        previous, previous_id, count = event.hash, event.id, count + 1
    return ChainSummary(count, previous_id, previous)
