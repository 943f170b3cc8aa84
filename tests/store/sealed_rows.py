"""One row in every table with a sealed column, each sealed column holding its own distinctive text: what the
encryption-at-rest tests write, look for on disk and read back (bot.store.sealed_columns)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.account_models import AccountChange
from bot.store.document_models import IdentifyingDetails
from bot.store.feedback_models import PracticeFeedback
from bot.store.models import Answer, Assessment, Base, ChatMessageRow, UrgentFlag, User
from bot.store.outcome_models import PathwayOutcome, SharingEntry
from bot.store.practice_move_models import PracticeMove
from bot.store.retention_models import LegalHold
from bot.store.review_models import (
    Decision,
    DecisionAction,
    DecisionPathway,
    EvidenceTag,
    Referral,
    ReferralStatusChange,
)
from bot.store.sealed_columns import SEALED_COLUMNS
from bot.store.urgent_models import UrgentResponse, UrgentStandDown

# Nothing a tokenizer or an index would split alike: quotes, a tab, CRLF, an emoji, trailing spaces.
DISTINCTIVE = "Zephyrine told me the blue kettle 🫖 is «hidden» under  the stairs\r\n\tnear Ffordd Newydd "
MARKER = b"Zephyrine"


BORN = date(2011, 5, 4)  # the date of birth written: sealed as its ISO text (0036), read back as a date
DATE_OF_BIRTH = ("identifying_details", "date_of_birth")


def typed(table: str, column: str) -> str:
    return f"{DISTINCTIVE}[{table}.{column}]"


def written(table: str, column: str) -> object:
    """What `write_every_sealed_column` puts in a sealed column (its own text, or the date of birth)."""
    return BORN if (table, column) == DATE_OF_BIRTH else typed(table, column)


def write_every_sealed_column(sessions: sessionmaker[Session], case_record_id: str | None = None) -> None:
    """A row per table into the first assessment's case; `case_record_id` replaces the referral's text."""
    now = datetime.now(UTC)
    on = date(2026, 3, 1)
    with sessions.begin() as session:
        assessment_id = session.execute(select(Assessment.id)).scalar_one()
        user = session.execute(select(User.id)).scalar_one()
        answer = Answer(
            assessment_id=assessment_id,
            question_id="q_sealed",
            revision=1,
            wording="?",
            text=typed("answers", "text"),
            value=None,
            sealed_value=typed("answers", "sealed_value"),
            status="answered",
            source=typed("answers", "source"),
            recorded_at=now,
        )
        flag = UrgentFlag(
            assessment_id=assessment_id, message=typed("urgent_flags", "message"), flagged_at=now
        )
        referral = Referral(
            assessment_id=assessment_id,
            status="in_review",
            created_at=now,
            updated_at=now,
            case_record_id=case_record_id or typed("referrals", "case_record_id"),
        )
        session.add_all([answer, flag, referral])
        session.flush()
        decision = Decision(
            referral_id=referral.id,
            decided_by=user,
            decided_at=now,
            rationale=typed("decisions", "rationale"),
            lawful_bases=["art6_public_task"],
            consent="given",
            consent_reason=typed("decisions", "consent_reason"),
            feedback=typed("decisions", "feedback"),
        )
        session.add(decision)
        session.flush()
        pathway = DecisionPathway(
            decision_id=decision.id,
            position=1,
            pathway="early_help",
            rationale=typed("decision_pathways", "rationale"),
            shared=typed("decision_pathways", "shared"),
            owner=typed("decision_pathways", "owner"),
        )
        session.add(pathway)
        session.flush()
        session.add_all(
            [
                ChatMessageRow(
                    conversation_id=session.get_one(Assessment, assessment_id).conversation_id,
                    direction="in",
                    text=typed("chat_messages", "text"),
                    buttons=[],
                    created_at=now,
                ),
                UrgentResponse(
                    assessment_id=assessment_id,
                    responded_by=user,
                    note=typed("urgent_responses", "note"),
                    recorded_at=now,
                ),
                UrgentStandDown(
                    assessment_id=assessment_id,
                    through_flag_id=flag.id,
                    stood_down_by=user,
                    reason=typed("urgent_stand_downs", "reason"),
                    stood_down_at=now,
                ),
                ReferralStatusChange(
                    referral_id=referral.id,
                    from_status="submitted",
                    to_status="in_review",
                    reason=typed("referral_status_changes", "reason"),
                    changed_by=user,
                    changed_at=now,
                ),
                DecisionAction(
                    decision_id=decision.id,
                    position=1,
                    description=typed("decision_actions", "description"),
                    owner=typed("decision_actions", "owner"),
                    due_date=on,
                ),
                EvidenceTag(
                    assessment_id=assessment_id,
                    question_id="q_sealed",
                    answer_revision=1,
                    dimension="engagement",
                    note=typed("evidence_tags", "note"),
                    tagged_by=user,
                    tagged_at=now,
                ),
                SharingEntry(
                    assessment_id=assessment_id,
                    shared_what=typed("sharing_entries", "shared_what"),
                    recipient=typed("sharing_entries", "recipient"),
                    shared_on=on,
                    method="email",
                    lawful_basis="art6_public_task",
                    recorded_by=user,
                    recorded_at=now,
                ),
                PathwayOutcome(
                    assessment_id=assessment_id,
                    decision_pathway_id=pathway.id,
                    pathway="early_help",
                    outcome="early_help_started",
                    outcome_on=on,
                    note=typed("pathway_outcomes", "note"),
                    recorded_by=user,
                    recorded_at=now,
                ),
                IdentifyingDetails(
                    assessment_id=assessment_id,
                    child_name=typed("identifying_details", "child_name"),
                    date_of_birth=BORN,
                    address=typed("identifying_details", "address"),
                    school=typed("identifying_details", "school"),
                    carers=typed("identifying_details", "carers"),
                    entered_by=user,
                    entered_at=now,
                ),
                PracticeFeedback(
                    assessment_id=assessment_id,
                    trainer_id=user,
                    text=typed("practice_feedback", "text"),
                    written_at=now,
                ),
                PracticeMove(
                    assessment_id=assessment_id,
                    moved_by=user,
                    reason=typed("practice_moves", "reason"),
                    moved_at=now,
                ),
                LegalHold(
                    assessment_id=assessment_id,
                    reason=typed("legal_holds", "reason"),
                    set_by=user,
                    set_at=now,
                    lifted_reason=typed("legal_holds", "lifted_reason"),
                    lifted_by=user,
                    lifted_at=now,
                ),
                AccountChange(
                    user_id=user,
                    action="user_deactivated",
                    reason=typed("account_changes", "reason"),
                    made_by="cli:ops",
                    made_at=now,
                ),
            ]
        )


def read_every_sealed_column(sessions: sessionmaker[Session]) -> dict[tuple[str, str], list[object]]:
    """Every non-null value of every sealed column, opened through its column type."""
    with sessions() as session:
        return {
            (table, column): [
                value
                for value in session.execute(select(Base.metadata.tables[table].c[column])).scalars()
                if value is not None
            ]
            for table, column in SEALED_COLUMNS
        }
