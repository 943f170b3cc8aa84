"""What a document is based on (issue #12, revision 0028), and what it says about that.

A lead may send a document from a Request for Support, and may need to while the practitioner is still
completing the full assessment (a referral to children's social care cannot always wait). Such a document
carries the screening answers only, and says so plainly at its top; its wording is data
(document_bases.yaml), the rule for which basis applies is here.
"""

from __future__ import annotations

from pathlib import Path

from bot.domain.lifecycle import AssessmentStatus
from bot.domain.stages import SubmittedStage
from bot.domain.vocabulary import DOCUMENT_BASES
from bot.domain.yaml_files import read_yaml
from bot.store.case_rows import CaseRow

FULL, SCREENING, AWAITING_FULL = DOCUMENT_BASES
SCREENING_BASES = frozenset({SCREENING, AWAITING_FULL})  # the screening answers only


NOTES_FILE = Path(__file__).with_name("document_bases.yaml")


def load_notes(path: Path = NOTES_FILE) -> dict[str, str]:
    data = read_yaml(path)
    unknown = set(data) - set(DOCUMENT_BASES)
    if unknown or not all(isinstance(data.get(key), str) for key in SCREENING_BASES):
        raise ValueError(f"{path}: a note for each of {sorted(SCREENING_BASES)} and no other key: {unknown}")
    return dict(data)


BASIS_NOTES: dict[str, str] = load_notes()


def basis_of(assessment: CaseRow) -> str | None:
    """What a document made now would be based on; None while no document may be made (a draft)."""
    screening = assessment.submitted_stage == SubmittedStage.SCREENING
    if assessment.status == AssessmentStatus.SUBMITTED:
        return SCREENING if screening else FULL
    if screening and assessment.full_requested_at is not None:
        return AWAITING_FULL  # back in progress for the full assessment: the Request for Support stands
    return None


def note_for(basis: str | None) -> str | None:
    return BASIS_NOTES.get(basis or "")
