"""Practice runs past their retention period are deleted (issue #13): every row of theirs, in one transaction.

A practice run is fictional, so nothing of it is kept once its period is over: its answers, chat log, urgent
flags, notices, reviews and documents go with it. Which rows belong to a run is read from the tables' own
foreign keys (every table that points at an assessment or its conversation, and at those, and so on), so a
table added later is deleted with the run without an edit here. The audit trail stays (it holds ids and
labels, never the practitioner's words, and is insert-only); each deletion is audited there.

The engine keeps its own copy of the conversation (its tracker store); the caller deletes that, by the
sender ids returned here (bot.runtime.tracker_purge), after this transaction has committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, Table, delete, select, tuple_, update
from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction

# Every table must be on Base.metadata for its rows to be found and deleted with a run.
from bot.store import (  # noqa: F401
    document_models,
    feedback_models,
    held_models,
    outcome_models,
    review_models,
    teams_models,
    urgent_models,
)
from bot.store.models import Assessment, Base, Conversation
from bot.store.unit_of_work import Service, UnitOfWork


@dataclass(frozen=True)
class Purged:
    """What one purge deleted: the runs' references and the engine's sender ids of their conversations."""

    references: tuple[str, ...]
    sender_ids: tuple[str, ...]


class PracticePurgeService(Service):
    def purge_practice_runs(self, older_than: timedelta) -> Purged:
        """Delete every practice run started more than `older_than` ago; live runs are never touched.

        A practice run added to an older one (`linked_from`) loses only the link when the older goes."""
        if older_than <= timedelta(0):
            raise ValueError("the retention period must be longer than nothing")

        def purge(uow: UnitOfWork) -> Purged:
            session = uow.session
            cutoff = uow.now() - older_than
            rows = session.execute(
                select(Assessment.id, Assessment.reference, Conversation.id, Conversation.sender_id)
                .join(Conversation, Assessment.conversation_id == Conversation.id)
                .where(Assessment.mode == "rehearsal", Assessment.created_at < cutoff)
                .order_by(Assessment.id)
            ).all()
            if not rows:
                return Purged((), ())
            for assessment_id, reference, _, _ in rows:
                uow.audit(AuditAction.PRACTICE_RUN_PURGED, assessment_id=assessment_id, reference=reference)
            assessments = Assessment.__table__
            conversations = Conversation.__table__
            _delete_with_dependants(session, assessments, assessments.c.id.in_([r[0] for r in rows]))
            _delete_with_dependants(session, conversations, conversations.c.id.in_([r[2] for r in rows]))
            return Purged(tuple(r[1] for r in rows), tuple(r[3] for r in rows))

        return self._write(purge)


def _delete_with_dependants(session: Session, table: Table, where: ColumnElement[bool]) -> None:
    """Delete the rows of `table` matching `where`, after every row that points at them, depth first.

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
                _delete_with_dependants(session, child, pointing)
    session.execute(delete(table).where(where))
