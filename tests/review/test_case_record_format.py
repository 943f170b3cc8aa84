"""The case-record ID's format is data (bot/review/case_records.yaml): read strictly, and a file a council got
wrong is refused at start-up with the problem named, never half-used."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.errors import ValidationError
from bot.review.case_records import CASE_RECORD_FORMAT, load_format


def test_an_id_is_read_in_capitals_without_surrounding_spaces_and_anything_else_is_refused() -> None:
    assert CASE_RECORD_FORMAT.read("  cr-0012345 ") == "CR-0012345"
    for bad in ("", "   ", "0012345", "CR-12", "CR 0012345", "CR-0012345x", "CR-00123456789012"):
        with pytest.raises(ValidationError) as refused:
            CASE_RECORD_FORMAT.read(bad)
        assert set(refused.value.fields) == {"case_record_id"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("pattern: '[0-9]+'\n", "expected a 'pattern' and an 'example'"),
        ("pattern: '[0-9'\nexample: '1'\n", "does not compile"),
        ("pattern: '[0-9]+'\nexample: 'A1'\n", "does not match the pattern"),
        ("pattern: '[0-9]+'\nexample: '1'\nmax_chars: 65\n", "max_chars must be"),
    ],
)
def test_a_format_file_with_a_problem_is_refused_naming_it(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "case_records.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        load_format(path)
