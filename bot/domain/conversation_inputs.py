"""The inputs of a conversation and its assessment as the store is given them (bot.store.conversations,
bot.store.practitioner, bot.store.assessments), each a strict model that checks itself when built, so the
service it is handed to never checks it again.

The JSON API parses its start body straight into StartIn; the services that many callers reach with plain
values (the web chat, Teams, tests) build the model at their door. A turn is a TurnIn (bot.domain.records).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator

from bot.domain import rules
from bot.domain.fields import ConversationId, DisplayName, Identifier, Mode, NonEmptyText, ReportCount
from bot.domain.lifecycle import Mode as RunMode
from bot.domain.strict import StrictModel, refusal

SCENARIO_ID_CHARS = 60  # assessments.scenario_id (0022)
NO_SCENARIO = "a practice run starts from a scenario: name one"
LIVE_SCENARIO = "only a practice run starts from a scenario"


class ConversationIn(StrictModel):
    """A request addressed to one conversation and nothing more (submit, start again)."""

    conversation_id: ConversationId


class StartIn(ConversationIn):
    """Start the conversation's assessment, or resume it (the API's POST /assessments body)."""

    bank_version: DisplayName
    mode: Mode | None = None


class DangerReportIn(ConversationIn):
    """A danger report in the practitioner's words; `known` is how many reports the caller saw before it."""

    message: NonEmptyText
    known: ReportCount | None


class OpenConversationIn(StrictModel):
    channel: Identifier


class OpenAssessmentIn(StrictModel):
    """A new conversation and its assessment, started by a practitioner. Issue #13: without a scenario there
    is no practice run, and a live run has none; one that adds to a submitted assessment (`linked_from`)
    keeps that one's mode and scenario, so neither is checked for it."""

    channel: Identifier
    bank_version: DisplayName
    linked_from: str | None = None
    mode: Mode = RunMode.LIVE
    scenario_id: Annotated[str | None, Field(validate_default=True)] = None

    @field_validator("scenario_id", mode="before")
    @classmethod
    def _fits_mode(cls, value: Any, info: ValidationInfo) -> Any:
        if info.data.get("linked_from") is not None:
            return value
        if value is not None:
            if (problem := rules.identifier_problem(value)) is not None:
                raise refusal(problem)
            if len(value) > SCENARIO_ID_CHARS:
                raise refusal(f"at most {SCENARIO_ID_CHARS} characters")
        mode = info.data.get("mode")  # absent when the mode itself was refused
        if mode == RunMode.REHEARSAL and value is None:
            raise refusal(NO_SCENARIO)
        if mode == RunMode.LIVE and value is not None:
            raise refusal(LIVE_SCENARIO)
        return value
