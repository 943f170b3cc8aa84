"""What `bot run` says once the database is ready: every team whose urgent reports would reach no lead
(bot.runtime.supervisor.startup_lead_gap_warnings, the function it calls), over a migrated SQLite file."""

from __future__ import annotations

from pathlib import Path

from bot.runtime.supervisor import startup_lead_gap_warnings
from bot.settings import Settings
from bot.store import db
from bot.store.services import Store
from tests.fixtures.databases import MigratedSqlite

PASSWORD = "a long enough password"


def test_every_team_with_no_reachable_lead_is_listed_and_no_other(
    tmp_path: Path, migrated_sqlite: MigratedSqlite
) -> None:
    settings = Settings.from_env(
        {"BOT_DATA_DIR": str(tmp_path), "BOT_SERVICE_TOKEN": "t" * 32, "BOT_SESSION_SECRET": "ab" * 32}
    )
    assert migrated_sqlite(tmp_path / "store.db") == settings.database_url  # the session's migrated copy
    sessions = db.make_session_factory(settings.database_url)
    users = Store(sessions).users
    try:
        assert startup_lead_gap_warnings(settings) == []  # nobody yet: nothing to say
        users.create_user("pat", PASSWORD, "practitioner", "No lead")
        users.create_user("tia", PASSWORD, "trainer", "No lead")
        users.create_user("kim", PASSWORD, "lead", "Unreachable")
        users.create_user("lou", PASSWORD, "lead", "Unreachable")
        users.create_user("sam", PASSWORD, "practitioner", "Fine")
        users.create_user("lee", PASSWORD, "lead", "Fine", email="lee@example.org")
        users.create_user("casey", PASSWORD, "coordinator", "Board")
        users.create_user("ann", PASSWORD, "admin", "Admins")
    finally:
        sessions.kw["bind"].dispose()

    warnings = startup_lead_gap_warnings(settings)
    assert len(warnings) == 2
    no_lead, unreachable = warnings
    assert no_lead.startswith("warning: team 'No lead' has no safeguarding lead, so urgent reports from its ")
    assert "2 people who may raise concerns would reach nobody" in no_lead
    assert no_lead.endswith("bot user add NAME --role lead --team 'No lead' --email ADDRESS")
    assert unreachable.startswith(
        "warning: team 'Unreachable': none of its 2 leads has an email address or a linked Microsoft "
        "Teams chat"
    )
    assert "bot user set-email NAME ADDRESS" in unreachable
