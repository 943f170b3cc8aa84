"""Which closed answers the reports count concerns by, read from breakdowns.yaml and checked against the bank.

Data, not code: a breakdown names a question of the bank and the reports take its choices and labels from
the bank, so adding a breakdown or rewording a choice needs no Python edit. The check runs when the app and
the CLI load the reports, so a question renamed in the bank stops them with a message saying which line of
breakdowns.yaml to change, rather than emptying a table on the board's pack without a word.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from bot.domain.yaml_files import read_yaml
from bot.questions import Question, QuestionBank
from bot.questions.model import AnswerType

BREAKDOWNS_FILE = Path(__file__).with_name("breakdowns.yaml")
COUNTED_TYPES = (AnswerType.SINGLE_CHOICE, AnswerType.MULTIPLE_CHOICE, AnswerType.AGE)


class BreakdownError(Exception):
    """breakdowns.yaml does not fit the question bank; the message says what to change."""


@dataclass(frozen=True)
class AgeBand:
    lowest: int
    highest: int
    label: str


@dataclass(frozen=True)
class Breakdown:
    table: str
    title: str
    label_heading: str
    question: Question
    bands: tuple[AgeBand, ...] = ()

    @property
    def adds_up(self) -> bool:
        """Whether each concern is counted in exactly one row (so the rows add up to the total)."""
        return self.question.answer_type != AnswerType.MULTIPLE_CHOICE


def load_breakdowns(bank: QuestionBank, path: Path = BREAKDOWNS_FILE) -> tuple[Breakdown, ...]:
    entries = read_yaml(path, BreakdownError).get("breakdowns")
    if not isinstance(entries, list) or not entries:
        raise BreakdownError(f"{path}: needs a list under 'breakdowns'")
    found = [_breakdown(bank, path, number, entry) for number, entry in enumerate(entries, start=1)]
    tables = [breakdown.table for breakdown in found]
    if len(set(tables)) != len(tables):
        raise BreakdownError(f"{path}: each breakdown needs its own 'table' id")
    return tuple(found)


def _breakdown(bank: QuestionBank, path: Path, number: int, entry: object) -> Breakdown:
    where = f"{path}: breakdown {number}"
    if not isinstance(entry, dict) or not {"table", "title", "label_heading", "question"} <= set(entry):
        raise BreakdownError(f"{where}: needs table, title, label_heading and question")
    question_id = str(entry["question"])
    if question_id not in bank:
        raise BreakdownError(f"{where}: the question bank has no question {question_id!r}")
    question = bank.question(question_id)
    if question.answer_type not in COUNTED_TYPES:
        raise BreakdownError(
            f"{where}: {question_id!r} is {question.answer_type}; only single_choice, multiple_choice and "
            "age questions are counted (never free text)"
        )
    bands = tuple(_band(where, band) for band in entry.get("bands") or ())
    if (question.answer_type == AnswerType.AGE) != bool(bands):
        raise BreakdownError(f"{where}: an age question needs 'bands', and only an age question has them")
    for earlier, later in itertools.pairwise(bands):
        if later.lowest <= earlier.highest:
            raise BreakdownError(f"{where}: the bands must be in order and must not overlap")
    return Breakdown(str(entry["table"]), str(entry["title"]), str(entry["label_heading"]), question, bands)


def _band(where: str, band: object) -> AgeBand:
    if (
        not isinstance(band, list)
        or len(band) != 3
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in band[:2])
        or band[0] > band[1]
    ):
        raise BreakdownError(f"{where}: each band is [lowest age, highest age, label]")
    return AgeBand(band[0], band[1], str(band[2]))
