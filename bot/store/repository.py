"""Queries, and the conversion of rows into plain records.

Services own transactions and audit; this module only reads and builds. Keeping the row -> record mapping here
means there is one place that decides what a caller sees of a row.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from bot.domain.answer_history import AnswerHistory
from bot.domain.records import (
    AnswerRecord,
    AssessmentRecord,
    ChatMessage,
    TeamLeadGap,
    UrgentMessage,
    UserInfo,
)
from bot.domain.roles import Action, roles_permitted
from bot.domain.stages import SubmittedStage
from bot.store.answer_values import joined_value
from bot.store.current_answers import current_by_question, marked_answers
from bot.store.models import Answer, Assessment, ChatMessageRow, Conversation, Team, UrgentFlag, User
from bot.store.teams_models import TeamsIdentity
from bot.store.urgent_models import UrgentStandDown


def user_by_name(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def team_by_name(session: Session, name: str) -> Team | None:
    return session.scalar(select(Team).where(Team.name == name))


def teams_without_reachable_lead(
    session: Session, team_name: str | None = None, adding: tuple[str, bool] | None = None
) -> list[TeamLeadGap]:
    """Every team (or the one named) where an urgent report would reach no lead, in one statement: people
    who may raise concerns but no active lead, or active leads none of whom has an address or a known
    Teams chat (the channels bot.store.notices sends on). By team name. `adding` (a role, and whether the
    account has an address) counts one more account in every team asked about: what a new account would
    leave, for the admin's check-answers page to warn before it is made."""
    active = User.active.is_(True)
    raiser = and_(active, User.role.in_(roles_permitted(Action.RAISE_CONCERNS)))
    lead = and_(active, User.role.in_(roles_permitted(Action.RECEIVE_URGENT_NOTICES)))
    has_chat = exists().where(
        TeamsIdentity.user_id == User.id,
        TeamsIdentity.conversation_ref.is_not(None),
        TeamsIdentity.service_url.is_not(None),
    )
    reachable = and_(lead, or_(User.email.is_not(None), has_chat))

    def how_many(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    raisers, leads, reachable_leads = how_many(raiser), how_many(lead), how_many(reachable)
    if adding is not None:
        role, has_email = adding
        is_lead = role in roles_permitted(Action.RECEIVE_URGENT_NOTICES)
        raisers = raisers + int(role in roles_permitted(Action.RAISE_CONCERNS))
        leads, reachable_leads = leads + int(is_lead), reachable_leads + int(is_lead and has_email)
    query = (
        select(Team.name, raisers, leads)
        .select_from(Team)
        .outerjoin(User, User.team_id == Team.id)
        .group_by(Team.id, Team.name)
        .having(or_(and_(raisers > 0, leads == 0), and_(leads > 0, reachable_leads == 0)))
        .order_by(Team.name)
    )
    if team_name is not None:
        query = query.where(Team.name == team_name)
    return [TeamLeadGap(team=name, raisers=r, leads=n) for name, r, n in session.execute(query).all()]


def conversation_by_sender(session: Session, sender_id: str) -> Conversation | None:
    return session.scalar(select(Conversation).where(Conversation.sender_id == sender_id))


def latest_conversation_of(session: Session, user_id: int) -> Conversation | None:
    return session.scalar(
        select(Conversation)
        .where(Conversation.user_id == user_id)
        .order_by(Conversation.created_at.desc(), Conversation.id.desc())
        .limit(1)
    )


def assessment_by_sender(session: Session, sender_id: str) -> Assessment | None:
    return session.scalar(
        select(Assessment).join(Assessment.conversation).where(Conversation.sender_id == sender_id)
    )


def assessment_by_reference(session: Session, reference: str) -> Assessment | None:
    return session.scalar(select(Assessment).where(Assessment.reference == reference))


def reference_taken(session: Session, reference: str) -> bool:
    return session.scalar(select(func.count()).where(Assessment.reference == reference)) != 0


def answer_revision(session: Session, assessment_id: int, question_id: str, revision: int) -> Answer | None:
    return session.scalar(
        select(Answer).where(
            Answer.assessment_id == assessment_id,
            Answer.question_id == question_id,
            Answer.revision == revision,
        )
    )


def all_answers(session: Session, assessment_id: int) -> list[Answer]:
    """Every revision, in the order questions were first answered, then by revision."""
    return list(
        session.scalars(select(Answer).where(Answer.assessment_id == assessment_id).order_by(Answer.id))
    )


def answer_histories(session: Session, assessment_id: int) -> tuple[AnswerHistory, ...]:
    """Every revision of every answer, withdrawn ones included, by question in the order first answered."""
    by_question: dict[str, list[AnswerRecord]] = {}
    for row in all_answers(session, assessment_id):
        by_question.setdefault(row.question_id, []).append(answer_record(row))
    return tuple(
        AnswerHistory(question_id, tuple(sorted(revisions, key=lambda r: r.revision)))
        for question_id, revisions in by_question.items()
    )


def chat_rows(session: Session, conversation_id: int) -> list[ChatMessageRow]:
    return list(
        session.scalars(
            select(ChatMessageRow)
            .where(ChatMessageRow.conversation_id == conversation_id)
            .order_by(ChatMessageRow.id)
        )
    )


def urgent_flags(session: Session, assessment_id: int) -> list[UrgentFlag]:
    return list(
        session.scalars(
            select(UrgentFlag).where(UrgentFlag.assessment_id == assessment_id).order_by(UrgentFlag.id)
        )
    )


def urgent_now() -> ColumnElement[bool]:
    """The one definition of "urgent" (issue #26): the assessment has a danger report after its latest
    stand-down. A danger report is a flag that is not a follow-up answer (`question_id` None); a stand-down
    covers every flag up to its `through_flag_id`, so a later report makes the case urgent again. Correlated
    to `Assessment`: use it in any statement that selects assessments (the case list, the reports...).

    `Assessment.urgent` still says whether a flag was ever raised (who may open an unsubmitted case, what a
    lead may record a response against); it is never cleared."""
    latest = (
        select(func.max(UrgentStandDown.through_flag_id))
        .where(UrgentStandDown.assessment_id == Assessment.id)
        .correlate(Assessment)
        .scalar_subquery()
    )
    return exists().where(
        UrgentFlag.assessment_id == Assessment.id,
        UrgentFlag.question_id.is_(None),
        UrgentFlag.id > func.coalesce(latest, 0),
    )


def danger_reports_held(session: Session, assessment_id: int) -> int:
    """How many danger reports (follow-up answers aside) the assessment holds, counted under its row lock so
    that two transactions raising the same report at once take turns and the second sees the first's: on
    PostgreSQL the row is locked (SELECT ... FOR UPDATE, and each statement then reads what was committed);
    SQLite's writing transactions already take turns (BEGIN IMMEDIATE, bot.store.db)."""
    session.execute(select(Assessment.id).where(Assessment.id == assessment_id).with_for_update())
    held = session.scalar(
        select(func.count())
        .select_from(UrgentFlag)
        .where(UrgentFlag.assessment_id == assessment_id, UrgentFlag.question_id.is_(None))
    )
    return int(held or 0)


def is_urgent_now(session: Session, assessment_id: int) -> bool:
    return bool(session.scalar(select(urgent_now()).where(Assessment.id == assessment_id)))


def stand_downs(session: Session, assessment_id: int) -> list[tuple[UrgentStandDown, str | None]]:
    """A case's stand-downs, oldest first, each with the username of the lead who recorded it."""
    rows = session.execute(
        select(UrgentStandDown, User.username)
        .outerjoin(User, User.id == UrgentStandDown.stood_down_by)
        .where(UrgentStandDown.assessment_id == assessment_id)
        .order_by(UrgentStandDown.id)
    )
    return [(row, name) for row, name in rows]


def teams_identity(session: Session, tenant_id: str, aad_object_id: str) -> TeamsIdentity | None:
    return session.scalar(
        select(TeamsIdentity).where(
            TeamsIdentity.tenant_id == tenant_id, TeamsIdentity.aad_object_id == aad_object_id
        )
    )


def teams_identities_of(session: Session, user_id: int) -> list[TeamsIdentity]:
    return list(session.scalars(select(TeamsIdentity).where(TeamsIdentity.user_id == user_id)))


def user_by_teams_identity(session: Session, tenant_id: str, aad_object_id: str) -> User | None:
    return session.scalar(
        select(User)
        .join(TeamsIdentity, TeamsIdentity.user_id == User.id)
        .where(TeamsIdentity.tenant_id == tenant_id, TeamsIdentity.aad_object_id == aad_object_id)
    )


def teams_chat_of(session: Session, user_id: int) -> TeamsIdentity | None:
    """The person's Teams identity whose one-to-one chat with the bot is known, most recently linked first."""
    return session.scalars(
        select(TeamsIdentity)
        .where(
            TeamsIdentity.user_id == user_id,
            TeamsIdentity.conversation_ref.is_not(None),
            TeamsIdentity.service_url.is_not(None),
        )
        .order_by(TeamsIdentity.id.desc())
        .limit(1)
    ).first()


def user_info(user: User) -> UserInfo:
    return UserInfo(id=user.id, username=user.username, role=user.role, team=user.team.name, email=user.email)


def answer_record(row: Answer) -> AnswerRecord:
    return AnswerRecord(
        question_id=row.question_id,
        revision=row.revision,
        wording=row.wording,
        text=row.text,
        value=joined_value(row.value, row.sealed_value),
        status=row.status,
        source=row.source,
        fact_date=row.fact_date,
        recorded_at=row.recorded_at,
    )


def chat_message(row: ChatMessageRow) -> ChatMessage:
    return ChatMessage(
        direction="in" if row.direction == "in" else "out",
        text=row.text,
        buttons=list(row.buttons),
        created_at=row.created_at,
    )


def latest_revisions(rows: Iterable[Answer]) -> dict[str, int]:
    """question id -> its highest revision, withdrawn ones included (the next revision follows it)."""
    highest: dict[str, int] = {}
    for row in rows:
        highest[row.question_id] = max(row.revision, highest.get(row.question_id, 0))
    return highest


def assessment_record(session: Session, assessment: Assessment) -> AssessmentRecord:
    practitioner = assessment.practitioner
    marked = marked_answers(session, assessment.id)
    return AssessmentRecord(
        id=assessment.id,
        reference=assessment.reference,
        conversation_id=assessment.conversation.sender_id,
        practitioner_id=practitioner.id if practitioner else None,
        practitioner=practitioner.username if practitioner else None,
        team=assessment.team.name if assessment.team else None,
        mode=assessment.mode,
        status=assessment.status,
        bank_version=assessment.bank_version,
        current_question_id=assessment.current_question_id,
        urgent=is_urgent_now(session, assessment.id),
        urgent_first_at=assessment.urgent_first_at,
        urgent_messages=tuple(
            UrgentMessage(flag.message, flag.flagged_at, flag.question_id, flag.wording)
            for flag in urgent_flags(session, assessment.id)
        ),
        created_at=assessment.created_at,
        updated_at=assessment.updated_at,
        submitted_at=assessment.submitted_at,
        answers={qid: answer_record(row) for qid, row in current_by_question(marked).items()},
        latest_revisions=latest_revisions(row for row, _current in marked),
        lead_unreached_at=assessment.lead_unreached_at,
        linked_from=_reference_of(session, assessment.linked_from_id),
        submitted_stage=SubmittedStage(assessment.submitted_stage) if assessment.submitted_stage else None,
    )


def _reference_of(session: Session, assessment_id: int | None) -> str | None:
    if assessment_id is None:
        return None
    earlier = session.get(Assessment, assessment_id)
    return earlier.reference if earlier is not None else None
