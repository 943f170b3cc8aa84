"""`bot report` for board packs: the figures of the page, suppressed alike, audited as the CLI.

Each report calls `bot.cli.main` in this process (tests/cli/in_process.py, which checks the call left the
process as it was): each `bot` process costs about a second of imports (issue #27). The real executable's
`bot report`, to a pipe and to a terminal, is run in tests/cli/test_conventions.py."""

from __future__ import annotations

import csv
import io
import subprocess

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.settings import Settings
from bot.store.models import AuditEvent
from tests.cli.in_process import run_in_process
from tests.reports.seeding import Concern, at, seed


def run_here(settings: Settings, database_url: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """`bot report ARGS` called in this process, with the environment a `bot` subprocess of the tests gets
    (tests/cli/subprocess_env.py) and this database."""
    return run_in_process(settings.data_dir, "report", *args, BOT_DATABASE_URL=database_url)


def test_the_command_writes_csv_and_xlsx_for_every_team_or_one(
    settings: Settings,
    database_url: str,
    sessions: sessionmaker[Session],
    bank: QuestionBank,
    people: dict[str, UserInfo],
) -> None:
    for n in range(6):
        seed(sessions, bank, people["north-practitioner"], Concern(at(2026, 1, 5 + n)))
    for n in range(2):
        seed(sessions, bank, people["south-practitioner"], Concern(at(2026, 2, 5 + n), role="police"))
    quarter = ("--from", "1/1/2026", "--to", "2026-03-31")

    everyone = run_here(settings, database_url, *quarter)
    assert everyone.returncode == 0, everyone.stderr
    rows = list(csv.reader(io.StringIO(everyone.stdout.decode("utf-8-sig"))))
    roles = {row[1]: row[3] for row in rows if row[0] == "Concerns by the referrer's role"}
    assert roles["Police officer or police staff"] == "not shown"
    assert roles["Teacher or teaching assistant"] == "not shown" and roles["Total"] == "8"

    output = settings.data_dir / "north.xlsx"
    north = run_here(
        settings, database_url, *quarter, "--team", "North team", "--format", "xlsx", "--output", str(output)
    )
    assert north.returncode == 0, north.stderr
    sheet = load_workbook(output)["referrer_role"]
    assert {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}["Total"] == 6

    with sessions() as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "report.exported")))
    assert [(e.actor_kind, e.detail["format"]) for e in events] == [("cli", "csv"), ("cli", "xlsx")]

    refused = run_here(settings, database_url, "--from", "31/2/2026", "--to", "1/3/2026")
    assert refused.returncode == 2 and b"'31/2/2026' is not a real date" in refused.stderr, refused.stderr
    for bad, message in (
        ((*quarter, "--team", "East team"), b"no team called 'East team'"),
        (("--from", "1/3/2026", "--to", "1/2/2026"), b"on or after its start"),
    ):
        refused = run_here(settings, database_url, *bad)
        assert refused.returncode == 1 and message in refused.stderr, refused.stderr
