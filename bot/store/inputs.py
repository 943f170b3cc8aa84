"""Checks of whole service inputs (an answer, a batch of chat messages), built from bot.store.validation.

Kept apart from the service so that the service reads as the sequence of things that happen to the record,
and so that every refusal is decided before a transaction is opened.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from bot.domain.records import ANSWER_STATUSES, DIRECTIONS, AnswerIn, ChatMessage
from bot.limits import MAX_ANSWER_CHARS, MAX_NAME_CHARS
from bot.store.validation import (
    MAX_BOT_MESSAGE_CHARS,
    MAX_SOURCE_CHARS,
    Problems,
    check_choice,
    check_identifier,
    check_optional_text,
    check_text,
    normalised_json_value,
    unstorable_character,
)


def check_conversation_id(problems: Problems, conversation_id: object) -> None:
    if not isinstance(conversation_id, str) or not conversation_id:
        problems.add("conversation_id", "must be non-empty text")
    elif len(conversation_id) > MAX_NAME_CHARS:
        problems.add("conversation_id", f"must be at most {MAX_NAME_CHARS} characters")
    elif (unstorable := unstorable_character(conversation_id)) is not None:
        problems.add("conversation_id", unstorable)  # never passed to the driver (PostgreSQL refuses NUL)


def findable(value: object) -> bool:
    """Whether a looked-up id or name could be stored at all; one that could not matches nothing, and is
    never handed to the database driver (which would fail on it rather than find nothing)."""
    return isinstance(value, str) and len(value) <= MAX_NAME_CHARS and unstorable_character(value) is None


def checked_answer(conversation_id: str, answer: AnswerIn) -> AnswerIn:
    problems = Problems()
    check_conversation_id(problems, conversation_id)
    check_identifier(problems, "question_id", answer.question_id)
    if not isinstance(answer.revision, int) or isinstance(answer.revision, bool) or answer.revision < 1:
        problems.add("revision", "must be a whole number, 1 or more")
    elif answer.revision > 2**31 - 1:
        problems.add("revision", "is too large")
    check_text(problems, "wording", answer.wording, limit=MAX_ANSWER_CHARS, required=True)
    check_text(problems, "text", answer.text, limit=MAX_ANSWER_CHARS)
    value = normalised_json_value(problems, "value", answer.value)
    check_choice(problems, "status", answer.status, ANSWER_STATUSES)
    check_optional_text(problems, "source", answer.source, limit=MAX_SOURCE_CHARS)
    if answer.fact_date is not None and (
        not isinstance(answer.fact_date, date) or isinstance(answer.fact_date, datetime)
    ):
        problems.add("fact_date", "must be a date")
    problems.raise_if_any()
    return replace(answer, value=value)


def check_chat_messages(messages: list[ChatMessage]) -> None:
    problems = Problems()
    if not isinstance(messages, list):
        problems.add("messages", "must be a list")
        problems.raise_if_any()
    for index, message in enumerate(messages):
        name = f"messages[{index}]"
        if not isinstance(message, ChatMessage):
            problems.add(name, "must be a ChatMessage")
            continue
        check_choice(problems, f"{name}.direction", message.direction, DIRECTIONS)
        limit = MAX_ANSWER_CHARS if message.direction == "in" else MAX_BOT_MESSAGE_CHARS
        check_text(problems, f"{name}.text", message.text, limit=limit)
        if not isinstance(message.buttons, list):
            problems.add(f"{name}.buttons", "must be a list")
            continue
        for b, button in enumerate(message.buttons):
            if not isinstance(button, dict) or set(button) != {"title", "payload"}:
                problems.add(f"{name}.buttons[{b}]", "must have exactly 'title' and 'payload'")
                continue
            for key in ("title", "payload"):
                check_text(problems, f"{name}.buttons[{b}].{key}", button[key], limit=MAX_ANSWER_CHARS)
        if message.created_at is not None and (
            not isinstance(message.created_at, datetime) or message.created_at.tzinfo is None
        ):
            problems.add(f"{name}.created_at", "must be a timezone-aware datetime")
    problems.raise_if_any()
