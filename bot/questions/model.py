"""The question bank's vocabulary: frozen records built once by the loader and shared by every conversation.

Frozen because a bank is read by many conversations at once and swapped whole when its YAML changes; nobody
may patch a question in place. Values (choice values, condition values) are plain strings so that the same
words appear in the YAML, in button payloads, in stored answers and in exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from bot.domain.records import LINKED_FROM_KEY, SKIPPED_KEY


class AnswerType(StrEnum):
    YES_NO_UNSURE = "yes_no_unsure"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    FREE_TEXT = "free_text"
    DATE = "date"
    AGE = "age"
    # When a concern happened: a date or a rough one kept as typed with its range (questions.rough_dates).
    ROUGH_DATE = "rough_date"


CHOICE_TYPES = frozenset({AnswerType.YES_NO_UNSURE, AnswerType.SINGLE_CHOICE, AnswerType.MULTIPLE_CHOICE})

# The value of the "not sure" button every question offers (unless it opts out). A parsed "not sure" is
# recorded with status "unsure" and value None, so "unsure" never appears as a stored value.
UNSURE = "unsure"

# Answers that give a follow-up nothing to follow: a "no", a "none of these", a "not known". A condition
# `answered: true` (and every synthesised source prompt) stays hidden for them.
NO_CONTENT_VALUES = frozenset({"no", "none", "not_known"})

# In a multiple choice, this value means "none of the above" and cannot be combined with other values.
NONE_VALUE = "none"

VafDimension = Literal["engagement", "intent", "capability"]
VAF_DIMENSIONS: tuple[str, ...] = ("engagement", "intent", "capability")
DateRange = Literal["past", "future", "any"]
DATE_RANGES: tuple[str, ...] = ("past", "future", "any")
Part = Literal["screening", "assessment"]
PARTS: tuple[str, ...] = ("screening", "assessment")
# Dialogue effects, so that the dialogue never names a question id (no answer sets a run's mode: how the run
# started fixes it, issue #26):
#   danger_if_yes: "yes" means immediate danger now: 999 guidance, flag the record, then carry on;
#   recheck_danger_if_yes: "yes" (a threat, weapons, travel) means asking the immediate-danger question again;
#   submit_now_if_yes: "yes" means going straight to "Check your answers" (an addition to a submitted
#     assessment, issue #26 item 9): the questions after it are not asked, so none of them is required.
Effect = Literal["danger_if_yes", "recheck_danger_if_yes", "submit_now_if_yes"]
EFFECTS: tuple[str, ...] = ("danger_if_yes", "recheck_danger_if_yes", "submit_now_if_yes")

# What a condition `{linked: true}` looks at: not a question but whether the assessment adds to an earlier,
# submitted one. The dialogue's answers carry it under this key (AssessmentRecord.answer_values), which no
# question id can be, so the bank stays data and visibility stays worked out from "answers" alone.
LINKED = LINKED_FROM_KEY
# Where the answers a bank walks list the skipped questions (a skip opens no evidence follow-ups).
SKIPPED = SKIPPED_KEY


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    # Other words a practitioner might type for this choice ("CSE"); matched like the label.
    aliases: tuple[str, ...] = ()
    # False for a choice of an evidence question that raises no concern (bank `concern: false`).
    concern: bool = True


@dataclass(frozen=True)
class Condition:
    """One part of a show_if: the question it looks at and what that question's answer must be.

    kind "equals": the answer (yes/no or single choice) is one of `values`.
    kind "includes": the multiple-choice answer contains at least one of `values`.
    kind "answered": the answer has content (not skipped, unsure, no, none or not known).
    kind "raised": the answer raised a concern: one of `values`, or "not sure" (an uncertain concern still
      needs describing, issue #18); the loader's generated evidence questions use it, and the bank may
      write it only as an alternative of `any_of`.
    kind "any": at least one of `alternatives` holds (bank `any_of`); names no question itself, so
      `question` is empty. Each alternative still needs its own question asked (bot.questions.flow).
    A condition on `LINKED` (written `{linked: true}`) holds for an assessment that adds to an earlier one.
    """

    question: str
    kind: Literal["equals", "includes", "answered", "raised", "any"]
    values: tuple[str, ...] = ()
    alternatives: tuple[Condition, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The questions whose answers it looks at."""
        if self.kind == "any":
            return tuple(alternative.question for alternative in self.alternatives)
        return (self.question,)

    def holds(self, value: object, *, given: bool = True) -> bool:
        """`given` says whether the question has an answer at all: an unsure one's value is None."""
        if self.kind == "raised":
            if value is None:
                return given
            return self.holds_any(value)
        if self.kind == "answered":
            return has_content(value)
        if self.kind == "equals":
            return isinstance(value, str) and value in self.values
        return isinstance(value, list | tuple) and any(item in self.values for item in value)

    def holds_any(self, value: object) -> bool:
        if isinstance(value, str):
            return value in self.values
        return isinstance(value, list | tuple) and any(item in self.values for item in value)


def has_content(value: object) -> bool:
    """Whether an answer gives a follow-up something to ask about."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != "" and value not in NO_CONTENT_VALUES
    if isinstance(value, list | tuple):
        return any(item not in NO_CONTENT_VALUES for item in value)
    return True


@dataclass(frozen=True)
class Question:
    id: str
    section_id: str
    text: str
    answer_type: AnswerType
    choices: tuple[Choice, ...]
    why: str
    ask_source: bool = False
    # A lead's tagging aid only; never shown to the practitioner and never added up.
    vaf: VafDimension | None = None
    # Every condition must hold for the question to be asked; empty means always asked.
    show_if: tuple[Condition, ...] = ()
    optional: bool = False
    # May not be skipped: the record is no use to a lead without it (the danger question, what was noticed,
    # the practitioner's confirmation). "Not sure" still answers it where the question allows unsure.
    required: bool = False
    # False only where "not sure" makes no sense (live or rehearsal; confirming your own account).
    allow_unsure: bool = True
    # For date questions: which dates are acceptable relative to today.
    date_range: DateRange | None = None
    # For a synthesised source prompt: the question whose answer it sources.
    source_of: str | None = None
    # "file:line" of the YAML that defined it (the parent's, for a synthesised prompt), for error messages.
    origin: str = ""
    # What the dialogue does with the answer beyond recording it (see EFFECTS); None for most questions.
    effect: Effect | None = None
    # The question put another way, for a practitioner whose replies it could not read twice in a row
    # (bot.dialogue.another_way): for questions whose wording is the likely problem; "" for most.
    another_way: str = ""
    # Its answer can raise a concern, so what was said or done, when, and how it is known must follow
    # (`bot questions check`, issue #18); a vaf tag on a choice question means the same.
    evidence: bool = False
    # For a question of the evidence pattern (what was said or done, when): the concern question it follows.
    evidence_of: str | None = None
    # Made by the loader rather than written in the YAML (the source prompts and the evidence pattern's).
    generated: bool = False
    # Bank `per_choice: <question>`: a template asked once for each choice ticked in that earlier question
    # (bot.questions.per_choice); the template itself is never asked. On a generated question: the
    # (question, choice value) it follows up.
    per_choice: str | None = None
    per_choice_of: tuple[str, str] | None = None

    @property
    def is_synthesised(self) -> bool:
        return self.source_of is not None or self.generated

    def choice(self, value: str) -> Choice | None:
        return next((choice for choice in self.choices if choice.value == value), None)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    part: Part
    # In order, including the generated source prompts.
    questions: tuple[Question, ...]
    intro: str = ""

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(question.id for question in self.questions)


@dataclass(frozen=True)
class Progress:
    section_title: str
    section_number: int
    section_count: int
    question_number: int
    question_count: int
    section_id: str = ""
    follow_up: bool = False  # opened by an answer: numbered as the main question before it


@dataclass(frozen=True)
class BankProblem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class BankError(Exception):
    """Every problem found in a bank, so that one edit-and-reload fixes them all rather than one at a time."""

    def __init__(self, problems: list[BankProblem] | tuple[BankProblem, ...]) -> None:
        self.problems: tuple[BankProblem, ...] = tuple(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"the question bank has {count} problem{'s' if count != 1 else ''}:\n{lines}")
