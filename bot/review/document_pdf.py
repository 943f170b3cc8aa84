"""A document a lead sends (issue #12) as a tagged PDF, rendered by WeasyPrint as the case PDF is
(bot.review.pdf): PDF/UA structure for screen readers, and "Rehearsal - fictional case" on every page of a
rehearsal case's document so that it can never pass for live."""

from __future__ import annotations

from dataclasses import asdict

from bot.domain.vocabulary import CONSENT_DECISIONS, LAWFUL_BASES, PATHWAYS
from bot.review.document_content import NOT_DATED
from bot.review.document_records import DETAIL_LABELS, SentDocument
from bot.review.pdf import REHEARSAL_MARK, TEMPLATE_ENV, TEMPLATES, font_config


def document_html(document: SentDocument) -> str:
    parts = [
        {**asdict(part), "details": asdict(part.details) if part.details else None} for part in document.parts
    ]
    return TEMPLATE_ENV.get_template("review/document_pdf.html").render(
        doc={**document.__dict__, "parts": parts, "left_out_labels": document.left_out_labels},
        detail_labels=tuple(DETAIL_LABELS.items()),
        rehearsal_mark=REHEARSAL_MARK,
        pathways=PATHWAYS,
        consent_decisions=CONSENT_DECISIONS,
        lawful_bases=LAWFUL_BASES,
        not_dated=NOT_DATED,
    )


def render_document_pdf(document: SentDocument) -> bytes:
    """Tagged PDF bytes. Slow (hundreds of milliseconds): call it off the event loop."""
    import weasyprint  # imported here: loading it takes a while, and only exports need it

    html = weasyprint.HTML(string=document_html(document), base_url=str(TEMPLATES))
    identifier = f"{document.reference}-{document.kind}-{document.id}".encode()
    return html.write_pdf(pdf_tags=True, pdf_identifier=identifier, font_config=font_config())
