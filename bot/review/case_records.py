"""The council's case-record ID for a child: its format is data (case_records.yaml), read once at import.

Why data: each council's case-management system numbers children its own way, and a council changes the
format without a code change. An ID is read strictly: spaces at either end are dropped and letters made
capitals (so one child is not split by how the lead typed it), and anything else that does not match the
whole pattern is refused with the format's example; it is never guessed at or trimmed to fit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.domain.errors import ValidationError
from bot.domain.yaml_files import read_yaml

CASE_RECORDS_FILE = Path(__file__).with_name("case_records.yaml")
FIELD = "case_record_id"
COLUMN_CHARS = 64  # referrals.case_record_id (revision 0020)


@dataclass(frozen=True)
class CaseRecordFormat:
    pattern: re.Pattern[str]
    example: str
    max_chars: int

    def read(self, typed: str) -> str:
        """The ID as stored, or ValidationError with a message for the lead (nothing is changed)."""
        text = typed.strip().upper()
        if not text:
            raise ValidationError({FIELD: "Enter the council's case-record ID for the child"})
        if len(text) > self.max_chars or not self.pattern.fullmatch(text):
            raise ValidationError(
                {FIELD: f"Enter a case-record ID in the council's format, for example {self.example}"}
            )
        return text


def load_format(path: Path = CASE_RECORDS_FILE) -> CaseRecordFormat:
    """ValueError naming the problem for a file that is incomplete, whose pattern does not compile, or
    whose own example it refuses."""
    data = read_yaml(path)
    if not all(isinstance(data.get(k), str) for k in ("pattern", "example")):
        raise ValueError(f"{path}: expected a 'pattern' and an 'example'")
    max_chars = data.get("max_chars", COLUMN_CHARS)
    if not isinstance(max_chars, int) or not 1 <= max_chars <= COLUMN_CHARS:
        raise ValueError(f"{path}: max_chars must be a whole number from 1 to {COLUMN_CHARS}")
    try:
        pattern = re.compile(data["pattern"])
    except re.error as problem:
        raise ValueError(f"{path}: the pattern does not compile: {problem}") from problem
    found = CaseRecordFormat(pattern, data["example"], max_chars)
    if not pattern.fullmatch(data["example"]) or len(data["example"]) > max_chars:
        raise ValueError(f"{path}: the example {data['example']!r} does not match the pattern")
    return found


CASE_RECORD_FORMAT: CaseRecordFormat = load_format()
