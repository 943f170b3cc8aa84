"""The urgent-notice outbox: what to send to whom after a danger report, and the record of each attempt.

Two halves, both here so that the outbox's rules live in one place:

- `enqueue_urgent_notices` runs inside the flag's own transaction (AssessmentService.report_danger): the
  notices commit with the danger report or not at all, so a crash between "flagged" and "told the leads" is
  impossible; a report already in is not raised again, so nobody is told twice.
- `NoticeService` is what the delivery worker (bot.notify.outbox_worker) calls, each method one short
  transaction with its audit event: claim what is due (with a lease, so two app processes never send the
  same notice), record each attempt's outcome, and escalate when no lead has been reached in time.

Rows and audit events hold ids, channels, counts and short reasons of our own wording: never case content.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.lifecycle import AssessmentStatus, Mode
from bot.domain.records import Actor
from bot.domain.roles import Action, roles_permitted
from bot.store import repository
from bot.store.models import Assessment, UrgentFlag, User, utcnow
from bot.store.unit_of_work import Transactions, UnitOfWork
from bot.store.urgent_models import Notification, UrgentResponse, UrgentStandDown

log = logging.getLogger(__name__)

NOTIFIER = Actor("service", "notifier")
MAX_ERROR_CHARS = 200
# A worker holds a claimed notice this long; sending (SMTP and Teams time out well within it) must finish
# first, or another process may take the notice over and send it again.
LEASE = timedelta(minutes=2)
# Escalation looks back this far only: flags older than this (raised before this feature existed, or while
# the app was down for a day) would tell a practitioner to phone about something long past.
ESCALATION_WINDOW = timedelta(hours=24)

# -- enqueueing, inside the caller's transaction --------------------------------------------------------


def team_members_who(session: Session, team_id: int, action: Action) -> Sequence[User]:
    """The team's active users whose role may do `action` (bot.domain.roles), in a stable order."""
    return session.scalars(
        select(User)
        .where(User.team_id == team_id, User.role.in_(roles_permitted(action)), User.active.is_(True))
        .order_by(User.id)
    ).all()


def enqueue_urgent_notices(session: Session, assessment: Assessment, flag: UrgentFlag, now: datetime) -> int:
    """Queue one notice per channel for every active lead of the assessment's team; returns how many.

    Called in the flag's transaction, after the flag row is flushed. Rehearsal cases are fictional and
    never reach a lead; answers to danger follow-up questions add to a report already notified. A live
    case whose team has no reachable lead (no active lead, or none with an address or a known Teams chat)
    queues no lead notice: the practitioner is told at once, not after the deadline, to phone their lead
    (the escalation's own notices and banner, audited as `urgent.no_reachable_lead`).
    Audited as the notifier's doing (the flag itself is audited as its author's), with counts only.
    """
    if assessment.mode != Mode.LIVE or assessment.team_id is None or flag.question_id is not None:
        return 0
    leads = team_members_who(session, assessment.team_id, Action.RECEIVE_URGENT_NOTICES)
    # A report read in typed text waits for the practitioner's check (bot.store.danger_check), no longer.
    due = flag.checking_until or now
    count = sum(enqueue_for(session, assessment, flag.id, lead, "urgent_flag", now, due) for lead in leads)
    UnitOfWork.at(session, NOTIFIER, now).audit(
        AuditAction.NOTIFICATION_ENQUEUED,
        assessment=assessment,
        purpose="urgent_flag",
        urgent_flag_id=flag.id,
        leads=len(leads),
        notices=count,
        **({"checking_until": due.isoformat()} if flag.checking_until else {}),
    )
    if count == 0 and assessment.lead_unreached_at is None:
        tell_practitioner_to_phone(
            session,
            NOTIFIER,
            assessment,
            flag.id,
            now,
            AuditAction.URGENT_NO_REACHABLE_LEAD,
            urgent_flag_id=flag.id,
            leads=len(leads),
        )
    return count


def tell_practitioner_to_phone(
    session: Session,
    actor: Actor,
    assessment: Assessment,
    flag_id: int | None,
    now: datetime,
    action: AuditAction,
    **detail: Any,
) -> int:
    """Mark the case as one no lead was reached about (the practitioner's pages show the banner), queue
    "phone your safeguarding lead" notices to the practitioner on each channel they have, and audit it as
    `action`: the one way the practitioner is told, whether at once (no reachable lead) or at the deadline.
    Returns how many notices were queued."""
    assessment.lead_unreached_at = now
    practitioner = assessment.practitioner
    count = (
        enqueue_for(session, assessment, flag_id, practitioner, "lead_unreached", now)
        if practitioner is not None and practitioner.active
        else 0
    )
    UnitOfWork.at(session, actor, now).audit(
        action,
        assessment=assessment,
        notices=count,
        **detail,
    )
    return count


