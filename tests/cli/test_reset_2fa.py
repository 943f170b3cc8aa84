"""`bot user reset-2fa NAME --reason TEXT` (issue #32), called in-process (tests/cli/in_process.py): the
second factor and recovery codes go, the reason is kept with the change and the reset is audited as the
CLI's."""

from __future__ import annotations

from pathlib import Path

import pyotp
from sqlalchemy import select

from bot.domain.second_factor import FactorState
from bot.store import db
from bot.store.models import AuditEvent
from bot.store.services import Store
from tests.cli.in_process import run_in_process
from tests.cli.test_cli import PASSWORD, data_dir, database_url, upgraded

__all__ = ["data_dir", "upgraded"]  # the fixtures, shared with test_cli
SECRET = b"k" * 32


def test_an_admin_resets_a_lost_phone_from_the_cli(upgraded: Path) -> None:
    added = run_in_process(
        upgraded, "user", "add", "lee", "--role", "lead", "--team", "North", "--create-team", stdin=PASSWORD
    )
    assert added.returncode == 0, added.stderr
    store = Store(db.make_session_factory(database_url(upgraded)))
    lee = store.users.find_user("lee")
    assert lee is not None
    secret = store.second_factor.begin_set_up(lee.id, SECRET)
    assert store.second_factor.confirm_set_up(lee.id, pyotp.TOTP(secret).now(), SECRET) is not None

    blank = run_in_process(upgraded, "user", "reset-2fa", "lee", "--reason", " ")
    assert (
        blank.returncode == 1 and blank.stderr.decode().count("\n") == 1 and "reason" in blank.stderr.decode()
    )
    assert store.second_factor.state(lee.id) is FactorState.ENROLLED

    reset = run_in_process(upgraded, "user", "reset-2fa", "lee", "--reason", "Lost phone")
    assert reset.returncode == 0, reset.stderr
    assert "set up a new one at their next sign-in" in reset.stdout.decode()
    assert store.second_factor.state(lee.id) is FactorState.NONE
    assert [c.reason for c in store.accounts.account(lee.id).changes] == ["Lost phone"]
    with store.session_factory() as session:
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.actor_kind == "cli")))
    assert actions[-1] == "user.second_factor_reset"

    again = run_in_process(upgraded, "user", "reset-2fa", "lee", "--reason", "again")
    assert again.returncode == 1 and "has no second factor" in again.stderr.decode()
    nobody = run_in_process(upgraded, "user", "reset-2fa", "nobody", "--reason", "x")
    assert nobody.returncode == 1 and "no user called 'nobody'" in nobody.stderr.decode()
