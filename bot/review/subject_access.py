"""A subject access export (issue #31, `bot case export-sar`): everything held about one child, for the data
protection officer to review before anything is released.

One case by its reference, or every live case whose identifying details (any version) name the person. Each
case is the same case document every export renders (bot.review.case_document, the whole of it: answers
verbatim with every revision, decisions, chronology, urgent flags, transcript), with what that document
leaves to other pages added: every version of the identifying details as entered, the documents made, and the
audit events about the case. Identifying details are included on purpose: the DPO needs them to redact.

A practice run is refused: it is fictional, so it is about no one. The export itself is audited on each case,
as the CLI (`case.subject_access_exported`), without the person's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.review.case_json import to_json
from bot.review.document_records import DetailsVersion, MadeDocument
from bot.review.records import CaseDocument, HistoryEvent

PRACTICE_REFUSED = (
    "{} is a practice run (rehearsal: a fictional case about no one), so it holds nothing for a subject "
    "access request; nothing was exported"
)


@dataclass(frozen=True)
class SubjectAccessCase:
    document: CaseDocument
    details: tuple[DetailsVersion, ...]  # every version, oldest first, as entered
    documents: tuple[MadeDocument, ...]
    audit_events: tuple[HistoryEvent, ...]  # oldest first

    def to_json(self) -> dict[str, Any]:
        return {
            **to_json(self.document),
            "identifying_details": [_details(version) for version in self.details],
            "documents_made": [_made(made) for made in self.documents],
            "audit_events": [
                {"at": event.at.isoformat(), "who": event.who, "action": event.action, "about": event.about}
                for event in self.audit_events
            ],
        }


@dataclass(frozen=True)
class SubjectAccess:
    asked_for: str  # the reference, or "person: NAME"
    made_at: datetime
    cases: tuple[SubjectAccessCase, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "subject_access_export": {
                "asked_for": self.asked_for,
                "made_at": self.made_at.isoformat(),
                "note": "For the data protection officer's review before release: identifying details and "
                "third parties' words are included and may need redacting.",
                "cases": [case.to_json() for case in self.cases],
            }
        }


def _details(version: DetailsVersion) -> dict[str, Any]:
    details = version.details
    return {
        "version": version.number,
        "child_name": details.child_name,
        "date_of_birth": details.date_of_birth.isoformat() if details.date_of_birth else None,
        "address": details.address,
        "school": details.school,
        "carers": details.carers,
        "entered_by": version.entered_by,
        "entered_at": version.entered_at.isoformat(),
    }


def _made(made: MadeDocument) -> dict[str, Any]:
    return {
        "title": made.title,
        "kind": made.kind,
        "partner": made.partner,
        "made_by": made.made_by,
        "made_at": made.made_at.isoformat(),
        "details_version": made.details_version,
        "basis": made.basis,
    }