def enqueue_for(
    session: Session,
    assessment: Assessment,
    flag_id: int | None,
    person: User,
    purpose: str,
    now: datetime,
    due: datetime | None = None,
) -> int:
    """One pending notice of `purpose` to `person` on each channel they have (an email address, a Teams chat
    the bot knows), sent from `due` (default `now`); returns how many. In the caller's transaction; the worker
    sends them."""
    channels = (["email"] if person.email else []) + (
        ["teams"] if repository.teams_chat_of(session, person.id) else []
    )
    for channel in channels:
        session.add(
            Notification(
                assessment_id=assessment.id,
                urgent_flag_id=flag_id,
                recipient_id=person.id,
                purpose=purpose,
                channel=channel,
                status="pending",
                attempts=0,
                next_attempt_at=due or now,
                created_at=now,
            )
        )
    return len(channels)


# -- the delivery worker's side ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeJob:
    """Everything needed to deliver one claimed notice, and nothing of the case: reference, state, address."""

    id: int
    purpose: str  # a key of bot.domain.vocabulary.NOTICE_PURPOSES
    channel: str  # email | teams
    attempts: int  # before this one
    assessment_id: int
    reference: str
    submitted: bool
    recipient_id: int
    email: str | None
    teams_service_url: str | None
    teams_conversation: str | None
    teams_bot_id: str | None


@dataclass(frozen=True)
class Outcome:
    """What recording an attempt did: the notice's status afterwards, and when it is tried next."""

    status: str
    next_attempt_at: datetime | None = None


