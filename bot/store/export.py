"""The store's JSON export of one assessment: everything recorded, every answer revision, nothing interpreted.

An export is what a lead, an auditor or (through a subject access request) the child's family may read, so it
carries the practitioner's words exactly and the full history of changes, and never a score or label. The
lead's fuller export (decisions, tags, transcript) is the case document's (bot.review.case_json), which
writes these same first four keys the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.domain.answer_history import AnswerHistory
from bot.domain.records import AssessmentRecord
from bot.store import repository
from bot.store.models import Assessment

EXPORT_FORMAT = "assessment-export/1"


def build_export(session: Session, assessment: Assessment, exported_at: datetime) -> dict[str, Any]:
    record = repository.assessment_record(session, assessment)
    return export_json(record, repository.answer_histories(session, assessment.id), exported_at)


def export_json(
    record: AssessmentRecord, histories: tuple[AnswerHistory, ...], exported_at: datetime
) -> dict[str, Any]:
    summary = record.to_json()
    del summary["answers"]
    return {
        "format": EXPORT_FORMAT,
        "exported_at": exported_at.isoformat(),
        "assessment": summary,
        "answers": [history.to_json() for history in histories],
    }
