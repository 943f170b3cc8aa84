"""Input checks shared by the services (and so by the API and the CLI).

Text is checked, never changed: a practitioner's words are stored exactly as typed, so anything the
database cannot hold byte for byte (lone surrogates, NUL, which PostgreSQL refuses) is refused whole with a
message rather than silently altered.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any

from bot.limits import MAX_ANSWER_CHARS, MAX_NAME_CHARS
from bot.store.errors import ValidationError

MAX_SOURCE_CHARS = 1_000
MAX_BOT_MESSAGE_CHARS = 100_000
MAX_VALUE_ITEMS = 500
MAX_VALUE_DEPTH = 6
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1_024

# Identifiers appear in URLs and audit lines; keep them to characters that need no escaping.
_IDENTIFIER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@\-]*")


class Problems:
    """Collects every problem with one request so the caller can fix them all at once."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationError(self.fields)


def unstorable_character(text: str) -> str | None:
    """Describe the first character the database cannot store exactly, or None if all are fine."""
    for index, char in enumerate(text):
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            return f"contains an incomplete character (lone surrogate U+{code:04X}) at position {index + 1}"
        if code == 0:
            return f"contains a NUL character at position {index + 1}"
    return None


def check_text(problems: Problems, name: str, value: object, *, limit: int, required: bool = False) -> None:
    """Free text: any string up to `limit` characters that can be stored exactly."""
    if not isinstance(value, str):
        problems.add(name, "must be text")
        return
    if required and value == "":
        problems.add(name, "must not be empty")
    elif len(value) > limit:
        problems.add(name, f"is {len(value):,} characters long; the limit is {limit:,}. Nothing was saved")
    elif (reason := unstorable_character(value)) is not None:
        problems.add(name, reason)


def check_optional_text(problems: Problems, name: str, value: object, *, limit: int) -> None:
    if value is not None:
        check_text(problems, name, value, limit=limit)


def check_identifier(problems: Problems, name: str, value: object) -> None:
    """Question ids, bank versions, conversation ids: short, URL-safe, never blank."""
    if not isinstance(value, str):
        problems.add(name, "must be text")
    elif not value:
        problems.add(name, "must not be empty")
    elif len(value) > MAX_NAME_CHARS:
        problems.add(name, f"must be at most {MAX_NAME_CHARS} characters")
    elif not _IDENTIFIER.fullmatch(value):
        problems.add(
            name, "may contain only letters, digits, '.', '_' and '-', and must not start with '.' or '-'"
        )


def check_username(problems: Problems, name: str, value: object) -> None:
    if not isinstance(value, str) or not value:
        problems.add(name, "must not be empty")
    elif len(value) > MAX_NAME_CHARS:
        problems.add(name, f"must be at most {MAX_NAME_CHARS} characters")
    elif not _USERNAME.fullmatch(value):
        problems.add(
            name, "may contain only letters, digits, '.', '_', '-' and '@', starting with a letter or digit"
        )


def check_display_name(problems: Problems, name: str, value: object) -> None:
    """Team names: human-readable, but no surrounding spaces that would make two teams look alike."""
    if not isinstance(value, str) or not value.strip():
        problems.add(name, "must not be empty")
    elif value != value.strip():
        problems.add(name, "must not start or end with spaces")
    elif len(value) > MAX_NAME_CHARS:
        problems.add(name, f"must be at most {MAX_NAME_CHARS} characters")
    elif (reason := unstorable_character(value)) is not None or any(ord(c) < 32 for c in value):
        problems.add(name, reason or "must not contain control characters or line breaks")


def check_choice(problems: Problems, name: str, value: object, allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        problems.add(name, f"must be one of: {', '.join(allowed)}")


def check_password(problems: Problems, name: str, value: object) -> None:
    if not isinstance(value, str):
        problems.add(name, "must be text")
    elif len(value) < MIN_PASSWORD_CHARS:
        problems.add(name, f"must be at least {MIN_PASSWORD_CHARS} characters")
    elif len(value) > MAX_PASSWORD_CHARS:
        problems.add(name, f"must be at most {MAX_PASSWORD_CHARS} characters")
    elif (reason := unstorable_character(value)) is not None:
        problems.add(name, reason)


def normalised_json_value(problems: Problems, name: str, value: object) -> Any:
    """Check a structured answer value and return it as JSON will give it back (tuples become lists)."""
    reason = _json_problem(value, depth=0, budget=[MAX_VALUE_ITEMS])
    if reason is not None:
        problems.add(name, reason)
        return None
    return json.loads(json.dumps(value, allow_nan=False))


def _json_problem(value: object, *, depth: int, budget: list[int]) -> str | None:
    budget[0] -= 1
    if budget[0] < 0:
        return f"has more than {MAX_VALUE_ITEMS} items"
    if depth > MAX_VALUE_DEPTH:
        return f"is nested more than {MAX_VALUE_DEPTH} levels deep"
    if value is None or isinstance(value, bool | int):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else "must not contain NaN or infinity"
    if isinstance(value, str):
        if len(value) > MAX_ANSWER_CHARS:
            return f"contains text longer than {MAX_ANSWER_CHARS:,} characters"
        return None if (reason := unstorable_character(value)) is None else reason
    if isinstance(value, list | tuple):
        items: Iterable[object] = value
    elif isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            return "must use text keys"
        items = [*value.keys(), *value.values()]
    else:
        return f"must be JSON (text, number, true/false, null, list or object), not {type(value).__name__}"
    for item in items:
        if (reason := _json_problem(item, depth=depth + 1, budget=budget)) is not None:
            return reason
    return None
