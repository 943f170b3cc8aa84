""" "Start again?": a state of its own (positions.ConfirmingStartAgain), asked before anything is cleared.

While it is open, the question waiting for an answer is the confirmation, so a "yes" typed for an open
yes/no question can never clear an account; only the exact "yes" button does. It keeps where it was asked,
so "No" (or back, skip, resume...) goes straight back there.
"""

from __future__ import annotations

from bot.dialogue.moves import read_position, still_there
from bot.dialogue.plan import Button, Plan, Say, tell
from bot.domain.positions import ConfirmingStartAgain, FollowingUpDanger, Position
from bot.domain.protocol import Payload
from bot.domain.records import AssessmentRecord
from bot.questions import QuestionBank

START_AGAIN_YES = "Yes, clear my answers and start again"
START_AGAIN_NO = "No, carry on where I was"
NO = frozenset({START_AGAIN_NO.lower(), "no", "no thanks", "cancel", "carry on"})


def ask_to_start_again(bank: QuestionBank, record: AssessmentRecord, here: Position) -> Plan:
    """The start-again control anywhere else: ask first, unless there is nothing to clear."""
    if not record.answers:
        return Plan(
            say=(Say(text="There are no answers to clear yet."),),
            move_to=read_position(bank, None, record.answer_values()),
        )
    return Plan(move_to=ConfirmingStartAgain(here))


def confirm_start_again(record: AssessmentRecord) -> Say:
    given = len(record.answers)
    cleared = f"the {given} answers you have given" if given != 1 else "the answer you have given"
    kept = " The urgent flag stays." if record.urgent else ""
    return Say(
        text=f"Start again from the first question? This clears {cleared}, so your lead will not see them. "
        f"They stay in this assessment's history, which your lead can ask for.{kept}",
        buttons=(
            Button(START_AGAIN_YES, START_AGAIN_YES),
            Button(START_AGAIN_NO, START_AGAIN_NO),
            Button("Pause", Payload.PAUSE),
        ),
    )


def confirmation_words() -> frozenset[str]:
    """What the conduct layer treats as an answer (never a control) while "Start again?" is open."""
    return frozenset({START_AGAIN_YES.lower(), START_AGAIN_NO.lower()})


def where_it_was_asked(bank: QuestionBank, record: AssessmentRecord, here: ConfirmingStartAgain) -> Position:
    """The position "Start again?" was asked from, if it is still one (the bank may have changed); a
    follow-up is always still one (a step the file dropped reads as the first)."""
    if isinstance(here.back_to, FollowingUpDanger):
        return here.back_to
    return still_there(bank, record, here.back_to)


def plan_confirm_start_again(
    bank: QuestionBank, record: AssessmentRecord, here: ConfirmingStartAgain, text: str
) -> Plan:
    """Only the exact "yes" clears anything; "no" (in any words) goes back; anything else asks again."""
    said = " ".join(text.split()).lower()
    if said == START_AGAIN_YES.lower():
        return Plan(
            say=(Say(text="Your answers are cleared. Starting again from the first question."),),
            start_again=True,
        )
    if said in NO:
        return Plan(move_to=where_it_was_asked(bank, record, here))
    return tell(f"Please choose '{START_AGAIN_YES}' or '{START_AGAIN_NO}'. Nothing has been cleared.")


def confirming_control(
    bank: QuestionBank, record: AssessmentRecord, here: ConfirmingStartAgain, control: str
) -> Plan | None:
    """Pause and stop work as anywhere else (None); start again is asked already (the form asks it again);
    help explains; every other control (back, skip, resume, submit...) is a "no"."""
    if control in {"pause", "stop"}:
        return None
    if control == "start_again":
        return Plan()
    if control == "help":
        return tell(
            "Starting again clears your answers so that you can give the account afresh. "
            "Nothing is deleted from the record's history."
        )
    return Plan(move_to=where_it_was_asked(bank, record, here))
