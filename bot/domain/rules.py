"""The rules a stored value must meet, each stated once and returning the message a person can act on.

Text is checked, never changed: a practitioner's words are stored exactly as typed, so anything the database
cannot hold byte for byte (lone surrogates, NUL, which PostgreSQL refuses) is refused whole with a message
rather than silently altered. Every strict model (bot.domain.fields and the models of each service input,
the review's forms included) asks these functions, so no two inputs can disagree on a message.
Each returns None when the value is fine.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any

from bot.domain.limits import MAX_ANSWER_CHARS, MAX_NAME_CHARS
from bot.domain.password_rules import weak_password_problem

MAX_SOURCE_CHARS = 1_000
MAX_VALUE_ITEMS = 500
MAX_VALUE_DEPTH = 6
MAX_REVISION = 2**31 - 1  # the column is a 32-bit integer
MAX_EMAIL_CHARS = 254
MAX_REASON_CHARS = 1_000  # why an account was changed (account_changes.reason)
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1_024
MISSING_REASON = "give the reason for this change"

# Identifiers appear in URLs and audit lines; keep them to characters that need no escaping.
_IDENTIFIER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@\-]*")
# Azure AD ids (a Teams user's tenant and object id).
_GUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
# One plain address, no display name, no spaces or line breaks (it goes into a mail header as it is).
_EMAIL = re.compile(
    r"(?=.{3,254}\Z)"
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?=.{1,253}\Z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*",
    re.ASCII,
)


def unstorable_character(text: str) -> str | None:
    """Describe the first character the database cannot store exactly, or None if all are fine."""
    for index, char in enumerate(text):
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            return f"contains an incomplete character (lone surrogate U+{code:04X}) at position {index + 1}"
        if code == 0:
            return f"contains a NUL character at position {index + 1}"
    return None


def text_problem(value: object, *, limit: int, required: bool = False) -> str | None:
    """Free text: any string up to `limit` characters that can be stored exactly."""
    if not isinstance(value, str):
        return "must be text"
    if required and value == "":
        return "must not be empty"
    if len(value) > limit:
        return f"is {len(value):,} characters long; the limit is {limit:,}. Nothing was saved"
    return unstorable_character(value)


def written_problem(value: str, *, missing: str, limit: int = MAX_ANSWER_CHARS) -> str | None:
    """Text a person must write on a form: spaces alone count as missing (there is nothing to save), any
    other text is free text, kept exactly as typed (never trimmed)."""
    return missing if value.strip() == "" else text_problem(value, limit=limit)


def identifier_problem(value: object) -> str | None:
    """Question ids, bank versions, conversation ids: short, URL-safe, never blank."""
    if not isinstance(value, str):
        return "must be text"
    if not value:
        return "must not be empty"
    if len(value) > MAX_NAME_CHARS:
        return f"must be at most {MAX_NAME_CHARS} characters"
    if not _IDENTIFIER.fullmatch(value):
        return "may contain only letters, digits, '.', '_' and '-', and must not start with '.' or '-'"
    return None


def conversation_id_problem(value: object) -> str | None:
    """The engine's sender id: any storable text (it is never put in a URL unescaped)."""
    if not isinstance(value, str) or not value:
        return "must be non-empty text"
    if len(value) > MAX_NAME_CHARS:
        return f"must be at most {MAX_NAME_CHARS} characters"
    return unstorable_character(value)  # never passed to the driver (PostgreSQL refuses NUL)


def username_problem(value: object) -> str | None:
    """A sign-in name: it appears in URLs and audit lines, and may be an email-like name."""
    if not isinstance(value, str) or not value:
        return "must not be empty"
    if len(value) > MAX_NAME_CHARS:
        return f"must be at most {MAX_NAME_CHARS} characters"
    if not _USERNAME.fullmatch(value):
        return "may contain only letters, digits, '.', '_', '-' and '@', starting with a letter or digit"
    return None


def password_problem(value: object, username: str | None = None) -> str | None:
    """Every place a password is set asks this, so the common-password rules (bot.domain.password_rules)
    can never be skipped by one door."""
    if not isinstance(value, str):
        return "must be text"
    if len(value) < MIN_PASSWORD_CHARS:
        return f"must be at least {MIN_PASSWORD_CHARS} characters"
    if len(value) > MAX_PASSWORD_CHARS:
        return f"must be at most {MAX_PASSWORD_CHARS} characters"
    return unstorable_character(value) or weak_password_problem(value, username)


def reason_problem(value: object) -> str | None:
    """Why an account was changed: kept verbatim, so spaces alone are no reason."""
    if (problem := text_problem(value, limit=MAX_REASON_CHARS, required=True)) is not None:
        return problem
    return MISSING_REASON if isinstance(value, str) and not value.strip() else None


def guid_problem(value: object) -> str | None:
    """Azure AD ids are GUIDs (compared in lower case, as Teams sends them)."""
    if not isinstance(value, str) or not _GUID.fullmatch(value):
        return "must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47"
    return None


def display_name_problem(value: object) -> str | None:
    """Team names, bank versions: human-readable, but no surrounding spaces that would make two look alike."""
    if not isinstance(value, str) or not value.strip():
        return "must not be empty"
    if value != value.strip():
        return "must not start or end with spaces"
    if len(value) > MAX_NAME_CHARS:
        return f"must be at most {MAX_NAME_CHARS} characters"
    if (reason := unstorable_character(value)) is not None:
        return reason
    if any(ord(c) < 32 for c in value):
        return "must not contain control characters or line breaks"
    return None


def email_problem(value: object) -> str | None:
    """An address for urgent notices: refused with a message rather than repaired, like all input."""
    if not isinstance(value, str) or not value:
        return "must be an email address such as name@example.org"
    if len(value) > MAX_EMAIL_CHARS:
        return f"must be at most {MAX_EMAIL_CHARS} characters"
    if not _EMAIL.fullmatch(value) or len(value.partition("@")[0]) > 64:
        return f"{value!r} is not an email address such as name@example.org"
    return None


def choice_problem(value: object, allowed: Iterable[str]) -> str | None:
    allowed = tuple(allowed)
    return None if value in allowed else f"must be one of: {', '.join(allowed)}"


def revision_problem(value: object) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        return "must be a whole number, 1 or more"
    return "is too large" if value > MAX_REVISION else None


def report_count_problem(value: object) -> str | None:
    """How many danger reports a caller saw before its own (the key that makes reporting idempotent)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return "must be a whole number, 0 or more"
    return "is too large" if value > MAX_REVISION else None


def json_value_problem(value: object) -> str | None:
    """Whether a structured answer value is JSON the database can keep exactly (small, shallow, storable)."""
    return _json_problem(value, depth=0, budget=[MAX_VALUE_ITEMS])


def as_json(value: Any) -> Any:
    """A value that passed json_value_problem, as JSON will give it back (tuples become lists), so that a
    replay compares equal to what was stored."""
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
        return unstorable_character(value)
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
