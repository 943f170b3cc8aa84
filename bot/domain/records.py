"""Plain records passed across the store's boundary, and their JSON form.

Services return these instead of ORM objects so that no caller can lazily load or accidentally change a row
outside the service's transaction. The JSON form lives here, beside the records, so that the API, the export
and the web pages agree on one wire format. No SQLAlchemy import: the action server's client uses these too.
The inputs (AnswerIn, UrgentDetailIn, TurnIn) are strict models that check themselves when built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from bot.domain.fields import (
    FactDate,
    Identifier,
    JsonValue,
    NonEmptyText,
    ReportCount,
    Revision,
    Source,
    Text,
    one_of,
)
from bot.domain.lifecycle import AssessmentStatus
from bot.domain.stages import SubmittedStage
from bot.domain.strict import StrictModel

ASSESSMENT_STATUSES = tuple(status.value for status in AssessmentStatus)
ANSWER_STATUSES = ("answered", "skipped", "unsure")  # what a client may send
WITHDRAWN = "withdrawn"  # written only when the practitioner starts again
DIRECTIONS = ("in", "out")
ACTOR_KINDS = ("user", "service", "cli")

Direction = Literal["in", "out"]


@dataclass(frozen=True)
class Actor:
    """Who is making a change, for the audit trail."""

    kind: str  # user | service | cli
    id: str | None = None

    @classmethod
    def user(cls, user_id: int) -> Actor:
        return cls("user", str(user_id))


SERVICE_ACTOR = Actor("service", "api")
CLI_ACTOR = Actor("cli", None)


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    role: str
    team: str
    email: str | None = None  # where urgent notices go, if anywhere


@dataclass(frozen=True)
class TeamLeadGap:
    """A team an urgent report would reach no lead in: `leads` is 0 (no active lead while `raisers` people
    may raise concerns), or every one of its `leads` has neither an address nor a known Teams chat."""

    team: str
    raisers: int
    leads: int

    @property
    def no_lead(self) -> bool:
        return self.leads == 0


@dataclass(frozen=True)
class ChatMessage:
    """One line of the web chat's display log; `text` is exactly what was typed or shown."""

    direction: Direction
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    created_at: datetime | None = None


AnswerStatus = one_of(ANSWER_STATUSES)
# The practitioner's answer to "is anyone in danger now?" after danger was read in their typed text (#26):
# "confirmed" for yes, not sure or anything but a clear no; "not_danger" for a clear no.
URGENT_CHECKS = ("confirmed", "not_danger")
UrgentCheck = one_of(URGENT_CHECKS)


class AnswerIn(StrictModel):
    """An answer as the action server sends it; `text` is the practitioner's words, verbatim.

    A strict model: building one checks it (and gives `value` back as JSON would), so the store never needs
    to check it again; a bad one raises ValidationError naming each field.
    """

    question_id: Identifier
    revision: Revision
    wording: NonEmptyText = Field(description="The question as shown")
    text: Text = Field(description="The practitioner's words, verbatim")
    value: JsonValue = Field(description="The structured value (any JSON)")
    status: AnswerStatus
    source: Source | None = None
    fact_date: FactDate = None


class UrgentDetailIn(StrictModel):
    """An answer to a danger follow-up question (what is happening, 999, where, who with): kept with the
    urgent flag, `text` verbatim, `wording` the question as it was asked."""

    question_id: Identifier = Field(description="The follow-up step's id")
    wording: NonEmptyText = Field(description="The question as asked")
    text: NonEmptyText = Field(description="The reply, verbatim")


