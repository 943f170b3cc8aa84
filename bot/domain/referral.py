"""The referral's life as a state machine: its states, the moves between them, and what each move allows.

Why a machine rather than strings: the service, the case page's buttons and the conflict messages all need
the same answer to "can this be done now?", and the answer used to be restated in each. `move` is the only
way to a new status; `allows` is what the page asks before it offers a button.

    submitted --open--> in_review --decide--> decided --close--> closed
      ^   |                 ^  |                 |  |               |
      |   |                 |  +------reopen-----+--|---reopen------+
      |   +----ask_full-----|--+                    |
      |                     v                       |
      +--full_submitted-- awaiting_full <-ask_full--+

A screening-only case (a Request for Support) can be sent back for the full assessment (issue #12):
`ask_full` waits for the practitioner, and their full submission (`full_submitted`, made by the store when
they submit) puts it back in the queue as `submitted`. A lead may ask before deciding, or after: a lead who
must act today (a referral to children's social care) decides on the screening, then asks. The decision and
its documents stay on the case; when the full assessment comes in the lead may record a new one, and the
earlier decision stays, shown as made on the screening only. `ask_full` is a screening-only move: `allows`
and `move` refuse it unless told the case is a Request for Support, so a full assessment is never sent back.

A referral is made (as `submitted`) when a reviewer first opens a submitted assessment, and opened at once.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ReferralStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    DECIDED = "decided"
    CLOSED = "closed"
    # The lead asked for the full assessment; the practitioner carries on in the same record (issue #12).
    AWAITING_FULL = "awaiting_full"


class Move(enum.StrEnum):
    OPEN = "open"
    DECIDE = "decide"
    CLOSE = "close"
    REOPEN = "reopen"
    ASK_FULL = "ask_full"
    FULL_SUBMITTED = "full_submitted"


STATUS_LABELS: dict[ReferralStatus, str] = {
    ReferralStatus.SUBMITTED: "Submitted",
    ReferralStatus.IN_REVIEW: "In review",
    ReferralStatus.DECIDED: "Decided",
    ReferralStatus.CLOSED: "Closed",
    ReferralStatus.AWAITING_FULL: "Waiting for the practitioner's full assessment",
}

_MOVES: dict[Move, tuple[frozenset[ReferralStatus], ReferralStatus]] = {
    Move.OPEN: (frozenset({ReferralStatus.SUBMITTED}), ReferralStatus.IN_REVIEW),
    Move.DECIDE: (frozenset({ReferralStatus.IN_REVIEW}), ReferralStatus.DECIDED),
    Move.CLOSE: (frozenset({ReferralStatus.DECIDED}), ReferralStatus.CLOSED),
    Move.REOPEN: (frozenset({ReferralStatus.DECIDED, ReferralStatus.CLOSED}), ReferralStatus.IN_REVIEW),
    Move.ASK_FULL: (
        frozenset({ReferralStatus.SUBMITTED, ReferralStatus.IN_REVIEW, ReferralStatus.DECIDED}),
        ReferralStatus.AWAITING_FULL,
    ),
    Move.FULL_SUBMITTED: (frozenset({ReferralStatus.AWAITING_FULL}), ReferralStatus.SUBMITTED),
}
# Moves only a screening-only case (a Request for Support) may make: a full assessment is never sent back.
_SCREENING_ONLY = frozenset({Move.ASK_FULL})
NOT_A_REQUEST_FOR_SUPPORT = (
    "Only a Request for Support (screening only) can be sent back for the full assessment. "
    "Nothing was changed."
)
# Evidence tags and urgent responses change a case without moving it; closed is read-only until reopened.
_READ_ONLY = frozenset({ReferralStatus.CLOSED})


@dataclass(frozen=True)
class MoveRefused(Exception):
    """A move the referral's current status does not allow; `message` is for the person who tried."""

    status: ReferralStatus
    move: Move
    screening_only: bool = True  # False when refused because the case is a full assessment

    @property
    def message(self) -> str:
        if not self.screening_only and self.move in _SCREENING_ONLY:
            return NOT_A_REQUEST_FOR_SUPPORT
        if self.move is Move.DECIDE:
            reopen = "Reopen it, with a reason, to record a new decision."
            return f"This case is {label(self.status).lower()}. {reopen}"
        return f"This case is {label(self.status).lower()}; that cannot be done now."


def label(status: str | ReferralStatus) -> str:
    return STATUS_LABELS[ReferralStatus(status)]


def allows(status: str | ReferralStatus, move: Move, *, screening_only: bool = False) -> bool:
    """Whether `move` may be made now; `screening_only` says the case is a Request for Support."""
    sources, _target = _MOVES[move]
    return ReferralStatus(status) in sources and (screening_only or move not in _SCREENING_ONLY)


def move(status: str | ReferralStatus, move_: Move, *, screening_only: bool = False) -> ReferralStatus:
    """The status after `move_`, or MoveRefused if the current status (or a full case) does not allow it."""
    current = ReferralStatus(status)
    sources, target = _MOVES[move_]
    if move_ in _SCREENING_ONLY and not screening_only:
        raise MoveRefused(current, move_, screening_only=False)
    if current not in sources:
        raise MoveRefused(current, move_)
    return target


def target(move_: Move) -> ReferralStatus:
    """Where `move_` leads from any status: an audit event names it even when the move is refused."""
    return _MOVES[move_][1]


def is_read_only(status: str | ReferralStatus) -> bool:
    """Whether tags and urgent responses are refused until the case is reopened."""
    return ReferralStatus(status) in _READ_ONLY