class NoticeService(Transactions):
    """The outbox's transactions, for the delivery worker. Safe to run in several processes at once."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        retry_seconds: float = 5.0,
        retry_max_seconds: float = 300.0,
        max_attempts: int = 50,
        clock: Callable[[], datetime] = utcnow,
        actor: Actor = NOTIFIER,
    ) -> None:
        self._sessions = session_factory
        self._retry_seconds = retry_seconds
        self._retry_max_seconds = retry_max_seconds
        self._max_attempts = max_attempts
        self._clock = clock
        self._actor = actor

    def retry_delay(self, attempts: int) -> timedelta:
        """Back-off after `attempts` failed attempts: base, 2 x base, 4 x base... up to the cap."""
        seconds = self._retry_seconds * 2 ** min(max(attempts - 1, 0), 60)
        return timedelta(seconds=min(seconds, self._retry_max_seconds))

    def claim_due(self, limit: int = 20) -> list[NoticeJob]:
        """Take the lease on pending notices that are due. An idle poll only reads (no write lock on SQLite);
        each claim is a conditional UPDATE checked by its row count, so of two processes racing for one
        notice exactly one gets it."""
        now = self._clock()
        free = Notification.claimed_until.is_(None) | (Notification.claimed_until < now)
        with self._reading() as session:
            due = session.scalars(
                select(Notification.id)
                .where(Notification.status == "pending", Notification.next_attempt_at <= now, free)
                .order_by(Notification.next_attempt_at, Notification.id)
                .limit(limit)
            ).all()
        if not due:
            return []
        jobs = []
        with self._sessions.begin() as session:
            for notice_id in due:
                claimed = session.execute(
                    update(Notification)
                    .where(Notification.id == notice_id, Notification.status == "pending", free)
                    .values(claimed_until=now + LEASE)
                    .execution_options(synchronize_session=False)
                )
                if claimed.rowcount == 1:  # type: ignore[attr-defined]
                    jobs.append(_job(session, notice_id))
        return jobs

    def record_sent(self, job: NoticeJob) -> Outcome:
        def sent(session: Session, row: Notification, now: datetime) -> tuple[AuditAction, dict[str, Any]]:
            row.status, row.sent_at, row.last_error = "sent", now, None
            return AuditAction.NOTIFICATION_SENT, {}

        return self._record(job, sent)

    def record_failure(self, job: NoticeJob, kind: str, reason: str) -> Outcome:
        """Count a failed attempt: retried after the back-off, or `failed` once the attempts run out.
        `kind` is a label for the audit trail; `reason` a short sentence of ours, kept on the row."""

        def failed(session: Session, row: Notification, now: datetime) -> tuple[AuditAction, dict[str, Any]]:
            row.last_error = reason[:MAX_ERROR_CHARS]
            if row.attempts >= self._max_attempts:
                row.status = "failed"
                return AuditAction.NOTIFICATION_FAILED, {"error": kind}
            delay = self.retry_delay(row.attempts)
            row.next_attempt_at = now + delay
            return AuditAction.NOTIFICATION_RETRY, {"error": kind, "retry_in_seconds": delay.total_seconds()}

        return self._record(job, failed)

    def _record(
        self,
        job: NoticeJob,
        outcome: Callable[[Session, Notification, datetime], tuple[AuditAction, dict[str, Any]]],
    ) -> Outcome:
        with self._sessions.begin() as session:
            row = session.get(Notification, job.id)
            if row is None or row.status != "pending":  # recorded already (a lease that ran out, say)
                return Outcome(row.status if row else "missing")
            now = self._clock()
            row.attempts += 1
            row.claimed_until = None
            action, detail = outcome(session, row, now)
            UnitOfWork.at(session, self._actor, now).audit(
                action,
                assessment_id=row.assessment_id,
                user_id=row.recipient_id,
                notification_id=row.id,
                purpose=row.purpose,
                channel=row.channel,
                attempts=row.attempts,
                **detail,
            )
            return Outcome(row.status, row.next_attempt_at if row.status == "pending" else None)

    def escalate_unreached(self, deadline_seconds: float) -> list[int]:
        """Live cases whose first danger report is older than the deadline with no lead notice sent (and no
        lead response recorded): mark each once, audit it, and queue "phone your lead" notices to the
        practitioner. Returns the assessment ids escalated now. Reads first, so an idle check never writes."""
        now = self._clock()
        reached = (
            exists().where(
                Notification.assessment_id == Assessment.id,
                Notification.purpose == "urgent_flag",
                Notification.status == "sent",
            )
            | exists().where(UrgentResponse.assessment_id == Assessment.id)
            | exists().where(
                UrgentStandDown.assessment_id == Assessment.id  # a lead who stood the flag down was reached
            )
        )
        overdue = (
            Assessment.mode == Mode.LIVE,
            Assessment.urgent.is_(True),
            Assessment.lead_unreached_at.is_(None),
            Assessment.urgent_first_at <= now - timedelta(seconds=deadline_seconds),
            Assessment.urgent_first_at >= now - ESCALATION_WINDOW,
            # Stood down (by a lead, or the practitioner's "no" after a typed report): nobody to phone about.
            repository.urgent_now(),
            ~reached,
        )
        with self._reading() as session:
            candidates = session.scalars(select(Assessment.id).where(*overdue).order_by(Assessment.id)).all()
        escalated = []
        for assessment_id in candidates:
            with self._sessions.begin() as session:
                marked = session.execute(
                    update(Assessment)
                    .where(Assessment.id == assessment_id, *overdue)
                    .values(lead_unreached_at=now)
                    .execution_options(synchronize_session=False)
                )
                if marked.rowcount != 1:  # type: ignore[attr-defined]
                    continue  # another process did it, or a lead was reached a moment ago
                assessment = session.get_one(Assessment, assessment_id)
                first_flag = session.scalar(
                    select(func.min(UrgentFlag.id)).where(
                        UrgentFlag.assessment_id == assessment_id, UrgentFlag.question_id.is_(None)
                    )
                )
                tell_practitioner_to_phone(
                    session,
                    self._actor,
                    assessment,
                    first_flag,
                    now,
                    AuditAction.URGENT_LEAD_UNREACHED,
                    deadline_seconds=deadline_seconds,
                )
                escalated.append(assessment_id)
        return escalated


def _job(session: Session, notice_id: int) -> NoticeJob:
    row = session.get_one(Notification, notice_id)
    assessment = session.get_one(Assessment, row.assessment_id)
    recipient = session.get_one(User, row.recipient_id)
    chat = repository.teams_chat_of(session, recipient.id) if row.channel == "teams" else None
    return NoticeJob(
        id=row.id,
        purpose=row.purpose,
        channel=row.channel,
        attempts=row.attempts,
        assessment_id=assessment.id,
        reference=assessment.reference,
        submitted=assessment.status != AssessmentStatus.IN_PROGRESS,
        recipient_id=recipient.id,
        email=recipient.email,
        teams_service_url=chat.service_url if chat else None,
        teams_conversation=chat.conversation_ref if chat else None,
        teams_bot_id=chat.bot_id if chat else None,
    )
