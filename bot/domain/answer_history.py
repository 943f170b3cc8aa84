"""Every revision of one answer, for exports (bot.store.export) and the lead's history of a case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.records import AnswerRecord


@dataclass(frozen=True)
class AnswerHistory:
    """Every revision of one answer, oldest first: an export carries the history, a page the latest."""

    question_id: str
    revisions: tuple[AnswerRecord, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "current_revision": self.revisions[-1].revision,
            "revisions": [revision.to_json() for revision in self.revisions],
        }
