"""What the debrief looks for beyond a scenario's own facts (debrief.yaml), read and checked once.

The "other explanations" question is named in data, not code, and checked against the bank here: a renamed
question must fail loudly at load rather than make every debrief say "not considered".
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bot.domain.yaml_files import read_yaml
from bot.questions.flow import QuestionBank
from bot.questions.model import AnswerType, BankProblem
from bot.scenarios.loader import ScenarioError

DEBRIEF_DATA = Path(__file__).resolve().parent / "debrief.yaml"


@dataclass(frozen=True)
class DebriefData:
    other_explanations_question: str
    time_words: frozenset[str]


def _file_problem(where: str, message: str) -> ScenarioError:
    """The library's errors are `file:line: field: message` problems, which name the file themselves."""
    return ScenarioError([BankProblem(where, 0, "(file)", message.removeprefix(f"{where}: "))])


def load_debrief_data(bank: QuestionBank, path: str | os.PathLike[str] | None = None) -> DebriefData:
    """The file's settings; ScenarioError naming the file and the problem if any is wrong."""
    where = str(path or DEBRIEF_DATA)
    data = read_yaml(where, lambda message: _file_problem(where, message))
    problems: list[BankProblem] = []
    qid = data.get("other_explanations_question")
    if not isinstance(qid, str) or qid not in bank:
        problems.append(
            BankProblem(where, 0, "other_explanations_question", f"{qid!r} is not a question in the bank")
        )
    elif bank.question(qid).answer_type is not AnswerType.FREE_TEXT:
        problems.append(BankProblem(where, 0, "other_explanations_question", f"{qid!r} is not free text"))
    words = data.get("time_words")
    if not isinstance(words, list) or not words or not all(isinstance(word, str) for word in words):
        problems.append(BankProblem(where, 0, "time_words", "must be a non-empty list of words"))
    if problems:
        raise ScenarioError(problems)
    return DebriefData(str(qid), frozenset(word.lower() for word in words))
