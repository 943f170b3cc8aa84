"""Where an answer's structured value is kept (issue #31, revision 0036): plain in `answers.value` when it is
a closed answer the reports group by in SQL, sealed in `answers.sealed_value` otherwise.

The store does not know the question bank (the question's type reaches it only as the value's shape), so the
rule is by shape, and errs towards sealing: a value stays plain only when it is null, true/false, or one or
more choice ids (lower-case letters, digits and underscores: yes, no, not_sure, teacher ...) **and** is not
simply the words typed (a free-text answer's value is its text, so a one-word free-text answer such as "bob"
is sealed). Ages, dates, rough dates (which keep the words typed) and free text are sealed. A closed answer
sealed by this rule (someone typed exactly "yes") reads back the same and is counted the same: the reports
open the sealed values of the questions they count in Python (bot.store.report_queries.answer_counts).

The sealed form is the value's JSON, so a number, a date string or a mapping reads back exactly as written.
Migration 0036 keeps its own frozen copy of this rule.
"""

from __future__ import annotations

import json
import re
from typing import Any

_CHOICE_ID = re.compile(r"[a-z0-9_]{1,100}")


def is_closed(value: Any, text: str) -> bool:
    """True when the value can stay plain: null, a boolean, or choice ids that are not the typed words."""
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, str):
        return bool(_CHOICE_ID.fullmatch(value)) and value != text
    if isinstance(value, list):
        return all(isinstance(v, str) and _CHOICE_ID.fullmatch(v) for v in value) and value != [text]
    return False


def split_value(value: Any, text: str) -> tuple[Any, str | None]:
    """(plain value, sealed JSON) to store for an answer: exactly one of them carries the value."""
    if is_closed(value, text):
        return value, None
    return None, json.dumps(value, ensure_ascii=False)


def joined_value(plain: Any, sealed: str | None) -> Any:
    """The value as it was written, from the two columns (the sealed one already opened)."""
    return plain if sealed is None else json.loads(sealed)
