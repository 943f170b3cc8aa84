"""What `bot run` says when it is up (bot.runtime.supervisor.ready_summary) and warns of once the database
is ready (startup_warnings, the lines it logs): outside embedded mode, with no mail server and no Microsoft
Teams, no notice of danger can reach a lead, and start-up says so in one clear line in both (issue #28)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.runtime.supervisor import ready_summary, startup_warnings
from bot.settings import Settings
from bot.store import db
from tests.fixtures.databases import AtHead

PRODUCTION = {"BOT_SERVICE_TOKEN": "t" * 32, "BOT_SESSION_SECRET": "ab" * 32}
TEAMS = {
    "BOT_TEAMS_APP_ID": "00000000-0000-0000-0000-000000000001",
    "BOT_TEAMS_APP_PASSWORD": "teams-secret",
    "BOT_TEAMS_TENANT_IDS": "00000000-0000-0000-0000-000000000002",
}
NO_CHANNEL = "warning: no channel can reach a lead about danger"


def settings_of(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env({"BOT_DATA_DIR": str(tmp_path / "data"), **env})


def channel_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if NO_CHANNEL in line]


def test_no_mail_server_and_no_teams_outside_embedded_mode_is_one_clear_line(
    tmp_path: Path, at_head: AtHead
) -> None:
    settings = settings_of(tmp_path, **PRODUCTION, BOT_URGENT_LEAD_DEADLINE_SECONDS="240")
    summary = ready_summary(settings, [], 12.0, mail_sink=False)
    [line] = channel_lines(summary)
    assert line == (
        "  warning: no channel can reach a lead about danger: no mail server (BOT_SMTP_URL) and no "
        "Microsoft Teams (BOT_TEAMS_APP_ID) are set, so no urgent notice can be sent and each reporter is "
        "told to phone their lead only after 240 s. Set BOT_SMTP_URL, or Teams (docs/teams-setup.md)"
    )
    assert "urgent notices by" not in summary and "mail (local sink)" not in summary
    assert summary.splitlines()[-1] == "Press Ctrl-C to stop them all."

    at_head(settings.database_url)  # the log says it too, first, before any team's own gap
    assert startup_warnings(settings) == [line.strip()]


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({**PRODUCTION, "BOT_SMTP_URL": "smtp://mail.example.org:587?starttls=true"}, "by email:"),
        ({**PRODUCTION, **TEAMS}, "in Teams:"),
        ({**PRODUCTION, "BOT_SMTP_URL": "smtp://mail.example.org", **TEAMS}, "in Teams:"),
    ],
)
def test_a_mail_server_or_teams_is_a_channel_and_is_named(
    tmp_path: Path, env: dict[str, str], says: str, at_head: AtHead
) -> None:
    settings = settings_of(tmp_path, **env)
    summary = ready_summary(settings, [], 12.0, mail_sink=False)
    assert channel_lines(summary) == [] and f"  urgent notices {says}" in summary
    at_head(settings.database_url)
    assert startup_warnings(settings) == []


def test_embedded_mode_mails_the_local_sink_and_warns_of_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], at_head: AtHead
) -> None:
    settings = settings_of(tmp_path)  # no BOT_SERVICE_TOKEN: embedded mode, with a local mail sink
    assert settings.dev_mode and settings.smtp is None
    summary = ready_summary(settings, [("dev-lead", "lead", "pw")], 12.0, mail_sink=True)
    assert channel_lines(summary) == [] and "  mail (local sink):" in summary
    assert "dev-lead@example.invalid" in summary
    at_head(settings.database_url)
    assert startup_warnings(settings) == []
    capsys.readouterr()  # the development secrets it made say so on stderr


def test_the_warning_comes_before_each_team_without_a_reachable_lead(tmp_path: Path, at_head: AtHead) -> None:
    from bot.store.services import Store

    settings = settings_of(tmp_path, **PRODUCTION)
    at_head(settings.database_url)
    sessions = db.make_session_factory(settings.database_url)
    try:
        Store(sessions).users.create_user("pat", "a long enough password", "practitioner", "No lead")
    finally:
        sessions.kw["bind"].dispose()
    channel, team = startup_warnings(settings)
    assert channel.startswith(NO_CHANNEL) and team.startswith(
        "warning: team 'No lead' has no safeguarding lead"
    )
