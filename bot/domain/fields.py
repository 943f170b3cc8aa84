"""Field types for the strict models: a JSON type plus one rule of bot.domain.rules, with its message.

The limits appear in the JSON schema too (maxLength, enum), so that openapi.yaml can be checked against the
models; the rule, not pydantic's own constraint, does the refusing, so that the message is ours.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo

from bot.domain import rules
from bot.domain.limits import MAX_ANSWER_CHARS, MAX_NAME_CHARS
from bot.domain.roles import MODES
from bot.domain.strict import FROM_JSON, refusal

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _rule(problem: Callable[[Any], str | None]) -> AfterValidator:
    def check(value: Any) -> Any:
        if (message := problem(value)) is not None:
            raise refusal(message)
        return value

    return AfterValidator(check)


def plain(problem: Callable[[Any], str | None]) -> BeforeValidator:
    """A rule asked of the value as given, before its type is: for inputs built from plain arguments (the CLI,
    a form), whose rules word a wrong type themselves ("must not be empty"), as the store always said."""

    def check(value: Any) -> Any:
        if (message := problem(value)) is not None:
            raise refusal(message)
        return value

    return BeforeValidator(check)


def _text(limit: int, *, required: bool = False) -> AfterValidator:
    return _rule(lambda value: rules.text_problem(value, limit=limit, required=required))


def one_of(allowed: tuple[str, ...]) -> Any:
    """Text that must be one of `allowed` (an enum in the schema)."""
    return Annotated[
        str,
        _rule(lambda value: rules.choice_problem(value, allowed)),
        Field(json_schema_extra={"enum": allowed}),
    ]


Identifier = Annotated[
    str, _rule(rules.identifier_problem), Field(json_schema_extra={"maxLength": MAX_NAME_CHARS})
]
ConversationId = Annotated[
    str, _rule(rules.conversation_id_problem), Field(json_schema_extra={"maxLength": MAX_NAME_CHARS})
]
DisplayName = Annotated[
    str, _rule(rules.display_name_problem), Field(json_schema_extra={"maxLength": MAX_NAME_CHARS})
]
Mode = one_of(MODES)
Username = Annotated[
    str, plain(rules.username_problem), Field(json_schema_extra={"maxLength": MAX_NAME_CHARS})
]
TeamName = Annotated[str, plain(rules.display_name_problem)]
Reason = Annotated[str, plain(rules.reason_problem)]
Email = Annotated[str, plain(rules.email_problem)]
# A practitioner's words, which may be empty (a skipped question), and words that must be there.
Text = Annotated[str, _text(MAX_ANSWER_CHARS), Field(json_schema_extra={"maxLength": MAX_ANSWER_CHARS})]
NonEmptyText = Annotated[
    str,
    _text(MAX_ANSWER_CHARS, required=True),
    Field(json_schema_extra={"minLength": 1, "maxLength": MAX_ANSWER_CHARS}),
]
Source = Annotated[
    str, _text(rules.MAX_SOURCE_CHARS), Field(json_schema_extra={"maxLength": rules.MAX_SOURCE_CHARS})
]
Revision = Annotated[int, _rule(rules.revision_problem), Field(json_schema_extra={"minimum": 1})]
ReportCount = Annotated[int, _rule(rules.report_count_problem), Field(json_schema_extra={"minimum": 0})]


def _json_value(value: Any) -> Any:
    if (message := rules.json_value_problem(value)) is not None:
        raise refusal(message)
    return rules.as_json(value)


JsonValue = Annotated[Any, AfterValidator(_json_value)]


def _fact_date(value: Any, info: ValidationInfo) -> Any:
    """A date, or from JSON its YYYY-MM-DD text; a datetime is not a date (its time would be lost)."""
    if value is None:
        return None
    if info.context and info.context.get(FROM_JSON):
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            raise refusal("must be a date written YYYY-MM-DD, or null")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise refusal(f"{value} is not a real date") from None
    if not isinstance(value, date) or isinstance(value, datetime):
        raise refusal("must be a date")
    return value


FactDate = Annotated[date | None, BeforeValidator(_fact_date)]
