"""Checks of the store's plain arguments (names, passwords, ids), collected into one ValidationError.

The rules themselves, and their messages, are stated once in bot.domain.rules; the service inputs that are
strict models (AnswerIn, TurnIn) check themselves when built with the same rules. What is left here is the
collecting, for arguments that are plain strings rather than models.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.errors import ValidationError
from bot.domain.rules import (
    choice_problem,
    display_name_problem,
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


def check_display_name(problems: Problems, name: str, value: object) -> None:
    problems.add_if(name, display_name_problem(value))


def check_choice(problems: Problems, name: str, value: object, allowed: Iterable[str]) -> None:
    problems.add_if(name, choice_problem(value, allowed))
