"""Assessments, as the action server drives them one message at a time: start or resume, answers, the
position, the mode, urgent flags, start again, submission; and reading one back or exporting it.

Bad input raises `ValidationError` before anything is written; a well-formed request that clashes with the
record raises `ConflictError`; a missing conversation or assessment raises `NotFoundError`. Each request is
one transaction with its audit events; the changes themselves are in bot.store.assessment_changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.conversation_inputs import ConversationIn, DangerReportIn, StartIn
from bot.domain.errors import ConflictError, NotFoundError, NotPermittedError, ValidationError
from bot.domain.lifecycle import Mode
from bot.domain.limits import DEFAULT_TYPED_DANGER_CHECK_SECONDS
from bot.domain.records import SERVICE_ACTOR, Actor, AnswerIn, AssessmentRecord, TurnIn
from bot.domain.stages import SubmittedStage
from bot.store import assessment_changes as changes
from bot.store import danger_check, inputs, repository
from bot.store.db import WriteOutcomeUnknown, cut_mid_way, store_unreachable
from bot.store.export import build_export
from bot.store.models import Assessment, User, utcnow
from bot.store.unit_of_work import Service, UnitOfWork


class AssessmentService(Service):
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        actor: Actor = SERVICE_ACTOR,
        clock: Callable[[], datetime] = utcnow,
        typed_danger_check: timedelta = timedelta(seconds=DEFAULT_TYPED_DANGER_CHECK_SECONDS),
    ) -> None:
        super().__init__(session_factory, actor=actor, clock=clock)
        # How long the notices of danger read in typed text wait for the practitioner's check (danger_check).
        self._typed_danger_check = typed_danger_check

    def for_actor(self, actor: Actor) -> AssessmentService:
        return AssessmentService(
            self._sessions, actor=actor, clock=self._clock, typed_danger_check=self._typed_danger_check
        )

    def start_or_resume(
        self, conversation_id: str, bank_version: str, mode: str | None = None
    ) -> AssessmentRecord:
        """`start` from plain values (the action server and tests pass them); the input checks itself."""
        return self.start(StartIn(conversation_id=conversation_id, bank_version=bank_version, mode=mode))

    def start(self, given: StartIn) -> AssessmentRecord:
        """Start the conversation's assessment, or resume it (the API parses its body into `given`)."""
        conversation_id, bank_version, mode = given.conversation_id, given.bank_version, given.mode

        def start(uow: UnitOfWork) -> AssessmentRecord:
            session = uow.session
            conversation = uow.conversation(conversation_id)
            existing = repository.assessment_by_sender(session, conversation_id)
            if existing is not None:
                if mode is not None and mode != existing.mode:
                    # Issue #26: a run's mode is fixed when it starts; a live run never becomes practice.
                    raise ConflictError(
                        {"mode": f"this assessment is a {existing.mode} run; a run's mode never changes"}
                    )
                return repository.assessment_record(session, existing)
            user = session.get(User, conversation.user_id) if conversation.user_id is not None else None
            assessment = changes.start_assessment(
                uow, conversation, user, mode=mode or Mode.LIVE, bank_version=bank_version
            )
            return repository.assessment_record(session, assessment)

        return self._write(start)

    def report_danger(
        self, conversation_id: str, message: str, *, known: int | None, typed: bool = False
    ) -> AssessmentRecord:
        """The one way a danger report reaches the store, from every path (issue #29): the action server's
        turn, and the chat's own call when the engine or the action server could not raise it (web and Teams
        alike). It commits on its own, with its lead notices (bot.store.notices) and its audit event.

        `known` is how many danger reports the caller saw on the assessment before this one
        (`AssessmentRecord.danger_reports`): the report is raised once, whoever calls first, and every later
        call with the same `known` (a retry, the chat's check after the action server raised it, two at
        once) writes nothing and returns the record. None raises a new report on every call.
        `typed` when it was read in what the practitioner typed, so that its lead notices wait for their
        answer to "is anyone in danger now?" (bot.store.danger_check)."""
        DangerReportIn(conversation_id=conversation_id, message=message, known=known)
        return self._raise_danger(conversation_id, message, known, typed=typed)

    def _raise_danger(
        self, conversation_id: str, message: str, known: int | None, *, typed: bool
    ) -> AssessmentRecord:
        """`report_danger` once its input is checked (by DangerReportIn, or as a TurnIn's fields)."""
        checking_for = self._typed_danger_check if typed else None
        return self._change(conversation_id, changes.urgent_flag(message, checking_for, known))

    def submit(self, conversation_id: str) -> AssessmentRecord:
        ConversationIn(conversation_id=conversation_id)
        return self._change(conversation_id, changes.submission())

    def start_again(self, conversation_id: str) -> AssessmentRecord:
        """Clear every current answer and go back to the first question, in one transaction.

        Nothing is deleted: each cleared answer gets a new "withdrawn" revision, so the history of what was
        said stays for the record while the lead's view shows only what the practitioner stands by. The
        urgent flag and the mode stay: a danger report is never unsaid, and a run's mode never changes.
        Repeating it with nothing left to clear changes nothing, so a retried request is harmless.
        """
        ConversationIn(conversation_id=conversation_id)
        return self._change(conversation_id, changes.start_again())

    def apply_turn(self, conversation_id: str, turn: TurnIn) -> AssessmentRecord:
        """Everything one message changes, in one transaction: the answer, start again, the new
        position and submission, so a crash can never leave an answer recorded but the position not moved.

        The urgent flag is the exception: it commits first, on its own, so that if anything after it is
        refused (a conflicting replay, say) the danger report is still in the record. An urgent detail (an
        answer to a danger follow-up question) is part of the one transaction: it adds to a flag already
        raised, so it is no new danger report and notifies no one.

        The practitioner's answer to "is anyone in danger now?" after danger was read in their typed text
        (`urgent_check`, bot.store.danger_check): "confirmed" commits first, on its own, like the flag, so
        that the leads' notices go even if the rest is refused; "not_danger" is part of the one transaction.
        """
        inputs.check_turn(conversation_id, turn)  # the TurnIn checked its fields when it was built
        answer = inputs.checked_answer(conversation_id, turn.answer) if turn.answer is not None else None
        try:
            return self._apply_turn(conversation_id, turn, answer)
        except Exception as error:
            # The connection went mid-way: the server may have rolled the turn back, or committed it with
            # its reply to COMMIT lost on the way. Only the database knows, so ask it by applying the turn
            # once more on a new connection: every part of a turn is idempotent (the answer by revision,
            # the position absolute, the danger report by `urgent_known`, the danger check and submission
            # no-ops once made), so a turn that did land changes nothing and returns the stored record.
            # An urgent detail, or a danger report without its count, is appended, so it is not replayed.
            # Nor is a turn that never had a connection (the server still down after the connection's
            # wait): it sent nothing, and a second wait would outlast the action server's (limits).
            if not cut_mid_way(error):
                raise
            if not _replayable(turn):
                raise WriteOutcomeUnknown("a turn that is not replayed was cut mid-way") from error
            try:
                return self._apply_turn(conversation_id, turn, answer)
            except Exception as replay_error:
                # The database went away for longer than the new connection waits: the first attempt may
                # still have landed, so the caller is told it cannot be known, never that nothing moved.
                if not store_unreachable(replay_error):
                    raise
                raise WriteOutcomeUnknown("a turn cut mid-way could not be checked") from replay_error

    def _apply_turn(self, conversation_id: str, turn: TurnIn, answer: AnswerIn | None) -> AssessmentRecord:
        if turn.urgent_message is not None:
            self._raise_danger(
                conversation_id, turn.urgent_message, turn.urgent_known, typed=turn.urgent_typed
            )
        if turn.urgent_check == "confirmed":
            self._change(conversation_id, danger_check.confirmed())

        to_make: list[changes.Change] = []
        if turn.urgent_check == "not_danger":
            to_make.append(danger_check.stood_down_by_practitioner())
        if turn.urgent_detail is not None:
            to_make.append(changes.urgent_detail(turn.urgent_detail))
        if turn.start_again:
            to_make.append(changes.start_again())
        if turn.move:
            to_make.append(changes.position(turn.move_to))
        if turn.submit:
            to_make.append(changes.submission(SubmittedStage(turn.submit_stage)))

        def apply(uow: UnitOfWork) -> AssessmentRecord:
            assessment = uow.assessment(conversation_id)
            _refuse_if_deactivated(assessment, conversation_id)
            if answer is not None:
                changes.put_answer(uow, assessment, answer)
            for change in to_make:
                changes.apply(uow, assessment, change)
            return repository.assessment_record(uow.session, assessment)

        return self._write(apply)

    def get_assessment(
        self, conversation_id: str | None = None, assessment_id: int | str | None = None
    ) -> AssessmentRecord | None:
        with self._reading() as uow:
            assessment = _find(uow, conversation_id, assessment_id)
            return repository.assessment_record(uow.session, assessment) if assessment else None

    def assessment_mode(self, conversation_id: str) -> str | None:
        """Live or rehearsal, without loading the answers: the chat page asks on every view."""
        if not inputs.findable(conversation_id):
            return None
        with self._reading() as uow:
            assessment = repository.assessment_by_sender(uow.session, conversation_id)
            return assessment.mode if assessment else None

    def export(
        self, conversation_id: str | None = None, assessment_id: int | str | None = None
    ) -> dict[str, Any]:
        def export_(uow: UnitOfWork) -> dict[str, Any]:
            assessment = _find(uow, conversation_id, assessment_id)
            if assessment is None:
                raise NotFoundError({"assessment": "no assessment matches"})
            uow.audit(AuditAction.ASSESSMENT_EXPORTED, assessment=assessment)
            return build_export(uow.session, assessment, uow.now())

        return self._write(export_)

    def _change(self, conversation_id: str, change: changes.Change) -> AssessmentRecord:
        def apply(uow: UnitOfWork) -> AssessmentRecord:
            assessment = uow.assessment(conversation_id)
            _refuse_if_deactivated(assessment, conversation_id)
            changes.apply(uow, assessment, change)
            return repository.assessment_record(uow.session, assessment)

        return self._write(apply)


