"""What a document says (issue #12): its sections filled from the assessment as its YAML names them, the
decision's consent and lawful basis, the pathway's request, and the identifying details merged in only here,
as it is generated. Then its JSON; the PDF is bot.review.document_pdf.

Answers go in as given: the practitioner's words verbatim (a closed answer as its option labels), with how it
is known and when. The bank's VAF aid is never copied in: a document carries evidence, never a label.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.dialogue.wording import answer_words
from bot.domain.records import AssessmentRecord
from bot.questions import QuestionBank
from bot.questions.sources import source_question_id
from bot.review import case_page
from bot.review.document_basis import SCREENING_BASES
from bot.review.document_records import (
    Details,
    DocumentAnswer,
    DocumentPart,
    Recipient,
    Request,
    SentDocument,
)
from bot.review.document_types import DocumentType
from bot.review.formats import day_range
from bot.review.partners import PARTNER_BY_KEY
from bot.store.review_rows import DecisionPathwayRow, DecisionRow


@dataclass(frozen=True)
class Made:
    """Who made the document, when, and the share it was recorded as."""

    id: int
    sent_by: str
    made_at: datetime
    sharing_basis: str
    practitioner_email: str | None
    basis: str | None = None  # DOCUMENT_BASES; None for a document made before it was kept
    basis_note: str | None = None
    details_version: int | None = None
    left_out: tuple[str, ...] = ()  # field ids the lead left out of this document


def build(
    bank: QuestionBank,
    record: AssessmentRecord,
    kind: DocumentType,
    decision: DecisionRow,
    pathway: DecisionPathwayRow,
    details: Details | None,
    made: Made,
) -> SentDocument:
    # A left-out field is dropped here, before anything renders, so neither the PDF nor the JSON can show it.
    if details is not None and made.left_out:
        details = replace(details, **{name: None for name in made.left_out})
    return SentDocument(
        id=made.id,
        kind=kind.key,
        title=kind.title,
        intro=kind.intro,
        reference=record.reference,
        mode=record.mode,
        recipient=_recipient(kind, pathway),
        parts=tuple(
            DocumentPart(
                heading=section.heading,
                answers=_answers(
                    bank, record, section.bank_sections, section.questions, made.basis in SCREENING_BASES
                ),
                details=details
                if section.identifying and details is not None and not details.empty
                else None,
                identifying=section.identifying,
                referrer=section.referrer,
                consent=section.consent,
                request=section.request,
            )
            for section in kind.sections
        ),
        request=Request(pathway.pathway, pathway.rationale, pathway.shared, pathway.owner),
        consent=decision.consent,
        consent_reason=decision.consent_reason,
        lawful_bases=tuple(decision.lawful_bases),
        sharing_basis=made.sharing_basis,
        practitioner=record.practitioner,
        practitioner_email=made.practitioner_email,
        sent_by=made.sent_by,
        made_at=made.made_at,
        basis=made.basis,
        basis_note=made.basis_note,
        details_version=made.details_version if details is not None and not details.empty else None,
        left_out=made.left_out,
    )


def _recipient(kind: DocumentType, pathway: DecisionPathwayRow) -> Recipient:
    if kind.recipient is not None:
        return Recipient(kind.recipient)
    partner = PARTNER_BY_KEY[pathway.partner or ""]
    return Recipient(partner.name, partner.offer, partner.contact)


def _answers(
    bank: QuestionBank,
    record: AssessmentRecord,
    sections: tuple[str, ...],
    questions: tuple[str, ...],
    screening_only: bool,
) -> tuple[DocumentAnswer, ...]:
    """In bank order: every answer of the named sections, and each named question with its source answer;
    of the screening part of the bank only for a document based on the screening (a Request for Support,
    whose practitioner may be adding the full assessment's answers as it is generated)."""
    wanted = {qid for section in sections for qid in bank.section(section).question_ids}
    wanted |= {qid for parent in questions for qid in (parent, source_question_id(parent))}
    order = [
        qid
        for section in bank.sections
        if not screening_only or section.part == "screening"
        for qid in section.question_ids
    ]
    found = []
    for qid in order:
        answer = record.answers.get(qid)
        if qid in wanted and answer is not None and answer.status != "withdrawn":
            found.append(
                DocumentAnswer(
                    question_id=qid,
                    wording=answer.wording,
                    text=answer_words(bank, answer),
                    source=answer.source,
                    fact_date=answer.fact_date,
                    recorded_at=answer.recorded_at,
                    fact_until=case_page.fact_until(answer),
                    undated=case_page.is_undated(bank, answer),
                )
            )
    return tuple(found)


NOT_DATED = "not dated"


def when_shown(answer: DocumentAnswer) -> str | None:
    """When, as the PDF and the JSON write it: a day, a rough date as the whole range it means ("1 March to
    31 March 2024", never its first day alone), "not dated" for a "when" with no date, None for no date."""
    if answer.undated:
        return NOT_DATED
    return day_range(answer.fact_date, answer.fact_until) or None


def _when_iso(answer: DocumentAnswer) -> str | None:
    """ISO 8601: a day, or for a rough date the interval "2024-03-01/2024-03-31" (so no reader takes the
    range's first day for the day it happened)."""
    if answer.fact_date is None:
        return None
    if answer.fact_until is None:
        return answer.fact_date.isoformat()
    return f"{answer.fact_date.isoformat()}/{answer.fact_until.isoformat()}"


def to_json(document: SentDocument) -> dict[str, Any]:
    """The document as JSON. Identifying details appear only if the lead's form gave them; a field left out
    of this document is absent (not blank) and named by its label in `left_out_of_this_document`."""
    return {
        "document": document.kind,
        "title": document.title,
        "case_reference": document.reference,
        "mode": document.mode,
        "made_at": document.made_at.isoformat(),
        "sent_by": document.sent_by,
        "based_on": document.basis,
        "based_on_note": document.basis_note,
        "details_version": document.details_version,
        "recipient": document.recipient.__dict__,
        "left_out_of_this_document": list(document.left_out_labels),
        "sections": [_part_json(document, part) for part in document.parts],
    }


def _part_json(document: SentDocument, part: DocumentPart) -> dict[str, Any]:
    out: dict[str, Any] = {"heading": part.heading}
    if part.details is not None:
        out["identifying_details"] = {
            name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in part.details.__dict__.items()
            if value is not None
        }
    if part.request:
        out["request"] = document.request.__dict__
    if part.consent:
        out["consent"] = {
            "decision": document.consent,
            "reason": document.consent_reason,
            "lawful_bases": list(document.lawful_bases),
            "lawful_basis_for_this_share": document.sharing_basis,
        }
    if part.referrer:
        out["referrer"] = {"practitioner": document.practitioner, "email": document.practitioner_email}
    out["answers"] = [
        {
            "question_id": answer.question_id,
            "question": answer.wording,
            "answer": answer.text,
            "how_known": answer.source,
            "when": _when_iso(answer),
            "when_shown": when_shown(answer),
            "recorded_at": answer.recorded_at.isoformat(),
        }
        for answer in part.answers
    ]
    return out
