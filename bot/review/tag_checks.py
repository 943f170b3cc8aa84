"""Checking a VAF tagging form: every problem found at once, each with a message the lead can act on.

Nothing is changed here. The note is the lead's own words and is checked, never changed: a note of spaces
alone counts as no note (it is not stored), but any other note is stored exactly as typed. Problems are keyed
by the ids of the answer's own form fields, so the error summary links to the field beside that answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import ConflictError, ValidationError
from bot.domain.vocabulary import MAX_TAG_NOTE_CHARS, VAF_DIMENSIONS
from bot.review.forms import TagIn
from bot.store import validation

# Key for problems with the answer itself (not a field the lead can correct): links to the answers heading.
ANSWER_PROBLEM = "answers"
NO_SUCH_ANSWER = "There is no answer to that question in this case. Nothing was tagged."


@dataclass(frozen=True)
class CheckedTag:
    question_id: str
    revision: int
    dimensions: tuple[str, ...]
    note: str | None


def field_id(question_id: str, part: str) -> str:
    """The id of an answer's tagging field (`dimensions` or `note`); question ids are URL-safe identifiers."""
    return f"tag-{question_id}-{part}"


def is_question_id(value: str) -> bool:
    problems = validation.Problems()
    validation.check_identifier(problems, "question_id", value)
    return not problems.fields


def check_tag(form: TagIn, current_revision: int | None) -> CheckedTag:
    """The checked request, or ValidationError / ConflictError; `current_revision` None: no such answer."""
    if current_revision is None or not is_question_id(form.question_id):
        raise ValidationError({ANSWER_PROBLEM: NO_SUCH_ANSWER})
    if not form.revision.isdecimal() or len(form.revision) > 9:
        raise ValidationError({ANSWER_PROBLEM: "The form did not say which version of the answer you read."})
    if int(form.revision) != current_revision:
        raise ConflictError(
            {
                ANSWER_PROBLEM: "This answer has changed since you opened the page. Read the current "
                "version, then tag it."
            }
        )
    problems = validation.Problems()
    dimensions_field = field_id(form.question_id, "dimensions")
    if not form.dimensions:
        problems.add(dimensions_field, "Select at least one dimension: engagement, intent or capability")
    elif any(dimension not in VAF_DIMENSIONS for dimension in form.dimensions):
        problems.add(dimensions_field, "Select dimensions from the list: engagement, intent or capability")
    note = form.note if form.note.strip() else None
    if note is not None:
        note_field = field_id(form.question_id, "note")
        if len(note) > MAX_TAG_NOTE_CHARS:
            problems.add(
                note_field,
                f"The note must be {MAX_TAG_NOTE_CHARS:,} characters or fewer; it has {len(note):,}. "
                "Nothing was saved",
            )
        elif (reason := validation.unstorable_character(note)) is not None:
            problems.add(note_field, f"The note {reason}. Nothing was saved")
    problems.raise_if_any()
    return CheckedTag(
        question_id=form.question_id,
        revision=current_revision,
        dimensions=tuple(dict.fromkeys(form.dimensions)),
        note=note,
    )
