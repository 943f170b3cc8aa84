"""`bot user list|set-role|set-team|reactivate|reset-password` (issue #32), called in-process
(tests/cli/in_process.py): `bot user add`'s own subprocess test, in test_cli, covers the real executable."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot.store import db
from bot.store.models import AuditEvent
from bot.store.services import Store
from tests.cli.in_process import run_in_process
from tests.cli.test_cli import PASSWORD, data_dir, database_url, upgraded

__all__ = ["data_dir", "upgraded"]  # the fixtures, shared with test_cli


def _add(folder: Path, name: str, role: str, team: str) -> None:
    result = run_in_process(
        folder, "user", "add", name, "--role", role, "--team", team, "--create-team", stdin=PASSWORD
    )
    assert result.returncode == 0, result.stderr


def test_an_admin_moves_deactivates_reactivates_and_resets_from_the_cli(upgraded: Path) -> None:
    _add(upgraded, "pat", "practitioner", "North Team")
    _add(upgraded, "lee", "lead", "South Team")
    moved = run_in_process(upgraded, "user", "set-team", "pat", "South Team", "--reason", "Moved locality")
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.decode() == "'pat' is now in team 'South Team'\n"
    assert run_in_process(upgraded, "user", "deactivate", "pat").returncode == 0
    listed = run_in_process(upgraded, "user", "list", "--status", "deactivated").stdout.decode()
    assert listed == "pat\tpractitioner\tSouth Team\tdeactivated\n"
    assert run_in_process(upgraded, "user", "reactivate", "pat", "--reason", "Came back").returncode == 0
    reset = run_in_process(upgraded, "user", "reset-password", "pat", "--reason", "Forgot it")
    assert reset.returncode == 0, reset.stderr
    assert "/password-reset/" in reset.stdout.decode()
    store = Store(db.make_session_factory(database_url(upgraded)))
    with store.session_factory() as session:
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.actor_kind == "cli")))
    assert (
        actions[-3:]
        == ["user.team_changed", "user.deactivated", "user.reactivated", "user.password_reset_issued"][-3:]
    )
    assert [c.reason for c in store.accounts.account(1).changes] == [
        "Forgot it",
        "Came back",
        "Moved locality",
    ]


def test_a_change_without_a_reason_or_to_a_missing_team_is_one_clear_line(upgraded: Path) -> None:
    _add(upgraded, "pat", "practitioner", "North Team")
    blank = run_in_process(upgraded, "user", "set-role", "pat", "lead", "--reason", " ")
    assert blank.returncode == 1
    assert blank.stderr.decode().count("\n") == 1 and "reason" in blank.stderr.decode()
    missing = run_in_process(upgraded, "user", "set-team", "pat", "Nowhere", "--reason", "moved")
    assert missing.returncode == 1 and "no team called 'Nowhere'" in missing.stderr.decode()
    assert run_in_process(upgraded, "user", "list", "--role", "lead").stdout == b""
