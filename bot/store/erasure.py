"""Erasing whole cases from the store (issues #13 and #31): every row of theirs, in one transaction.

Which rows belong to a case is read from the tables' own foreign keys (every table that points at an
assessment or its conversation, and at those, and so on), so a table added later goes with its case without
an edit here. The audit trail stays (it holds ids and labels, never the practitioner's words, and has no
foreign key to a case); each erasure is audited there with the case's ids and how many rows went from each
table, never their content.

The engine keeps its own copy of the conversation (its tracker store); the caller deletes that, by the
sender ids returned here (bot.runtime.tracker_purge), after this transaction has committed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Select, Table, delete, select, tuple_, update
from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction

# Every table must be on Base.metadata for its rows to be found and deleted with a case.
from bot.store import (  # noqa: F401
    document_models,
    feedback_models,
    held_models,
    outcome_models,
    practice_move_models,
    retention_models,
    review_models,
    session_models,
    teams_models,
    urgent_models,
)
from bot.store.models import Assessment, Base, Conversation
from bot.store.retention_models import LegalHold
from bot.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ErasedCase:
    """One case erased (or, in a dry run, that would be): its ids and the rows per table, no content."""

    reference: str
    assessment_id: int
    sender_id: str
    record_type: str
    since: datetime  # the moment its period counted from
    rows: dict[str, int] = field(default_factory=dict)


def not_held() -> ColumnElement[bool]:
    """Assessments with no unlifted legal hold: the only ones any erasure may touch."""
    held = select(LegalHold.assessment_id).where(LegalHold.lifted_at.is_(None))
    return Assessment.id.not_in(held)


def erase_cases(
    uow: UnitOfWork,
    found: Select[tuple[int, str, datetime]],
    record_type: str,
    action: AuditAction,
    *,
    dry_run: bool,
) -> list[ErasedCase]:
    """Erase the assessments `found` selects (id, reference, since), one by one so that each one's audit
    event counts its own rows; held cases are left out here, whatever `found` says. A dry run deletes the
    same rows, so its counts are exact, and audits nothing: the caller rolls its transaction back."""
    session = uow.session
    rows = session.execute(found.where(not_held()).order_by(Assessment.id)).all()
    erased: list[ErasedCase] = []
    assessments, conversations = Assessment.__table__, Conversation.__table__
    for assessment_id, reference, since in rows:
        conversation_id, sender_id = session.execute(
            select(Conversation.id, Conversation.sender_id)
            .join(Assessment, Assessment.conversation_id == Conversation.id)
            .where(Assessment.id == assessment_id)
        ).one()
        counts: Counter[str] = Counter()
        _delete_with_dependants(session, assessments, assessments.c.id == assessment_id, counts)
        _delete_with_dependants(session, conversations, conversations.c.id == conversation_id, counts)
        case = ErasedCase(
            reference, assessment_id, sender_id, record_type, since, dict(sorted(counts.items()))
        )
        if not dry_run:
            uow.audit(
                action,
                assessment_id=assessment_id,
                conversation_id=sender_id,
                reference=reference,
                record_type=record_type,
                rows=case.rows,
            )
        erased.append(case)
    return erased


def _delete_with_dependants(
    session: Session, table: Table, where: ColumnElement[bool], counts: Counter[str]
) -> None:
    """Delete the rows of `table` matching `where`, after every row that points at them, depth first,
    adding to `counts` how many went from each table.

    A row of the same table pointing at one being deleted (a newer run linked to an older one; a correction
    of a share) has that link cleared rather than being deleted with it."""
    for child in Base.metadata.sorted_tables:
        for foreign_key in child.foreign_key_constraints:
            if foreign_key.referred_table is not table:
                continue
            referred = [element.column for element in foreign_key.elements]
            pointing = tuple_(*foreign_key.columns).in_(select(*referred).where(where))
            if child is table:
                session.execute(
                    update(child).where(pointing).values({c.name: None for c in foreign_key.columns})
                )
            else:
                _delete_with_dependants(session, child, pointing, counts)
    found = session.execute(delete(table).where(where)).rowcount
    if found:
        counts[table.name] += found
