"""The referral's state machine (bot.domain.referral), every status against every move, written out as a
table rather than derived from the module, so that a new edge (issue #12: `ask_full` from `decided`) is a
change someone meant. `ask_full` is a screening-only move: refused on a full assessment from every status.
"""

from __future__ import annotations

import pytest

from bot.domain.referral import (
    NOT_A_REQUEST_FOR_SUPPORT,
    Move,
    MoveRefused,
    ReferralStatus,
    allows,
    move,
)

S = ReferralStatus
# (status, move) -> where it leads, for a Request for Support (screening only); absent: refused.
ALLOWED: dict[tuple[ReferralStatus, Move], ReferralStatus] = {
    (S.SUBMITTED, Move.OPEN): S.IN_REVIEW,
    (S.IN_REVIEW, Move.DECIDE): S.DECIDED,
    (S.DECIDED, Move.CLOSE): S.CLOSED,
    (S.DECIDED, Move.REOPEN): S.IN_REVIEW,
    (S.CLOSED, Move.REOPEN): S.IN_REVIEW,
    (S.SUBMITTED, Move.ASK_FULL): S.AWAITING_FULL,
    (S.IN_REVIEW, Move.ASK_FULL): S.AWAITING_FULL,
    (S.DECIDED, Move.ASK_FULL): S.AWAITING_FULL,  # decide now on the screening, then ask (issue #12)
    (S.AWAITING_FULL, Move.FULL_SUBMITTED): S.SUBMITTED,
}
EVERY = [(status, move_) for status in ReferralStatus for move_ in Move]


@pytest.mark.parametrize(("status", "move_"), EVERY, ids=[f"{s}-{m}" for s, m in EVERY])
def test_every_move_from_every_status_on_a_request_for_support(status: ReferralStatus, move_: Move) -> None:
    expected = ALLOWED.get((status, move_))
    assert allows(status, move_, screening_only=True) is (expected is not None)
    if expected is None:
        with pytest.raises(MoveRefused) as refused:
            move(status, move_, screening_only=True)
        assert "cannot be done now" in refused.value.message or "Reopen it" in refused.value.message
    else:
        assert move(status, move_, screening_only=True) is expected


@pytest.mark.parametrize(("status", "move_"), EVERY, ids=[f"{s}-{m}" for s, m in EVERY])
def test_every_move_from_every_status_on_a_full_assessment(status: ReferralStatus, move_: Move) -> None:
    """The same table, except that a full assessment is never sent back for one, from any status."""
    expected = None if move_ is Move.ASK_FULL else ALLOWED.get((status, move_))
    assert allows(status, move_) is (expected is not None)
    if expected is None:
        with pytest.raises(MoveRefused) as refused:
            move(status, move_)
        if move_ is Move.ASK_FULL:
            assert refused.value.message == NOT_A_REQUEST_FOR_SUPPORT
    else:
        assert move(status, move_) is expected


def test_a_decision_is_refused_with_the_way_to_a_new_one() -> None:
    with pytest.raises(MoveRefused) as refused:
        move(S.DECIDED, Move.DECIDE)
    assert "Reopen it, with a reason" in refused.value.message
