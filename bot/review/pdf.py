"""The printable record of a case: a tagged PDF rendered by WeasyPrint from the case's full export.

Rendering from the export (not from the page) means the PDF, the JSON export and `bot assessments export`
all say the same thing. The PDF is tagged (PDF/UA structure) so screen readers can read it; a rehearsal case
carries "Rehearsal - fictional case" in the margin of every page, so a printed page can never pass for live.

A lead's export carries the case's VAF tags ("evidence_tags"); the PDF then shows the active ones beside each
answer and the tagged evidence grouped by dimension. A practitioner's export has no tags, nor has their PDF.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2

from bot.domain.records import WITHDRAWN
from bot.domain.vocabulary import (
    CASE_STATUSES,
    CONSENT_DECISIONS,
    LAWFUL_BASES,
    PATHWAYS,
    VAF_DIMENSIONS,
)
from bot.questions import QuestionBank
from bot.review.case_page import NOT_IN_BANK_TITLE
from bot.review.queries import LOCAL_ZONE

TEMPLATES = Path(__file__).resolve().parent.parent / "web" / "templates"
REHEARSAL_MARK = "Rehearsal - fictional case"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def print_html(export: dict[str, Any], bank: QuestionBank) -> str:
    """The print template filled from an export (see ReviewService.export_case)."""
    # A question whose latest revision is withdrawn (the practitioner started again) has no current answer,
    # as on the case page; its earlier revisions stay in the JSON export.
    latest = [answer["revisions"][-1] for answer in export["answers"]]
    current = [revision for revision in latest if revision["status"] != WITHDRAWN]
    by_id = {answer["question_id"]: answer for answer in current}
    sections = []
    for section in bank.sections:
        answered = [by_id.pop(qid) for qid in section.question_ids if qid in by_id]
        if answered:
            sections.append((section.title, answered))
    if by_id:
        sections.append((NOT_IN_BANK_TITLE, list(by_id.values())))
    chronology = sorted((a for a in current if a["fact_date"]), key=lambda a: a["fact_date"])
    turn_of = {qid: turn["number"] for turn in export["transcript"]["turns"] for qid in turn["answers"]}
    tags_of: dict[str, list[dict[str, Any]]] = {}
    for tag in export.get("evidence_tags", []):
        if tag["removed_at"] is None:
            tags_of.setdefault(tag["question_id"], []).append(tag)
    tag_groups = [
        (
            dimension,
            [
                (answer, tag)
                for _, answers in sections
                for answer in answers
                for tag in tags_of.get(answer["question_id"], [])
                if tag["dimension"] == dimension
            ],
        )
        for dimension in VAF_DIMENSIONS
    ]
    _env.filters["local_time"] = _local_time
    _env.filters["day"] = _day
    return _env.get_template("review/pdf.html").render(
        export=export,
        case=export["assessment"],
        sections=sections,
        chronology=chronology,
        turn_of=turn_of,
        shows_tags="evidence_tags" in export,
        tags_of=tags_of,
        tag_groups=tag_groups,
        dimensions=VAF_DIMENSIONS,
        rehearsal_mark=REHEARSAL_MARK,
        pathways=PATHWAYS,
        lawful_bases=LAWFUL_BASES,
        consent_decisions=CONSENT_DECISIONS,
        statuses=CASE_STATUSES,
    )


def render_pdf(export: dict[str, Any], bank: QuestionBank) -> bytes:
    """Tagged PDF bytes. Slow (hundreds of milliseconds): call it off the event loop."""
    import weasyprint  # imported here: loading it takes a while, and only exports need it

    html = weasyprint.HTML(string=print_html(export, bank), base_url=str(TEMPLATES))
    return html.write_pdf(pdf_tags=True, pdf_identifier=export["assessment"]["reference"].encode())


def _local_time(value: str | None) -> str:
    if not value:
        return ""
    local = datetime.fromisoformat(value).astimezone(LOCAL_ZONE)
    return f"{local.day} {local:%B %Y}, {local:%H:%M}"


def _day(value: str | None) -> str:
    if not value:
        return ""
    day = date.fromisoformat(value)
    return f"{day.day} {day:%B %Y}"
