"""The printable record of a case: a tagged PDF rendered by WeasyPrint from the case document.

Rendering the same document as the page and the JSON export (bot.review.case_document) means the three say
the same thing. The PDF is tagged (PDF/UA structure) so screen readers can read it; a rehearsal case carries
"Rehearsal - fictional case" in the margin of every page, so a printed page can never pass for live.

A lead's document carries the case's VAF tags; the PDF then shows the active ones beside each answer and the
tagged evidence grouped by dimension. A practitioner's document has no tags, nor has their PDF.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import jinja2

from bot.domain.audit_actions import LABELS
from bot.domain.pathways import outcome_label
from bot.domain.vocabulary import (
    CASE_STATUSES,
    CONSENT_DECISIONS,
    LAWFUL_BASES,
    PATHWAYS,
    REVIEW_SOURCES,
    REVIEW_STATES,
    SHARING_METHODS,
    VAF_DIMENSIONS,
)
from bot.review.formats import day, day_range, local_time
from bot.review.partners import PARTNERS
from bot.review.records import CaseDocument
from bot.review.subject_access import SubjectAccess

TEMPLATES = Path(__file__).resolve().parent.parent / "web" / "templates"
REHEARSAL_MARK = "Rehearsal - fictional case"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["local_time"] = local_time
_env.filters["day"] = day
_env.filters["day_range"] = day_range
TEMPLATE_ENV = _env  # the documents a lead sends render with the same filters (bot.review.document_pdf)

# WeasyPrint builds a fresh Fontconfig configuration and Pango font map for every render unless given one
# (its documented `font_config` argument), then opens the same system fonts in it again: 7-9% of a
# document's CPU, measured over the documents the review tests render. One is kept per thread instead, so an
# operator's export or subject access file comes out sooner with the same fonts and words. Per thread, not
# per process: the app renders in asyncio's worker threads, and the configuration's caches take no lock.
_fonts = threading.local()


def font_config() -> Any:
    """This thread's WeasyPrint font configuration, made on its first render."""
    if not hasattr(_fonts, "config"):
        from weasyprint.text.fonts import FontConfiguration  # imported late, as weasyprint is (below)

        _fonts.config = FontConfiguration()
    return _fonts.config


def print_html(document: CaseDocument) -> str:
    return _env.get_template("review/pdf.html").render(
        case=document,
        dimensions=VAF_DIMENSIONS,
        rehearsal_mark=REHEARSAL_MARK,
        pathways=PATHWAYS,
        partner_names={partner.key: partner.name for partner in PARTNERS},
        lawful_bases=LAWFUL_BASES,
        consent_decisions=CONSENT_DECISIONS,
        statuses=CASE_STATUSES,
        sharing_methods=SHARING_METHODS,
        outcome_label=outcome_label,
        review_sources=REVIEW_SOURCES,
        review_states=REVIEW_STATES,
    )


def render_pdf(document: CaseDocument) -> bytes:
    """Tagged PDF bytes. Slow (hundreds of milliseconds): call it off the event loop."""
    import weasyprint  # imported here: loading it takes a while, and only exports need it

    html = weasyprint.HTML(string=print_html(document), base_url=str(TEMPLATES))
    identifier = document.reference.encode()
    return html.write_pdf(pdf_tags=True, pdf_identifier=identifier, font_config=font_config())


def render_subject_access_pdf(export: SubjectAccess) -> bytes:
    """One PDF for a subject access export (issue #31): each case's own printed record, as `render_pdf` makes
    it, followed by what that record leaves to other pages (every version of the identifying details, the
    documents made, the audit events), so the DPO reads one file."""
    import weasyprint

    appendix = _env.get_template("review/sar_appendix.html")
    fonts = font_config()
    rendered = []
    for case in export.cases:
        record = weasyprint.HTML(string=print_html(case.document), base_url=str(TEMPLATES))
        rendered.append(record.render(font_config=fonts))
        html = appendix.render(case=case, asked_for=export.asked_for, made_at=export.made_at, labels=LABELS)
        rendered.append(weasyprint.HTML(string=html, base_url=str(TEMPLATES)).render(font_config=fonts))
    pages = [page for document in rendered for page in document.pages]
    return rendered[0].copy(pages).write_pdf(pdf_tags=True)
