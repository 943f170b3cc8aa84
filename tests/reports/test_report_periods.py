"""The reports page reads its period as `bot report` does (bot.reports.periods, issue #28): strictly, with
`2026-04` for a whole month, and the two give the same figures for April, on the real app and a real store,
SQLite and PostgreSQL both."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.settings import Settings
from tests.cli.in_process import run_in_process
from tests.fixtures.databases import MigratedSqlite
from tests.reports.seeding import Concern, at, page, seed, sign_in

APRIL = "from=2026-04-01&to=2026-04-30"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite: MigratedSqlite) -> str:
    """Every test here on both backends: the store, the app and `bot report` all use this database."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return migrated_sqlite(tmp_path / "store.db")


@pytest.fixture
def april(sessions: sessionmaker[Session], bank: QuestionBank, people: dict[str, UserInfo]) -> None:
    """North: 6 teachers' concerns and 2 police officers' in April 2026, one on each edge of the month, and
    one each side of it that April must not count; South: 5 health professionals' in April."""
    north = people["north-practitioner"]
    for day in (1, 2, 3, 10, 20, 30):
        seed(sessions, bank, north, Concern(at(2026, 4, day, 22)))
    for day in (7, 8):
        seed(sessions, bank, north, Concern(at(2026, 4, day), role="police"))
    seed(sessions, bank, north, Concern(at(2026, 3, 31, 22)))
    seed(sessions, bank, north, Concern(at(2026, 5, 1, 1)))
    for day in range(5):
        seed(sessions, bank, people["south-practitioner"], Concern(at(2026, 4, 11 + day), role="health"))


def cli_csv(settings: Settings, database_url: str, *args: str) -> str:
    """`bot report ARGS --output FILE` called in this process (tests/cli/in_process.py, which checks the
    command disposed of the database engines it opened, so the PostgreSQL test database is not held open)."""
    output = settings.data_dir / "report.csv"
    done = run_in_process(
        settings.data_dir, "report", *args, "--output", str(output), BOT_DATABASE_URL=database_url
    )
    assert done.returncode == 0, done.stderr
    return output.read_bytes().decode("utf-8-sig")


async def web_csv(client: TestClient, query: str) -> str:
    response = await client.get(f"/reports/export.csv?{query}")
    assert response.status == 200, await response.text()
    return (await response.read()).decode("utf-8-sig")


def total(text: str, table: str) -> str:
    return next(row[3] for row in csv.reader(io.StringIO(text)) if row[0] == table and row[1] == "Total")


async def test_the_page_and_the_command_give_the_same_figures_for_april(
    client: TestClient,
    april: None,
    settings: Settings,
    database_url: str,
) -> None:
    everyone = cli_csv(settings, database_url, "--from", "2026-04-01", "--to", "2026-04-30")
    north = cli_csv(settings, database_url, "--from", "2026-04", "--to", "2026-04", "--team", "North team")
    assert total(everyone, "Concerns by the referrer's role") == "13"
    assert total(north, "Concerns by the referrer's role") == "8"

    await sign_in(client, "coordinator")
    assert await web_csv(client, APRIL) == everyone
    assert await web_csv(client, "from=2026-04&to=2026-04") == everyone
    assert await web_csv(client, "from=1/4/2026&to=30/4/2026") == everyone
    body = await page(client, "/reports?from=2026-04&to=2026-04")
    assert "All teams: 1 April 2026 to 30 April 2026" in body

    client.session.cookie_jar.clear()  # signed out: a lead, now
    await sign_in(client, "north-lead")
    assert await web_csv(client, "from=2026-04&to=2026-04") == north


@pytest.mark.parametrize(
    ("query", "field", "says"),
    [
        (
            "to=2025",
            "to",
            "Enter the end date as a whole date, like 30/4/2026, or a whole month, like 2026-04",
        ),
        (
            "from=last%20tuesday",
            "from",
            "Enter the start date as a whole date, like 1/4/2026, or a whole month, like 2026-04",
        ),
        ("from=31/2/2026", "from", "The start date must be a real date, day first, like 1/4/2026"),
        ("to=2026-13", "to", "The end month must be a real month, year first, like 2026-04"),
    ],
)
async def test_a_date_the_command_would_refuse_is_named_on_the_page_and_never_read(
    client: TestClient, april: None, query: str, field: str, says: str
) -> None:
    await sign_in(client, "north-lead")
    body = await page(client, f"/reports?{query}", status=400)
    summary = re.search(r'<div class="govuk-error-summary".*?</div>\s*</div>', body, re.S)
    assert summary is not None and f'<a href="#{field}">{says}</a>' in summary.group(0)
    assert f'id="{field}-error"' in body and 'id="referrer_role"' not in body
    export = await client.get(f"/reports/export.csv?{query}")
    assert export.status == 422 and (await export.json()) == {"errors": {field: says}}
