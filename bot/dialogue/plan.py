"""What the dialogue decides for one message: a Plan (what to record, where to move, what to say).

The action server carries a plan out, recording before replying, so a crash between the two loses nothing.
These are plain values so that every decision is tested without an engine or a store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from bot.domain.lifecycle import AssessmentStatus
from bot.domain.positions import Position
from bot.domain.stages import SubmittedStage

Finish = Literal[AssessmentStatus.SUBMITTED, "paused", "stopped"]


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Say:
    """One bot message: literal text, or a domain response by name (wording lives in domain.yml)."""

    text: str | None = None
    response: str | None = None
    buttons: tuple[Button, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AnswerDraft:
    question_id: str
    revision: int
    wording: str
    text: str
    value: Any
    status: Literal["answered", "skipped", "unsure"]
    fact_date: date | None = None


@dataclass(frozen=True)
class UrgentDetail:
    """A reply to a danger follow-up question, kept with the urgent flag: `text` exactly as typed."""

    question_id: str
    wording: str
    text: str


@dataclass(frozen=True)
class Plan:
    say: tuple[Say, ...] = ()
    record: AnswerDraft | None = None
    move_to: Position | None = None  # new position; None keeps the current one
    urgent_message: str | None = None
    # The report was read in typed text: its lead notices wait for the practitioner's check (issue #26).
    urgent_typed: bool = False
    # The practitioner's answer to that check: "confirmed" tells the leads now, "not_danger" stands it down.
    urgent_check: Literal["confirmed", "not_danger"] | None = None
    urgent_detail: UrgentDetail | None = None
    submit: bool = False
    # With `submit`: the screening part alone as a Request for Support, or the full assessment (issue #12).
    submit_stage: SubmittedStage = SubmittedStage.FULL
    finish: Finish | None = None
    start_again: bool = False  # clear every answer (kept in history) and go back to the first question
    # The bot asked something of its own (which did you mean?): wait for the reply, without asking the open
    # question straight after, whose buttons would take the place of the ones just offered.
    wait_for_reply: bool = False
    # The open question could not read the reply: counted towards putting it another way (another_way).
    misfit: bool = False
    # "Which did you mean?" was asked about this message, exactly as typed: kept in the engine's slot so that
    # "Save it as my answer" stores these words, not whatever can be worked out again later (clarify).
    asked_about: str | None = None


def tell(text: str) -> Plan:
    """A plan that only says something: a refusal, an explanation, nothing recorded and nowhere to go."""
    return Plan(say=(Say(text=text),))