class TurnIn(StrictModel):
    """Everything one practitioner message changes, applied together (see AssessmentService.apply_turn).

    `move_to` is the new position when `move` is true (None then means "the first question"); the
    separate flag keeps "don't move" and "move to the start" apart. In JSON, `move` is whether `move_to`
    is present at all.
    """

    answer: AnswerIn | None = None
    start_again: bool = False
    move: bool = False
    move_to: Identifier | None = None
    urgent_message: NonEmptyText | None = None
    # Issue #29: how many danger reports the record the plan was made from held, so that the report is raised
    # once however often the turn arrives (AssessmentService.report_danger); None raises one every time.
    urgent_known: ReportCount | None = None
    # Issue #26: the report was read in what the practitioner typed (not the button, not the danger question),
    # so its lead notices wait briefly for their answer to "is anyone in danger now?" (`urgent_check`).
    urgent_typed: bool = False
    urgent_check: UrgentCheck | None = None
    urgent_detail: UrgentDetailIn | None = None
    submit: bool = False
    # With `submit`: a Request for Support (the screening part only) or the full assessment (issue #12).
    submit_stage: Literal["screening", "full"] = "full"

    def to_json(self) -> dict[str, Any]:
        """The body of POST /conversations/{cid}/turn: what differs from the defaults, and `move_to` exactly
        when `move` (the route reads `move` from its presence), so parsing it back gives this very turn."""
        body = self.model_dump(mode="json", exclude_defaults=True, exclude={"move", "move_to"})
        if self.move:
            body["move_to"] = self.move_to
        return body


