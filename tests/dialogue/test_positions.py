"""The stored position, typed in one place: every stored text reads as a position and is written back as
exactly the same text, so rows from any earlier version read and a stale position survives untouched."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.dialogue.danger_followups import load_followups
from bot.dialogue.plans import START_AGAIN_NO, plan_answer, plan_control
from bot.domain.limits import MAX_NAME_CHARS
from bot.domain.positions import (
    DANGER_PREFIX,
    REVIEW,
    START_AGAIN_PREFIX,
    AtQuestion,
    AtReview,
    ConfirmingStartAgain,
    FollowingUpDanger,
    Position,
    parse_position,
)
from bot.questions import load_bank
from tests.dialogue.records import answer, record

BANK = load_bank()
FOLLOWUPS = load_followups()
TODAY = date(2025, 3, 13)

READ = [
    # what this code writes
    ("mode", AtQuestion("mode")),
    ("concern_summary__source", AtQuestion("concern_summary__source")),
    ("__review__", AtReview()),
    ("__start_again__.mode", ConfirmingStartAgain(AtQuestion("mode"))),
    ("__start_again__.__review__", ConfirmingStartAgain(AtReview())),
    ("__danger__.happening_now.mode", FollowingUpDanger("happening_now", AtQuestion("mode"))),
    ("__danger__.whereabouts.__review__", FollowingUpDanger("whereabouts", AtReview())),
    (
        "__start_again__.__danger__.emergency_call.concern_summary__source",
        ConfirmingStartAgain(FollowingUpDanger("emergency_call", AtQuestion("concern_summary__source"))),
    ),
    # odd, stale or never written: still read, and written back unchanged
    ("a_question_an_older_bank_had", AtQuestion("a_question_an_older_bank_had")),
    ("__danger__.a_removed_step.mode", FollowingUpDanger("a_removed_step", AtQuestion("mode"))),
    ("__danger__.happening_now", FollowingUpDanger("happening_now", None)),
    ("__danger__.happening_now.", FollowingUpDanger("happening_now", AtQuestion(""))),
    ("__danger__..mode", FollowingUpDanger("", AtQuestion("mode"))),
    ("__danger__.happening_now.a.b", FollowingUpDanger("happening_now", AtQuestion("a.b"))),
    (
        "__danger__.happening_now.__danger__.whereabouts.mode",
        FollowingUpDanger("happening_now", FollowingUpDanger("whereabouts", AtQuestion("mode"))),
    ),
    ("__start_again__.", ConfirmingStartAgain(AtQuestion(""))),
    ("__start_again__.__start_again__.mode", ConfirmingStartAgain(ConfirmingStartAgain(AtQuestion("mode")))),
    ("__start_again__", AtQuestion("__start_again__")),
    ("__danger__", AtQuestion("__danger__")),
    ("__review__.mode", AtQuestion("__review__.mode")),
    ("", AtQuestion("")),
]


@pytest.mark.parametrize(("stored", "typed"), READ, ids=[stored or "(empty)" for stored, _ in READ])
def test_each_stored_text_reads_as_its_position_and_is_written_back_unchanged(
    stored: str, typed: Position
) -> None:
    assert parse_position(stored) == typed
    assert typed.stored() == stored


FRAGMENTS = st.sampled_from(
    [START_AGAIN_PREFIX, DANGER_PREFIX, REVIEW, ".", "_", "__", "mode", "happening_now", "x", "-"]
)
STORABLE = st.one_of(
    st.lists(FRAGMENTS, max_size=12).map("".join),
    st.text(st.characters(codec="ascii"), max_size=MAX_NAME_CHARS),
).filter(lambda text: len(text) <= MAX_NAME_CHARS)


@given(STORABLE)
def test_any_stored_text_round_trips(stored: str) -> None:
    assert parse_position(stored).stored() == stored


QUESTIONS = st.sampled_from([question.id for question in BANK.questions]).map(AtQuestion)
STEPS = st.sampled_from([step.id for step in FOLLOWUPS.steps])
RETURN_POINTS = st.one_of(QUESTIONS, st.just(AtReview()))
FOLLOWING = st.builds(FollowingUpDanger, STEPS, RETURN_POINTS)
WRITTEN = st.one_of(
    RETURN_POINTS,
    FOLLOWING,
    st.builds(ConfirmingStartAgain, st.one_of(RETURN_POINTS, FOLLOWING)),
)


@given(WRITTEN)
def test_every_position_the_dialogue_writes_reads_back_as_itself(here: Position) -> None:
    assert parse_position(here.stored()) == here


def test_no_at_start_again_asked_where_the_bank_no_longer_has_goes_to_the_first_unanswered() -> None:
    stale = record(
        "__start_again__.a_question_an_older_bank_had", answer("mode", "live", "A real young person")
    )

    plan = plan_answer(BANK, stale, START_AGAIN_NO, today=TODAY)

    assert plan.move_to == AtQuestion("immediate_danger")


def test_no_at_start_again_asked_at_a_follow_up_goes_back_to_that_follow_up() -> None:
    here = FollowingUpDanger("a_removed_step", AtQuestion("mode"))

    plan = plan_control(BANK, record(ConfirmingStartAgain(here), answer("mode", "live", "Live")), "back")

    assert plan.move_to == here


def test_a_follow_up_stored_without_a_return_point_carries_on_at_the_first_unanswered() -> None:
    plan = plan_answer(BANK, record("__danger__.happening_now"), FOLLOWUPS.leave_label, today=TODAY)

    assert plan.move_to == AtQuestion(BANK.first_question().id)


def test_a_draft_stopped_at_the_old_real_or_practice_question_carries_on_at_the_danger_question() -> None:
    """Issue #26 removed `mode` from the bank; drafts stored there (bank 2025.1) keep working: the next
    reply answers the first unanswered question, and an old answer to `mode` is kept but asks nothing."""
    for stopped in (record("mode"), record("mode", answer("mode", "live", "A real young person"))):
        plan = plan_answer(BANK, stopped, "No", today=TODAY)
        assert plan.record is not None and plan.record.question_id == "immediate_danger"
        assert plan.move_to == AtQuestion("discussed_with_lead")
    back = plan_control(BANK, record("mode"), "back")
    assert back.move_to is None  # at the first question: nothing to go back to, nothing moves
