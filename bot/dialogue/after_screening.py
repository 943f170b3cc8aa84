"""The end of the screening part: send it now as a Request for Support, or carry on (issue #12).

Asked once, when the practitioner first steps from the last screening question into the fuller ones
(bot.dialogue.moves.next_position). "Send now" opens Check your answers for the screening answers only
(bot.dialogue.at_review, stage screening); "carry on" asks the first exploratory question, as before. The
wording and the choices are data (after_screening.yaml); a reply is read as a question's choices are, so
"carry on", "2" or the button all answer it. It is a position, not a question in the bank: it asks how to
proceed, not about the young person, so nothing is recorded until the practitioner sends or answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from bot.dialogue.moves import first_assessment_question, last_screening_question
from bot.dialogue.plan import Button, Plan, Say, tell
from bot.dialogue.wording import mode_suffix
from bot.domain.positions import AtQuestion, AtReview
from bot.domain.protocol import Payload
from bot.domain.records import AssessmentRecord
from bot.domain.stages import SubmittedStage
from bot.domain.yaml_files import read_yaml
from bot.questions import AnswerType, Question, QuestionBank
from bot.questions.answers import AnswerProblem, parse_answer
from bot.questions.model import Choice

WORDING_PATH = Path(__file__).with_name("after_screening.yaml")
SEND_NOW = "send_now"
CARRY_ON = "carry_on"
NAVIGATION = (
    Button("Back", Payload.GO_BACK),
    Button("Why are you asking?", Payload.HELP),
    Button("Pause", Payload.PAUSE),
)


@dataclass(frozen=True)
class Wording:
    question: Question  # the choice as a single-choice question, so typed replies read as any choice does
    review_note: str
    submit_label: str
    sent: str


@cache
def load_wording(path: Path = WORDING_PATH) -> Wording:
    data = read_yaml(path)
    choices = tuple(
        Choice(str(c["value"]), c["label"], tuple(str(a) for a in c.get("aliases", ())))
        for c in data["choices"]
    )
    if {c.value for c in choices} != {SEND_NOW, CARRY_ON}:
        raise ValueError(f"{path}: the choices must be exactly {SEND_NOW} and {CARRY_ON}")
    question = Question(
        id="after_screening",
        section_id="screening",
        text=data["question"],
        answer_type=AnswerType.SINGLE_CHOICE,
        choices=choices,
        why=data["why"],
        allow_unsure=False,
        origin=str(path),
    )
    return Wording(question, data["review_note"], data["submit_label"], data["sent"])


def ask_route(record: AssessmentRecord) -> Say:
    question = load_wording().question
    buttons = tuple(Button(choice.label, choice.label) for choice in question.choices)
    return Say(text=question.text + mode_suffix(record), buttons=(*buttons, *NAVIGATION))


def route_words() -> frozenset[str]:
    """What is an answer here, never a control: the choices' values and labels (as at a question), and their
    aliases too: "carry on" or "continue" here choose, where elsewhere they might read as "resume"."""
    question = load_wording().question
    return frozenset(w.lower() for c in question.choices for w in (c.value, c.label, *c.aliases))


def reads_as_route(text: str, today: date) -> bool:
    """Whether typed text chooses one of the two ("2", "send it now"); a button's payload never does."""
    if text.strip().startswith("/"):
        return False
    return not isinstance(parse_answer(load_wording().question, text, today=today), AnswerProblem)


def plan_route(bank: QuestionBank, record: AssessmentRecord, text: str, *, today: date) -> Plan:
    """ "Send now" opens the screening summary; "carry on" the first exploratory question; else ask again."""
    parsed = parse_answer(load_wording().question, text, today=today)
    if isinstance(parsed, AnswerProblem):
        return tell(parsed.message)
    if parsed.value == SEND_NOW:
        return Plan(move_to=AtReview(SubmittedStage.SCREENING))
    first = first_assessment_question(bank, record.answer_values())
    return Plan(move_to=AtQuestion(first.id) if first is not None else AtReview())


def route_control(bank: QuestionBank, record: AssessmentRecord, control: str) -> Plan | None:
    """Back to the last screening question, help, and "submit" (which means send now); skip chooses nothing.
    None for the controls that work as anywhere else."""
    if control == "back":
        before = last_screening_question(bank, record.answer_values())
        return Plan(move_to=AtQuestion(before.id)) if before is not None else Plan()
    if control == "skip":
        return tell("Please choose one: send it to your lead now, or carry on to the fuller questions.")
    if control == "help":
        return tell(f"Why we ask: {load_wording().question.why}")
    if control == "submit":
        return Plan(move_to=AtReview(SubmittedStage.SCREENING))
    return None
