"""Writing a case's referral: making it on a case's first review, and recording each move of its status.

Which moves are allowed is the domain's state machine (bot.domain.referral), checked by the review
(bot.review.referrals) before it calls here; the rows are written here, in the caller's transaction, so only
the store touches the ORM models (issue #29). Every move leaves a status-change row beside the referral.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.referral import ReferralStatus
from bot.store.review_models import Referral, ReferralStatusChange, case_record_digest
from bot.store.review_rows import ReferralRow


def create_referral(
    session: Session,
    *,
    assessment_id: int,
    practitioner_id: int | None,
    submitted_at: datetime | None,
    now: datetime,
) -> ReferralRow:
    """A submitted referral, with its first status change dated when the practitioner submitted the case."""
    referral = Referral(
        assessment_id=assessment_id,
        status=ReferralStatus.SUBMITTED.value,
        created_at=now,
        updated_at=now,
    )
    session.add(referral)
    session.flush()
    session.add(
        ReferralStatusChange(
            referral_id=referral.id,
            from_status=None,
            to_status=ReferralStatus.SUBMITTED.value,
            changed_by=practitioner_id,
            changed_at=submitted_at or now,
        )
    )
    return referral


def record_move(
    session: Session,
    referral: ReferralRow,
    *,
    to_status: str,
    reason: str | None,
    changed_by: int,
    changed_at: datetime,
) -> None:
    """Move the referral to `to_status` (already allowed by the state machine), with its status-change row."""
    row = _referral(session, referral)
    session.add(
        ReferralStatusChange(
            referral_id=row.id,
            from_status=row.status,
            to_status=to_status,
            reason=reason,
            changed_by=changed_by,
            changed_at=changed_at,
        )
    )
    row.status = to_status
    row.updated_at = changed_at


def set_case_record(
    session: Session, referral: ReferralRow, case_record_id: str | None
) -> tuple[str | None, str | None]:
    """Put the council's case-record ID on the referral (None takes it off). Returns the lookup digests of
    the ID now and of the one replaced: what the audit trail names, never the ID itself (issue #31)."""
    row = _referral(session, referral)
    before = row.case_record_id
    row.case_record_id = case_record_id  # its digest follows (Referral._look_up_by)
    return row.case_record_lookup, None if before is None else case_record_digest(before)


def assign(session: Session, referral: ReferralRow, assigned_to_id: int | None, at: datetime | None) -> None:
    """Assign the referral to a lead (None: to nobody), and when."""
    row = _referral(session, referral)
    row.assigned_to_id = assigned_to_id
    row.assigned_at = at


def _referral(session: Session, referral: ReferralRow) -> Referral:
    row = session.get(Referral, referral.id)
    if row is None:  # the caller read it in this transaction; explicit, as `python -O` strips asserts
        raise AssertionError(f"unreachable: referral {referral.id} vanished inside its transaction")
    return row
