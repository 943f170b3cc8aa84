"""The documents a lead makes from a decision (issue #12) in the store: a case's documents, one of them with
the rows it was made from, and a new one. The review checks scope, role and form and writes the audit event;
the rows are read and written here, in the caller's transaction, typed as protocols (bot.store.document_rows,
review_rows), so only the store touches the ORM models (issue #29)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.document_models import IdentifyingDetails, ReferralDocument
from bot.store.document_rows import DetailsRow, DocumentRow
from bot.store.outcome_models import SharingEntry
from bot.store.review_models import Decision, DecisionPathway
from bot.store.review_rows import DecisionPathwayRow, DecisionRow, SharingRow


@dataclass(frozen=True)
class DocumentSources:
    """What a made document is generated from: its pathway, that pathway's decision, the share it logged
    and the details' version it was made with (None if the case had none)."""

    pathway: DecisionPathwayRow
    decision: DecisionRow
    share: SharingRow
    details: DetailsRow | None


def documents_of(session: Session, assessment_id: int) -> list[DocumentRow]:
    """The case's documents, oldest first."""
    return list(
        session.scalars(
            select(ReferralDocument)
            .where(ReferralDocument.assessment_id == assessment_id)
            .order_by(ReferralDocument.made_at, ReferralDocument.id)
        )
    )


def document_of(session: Session, assessment_id: int, document_id: int) -> DocumentRow | None:
    """The document if it belongs to the case, else None."""
    return session.scalar(
        select(ReferralDocument).where(
            ReferralDocument.id == document_id, ReferralDocument.assessment_id == assessment_id
        )
    )


def sources_of(session: Session, document: DocumentRow) -> DocumentSources:
    pathway = session.get_one(DecisionPathway, document.decision_pathway_id)
    return DocumentSources(
        pathway=pathway,
        decision=session.get_one(Decision, pathway.decision_id),
        share=session.get_one(SharingEntry, document.sharing_entry_id),
        details=session.get(IdentifyingDetails, document.details_id) if document.details_id else None,
    )


def add_document(
    session: Session,
    *,
    assessment_id: int,
    kind: str,
    decision_pathway_id: int,
    partner: str | None,
    details_id: int | None,
    sharing_entry_id: int,
    made_by: int,
    made_at: datetime,
    basis: str | None,
    left_out: Sequence[str],
) -> int:
    """The new document's id."""
    row = ReferralDocument(
        assessment_id=assessment_id,
        kind=kind,
        decision_pathway_id=decision_pathway_id,
        partner=partner,
        details_id=details_id,
        sharing_entry_id=sharing_entry_id,
        made_by=made_by,
        made_at=made_at,
        basis=basis,
        left_out=list(left_out),
    )
    session.add(row)
    session.flush()
    return row.id
