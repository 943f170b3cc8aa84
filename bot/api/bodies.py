"""The request body that is not already a service input: starting or resuming an assessment.

TurnIn (bot.domain.records) is the body of the turn route. Both are strict models built from the same field
types, so each rule and its message is stated once; openapi.yaml is checked against them
(tests/api/test_openapi.py).
"""

from __future__ import annotations

from bot.domain.fields import ConversationId, DisplayName, Mode
from bot.domain.strict import StrictModel


class StartBody(StrictModel):
    conversation_id: ConversationId
    bank_version: DisplayName
    mode: Mode | None = None
