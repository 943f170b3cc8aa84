"""A document a lead sends reads, in its PDF, as each question followed by the practitioner's answer exactly
as typed (issue #12), however wide the case reference in the answer prints and wherever a page ends.

Answers are typed as the practitioners' walk in tests/e2e types them (the case reference, a line break, an
emoji), one a reference made of each character a reference can hold, so that their widths span the ways the
answer column wraps; the PDF is read back with pdftotext (tests/pdf_text.py). Each test once failed for a
few of these references only, so a run with a random reference failed now and then: pdftotext's default
reading order joined a line of the question column into the answer beside it, and a row split across a page
put an answer's first lines on the page before its question, with the page's header and footer inside it."""

from __future__ import annotations

from datetime import datetime

from bot.domain.local_time import LOCAL_ZONE
from bot.questions import QuestionBank
from bot.review.document_pdf import render_document_pdf
from bot.review.document_records import DocumentAnswer, DocumentPart, Recipient, Request, SentDocument
from bot.store.references import ALPHABET
from tests.pdf_text import pdftotext

RECORDED = datetime(2026, 12, 7, 16, 43, tzinfo=LOCAL_ZONE)


def words(text: str) -> str:
    return " ".join(text.split())


def answers(bank: QuestionBank) -> list[DocumentAnswer]:
    """The concern question (its long wording wraps beside the answer), answered once per character."""
    wording = bank.question("concern_summary").text
    return [
        DocumentAnswer(
            question_id="concern_summary",
            wording=wording,
            text=f'[A-{character * 6}] answer {turn}: she said "not again" 😟\r\nand left.  ',
            source="I saw or heard it myself",
            fact_date=None,
            recorded_at=RECORDED,
        )
        for turn, character in enumerate(ALPHABET, 1)
    ]


def document(parts: tuple[DocumentPart, ...]) -> SentDocument:
    return SentDocument(
        id=1,
        kind="prevent_referral",
        title="Prevent referral",
        intro="A referral to the police Prevent team.",
        reference="A-2YJD8F",
        mode="live",
        recipient=Recipient("Police Prevent team"),
        parts=parts,
        request=Request("prevent_referral", "Police screening is needed.", None, None),
        consent="given",
        consent_reason=None,
        lawful_bases=("art6_public_task",),
        sharing_basis="art6_public_task",
        practitioner="A practitioner",
        practitioner_email=None,
        sent_by="A lead",
        made_at=RECORDED,
    )


def not_read_whole(rows: list[DocumentAnswer], pdf: bytes) -> list[str]:
    read = words(pdftotext(pdf))
    return [row.text for row in rows if f"{words(row.wording)} {words(row.text)}" not in read]


def test_an_answer_beside_a_long_question_reads_whole_whatever_its_width(bank: QuestionBank) -> None:
    rows = answers(bank)
    # A table of its own for each answer: each sizes its columns to that answer, as a one-answer section does.
    parts = tuple(DocumentPart(f"Answer {number}", (row,)) for number, row in enumerate(rows, 1))

    assert not_read_whole(rows, render_document_pdf(document(parts))) == []


def test_a_row_that_fits_on_a_page_is_not_split_across_two(bank: QuestionBank) -> None:
    rows = answers(bank)
    pdf = render_document_pdf(document((DocumentPart("Describe your concerns", tuple(rows)),)))

    assert pdftotext(pdf).count("\f") > 3  # the rows run over several page ends
    assert not_read_whole(rows, pdf) == []
