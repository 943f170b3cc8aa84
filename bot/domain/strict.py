"""The base of every service input that is a strict model, and the one mapping of pydantic's errors to ours.

An input checks itself when it is built, wherever that is (the JSON API, the web chat, the CLI, a test), so
the service it is handed to never checks it again. A refusal is our ValidationError with one message per
field, worded for a person (`{"text": "is 10,001 characters long; ..."}`), not pydantic's report: the API
sends these messages to its callers as they are, and the store's callers already catch ValidationError.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, Self

import pydantic
from pydantic import BaseModel, ConfigDict, ValidationInfo
from pydantic_core import ErrorDetails, PydanticCustomError

from bot.domain.errors import ValidationError

# Validation context key: the input is parsed JSON (so a date arrives as YYYY-MM-DD text).
FROM_JSON = "from_json"
# Validation context key: the date the input is read on (a form's "27/3" and "in the past" depend on it).
TODAY = "today"
UNKNOWN_FIELD = "is not a field this request accepts"
REFUSED = "refused"  # the error type of every rule in bot.domain.rules, carrying its message

# A form's own names for pydantic's error locations (a decision's `pathways[0].owner` is `pathway-<key>-owner`
# on the page); None keeps the plain name.
Names = Callable[[tuple[int | str, ...]], str | None]


def refusal(message: str) -> PydanticCustomError:
    """A rule's message as a pydantic error, kept word for word (pydantic formats the template)."""
    return PydanticCustomError(REFUSED, "{message}", {"message": message})


class StrictModel(BaseModel):
    """Frozen, no coercion ("1" is not 1, 1 is not true), no unknown fields (a misspelt `fact_data`
    silently dropped would lose a fact). Fields are given by name only."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    def __init__(self, **fields: Any) -> None:
        try:
            super().__init__(**fields)
        except pydantic.ValidationError as error:
            raise ValidationError(problems(error.errors(include_url=False))) from None

    # Marked as pydantic marks its own __init__ (and RootModel's), so that a nested input (TurnIn.answer) is
    # still validated by pydantic with the caller's context rather than through this constructor, which would
    # lose it (a JSON date would then be refused as text) and report the nested problems without their prefix.
    # pydantic is pinned below 3 and tests/store/test_strict_inputs.py fails if this ever stops working.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def from_json(cls, data: object) -> Self:
        """An input from a parsed JSON object, where dates are written YYYY-MM-DD."""
        return cls.read(data, {FROM_JSON: True})

    @classmethod
    def on(cls, today: date, **fields: Any) -> Self:
        """An input whose rules need the date it is read on (a form's dates, typed as a person types them)."""
        return cls.read(fields, {TODAY: today})

    @classmethod
    def read(cls, data: object, context: dict[str, Any], names: Names | None = None) -> Self:
        """An input checked with what its rules need beyond its fields (see FROM_JSON, TODAY); `names` gives
        a form's field names to its errors."""
        try:
            return cls.model_validate(data, context=context)
        except pydantic.ValidationError as error:
            raise ValidationError(problems(error.errors(include_url=False), names)) from None


def today_of(info: ValidationInfo) -> date:
    """The date a validator reads on; an input with dates is built with `on(today, ...)`, so a missing date is
    a programming slip, said plainly rather than read against the machine's clock."""
    today = (info.context or {}).get(TODAY)
    if not isinstance(today, date):
        raise TypeError(f"build this input with .on(today, ...): its {info.field_name} is read on a date")
    return today


def problems(errors: Iterable[ErrorDetails], names: Names | None = None) -> dict[str, str]:
    """Field name (nested as `answer.text`, or as `names` calls it) to the first message about it."""
    found: dict[str, str] = {}
    for error in errors:
        name = names(error["loc"]) if names is not None else None
        found.setdefault(name or _field_name(error["loc"]), _message(error))
    return found


def _field_name(loc: tuple[int | str, ...]) -> str:
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name or "body"


def _message(error: ErrorDetails) -> str:
    kind, given = error["type"], error.get("input")
    if kind == REFUSED:
        return str((error.get("ctx") or {})["message"])
    messages = {
        "missing": "is required",
        "extra_forbidden": UNKNOWN_FIELD,
        "string_type": f"must be text, not {json_type(given)}",
        "bool_type": f"must be true or false, not {json_type(given)}",
        "int_type": "must be a whole number, 1 or more",
        "model_type": f"must be an object, not {json_type(given)}",
        "dict_type": f"must be an object, not {json_type(given)}",
        "list_type": f"must be a list, not {json_type(given)}",
        "tuple_type": f"must be a list, not {json_type(given)}",
    }
    return messages.get(kind, error["msg"])


def json_type(value: object) -> str:
    """What a caller sent, in JSON's words rather than Python's."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
