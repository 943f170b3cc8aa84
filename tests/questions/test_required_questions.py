"""Required questions (issue #26): the bank marks them, and the loader refuses a bank that leaves the danger
question, what was noticed or the practitioner's own-account confirmation skippable, naming file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.questions import DEFAULT_BANK_PATH, BankError, BankProblem, bank_from_text, load_bank
from bot.questions.model import LINKED, Condition
from tests.questions.questions_helpers import bank_yaml, question, section

MUST_BE_REQUIRED = {
    "immediate_danger": "start.yaml",
    "concern_summary": "screening.yaml",
    "own_account_confirmed": "s11_next_steps.yaml",
}


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The shipped bank, copied so that a test can break one thing in it."""
    folder = tmp_path / "bank"
    shutil.copytree(DEFAULT_BANK_PATH, folder)
    return folder


def refused(folder: Path) -> list[BankProblem]:
    with pytest.raises(BankError) as caught:
        load_bank(folder)
    return list(caught.value.problems)


def line_of(path: Path, pattern: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if re.search(pattern, line))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_shipped_bank_marks_the_questions_a_lead_cannot_act_without() -> None:
    bank = load_bank()
    required = {question.id for question in bank.questions if question.required and not question.show_if}
    assert required == set(MUST_BE_REQUIRED)
    # An addition to a submitted assessment (issue #26 item 9) must say what is new, and whether to send it.
    only_linked = (Condition(LINKED, "answered"),)
    linked = {question.id for question in bank.questions if question.show_if == only_linked}
    assert linked == {"what_is_new", "send_addition_now"}
    assert all(bank.question(qid).required for qid in linked)
    assert all(not bank.question(qid).optional and not bank.question(qid).show_if for qid in required)
    [danger] = [question for question in bank.questions if question.effect == "danger_if_yes"]
    assert danger.required and danger.allow_unsure  # "Not sure" answers it, and raises the flag


@pytest.mark.parametrize(("qid", "file"), sorted(MUST_BE_REQUIRED.items()))
def test_a_bank_without_the_mark_is_refused_with_the_file_and_line(copy: Path, qid: str, file: str) -> None:
    path = copy / file
    where = line_of(path, rf"- id: {qid}$")
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- id: {qid}\n")
    mark = text.index("    required: true\n", start)
    path.write_text(text[:mark] + text[mark + len("    required: true\n") :], encoding="utf-8")

    [problem] = refused(copy)

    assert (Path(problem.file).name, problem.line) == (file, where)
    assert problem.field.endswith(".required")
    assert "must be marked required: true" in problem.message
    assert f"{file}:{where}: " in str(BankError([problem]))


def test_a_listed_question_missing_from_the_bank_is_refused_at_its_entry_in_the_index(copy: Path) -> None:
    edit(copy / "index.yaml", "  - concern_summary ", "  - what_was_noticed ")

    [problem] = refused(copy)

    index_line = line_of(copy / "index.yaml", r"^  - what_was_noticed ")
    assert (Path(problem.file).name, problem.line, problem.field) == (
        "index.yaml",
        index_line,
        "must_be_required",
    )
    assert "no question 'what_was_noticed'" in problem.message


def test_a_bank_folder_must_list_its_required_questions_and_have_a_danger_question(copy: Path) -> None:
    index = copy / "index.yaml"
    text = index.read_text(encoding="utf-8")
    start = text.index("must_be_required:\n")
    end = text.index("sections:\n")
    index.write_text(text[:start] + text[end:], encoding="utf-8")
    edit(copy / "start.yaml", "    effect: danger_if_yes\n", "")

    problems = {problem.field: problem for problem in refused(copy)}

    assert set(problems) == {"must_be_required", "sections"}
    assert all(Path(problem.file).name == "index.yaml" for problem in problems.values())
    assert "missing" in problems["must_be_required"].message
    assert "no question has effect: danger_if_yes" in problems["sections"].message


def test_a_listed_question_asked_only_sometimes_is_refused(copy: Path) -> None:
    edit(
        copy / "screening.yaml",
        "    required: true\n",
        "    required: true\n    show_if: {question: discussed_with_lead, equals: 'yes'}\n",
    )

    [problem] = refused(copy)

    assert Path(problem.file).name == "screening.yaml"
    assert problem.line == line_of(copy / "screening.yaml", r"- id: concern_summary$")
    assert "asked of everyone" in problem.message


def test_required_and_optional_together_are_refused() -> None:
    text = bank_yaml(
        section("s", question("first"), question("both", "free_text", required=True, optional=True))
    )

    with pytest.raises(BankError) as caught:
        bank_from_text(text, filename="bank.yaml")

    [problem] = caught.value.problems
    assert (problem.file, problem.field) == ("bank.yaml", "sections[0].questions[1].required")
    assert problem.line == next(n for n, line in enumerate(text.splitlines(), 1) if "required" in line)
    assert "both required and optional" in problem.message


def test_a_danger_question_must_be_required_in_any_bank() -> None:
    text = bank_yaml(section("s", question("gate", effect="danger_if_yes")))

    with pytest.raises(BankError) as caught:
        bank_from_text(text, filename="bank.yaml")

    [problem] = caught.value.problems
    gate_line = next(n for n, line in enumerate(text.splitlines(), 1) if "id: gate" in line)
    assert (problem.line, problem.field) == (gate_line, "sections[0].questions[0].required")
    assert (
        bank_from_text(bank_yaml(section("s", question("gate", effect="danger_if_yes", required=True))))
        .question("gate")
        .required
    )
