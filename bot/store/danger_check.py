"""Danger read in typed text is checked with the practitioner; real danger never waits (issue #26, item 5).

The bot reads danger in a typed answer from the classifier and a few cues (bot.dialogue.reading); "he is angry
and hurt about dad leaving" once flagged a case and emailed both leads. So a report read in typed text (never
the "Someone is in danger now" button, never a "yes" to the danger question) is flagged at once, with the 999
advice, but its lead notices wait a short time (BOT_TYPED_DANGER_CHECK_SECONDS) while the bot asks "is anyone
in immediate danger now?":

- "yes", "not sure", anything else, or skipping the question: `confirmed` releases the waiting notices now;
- no reply within the time: nothing to do, the outbox sends them when the time is up (their due time);
- a clear "no": `stood_down_by_practitioner` stands the report down in the practitioner's name (a row in
  `urgent_stand_downs`, as a lead's would be, shown on the case and in its history) and withdraws the notices
  still waiting. Notices already sent stay sent: the lead then sees the stand-down on the case.

The case is on the leads' list as urgent from the moment it is flagged: a lead who is looking sees it at once;
only the notices, which interrupt a lead, wait. A practitioner can stand down only a report read in their own
typed text, and only the latest: a button report, or a danger report made after it, needs a lead.
"""

from __future__ import annotations

from sqlalchemy import select, update

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ConflictError
from bot.store.assessment_changes import Change, require_in_progress
from bot.store.models import Assessment, UrgentFlag
from bot.store.unit_of_work import UnitOfWork
from bot.store.urgent_models import Notification, UrgentStandDown

STOOD_DOWN_REASON = (
    "The practitioner answered 'no' when asked whether anyone was in immediate danger, after danger was read "
    "in what they typed."
)


def _latest_report(uow: UnitOfWork, assessment: Assessment) -> UrgentFlag | None:
    return uow.session.scalar(
        select(UrgentFlag)
        .where(UrgentFlag.assessment_id == assessment.id, UrgentFlag.question_id.is_(None))
        .order_by(UrgentFlag.id.desc())
        .limit(1)
    )


def confirmed() -> Change:
    """ "Yes", "not sure" or anything but a clear "no": every notice still waiting for a check goes now."""

    def release(uow: UnitOfWork, assessment: Assessment) -> AuditAction | None:
        now = uow.now()
        waiting = select(UrgentFlag.id).where(
            UrgentFlag.assessment_id == assessment.id, UrgentFlag.checking_until > now
        )
        flags = list(uow.session.scalars(waiting))
        if not flags:
            return None  # the time was up already (the notices went), or a retried request
        released = uow.session.execute(
            update(Notification)
            .where(Notification.urgent_flag_id.in_(flags), Notification.status == "pending")
            .values(next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
        uow.session.execute(
            update(UrgentFlag)
            .where(UrgentFlag.id.in_(flags))
            .values(checking_until=now)
            .execution_options(synchronize_session=False)
        )
        detail["notices_released"] = released.rowcount  # type: ignore[attr-defined]
        return AuditAction.ASSESSMENT_URGENT_CONFIRMED

    detail: dict[str, object] = {}
    return release, detail


def stood_down_by_practitioner() -> Change:
    """A clear "no": the latest danger report, read in typed text, is stood down in the practitioner's name
    and its notices still waiting are withdrawn. Refused for any other report (a lead stands those down)."""

    def stand_down(uow: UnitOfWork, assessment: Assessment) -> AuditAction | None:
        require_in_progress(assessment)
        latest = _latest_report(uow, assessment)
        if latest is None or latest.checking_until is None:
            raise ConflictError(
                {"urgent_check": "only a danger report read in typed text can be stood down by its author"}
            )
        session = uow.session
        already = session.scalar(
            select(UrgentStandDown.id).where(
                UrgentStandDown.assessment_id == assessment.id, UrgentStandDown.through_flag_id >= latest.id
            )
        )
        if already is not None:
            return None  # a retried request, or a lead stood it down first
        now = uow.now()
        practitioner = assessment.practitioner
        row = UrgentStandDown(
            assessment_id=assessment.id,
            through_flag_id=latest.id,
            stood_down_by=practitioner.id if practitioner is not None else None,
            reason=STOOD_DOWN_REASON,
            stood_down_at=now,
        )
        session.add(row)
        withdrawn = session.execute(
            update(Notification)
            .where(Notification.urgent_flag_id == latest.id, Notification.status == "pending")
            .values(status="withdrawn", claimed_until=None)
            .execution_options(synchronize_session=False)
        )
        if latest.checking_until > now:
            latest.checking_until = now
        session.flush()
        detail.update(
            stand_down_id=row.id,
            through_flag_id=latest.id,
            notices_withdrawn=withdrawn.rowcount,  # type: ignore[attr-defined]
        )
        return AuditAction.ASSESSMENT_URGENT_STOOD_DOWN

    detail: dict[str, object] = {}
    return stand_down, detail
