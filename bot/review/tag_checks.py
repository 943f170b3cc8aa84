"""A VAF tagging form, checked: the answer it is for against the record (the service reads the answer's
current revision), then the lead's fields as a strict model, every problem at once, each with a message the
lead can act on. Nothing is changed here.

The note is the lead's own words and is checked, never changed: a note of spaces alone counts as no note (it
is not stored), but any other note is stored exactly as typed. Problems are keyed by the ids of the answer's
own form fields, so the error summary links to the field beside that answer.
"""

from __future__ import annotations

from pydantic import field_validator

from bot.domain.errors import ConflictError, ValidationError
from bot.domain.rules import identifier_problem, unstorable_character
from bot.domain.strict import StrictModel, refusal
from bot.domain.vocabulary import MAX_TAG_NOTE_CHARS, VAF_DIMENSIONS
from bot.review.forms import TagIn

# Key for problems with the answer itself (not a field the lead can correct): links to the answers heading.
ANSWER_PROBLEM = "answers"
NO_SUCH_ANSWER = "There is no answer to that question in this case. Nothing was tagged."


class CheckedTag(StrictModel):
    """The answer's question and the revision the lead read (checked against the record before this is
    built), the dimensions chosen (each once) and the note (None when left blank)."""

    question_id: str
    revision: int
    dimensions: tuple[str, ...]
    note: str | None

    @field_validator("dimensions")
    @classmethod
    def _dimensions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise refusal("Select at least one dimension: engagement, intent or capability")
        if any(dimension not in VAF_DIMENSIONS for dimension in value):
            raise refusal("Select dimensions from the list: engagement, intent or capability")
        return tuple(dict.fromkeys(value))

    @field_validator("note")
    @classmethod
    def _note(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if len(value) > MAX_TAG_NOTE_CHARS:
            raise refusal(
                f"The note must be {MAX_TAG_NOTE_CHARS:,} characters or fewer; it has {len(value):,}. "
                "Nothing was saved"
            )
        if (reason := unstorable_character(value)) is not None:
            raise refusal(f"The note {reason}. Nothing was saved")
        return value


def field_id(question_id: str, part: str) -> str:
    """The id of an answer's tagging field (`dimensions` or `note`); question ids are URL-safe identifiers."""
    return f"tag-{question_id}-{part}"


def is_question_id(value: str) -> bool:
    return identifier_problem(value) is None


def check_tag(form: TagIn, current_revision: int | None) -> CheckedTag:
    """The checked request, or ValidationError / ConflictError; `current_revision` None: no such answer.
    The answer is checked first and alone: a problem with it is not one the lead can fix in a field."""
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
    posted = {
        "question_id": form.question_id,
        "revision": current_revision,
        "dimensions": form.dimensions,
        "note": form.note,
    }
    return CheckedTag.read(posted, {}, lambda loc: form_field(loc, form.question_id))


def form_field(loc: tuple[int | str, ...], question_id: str) -> str | None:
    """The form's field id for an error at `loc` (None: its plain name)."""
    match loc:
        case ("dimensions" | "note" as name, *_):
            return field_id(question_id, name)
    return None
