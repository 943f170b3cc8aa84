"""Which submission each decision on a case was made on (issue #12): the screening only, or the full
assessment.

A lead may decide on a Request for Support and then ask for the full assessment (bot.domain.referral); the
decision stays, and once the full assessment is in the lead may record another. Both stay on the case, so
each must say what it was made on. No column holds that: it is read from the referral's status history,
where every decision has its move to `decided` and the full assessment's arrival is the move out of
`awaiting_full`. The order of those rows (their ids), not their times, decides it, so two moves stamped
with the same instant are still told apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.domain.referral import ReferralStatus
from bot.domain.stages import SubmittedStage


# What is read of a decision and of a status change: the store's rows (only bot.store imports them).
class _Decision(Protocol):
    @property
    def id(self) -> int: ...


class _StatusChange(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def from_status(self) -> str | None: ...
    @property
    def to_status(self) -> str: ...


def made_on_screening(
    stage: str | None, decisions: Sequence[_Decision], changes: Sequence[_StatusChange]
) -> frozenset[int]:
    """The ids of the decisions made while the case held the screening only.

    `stage` is the assessment's submitted stage now; `changes` are the referral's moves. A case began as a
    Request for Support if it still is one or was ever sent back (a full assessment never is); it held the
    screening only until the move out of `awaiting_full`. A decision with no move of its own (none is made
    without one today) takes the case's basis at the end."""
    began_as_screening = stage == SubmittedStage.SCREENING or any(
        change.to_status == ReferralStatus.AWAITING_FULL for change in changes
    )
    if not began_as_screening:
        return frozenset()
    oldest_first = sorted(decisions, key=lambda decision: decision.id)
    screening, on_screening = True, set[int]()
    for change in sorted(changes, key=lambda row: row.id):
        if change.from_status == ReferralStatus.AWAITING_FULL:
            screening = False  # the full assessment came in
        elif change.to_status == ReferralStatus.DECIDED and oldest_first:
            made = oldest_first.pop(0)
            if screening:
                on_screening.add(made.id)
    if screening:
        on_screening.update(decision.id for decision in oldest_first)
    return frozenset(on_screening)
