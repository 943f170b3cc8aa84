"""The web chat's display log as the store takes it: strict models that check each line when built.

A ChatMessage (bot.domain.records) is the plain record the store gives back; a line to append is read into
ChatLineIn, so its words are checked (storable, within the limit for who said them) and its buttons are
exactly a title and a payload. A problem names the line as the caller numbered it (`messages[2].text`).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from pydantic import BeforeValidator, ValidationInfo, field_validator, model_validator

from bot.domain.fields import plain
from bot.domain.limits import MAX_ANSWER_CHARS, MAX_BOT_MESSAGE_CHARS
from bot.domain.records import DIRECTIONS, ChatMessage
from bot.domain.rules import choice_problem, text_problem
from bot.domain.strict import StrictModel, refusal

ButtonText = Annotated[str, plain(lambda value: text_problem(value, limit=MAX_ANSWER_CHARS))]


class ChatButtonIn(StrictModel):
    title: ButtonText
    payload: ButtonText

    @model_validator(mode="before")
    @classmethod
    def _exactly(cls, value: object) -> object:
        if not isinstance(value, dict) or set(value) != {"title", "payload"}:
            raise refusal("must have exactly 'title' and 'payload'")
        return value


def _buttons(value: object) -> object:
    if not isinstance(value, list | tuple):
        raise refusal("must be a list")
    return tuple(value)


class ChatLineIn(StrictModel):
    """One line: who said it ("in" the practitioner, "out" the bot), the words exactly as typed or shown,
    the buttons shown with it, and when (None: when it is stored)."""

    direction: Annotated[str, plain(lambda value: choice_problem(value, DIRECTIONS))]
    text: str
    buttons: Annotated[tuple[ChatButtonIn, ...], BeforeValidator(_buttons)]
    created_at: datetime | None

    @field_validator("text", mode="before")
    @classmethod
    def _text(cls, value: object, info: ValidationInfo) -> object:
        # What the bot said may be longer than what a practitioner may type; a refused direction is the bot's.
        limit = MAX_ANSWER_CHARS if info.data.get("direction") == "in" else MAX_BOT_MESSAGE_CHARS
        if (problem := text_problem(value, limit=limit)) is not None:
            raise refusal(problem)
        return value

    @field_validator("created_at", mode="before")
    @classmethod
    def _aware(cls, value: object) -> object:
        if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
            raise refusal("must be a timezone-aware datetime")
        return value


def _record(value: object) -> object:
    if not isinstance(value, ChatMessage):  # a programming slip: only the plain record is read
        raise refusal("must be a ChatMessage")
    return asdict(value)


class ChatLogIn(StrictModel):
    """The lines to append, in order."""

    messages: tuple[Annotated[ChatLineIn, BeforeValidator(_record)], ...]

    @field_validator("messages", mode="before")
    @classmethod
    def _listed(cls, value: object) -> object:
        if not isinstance(value, list | tuple):
            raise refusal("must be a list")
        return tuple(value)

    @classmethod
    def of(cls, messages: list[ChatMessage]) -> ChatLogIn:
        return cls.read({"messages": messages}, {})