def _replayable(turn: TurnIn) -> bool:
    """Whether applying `turn` twice leaves the record as applying it once (AssessmentService.apply_turn)."""
    unkeyed_report = turn.urgent_message is not None and turn.urgent_known is None
    return turn.urgent_detail is None and not unkeyed_report


def _refuse_if_deactivated(assessment: Assessment, conversation_id: str) -> None:
    """Checked inside each transaction that writes a practitioner's turn, so that a turn already under way
    when their account is deactivated (`bot user deactivate`, another process) stores nothing: the account's
    sessions end at once, and this closes the gap of a message already on its way through the engine."""
    practitioner = assessment.practitioner
    if practitioner is not None and not practitioner.active:
        raise NotPermittedError(
            {"practitioner": "this account has been deactivated, so nothing from this message was stored"},
            audit=AuditAction.TURN_REFUSED_DEACTIVATED,
            assessment_id=assessment.id,
            conversation_id=conversation_id,
            user_id=practitioner.id,
        )


def _find(uow: UnitOfWork, conversation_id: str | None, assessment_id: int | str | None) -> Assessment | None:
    """One assessment by its conversation, its number or its reference; None when nothing matches."""
    if (conversation_id is None) == (assessment_id is None):
        raise ValidationError({"assessment": "give exactly one of conversation_id and assessment_id"})
    session = uow.session
    if conversation_id is not None:
        if not inputs.findable(conversation_id):
            return None
        return repository.assessment_by_sender(session, conversation_id)
    if isinstance(assessment_id, int) and not isinstance(assessment_id, bool):
        return session.get(Assessment, assessment_id)
    if isinstance(assessment_id, str) and assessment_id.isdecimal() and len(assessment_id) < 18:
        return session.get(Assessment, int(assessment_id))
    if isinstance(assessment_id, str):
        if not inputs.findable(assessment_id):
            return None
        return repository.assessment_by_reference(session, assessment_id.upper())
    raise ValidationError({"assessment_id": "must be a number or a reference such as A-7F3K2Q"})
