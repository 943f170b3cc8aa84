"""Exports from the case page and the command line: the full record as JSON and as a tagged PDF, each one
audited, each one refused outside the viewer's cases."""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import weasyprint
from aiohttp import web
from aiohttp.test_utils import TestClient
from review_helpers import URGENT_MESSAGE, VERBATIM, Case, case_document, csrf_from, page
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from tracker_helpers import add_events, bot, make_tracker, user

from bot.domain.records import UserInfo
from bot.review.pdf import REHEARSAL_MARK, print_html
from bot.review.transcript import Transcript, Turn
from bot.settings import Settings
from bot.store.models import AuditEvent
from bot.store.services import Store
from tests.cli.in_process import run_in_process

AsUser = Callable[[str | None], Awaitable[TestClient]]
DECISION = {
    "pathways": "early_help",
    "pathway-early_help-rationale": "  Worried, but\nearly help fits. ",
    "pathway-early_help-shared": "The referral, to the early help team.",
    "pathway-early_help-owner": "Early help coordinator",
    "lawful_bases": "art6_public_task",
    "consent": "given",
}


def audit(sessions: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with sessions() as session:
        return list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        )


def with_tracker(settings: Settings, store: Store, case: Case) -> None:
    record = store.assessments.get_assessment(case.conversation_id)
    assert record is not None
    first = min(a.recorded_at for a in record.answers.values()) - timedelta(seconds=10)
    tracker = settings.engine_tracker_db
    if not tracker.exists():
        make_tracker(tracker)
    add_events(
        tracker,
        case.conversation_id,
        [
            ("bot", first, bot("What did the young person say?")),
            ("user", first + timedelta(seconds=1), user(VERBATIM.strip(), typed=VERBATIM)),
            (
                "bot",
                first + timedelta(seconds=2),
                bot("Has this happened before?", [{"title": "Yes", "payload": "Yes"}]),
            ),
            ("user", first + timedelta(seconds=3), user("Yes")),
        ],
    )


async def decide(client: TestClient, case: Case) -> None:
    token = csrf_from(await page(client, f"/cases/{case.id}"))
    response = await client.post(
        f"/cases/{case.id}/decision", data={**DECISION, "csrf_token": token}, allow_redirects=False
    )
    assert response.status == 303, await response.text()


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated, to look for structure."""
    inflated = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            inflated.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"".join(inflated)


def pdf_text(html: str) -> list[str]:
    """The text laid out on each page of the PDF, read through WeasyPrint's own document API."""

    def texts(box: Any) -> Iterator[str]:
        if hasattr(box, "text"):
            yield box.text
        for child in getattr(box, "children", ()):
            yield from texts(child)

    document = weasyprint.HTML(string=html).render()
    return [" ".join(texts(p._page_box)) for p in document.pages]


async def test_the_json_export_holds_the_record_transcript_and_decision_and_is_audited(
    as_user: AsUser,
    cases: dict[str, Case],
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
) -> None:
    case = cases["north-live"]
    with_tracker(settings, store, case)
    client = await as_user("north-lead")
    await decide(client, case)

    response = await client.get(f"/cases/{case.id}/export.json")
    assert response.status == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="case-{case.reference}.json"'
    data = json.loads(await response.text())

    assert data["assessment"]["reference"] == case.reference
    assert data["assessment"]["urgent_messages"][0]["text"] == URGENT_MESSAGE
    texts = {a["revisions"][-1]["text"] for a in data["answers"]}
    assert VERBATIM in texts
    assert data["referral_status"] == "decided"
    [decision] = data["decisions"]
    [chosen] = decision["pathways"]
    assert (chosen["pathway"], chosen["label"]) == ("early_help", "Early help")
    assert chosen["rationale"] == DECISION["pathway-early_help-rationale"]
    assert (chosen["shared"], chosen["owner"]) == (
        "The referral, to the early help team.",
        "Early help coordinator",
    )
    assert decision["lawful_bases"] == ["art6_public_task"]
    turns = data["transcript"]["turns"]
    assert [t["text"] for t in turns if t["speaker"] == "user"] == [VERBATIM, "Yes"]
    assert sorted(q for t in turns for q in t["answers"]) == sorted(a["question_id"] for a in data["answers"])
    [event] = audit(sessions, "case.exported")
    assert event.assessment_id == case.id and event.detail["format"] == "json"


