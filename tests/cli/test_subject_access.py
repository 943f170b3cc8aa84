"""`bot case export-sar` (issue #31), on a migrated store (the export and its file modes run for real as a
subprocess, the rest called in-process: tests/cli/in_process.py): everything held about one child (answers
verbatim, every version of the identifying details, the audit events about the case) as JSON and a
readable PDF, both 0600; found by reference or by the child's whole name; audited on the case without the
name; a practice run refused in one line, changing nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.domain.records import AnswerIn
from bot.store import db
from bot.store.document_models import IdentifyingDetails
from bot.store.models import Assessment, AuditEvent
from bot.store.services import Store
from tests.builders import give_answer
from tests.cli.in_process import run_in_process
from tests.cli.test_cli import PASSWORD, TEXT, database_url, run
from tests.fixtures.databases import MigratedSqlite

CHILD = "Robin  Example-Smith"


@pytest.fixture
def upgraded(tmp_path: Path, migrated_sqlite: MigratedSqlite) -> Path:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    migrated_sqlite(data_dir / "store.db")
    return data_dir


@pytest.fixture
def store(upgraded: Path) -> Store:
    return Store(db.make_session_factory(database_url(upgraded)))


@pytest.fixture
def case(store: Store) -> str:
    """A live case with a typed answer and two versions of its identifying details; its reference."""
    lead = store.users.create_user("lee.lead", PASSWORD, "lead", "North Team", create_team=True)
    conversation = store.conversations.open_conversation(None, "web")
    reference = store.assessments.start_or_resume(conversation, "2026.1").reference
    give_answer(
        store,
        conversation,
        AnswerIn(
            question_id="q1", revision=1, wording="What happened?", text=TEXT, value=TEXT, status="answered"
        ),
    )
    with store.session_factory() as session, session.begin():
        assessment_id = session.scalar(select(Assessment.id).where(Assessment.reference == reference))
        for address in ("1 Old Road", "2 New Road"):
            session.add(
                IdentifyingDetails(
                    assessment_id=assessment_id,
                    child_name=CHILD,
                    address=address,
                    entered_by=lead.id,
                    entered_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
                )
            )
    return reference


def test_a_case_is_exported_whole_as_json_and_pdf_readable_by_this_account_only(
    upgraded: Path, store: Store, case: str, tmp_path: Path
) -> None:
    output = tmp_path / "sar" / "export.json"
    output.parent.mkdir()
    result = run(upgraded, "case", "export-sar", case, "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().startswith(
        f"1 case(s) for {case}: {output} and {output.with_suffix('.pdf')}"
    )
    for path in (output, output.with_suffix(".pdf")):
        assert path.stat().st_mode & 0o777 == 0o600
    assert output.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    exported = json.loads(output.read_text(encoding="utf-8"))["subject_access_export"]
    assert exported["asked_for"] == case
    (only,) = exported["cases"]
    assert only["assessment"]["reference"] == case
    assert only["answers"][0]["revisions"][0]["text"] == TEXT  # verbatim
    assert [(v["version"], v["child_name"], v["address"]) for v in only["identifying_details"]] == [
        (1, CHILD, "1 Old Road"),
        (2, CHILD, "2 New Road"),
    ]
    assert only["audit_events"][-1]["action"] == "case.subject_access_exported"
    with store.session_factory() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "case.subject_access_exported")
        ).one()
    assert event.actor_kind == "cli" and event.assessment_id is not None
    assert "Robin" not in json.dumps(event.detail)


def test_a_person_is_found_by_their_whole_name_whatever_the_case_and_spacing(
    upgraded: Path, case: str, tmp_path: Path
) -> None:
    output = tmp_path / "by-name.json"
    found = run_in_process(
        upgraded, "case", "export-sar", "--person", " robin example-smith ", "--output", str(output)
    )
    assert found.returncode == 0, found.stderr
    assert [
        c["assessment"]["reference"] for c in json.loads(output.read_text())["subject_access_export"]["cases"]
    ] == [case]
    partial = run_in_process(
        upgraded, "case", "export-sar", "--person", "Robin", "--output", str(tmp_path / "x.json")
    )
    assert partial.returncode == 1
    assert "no live case's identifying details name 'Robin'" in partial.stderr.decode()
    assert not (tmp_path / "x.json").exists()


def test_a_practice_run_is_refused_in_one_line_and_nothing_is_written(
    upgraded: Path, store: Store, tmp_path: Path
) -> None:
    trainer = store.users.create_user("tia.trainer", PASSWORD, "trainer", "North Team", create_team=True)
    run_ = store.practitioners.open_assessment(
        trainer.id, "web", "2026.1", mode="rehearsal", scenario_id="a_b"
    )
    output = tmp_path / "practice.json"
    refused = run_in_process(upgraded, "case", "export-sar", run_.reference, "--output", str(output))
    assert refused.returncode == 1
    err = refused.stderr.decode()
    assert err.count("\n") == 1 and "is a practice run" in err and "nothing was exported" in err
    assert not output.exists()


def test_output_must_be_a_json_file(upgraded: Path, case: str) -> None:
    refused = run_in_process(upgraded, "case", "export-sar", case, "--output", "-")
    assert refused.returncode == 2
    assert "--output must name a .json file" in refused.stderr.decode()
