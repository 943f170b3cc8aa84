"""What a case page reads besides the case itself: who is asking, the case in their scope, its referral,
decisions and their rows, tags, notices, urgent responses, status changes, history and names. Reads only: the
review's service owns the transaction and the audit. The rows go out typed as bot.store.review_rows' and
case_rows' protocols, so only the store names the ORM models (issue #29)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from sqlalchemy import String, and_, cast, select
from sqlalchemy.orm import Session

from bot.domain.case_list import Viewer
from bot.store.case_rows import CaseRow
from bot.store.case_scope import case_scope
from bot.store.models import Assessment, AuditEvent, User
from bot.store.review_models import (
    Decision,
    DecisionAction,
    DecisionPathway,
    EvidenceTag,
    Referral,
    ReferralStatusChange,
    case_record_digests,
)
from bot.store.review_rows import (
    AuditEventRow,
    DecisionActionRow,
    DecisionPathwayRow,
    DecisionRow,
    EvidenceTagRow,
    NoticeRow,
    ReferralRow,
    ResponseRow,
    StatusChangeRow,
)
from bot.store.urgent_models import Notification, UrgentResponse


def viewer(session: Session, user_id: int, address: str) -> Viewer | None:
    """Who is asking, read fresh: None for an unknown or deactivated account."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    return Viewer(user.id, user.username, user.role, user.team_id, address)


def team_leads(session: Session, team_id: int, roles: Iterable[str]) -> list[tuple[int, str]]:
    """(id, username) of the team's active people in `roles`, by name."""
    rows = session.execute(
        select(User.id, User.username)
        .where(User.team_id == team_id, User.active.is_(True), User.role.in_(list(roles)))
        .order_by(User.username)
    )
    return [(row.id, row.username) for row in rows]


def case_in_scope(session: Session, who: Viewer, case_id: int) -> CaseRow | None:
    """The case if the viewer may reach it (the same condition as their case list), else None."""
    scope = case_scope(role=who.role, team_id=who.team_id, user_id=who.user_id)
    return session.scalar(select(Assessment).where(Assessment.id == case_id, scope))


def case_by_id(session: Session, case_id: int) -> CaseRow | None:
    """Any case by its id, whoever asks: for the command line's administrator, never for a page."""
    return session.get(Assessment, case_id)


def cases_by_ids(session: Session, ids: Iterable[int]) -> list[CaseRow]:
    """The cases with these ids, by id, whoever asks: for the command line's administrator, never a page."""
    return list(
        session.scalars(select(Assessment).where(Assessment.id.in_(set(ids))).order_by(Assessment.id))
    )


def cases_with_case_record(session: Session, who: Viewer, case_record_id: str) -> list[CaseRow]:
    """The cases in the viewer's scope whose referral carries this case-record ID (matched by its digest
    under any key of the ring, so a rotation half done misses none), oldest first."""
    scope = case_scope(role=who.role, team_id=who.team_id, user_id=who.user_id)
    return list(
        session.scalars(
            select(Assessment)
            .join(Referral, Referral.assessment_id == Assessment.id)
            .where(Referral.case_record_lookup.in_(case_record_digests(case_record_id)), scope)
            .order_by(Assessment.submitted_at, Assessment.id)
        )
    )


def referral_of(session: Session, assessment_id: int) -> ReferralRow | None:
    return session.scalar(select(Referral).where(Referral.assessment_id == assessment_id))


def notices_of(session: Session, assessment_id: int) -> list[NoticeRow]:
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.assessment_id == assessment_id)
            .order_by(Notification.created_at, Notification.id)
        )
    )


def responses_of(session: Session, assessment_id: int) -> list[ResponseRow]:
    return list(
        session.scalars(
            select(UrgentResponse)
            .where(UrgentResponse.assessment_id == assessment_id)
            .order_by(UrgentResponse.recorded_at, UrgentResponse.id)
        )
    )


def decisions_of(session: Session, referral_id: int) -> list[DecisionRow]:
    return list(
        session.scalars(
            select(Decision).where(Decision.referral_id == referral_id).order_by(Decision.id.desc())
        )
    )


# A decision's child rows: its actions or its pathways.
Row = TypeVar("Row", DecisionAction, DecisionPathway)


def actions_of(session: Session, decision_ids: Iterable[int]) -> Mapping[int, Sequence[DecisionActionRow]]:
    """The actions of all the given decisions in one query (not one per decision), by decision id."""
    return _by_decision(session, DecisionAction, decision_ids)


def pathways_of(session: Session, decision_ids: Iterable[int]) -> Mapping[int, Sequence[DecisionPathwayRow]]:
    """The pathways of all the given decisions in one query, by decision id, in the order the lead chose."""
    return _by_decision(session, DecisionPathway, decision_ids)


def _by_decision(session: Session, model: type[Row], decision_ids: Iterable[int]) -> dict[int, list[Row]]:
    """A decision's rows of `model` (each has `decision_id` and `position`) for every decision at once."""
    wanted = set(decision_ids)
    result: dict[int, list[Row]] = {decision_id: [] for decision_id in wanted}
    if not wanted:
        return result
    rows = session.scalars(
        select(model).where(model.decision_id.in_(wanted)).order_by(model.decision_id, model.position)
    )
    for row in rows:
        result[row.decision_id].append(row)
    return result


def tags_of(session: Session, assessment_id: int, *, active_only: bool = False) -> list[EvidenceTagRow]:
    """A case's evidence tags in the order they were made; removed ones too unless `active_only`."""
    query = select(EvidenceTag).where(EvidenceTag.assessment_id == assessment_id)
    if active_only:
        query = query.where(EvidenceTag.removed_at.is_(None))
    return list(session.scalars(query.order_by(EvidenceTag.id)))


def active_dimensions(session: Session, assessment_id: int, question_id: str, revision: int) -> set[str]:
    return set(
        session.scalars(
            select(EvidenceTag.dimension).where(
                EvidenceTag.assessment_id == assessment_id,
                EvidenceTag.question_id == question_id,
                EvidenceTag.answer_revision == revision,
                EvidenceTag.removed_at.is_(None),
            )
        )
    )


def status_changes_of(session: Session, referral_id: int) -> list[StatusChangeRow]:
    return list(
        session.scalars(
            select(ReferralStatusChange)
            .where(ReferralStatusChange.referral_id == referral_id)
            .order_by(ReferralStatusChange.id)
        )
    )


def history_of(session: Session, assessment_id: int) -> list[tuple[AuditEventRow, str | None]]:
    """A case's audit events, newest first, each with the username of the user who acted (if one did):
    one statement however many people appear in the history."""
    actor = and_(AuditEvent.actor_kind == "user", AuditEvent.actor_id == cast(User.id, String))
    rows = session.execute(
        select(AuditEvent, User.username)
        .outerjoin(User, actor)
        .where(AuditEvent.assessment_id == assessment_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return [(event, username) for event, username in rows]


def usernames(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """One statement even when there is nobody to look up, so that a case page reads in the same number of
    statements whether or not anyone has decided, tagged or been notified yet."""
    wanted = {i for i in ids if i is not None}
    rows = session.execute(select(User.id, User.username).where(User.id.in_(wanted))).all()
    return {user_id: name for user_id, name in rows}
