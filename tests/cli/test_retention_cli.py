"""`bot retention run`, `hold` and `lift` (issue #31), on a migrated store, called in-process
(tests/cli/in_process.py): a bad schedule is refused whole with a
`file:line: message` per problem, a dry run lists and changes nothing, and a hold is set and lifted as a
lead with a reason (a practitioner is refused in one line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store import db
from bot.store.services import Store
from tests.cli.in_process import run_in_process
from tests.cli.test_cli import PASSWORD, database_url
from tests.fixtures.databases import MigratedSqlite

BANK = "2026.1"


@pytest.fixture
def upgraded(tmp_path: Path, migrated_sqlite: MigratedSqlite) -> Path:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    migrated_sqlite(data_dir / "store.db")
    return data_dir


def test_a_bad_schedule_is_refused_whole_naming_each_line(upgraded: Path, tmp_path: Path) -> None:
    schedule = tmp_path / "schedule.yaml"
    schedule.write_text(
        "live:\n  closed_case:\n    keep_days: ten\n  bogus:\n    keep_days: 3\npractice: {}\n"
    )
    result = run_in_process(upgraded, "retention", "run", "--schedule", str(schedule))
    assert result.returncode == 1
    err = result.stderr.decode()
    assert f"{schedule}:3: live.closed_case.keep_days: expected whole days" in err
    assert f"{schedule}:4: live: unknown record type 'bogus'" in err
    assert f"{schedule}:2: live: no period for unsubmitted_draft" in err
    assert "practice: no period for practice_run" in err and "nothing was erased" in err


def test_a_hold_is_set_and_lifted_by_a_lead_and_a_dry_run_changes_nothing(upgraded: Path) -> None:
    store = Store(db.make_session_factory(database_url(upgraded)))
    lead = store.users.create_user("lee.lead", PASSWORD, "lead", "North Team", create_team=True)
    practitioner = store.users.create_user("pat.practitioner", PASSWORD, "practitioner", "North Team")
    case = store.practitioners.open_assessment(practitioner.id, "web", BANK)
    refused = run_in_process(
        upgraded, "retention", "hold", case.reference, "--user", "pat.practitioner", "--reason", "x"
    )
    assert refused.returncode == 1 and refused.stderr.decode().count("\n") == 1
    assert "only a lead of the case's team, or an admin" in refused.stderr.decode()
    held = run_in_process(
        upgraded, "retention", "hold", case.reference, "--user", lead.username, "--reason", "Complaint"
    )
    assert held.returncode == 0, held.stderr
    assert store.retention.held_references() == (case.reference,)
    dry = run_in_process(upgraded, "retention", "run", "--dry-run")
    assert dry.stdout.decode() == "would erase 0 case(s) (dry run: nothing was changed)\n"
    lifted = run_in_process(
        upgraded, "retention", "lift", case.reference, "--user", lead.username, "--reason", "Resolved"
    )
    assert lifted.returncode == 0, lifted.stderr
    assert store.retention.held_references() == ()
