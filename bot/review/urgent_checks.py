"""Checking "Record what you did" on an urgent case: the lead's own words, checked and never changed.

A note of spaces alone counts as missing (nothing to save), but any other note is stored exactly as typed,
with the same length limit and storable-character rules as every other free text in the record.
"""

from __future__ import annotations

from bot.domain.limits import MAX_ANSWER_CHARS
from bot.store import validation

# The form field's name and id, so the error summary links to the box the lead types in.
RESPONSE_FIELD = "response"
MISSING = "Enter what you did, for example who you spoke to and what was agreed"


def check_response(note: str) -> str:
    """The note as typed, or ValidationError naming the field."""
    problems = validation.Problems()
    if note.strip() == "":
        problems.add(RESPONSE_FIELD, MISSING)
    else:
        text = validation.Problems()
        validation.check_text(text, RESPONSE_FIELD, note, limit=MAX_ANSWER_CHARS)
        # The store's messages describe the text ("is 12,000 characters long..."): say which text.
        for message in text.fields.values():
            problems.add(RESPONSE_FIELD, f"What you did {message}")
    problems.raise_if_any()
    return note
