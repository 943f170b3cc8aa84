"""The reports page and its exports through the real app: who may open them, what they show, what they
never show (anyone's words, a small count, a practice run), and that every view and export is audited."""

from __future__ import annotations

import csv
import io
import re
from xml.etree import ElementTree

import pytest
from aiohttp.test_utils import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.store.models import AuditEvent
from tests.reports.seeding import Concern, at, page, seed, sign_in

QUARTER = "from=1/1/2026&to=31/3/2026"
URGENT_WORDS = "They said they would hurt someone today."


def seed_quarter(sessions: sessionmaker[Session], bank: QuestionBank, people: dict[str, UserInfo]) -> None:
    """North: 6 teachers' concerns, 7 health professionals' and 2 police officers' (one urgent); South: 5
    teachers'."""
    for n in range(6):
        seed(sessions, bank, people["north-practitioner"], Concern(at(2026, 1, 5 + n)))
    for n in range(7):
        seed(sessions, bank, people["north-practitioner"], Concern(at(2026, 3, 10 + n), role="health"))
    for n in range(2):
        seed(
            sessions,
            bank,
            people["north-practitioner"],
            Concern(at(2026, 2, 5 + n), role="police", urgent=n == 0),
        )
    for n in range(5):
        seed(sessions, bank, people["south-practitioner"], Concern(at(2026, 3, 5 + n)))


SEED = seed_quarter  # what `seeded` puts in each test's store (tests/reports/conftest.py)


def audit(sessions: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with sessions() as session:
        return list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        )


def table_rows(body: str, table_id: str) -> dict[str, list[str]]:
    section = body[body.index(f'id="{table_id}"') :]
    section = section[: section.index("</table>")]
    rows = re.findall(r'<th scope="row" class="govuk-table__header">(.*?)</th>(.*?)</tr>', section, re.S)
    return {label: re.findall(r"numeric\">(?:<strong>)?([^<]*)", cells) for label, cells in rows}


async def test_a_lead_sees_their_teams_figures_with_charts_and_numbers(
    client: TestClient, seeded: None, sessions: sessionmaker[Session]
) -> None:
    await sign_in(client, "north-lead")
    response = await client.get(f"/reports?{QUARTER}")
    body = await response.text()
    assert response.status == 200
    assert "North team: 1 January 2026 to 31 March 2026" in body
    assert '<a class="govuk-service-navigation__link" href="/reports" aria-current="page">' in body
    roles = table_rows(body, "referrer_role")
    assert roles["Health professional, such as a school nurse, GP or health visitor"] == ["7"]
    assert roles["Police officer or police staff"] == ["not shown"]
    assert roles["Teacher or teaching assistant"] == ["not shown"]  # 15 - 7 - 6 would give the 2 away
    assert roles["Total"] == ["15"]
    assert "<svg" in body and "<script" not in body.split("</header>", 1)[1].split("<footer", 1)[0]
    assert URGENT_WORDS not in body, "no report holds anyone's words"
    # The charts' own <style> elements are allowed by hash, and nothing else inline is.
    policy = response.headers["Content-Security-Policy"]
    styles = re.findall(r"<style[^>]*>(.*?)</style>", body, re.S)
    assert styles and all("'sha256-" in policy for _ in styles)
    assert "'unsafe-inline'" not in policy
    [event] = audit(sessions, "report.viewed")
    assert event.detail["period_from"] == "2026-01-01" and event.detail["format"] == "page"


