"""breakdowns.yaml is data checked against the question bank: the shipped file fits, and a file that names a
missing question, a free-text question or a bad age band is refused with a message saying what to change."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.questions import QuestionBank
from bot.reports.breakdowns import BreakdownError, load_breakdowns


def test_the_shipped_breakdowns_fit_the_bank(bank: QuestionBank) -> None:
    breakdowns = load_breakdowns(bank)
    assert [b.table for b in breakdowns] == ["referrer_role", "age_band", "concern_kinds", "other_needs"]
    assert [b.adds_up for b in breakdowns] == [True, True, False, False]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("question: no_such_question", "has no question 'no_such_question'"),
        ("question: concern_summary", "only single_choice, multiple_choice and age"),
        ("question: young_person_age", "an age question needs 'bands'"),
        ("question: young_person_age\n    bands: [[10, 13, a], [12, 15, b]]", "must not overlap"),
        ("question: practitioner_role\n    bands: [[0, 9, a]]", "only an age question has them"),
    ],
)
def test_a_breakdown_that_does_not_fit_the_bank_is_refused(
    bank: QuestionBank, tmp_path: Path, entry: str, message: str
) -> None:
    path = tmp_path / "breakdowns.yaml"
    path.write_text(f"breakdowns:\n  - table: t\n    title: T\n    label_heading: L\n    {entry}\n")
    with pytest.raises(BreakdownError, match=message) as refused:
        load_breakdowns(bank, path)
    assert "breakdown 1" in str(refused.value)
