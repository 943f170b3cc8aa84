"""The collector of problems for the checks not yet written as strict models, into one ValidationError.

Every service input of the store is a strict model that checks itself when built (bot.domain.account_inputs,
conversation_inputs, teams_inputs, records), with the rules of bot.domain.rules. What still collects here,
until each becomes a model too (issue #29 point 8): the review's decision, sharing, outcome and tag forms
(bot.review.decision_checks, next_checks, tag_checks, which other work is changing) and the web chat's
display log (bot.store.inputs.check_chat_messages, whose ChatMessage is a plain record).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.errors import ValidationError
from bot.domain.rules import (
    choice_problem,
    identifier_problem,
    text_problem,
    unstorable_character,
)

__all__ = ["Problems", "unstorable_character"]  # unstorable_character: for the callers that imported it here

MAX_BOT_MESSAGE_CHARS = 100_000


class Problems:
    """Collects every problem with one request so the caller can fix them all at once."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, message)

    def add_if(self, name: str, message: str | None) -> None:
        if message is not None:
            self.add(name, message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationError(self.fields)


def check_text(problems: Problems, name: str, value: object, *, limit: int, required: bool = False) -> None:
    """Free text: any string up to `limit` characters that can be stored exactly."""
    problems.add_if(name, text_problem(value, limit=limit, required=required))


def check_identifier(problems: Problems, name: str, value: object) -> None:
    problems.add_if(name, identifier_problem(value))


def check_choice(problems: Problems, name: str, value: object, allowed: Iterable[str]) -> None:
    problems.add_if(name, choice_problem(value, allowed))