async def test_the_pdf_export_is_a_tagged_pdf_of_the_case_and_is_audited(
    as_user: AsUser,
    cases: dict[str, Case],
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
) -> None:
    case = cases["north-live"]
    with_tracker(settings, store, case)
    client = await as_user("north-lead")
    await decide(client, case)

    response = await client.get(f"/cases/{case.id}/export.pdf")
    assert response.status == 200
    assert response.content_type == "application/pdf"
    pdf = await response.read()
    assert pdf.startswith(b"%PDF-")
    assert b"/StructTreeRoot" in pdf_objects(pdf), "the PDF is tagged"
    [event] = audit(sessions, "case.exported")
    assert event.detail["format"] == "pdf"


async def test_the_print_template_carries_the_record(
    as_user: AsUser,
    cases: dict[str, Case],
    settings: Settings,
    store: Store,
    app: web.Application,
    people: dict[str, UserInfo],
) -> None:
    case = cases["north-live"]
    with_tracker(settings, store, case)
    client = await as_user("north-lead")
    await decide(client, case)

    text = " ".join(pdf_text(print_html(case_document(app, people["north-lead"], case))))
    for expected in (
        case.reference,
        "Early help",
        "Worried, but",
        "UK GDPR Article 6(1)(e)",
        "knife",
        "Transcript",
    ):
        assert expected in text, expected
    assert REHEARSAL_MARK not in text


def test_every_page_of_a_rehearsal_pdf_is_marked(
    app: web.Application, cases: dict[str, Case], people: dict[str, UserInfo]
) -> None:
    document = case_document(app, people["north-trainer"], cases["north-rehearsal"])
    turns = tuple(  # long enough to run to several pages
        Turn(n, "bot", f"Question {n}", (), document.made_at) for n in range(1, 150)
    )
    pages = pdf_text(print_html(replace(document, transcript=Transcript(turns))))
    assert len(pages) > 2
    assert all(REHEARSAL_MARK in text for text in pages)


async def test_exports_of_another_teams_case_are_refused_and_audited(
    as_user: AsUser, cases: dict[str, Case], sessions: sessionmaker[Session]
) -> None:
    client = await as_user("south-lead")
    for kind in ("json", "pdf"):
        await page(client, f"/cases/{cases['north-live'].id}/export.{kind}", status=404)
    assert [e.assessment_id for e in audit(sessions, "case.export_refused")] == [cases["north-live"].id] * 2
    assert audit(sessions, "case.exported") == []


async def test_a_practitioners_export_leaves_out_the_leads_reasoning(
    as_user: AsUser, cases: dict[str, Case]
) -> None:
    case = cases["north-live"]
    await decide(await as_user("north-lead"), case)
    client = await as_user("north-practitioner")
    data = json.loads(await (await client.get(f"/cases/{case.id}/export.json")).text())
    [decision] = data["decisions"]
    assert "pathways" not in decision and "rationale" not in str(decision)


def test_the_command_line_writes_the_pdf_to_a_file_or_stdout(
    settings: Settings, database_url: str, cases: dict[str, Case], sessions: sessionmaker[Session]
) -> None:
    case = cases["north-live"]
    output = settings.data_dir / "case.pdf"
    args = ["assessments", "export", "--format", "pdf", "--conversation", case.conversation_id]
    # Through `bot.cli.main` in this process (tests/cli/in_process.py checks the call left the process as it
    # was; issue #27: each `bot` process importing WeasyPrint costs seconds). The real executable's binary
    # standard output is tested in tests/cli/test_conventions.py.
    here = {"BOT_DATABASE_URL": database_url}
    to_file = run_in_process(settings.data_dir, *args, "--output", str(output), **here)
    assert to_file.returncode == 0, to_file.stderr
    assert output.read_bytes().startswith(b"%PDF-")
    to_stdout = run_in_process(settings.data_dir, *args, **here)
    assert to_stdout.returncode == 0, to_stdout.stderr
    assert to_stdout.stdout.startswith(b"%PDF-") and to_stdout.stdout.rstrip().endswith(b"%%EOF")
    events = audit(sessions, "assessment.exported")
    assert [(e.actor_kind, e.detail["format"]) for e in events] == [("cli", "pdf"), ("cli", "pdf")]
    missing = run_in_process(settings.data_dir, *args[:-1], "nope", **here)
    assert missing.returncode == 1 and b"no assessment found" in missing.stderr
