"""The request bodies that are not already a service input: each route's fields for one plain service call.

AnswerIn and TurnIn (bot.domain.records) are the bodies of the answer and turn routes; these four are the
rest. All are strict models built from the same field types, so each rule and its message is stated once;
openapi.yaml is checked against them (tests/api/test_openapi.py).
"""

from __future__ import annotations

from bot.domain.fields import ConversationId, DisplayName, Identifier, Mode, NonEmptyText
from bot.domain.strict import StrictModel


class StartBody(StrictModel):
    conversation_id: ConversationId
    bank_version: DisplayName
    mode: Mode | None = None


class PositionBody(StrictModel):
    question_id: Identifier | None  # required: null (no question to resume at) must be said, not implied


class UrgentBody(StrictModel):
    message: NonEmptyText
