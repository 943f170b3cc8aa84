"""The JSON export of one assessment: everything recorded, every answer revision, nothing interpreted.

An export is what a lead, an auditor or (through a subject access request) the child's family may read, so it
carries the practitioner's words exactly and the full history of changes, and never a score or label.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.store import repository
from bot.store.models import Assessment

EXPORT_FORMAT = "assessment-export/1"


def build_export(session: Session, assessment: Assessment, exported_at: datetime) -> dict[str, Any]:
    record = repository.assessment_record(session, assessment)
    summary = record.to_json()
    del summary["answers"]
    history: dict[str, list[dict[str, Any]]] = {}
    for row in repository.all_answers(session, assessment.id):
        history.setdefault(row.question_id, []).append(repository.answer_record(row).to_json())
    answers = []
    for question_id, revisions in history.items():
        revisions.sort(key=lambda revision: revision["revision"])
        answers.append(
            {
                "question_id": question_id,
                "current_revision": revisions[-1]["revision"],
                "revisions": revisions,
            }
        )
    return {
        "format": EXPORT_FORMAT,
        "exported_at": exported_at.isoformat(),
        "assessment": summary,
        "answers": answers,
    }
