"""Load the scenario library (one YAML file per scenario in library/) and check all of it at once.

Why one file per scenario: a trainer writing or reviewing a case sees one short file and a small diff, and a
`file:line: field: message` error points somewhere small. Every problem in every file is reported together,
as the question bank's loader does (bot.questions.loader), in the same `file:line: field: message` form and
with the same YAML helpers, so that one edit fixes them all. A file is read in three steps: YAML to data with
lines (yaml_data.py), the data to the typed model (model.py: shapes and fixed vocabularies), and the checks
that need the question bank, the pathways or the word list (checks.py).
"""

from __future__ import annotations

import datetime
import difflib
import os
from pathlib import Path

import pydantic
from pydantic import BaseModel
from pydantic_core import ErrorDetails

from bot.questions.flow import QuestionBank
from bot.questions.loader import load_bank
from bot.questions.model import BankError, BankProblem
from bot.questions.wording_checks import WORDING_PATH, Wording
from bot.questions.yaml_nodes import compose
from bot.scenarios import model
from bot.scenarios.checks import check_scenario
from bot.scenarios.model import Scenario
from bot.scenarios.yaml_data import LinedData, Place, lined

DEFAULT_LIBRARY = Path(__file__).resolve().parent / "library"
SUFFIX = ".yaml"


class ScenarioError(Exception):
    """Every problem found in the library, one `file:line: field: message` line each."""

    def __init__(self, problems: list[BankProblem] | tuple[BankProblem, ...]) -> None:
        self.problems: tuple[BankProblem, ...] = tuple(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"the scenario library has {count} problem{'s' if count != 1 else ''}:\n{lines}")


def load_library(
    folder: str | os.PathLike[str] | None = None, bank: QuestionBank | None = None
) -> tuple[Scenario, ...]:
    """Every scenario in the folder (the shipped library if None), in file-name order; ScenarioError naming
    every problem if any file has one. `bank` is the question bank facts are checked against (the shipped
    one if None)."""
    scenarios, problems = read_library(folder, bank)
    if problems:
        raise ScenarioError(problems)
    return scenarios


def read_library(
    folder: str | os.PathLike[str] | None = None, bank: QuestionBank | None = None
) -> tuple[tuple[Scenario, ...], list[BankProblem]]:
    """The scenarios that passed every check and the problems of those that did not; never raises."""
    root = Path(folder) if folder is not None else DEFAULT_LIBRARY
    problems: list[BankProblem] = []
    try:
        paths = sorted(path for path in root.iterdir() if path.name.endswith((".yaml", ".yml")))
    except OSError as error:
        return (), [BankProblem(str(root), 0, "(folder)", f"cannot read the library: {error.strerror}")]
    if bank is None:
        try:
            bank = load_bank()
        except BankError as error:
            return (), list(error.problems)
    wording = Wording.load(WORDING_PATH, problems)
    scenarios: list[Scenario] = []
    for path in paths:
        if path.suffix != SUFFIX:
            problems.append(BankProblem(str(path), 0, "(file)", f"name scenario files *{SUFFIX}"))
            continue
        scenario = _read_file(path, bank, wording, problems)
        if scenario is not None:
            scenarios.append(scenario)
    if not paths:
        problems.append(BankProblem(str(root), 0, "(folder)", f"no scenario files (*{SUFFIX}) in the folder"))
    return tuple(scenarios), problems


def _read_file(
    path: Path, bank: QuestionBank, wording: Wording | None, problems: list[BankProblem]
) -> Scenario | None:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        problems.append(BankProblem(str(path), 0, "(file)", f"cannot read: {error.strerror}"))
        return None
    except UnicodeDecodeError:
        problems.append(BankProblem(str(path), 0, "(file)", "not UTF-8 text"))
        return None
    root = compose(text, str(path), problems)
    if root is None:
        return None
    found: list[BankProblem] = []
    data = lined(root, str(path), found)
    scenario = _typed(data, found)
    if scenario is not None:
        found.extend(check_scenario(scenario, data, bank, wording))
        if scenario.id != path.stem:
            found.append(data.problem(("id",), f"{scenario.id!r} must be the file's name, {path.stem!r}"))
    problems.extend(sorted(found, key=lambda problem: problem.line))
    return None if found else scenario


def _typed(data: LinedData, problems: list[BankProblem]) -> Scenario | None:
    if not isinstance(data.data, dict):
        problems.append(data.problem((), f"must be a mapping of keys to values, not {_kind(data.data)}"))
        return None
    try:
        return Scenario.model_validate(data.data)
    except pydantic.ValidationError as error:
        for detail in error.errors(include_url=False):
            place: Place = tuple(detail["loc"])
            problems.append(data.problem(place, _message(detail, place)))
        return None


def _message(error: ErrorDetails, place: Place) -> str:
    """pydantic's report in the words a scenario author uses (a mapping, a list, text; quote a value)."""
    kind, given, context = error["type"], error.get("input"), error.get("ctx") or {}
    name = place[-1] if place else ""
    if kind == "missing":
        return f"missing required field {name!r}"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(name), _KEYS, n=1)
        return f"unknown key {name!r}" + (f"; did you mean {close[0]!r}?" if close else "")
    if kind == "string_type":
        quote = " (put it in quotes if you mean the words)" if not isinstance(given, dict | tuple) else ""
        return f"must be text, not {_kind(given)}{quote}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a mapping of keys to values, not {_kind(given)}"
    if kind == "tuple_type":
        return f"must be a list, not {_kind(given)}"
    if kind == "too_short":
        return "must not be an empty list"
    if kind == "string_too_short":
        return "is empty: write the wording here" if not str(given).strip() else "is too short"
    if kind == "string_pattern_mismatch":
        return (
            f"{given!r} is not a valid identifier: use lower-case letters, digits and single underscores, "
            "starting with a letter"
        )
    if kind == "literal_error":
        return f"{given!r} is not one of: {context.get('expected', '')}"
    if place == ("age",) and kind in ("int_type", "greater_than_equal", "less_than_equal"):
        return f"must be a whole number from {model.YOUNGEST} to {model.OLDEST}, not {given!r}"
    if kind == "bool_type":
        return f"must be true or false, not {_kind(given)}"
    return str(error["msg"])


def _kind(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, tuple):
        return "a list"
    return "text"


def _all_keys() -> list[str]:
    models = [
        value
        for value in vars(model).values()
        if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == model.__name__
    ]
    return sorted({key for found in models for key in found.model_fields})


_KEYS = _all_keys()
