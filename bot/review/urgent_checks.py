"""Checking a lead's words on an urgent case ("Record what you did", "Stand down the urgent flag"): checked
and never changed.

A text of spaces alone counts as missing (nothing to save), but any other text is stored exactly as typed,
with the same length limit and storable-character rules as every other free text in the record.
"""

from __future__ import annotations

from bot.domain.limits import MAX_ANSWER_CHARS
from bot.store import validation

# The form fields' names and ids, so the error summary links to the box the lead types in.
RESPONSE_FIELD = "response"
MISSING = "Enter what you did, for example who you spoke to and what was agreed"
STAND_DOWN_FIELD = "stand_down_reason"
MISSING_STAND_DOWN = "Enter why this was not an emergency, for example what you found out and from whom"


def check_response(note: str) -> str:
    """The note as typed, or ValidationError naming the field."""
    return _checked(note, RESPONSE_FIELD, MISSING, "What you did")


def check_stand_down(reason: str) -> str:
    """The reason for standing a flag down as typed, or ValidationError naming the field."""
    return _checked(reason, STAND_DOWN_FIELD, MISSING_STAND_DOWN, "Why this was not an emergency")


def _checked(value: str, field: str, missing: str, what: str) -> str:
    problems = validation.Problems()
    if value.strip() == "":
        problems.add(field, missing)
    else:
        text = validation.Problems()
        validation.check_text(text, field, value, limit=MAX_ANSWER_CHARS)
        # The store's messages describe the text ("is 12,000 characters long..."): say which text.
        for message in text.fields.values():
            problems.add(field, f"{what} {message}")
    problems.raise_if_any()
    return value
