"""Where an assessment stands, typed, and the one string it is stored as.

The store keeps the position in one short text column (`current_question_id`), and rows written by every
earlier version must still read, so the stored form never changes:

- a question id: that question is open;
- `__review__`: after the last question, checking the answers before submitting;
- `__after_screening__`: at the end of the screening part, "send this now or carry on?" (issue #12);
- `__review_screening__`: checking the screening answers before sending them as a Request for Support;
- `__start_again__.<position>`: "Start again?" is open, and "No" goes back to <position>;
- `__danger__.<step id>.<position>`: a danger follow-up question is open, and <position> is where the
  practitioner goes once the follow-ups are over.

"Start again?" and the follow-ups are positions, not flags beside one, so that the open question is always
the one on screen: a "yes" typed for an open yes/no question never clears everything, and a restart resumes
at the follow-up. This module is the only place that reads or writes that text: everything else matches on
the types. Reading is syntactic and total (any text is some position) and `stored()` gives back exactly the
text that was read, so a position that is odd or stale (a question a newer bank dropped) is never rewritten
on the way through; whether it still exists is for the dialogue to decide, against the bank.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.stages import SubmittedStage

REVIEW = "__review__"
REVIEW_SCREENING = "__review_screening__"
AFTER_SCREENING = "__after_screening__"
START_AGAIN_PREFIX = "__start_again__."
DANGER_PREFIX = "__danger__."


@dataclass(frozen=True)
class AtQuestion:
    """A question in the bank is open (or was, if the bank has changed since)."""

    question_id: str

    def stored(self) -> str:
        return self.question_id


@dataclass(frozen=True)
class AtReview:
    """Check your answers: every question has been asked; or, for `stage` screening, every screening question,
    and what is checked is sent as a Request for Support."""

    stage: SubmittedStage = SubmittedStage.FULL

    def stored(self) -> str:
        return REVIEW_SCREENING if self.stage == SubmittedStage.SCREENING else REVIEW


@dataclass(frozen=True)
class AfterScreening:
    """The screening questions are answered: send them now as a Request for Support, or carry on?"""

    def stored(self) -> str:
        return AFTER_SCREENING


@dataclass(frozen=True)
class ConfirmingStartAgain:
    """ "Start again?" is open; `back_to` is where it was asked, where "No" returns."""

    back_to: Position

    def stored(self) -> str:
        return START_AGAIN_PREFIX + self.back_to.stored()


@dataclass(frozen=True)
class FollowingUpDanger:
    """A danger follow-up question is open; `back_to` is where the assessment carries on after them.

    `back_to` is None only for a stored text that names no return point (`__danger__.<step id>`, which this
    code never writes): the dialogue then carries on at the first unanswered question.
    """

    step_id: str
    back_to: Position | None

    def stored(self) -> str:
        back = "" if self.back_to is None else "." + self.back_to.stored()
        return f"{DANGER_PREFIX}{self.step_id}{back}"


Position = AtQuestion | AtReview | AfterScreening | ConfirmingStartAgain | FollowingUpDanger


def parse_position(stored: str) -> Position:
    """The position a stored text names; `parse_position(text).stored() == text` for every text.

    A step id never contains a dot (the follow-up file is checked for that), so the first dot after
    `__danger__.` ends it; authored question ids never start with "__", so none is read as a marker.
    """
    if stored == REVIEW:
        return AtReview()
    if stored == REVIEW_SCREENING:
        return AtReview(SubmittedStage.SCREENING)
    if stored == AFTER_SCREENING:
        return AfterScreening()
    if stored.startswith(START_AGAIN_PREFIX):
        return ConfirmingStartAgain(parse_position(stored.removeprefix(START_AGAIN_PREFIX)))
    if stored.startswith(DANGER_PREFIX):
        step_id, dot, back_to = stored.removeprefix(DANGER_PREFIX).partition(".")
        return FollowingUpDanger(step_id, parse_position(back_to) if dot else None)
    return AtQuestion(stored)