async def test_exports_say_what_the_page_says_and_are_audited(
    client: TestClient, seeded: None, sessions: sessionmaker[Session]
) -> None:
    await sign_in(client, "north-lead")
    response = await client.get(f"/reports/export.csv?{QUARTER}")
    assert response.status == 200 and response.content_type == "text/csv"
    assert (
        'filename="report-north-team-2026-01-01-to-2026-03-31.csv"' in response.headers["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    assert rows[0] == ["table", "row", "column", "figure"]
    roles = {row[1]: row[3] for row in rows if row[0] == "Concerns by the referrer's role"}
    assert roles["Police officer or police staff"] == "not shown" and roles["Total"] == "15"
    assert all(URGENT_WORDS not in cell for row in rows for cell in row)

    response = await client.get(f"/reports/export.xlsx?{QUARTER}")
    assert response.status == 200
    workbook = load_workbook(io.BytesIO(await response.read()))
    sheet = workbook["referrer_role"]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert values["Health professional, such as a school nurse, GP or health visitor"] == 7
    assert values["Police officer or police staff"] == "not shown"
    assert values["Teacher or teaching assistant"] == "not shown"
    assert "About" in workbook.sheetnames

    table = await client.get(f"/reports/tables/urgent_flags.csv?{QUARTER}")
    assert table.status == 200
    assert list(csv.reader(io.StringIO(await table.text())))[1] == [
        "Immediate danger reported",
        "not shown",
    ]
    missing = await client.get(f"/reports/tables/no_such_table.csv?{QUARTER}")
    assert missing.status == 404
    assert [e.detail["format"] for e in audit(sessions, "report.exported")] == ["csv", "xlsx", "csv", "csv"]


async def test_a_coordinator_chooses_any_team_and_starts_at_the_reports(
    client: TestClient, seeded: None, people: dict[str, UserInfo]
) -> None:
    await sign_in(client, "coordinator")
    home = await client.get("/", allow_redirects=False)
    assert home.headers["Location"] == "/reports"
    body = await page(client, f"/reports?{QUARTER}")
    assert "All teams: 1 January 2026" in body and table_rows(body, "referrer_role")["Total"] == ["20"]
    south = re.search(r'<option value="(\d+)">South team</option>', body)
    assert south is not None
    body = await page(client, f"/reports?{QUARTER}&team={south.group(1)}")
    assert "South team: 1 January 2026" in body and table_rows(body, "referrer_role")["Total"] == ["5"]
    await page(client, "/cases", status=403)  # figures, never cases


@pytest.mark.parametrize("who", ["north-practitioner", "north-trainer", "north-admin"])
async def test_everyone_else_is_refused(client: TestClient, who: str, people: dict[str, UserInfo]) -> None:
    await sign_in(client, who)
    for path in (
        "/reports",
        "/reports/export.csv",
        "/reports/export.xlsx",
        "/reports/tables/urgent_flags.csv",
    ):
        await page(client, path, status=403)
    assert "/reports" not in await page(client, "/chat")


async def test_a_lead_asking_for_another_team_is_told_and_audited(
    client: TestClient, seeded: None, sessions: sessionmaker[Session]
) -> None:
    await sign_in(client, "north-lead")
    with sessions() as session:
        from bot.store.models import Team

        south_id = session.scalar(select(Team.id).where(Team.name == "South team"))
    body = await page(client, f"/reports?{QUARTER}&team={south_id}")
    assert "You can see the figures of your own team only." in body and 'id="referrer_role"' not in body
    assert len(audit(sessions, "report.refused")) == 1
    response = await client.get(f"/reports/export.csv?{QUARTER}&team={south_id}")
    assert response.status == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=31/2/2026", "from"),
        ("to=yesterday-ish", "to"),
        ("to=2025", "to"),
        ("from=last%20tuesday", "from"),
        ("from=March%202026", "from"),
        ("to=1/4/26", "to"),
        ("from=2026-13&to=2026-04", "from"),
        ("from=1/3/2026&to=1/2/2026", "to"),
        ("team=x", "team"),
    ],
)
async def test_a_bad_period_or_team_is_named_and_nothing_is_counted(
    client: TestClient, seeded: None, query: str, field: str, sessions: sessionmaker[Session]
) -> None:
    await sign_in(client, "north-lead")
    body = await page(client, f"/reports?{query}", status=400)
    assert f'href="#{field}"' in body and 'id="referrer_role"' not in body
    # The GOV.UK error summary, first in the page, and the title says there is a problem.
    assert 'class="govuk-error-summary"' in body and "<title>Error: Reports" in body
    assert audit(sessions, "report.viewed") == []
    assert (await client.get(f"/reports/export.xlsx?{query}")).status == 422


async def test_the_charts_are_well_formed_svg_with_a_name(client: TestClient, seeded: None) -> None:
    await sign_in(client, "north-lead")
    body = await page(client, f"/reports?{QUARTER}")
    svgs = re.findall(r"<svg.*?</svg>", body, re.S)
    assert len(svgs) >= 5
    for svg in svgs:
        if "govuk" in svg:  # the Design System's own icons
            continue
        root = ElementTree.fromstring(svg)
        assert root.get("role") == "img"


async def test_a_period_longer_than_the_service_allows_is_a_400_naming_the_end(
    client: TestClient, seeded: None, sessions: sessionmaker[Session]
) -> None:
    await sign_in(client, "north-lead")
    body = await page(client, "/reports?from=2020-01&to=2026-03", status=400)
    assert 'href="#to"' in body and "three years or less" in body and 'id="referrer_role"' not in body