@dataclass(frozen=True)
class AnswerRecord:
    question_id: str
    revision: int
    wording: str
    text: str
    value: Any
    status: str
    source: str | None
    fact_date: date | None
    recorded_at: datetime

    def same_content(self, answer: AnswerIn) -> bool:
        """True when `answer` is a replay of this revision (what matters for idempotency)."""
        return (
            self.question_id == answer.question_id
            and self.revision == answer.revision
            and self.wording == answer.wording
            and self.text == answer.text
            and _same_json(self.value, answer.value)
            and self.status == answer.status
            and self.source == answer.source
            and self.fact_date == answer.fact_date
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "revision": self.revision,
            "wording": self.wording,
            "text": self.text,
            "value": self.value,
            "status": self.status,
            "source": self.source,
            "fact_date": _iso(self.fact_date),
            "recorded_at": _iso(self.recorded_at),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AnswerRecord:
        return cls(
            question_id=data["question_id"],
            revision=int(data["revision"]),
            wording=data["wording"],
            text=data["text"],
            value=data.get("value"),
            status=data["status"],
            source=data.get("source"),
            fact_date=_date(data.get("fact_date")),
            recorded_at=datetime.fromisoformat(data["recorded_at"]),
        )


@dataclass(frozen=True)
class UrgentMessage:
    """A danger report (question_id and wording None) or an answer to a danger follow-up question."""

    text: str
    flagged_at: datetime
    question_id: str | None = None
    wording: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "flagged_at": _iso(self.flagged_at),
            "question_id": self.question_id,
            "wording": self.wording,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> UrgentMessage:
        return cls(
            text=data["text"],
            flagged_at=datetime.fromisoformat(data["flagged_at"]),
            question_id=data.get("question_id"),
            wording=data.get("wording"),
        )


# Where answer_values() says that an assessment adds to an earlier one (its reference): what the question
# bank's `{linked: true}` condition reads (bot.questions.model.LINKED). No question id can be this.
LINKED_FROM_KEY = "@linked_from"
SKIPPED_KEY = "@skipped"  # answer_values()' skipped ids: unlike "not sure" (also None) a skip raises nothing


@dataclass(frozen=True)
class AssessmentRecord:
    """An assessment with its current answers (the highest revision of each question).

    `answers` is keyed by question id in the order questions were first answered; in JSON it is a list in
    that order, each item naming its question.
    """

    id: int
    reference: str
    conversation_id: str
    practitioner_id: int | None
    practitioner: str | None
    team: str | None
    mode: str
    status: str
    bank_version: str
    current_question_id: str | None
    # A danger report after the latest stand-down by a lead (issue #26: bot.store.repository.urgent_now);
    # `urgent_messages` keeps every report and follow-up answer, stood down or not.
    urgent: bool
    urgent_first_at: datetime | None
    urgent_messages: tuple[UrgentMessage, ...]
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    answers: dict[str, AnswerRecord]
    # question id -> highest revision stored, withdrawn answers included: the next revision of a cleared
    # answer must follow it, or the store would refuse it as a conflicting replay.
    latest_revisions: dict[str, int] = field(default_factory=dict)
    # When no lead had been reached about an urgent flag in time and the practitioner was told to phone one.
    lead_unreached_at: datetime | None = None
    # The reference of the earlier, submitted assessment this one adds to ("Add to this assessment").
    linked_from: str | None = None
    # How far it went before it was submitted: a Request for Support or the full assessment; None in progress.
    submitted_stage: SubmittedStage | None = None

    @property
    def danger_reports(self) -> int:
        """How many danger reports it holds (follow-up answers aside): the key a new report is raised
        against, once (AssessmentService.report_danger)."""
        return sum(1 for message in self.urgent_messages if message.question_id is None)

    def answer_values(self) -> dict[str, Any]:
        """Current values by question id, for the bank to pick the next question; an addition's earlier
        reference under LINKED_FROM_KEY, and the skipped questions' ids under SKIPPED_KEY (issue #18)."""
        values: dict[str, Any] = {qid: answer.value for qid, answer in self.answers.items()}
        if self.linked_from is not None:
            values[LINKED_FROM_KEY] = self.linked_from
        if skipped := sorted(qid for qid, answer in self.answers.items() if answer.status == "skipped"):
            values[SKIPPED_KEY] = skipped
        return values

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "reference": self.reference,
            "conversation_id": self.conversation_id,
            "practitioner_id": self.practitioner_id,
            "practitioner": self.practitioner,
            "team": self.team,
            "mode": self.mode,
            "status": self.status,
            "bank_version": self.bank_version,
            "current_question_id": self.current_question_id,
            "urgent": self.urgent,
            "urgent_first_at": _iso(self.urgent_first_at),
            "urgent_messages": [message.to_json() for message in self.urgent_messages],
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
            "submitted_at": _iso(self.submitted_at),
            "answers": [answer.to_json() for answer in self.answers.values()],
            "latest_revisions": dict(self.latest_revisions),
            "lead_unreached_at": _iso(self.lead_unreached_at),
            "linked_from": self.linked_from,
            "submitted_stage": self.submitted_stage.value if self.submitted_stage else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AssessmentRecord:
        """The record from the store API's reply (the action server's side of `to_json`)."""
        answers = (AnswerRecord.from_json(answer) for answer in data.get("answers") or [])
        return cls(
            id=int(data["id"]),
            reference=data["reference"],
            conversation_id=data["conversation_id"],
            practitioner_id=data.get("practitioner_id"),
            practitioner=data.get("practitioner"),
            team=data.get("team"),
            mode=data["mode"],
            status=data["status"],
            bank_version=data["bank_version"],
            current_question_id=data.get("current_question_id"),
            urgent=bool(data.get("urgent")),
            urgent_first_at=_datetime(data.get("urgent_first_at")),
            urgent_messages=tuple(UrgentMessage.from_json(m) for m in data.get("urgent_messages") or []),
            created_at=datetime.fromisoformat(data["created_at"]),
            updated_at=datetime.fromisoformat(data["updated_at"]),
            submitted_at=_datetime(data.get("submitted_at")),
            answers={answer.question_id: answer for answer in answers},
            latest_revisions={str(k): int(v) for k, v in (data.get("latest_revisions") or {}).items()},
            lead_unreached_at=_datetime(data.get("lead_unreached_at")),
            linked_from=data.get("linked_from"),
            submitted_stage=SubmittedStage(data["submitted_stage"]) if data.get("submitted_stage") else None,
        )


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _datetime(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _same_json(left: Any, right: Any) -> bool:
    """Equality that, unlike ==, tells True from 1 and 1 from 1.0, as JSON readers would."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(_same_json(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(_same_json(a, b) for a, b in zip(left, right, strict=True))
    return bool(left == right)
