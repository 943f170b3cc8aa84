"""The reports page in Chromium (issue #16): a lead's figures, charts, policy, accessibility and keyboard, and
a coordinator choosing a team.

The store is seeded as tests/reports/test_report_pages.py seeds it (the store's services and the review's
decisions): North has 6 teachers' concerns, 7 health professionals' (5 of them decided) and 2 police
officers' (one urgent); South has 5 teachers'. The real app is served on a free 127.0.0.1 port.

The lead's page is opened in a context that enforces the app's Content-Security-Policy, as a real browser
does: the charts' inline <style> elements are allowed by hash only, so the test listens for every
`securitypolicyviolation` event and every console message from before the page's own code runs, checks the
charts' own CSS did apply, and proves the listener hears a violation by causing one at the end. axe-core's
script can only be injected into a page whose policy is bypassed (tests/e2e/browser.py), so axe runs on the
same page opened in a second context made that way. The whole page is kept as test-artifacts/reports-page.png;
the other steps' pictures go to test-artifacts/<test name>/.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Page, expect
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.settings import REPO_ROOT, Settings
from bot.store.services import Store
from bot.web.app import create_app
from tests.e2e.browser import Axe, Keyboard, Shots, new_context
from tests.reports.seeding import PASSWORD, Concern, at, seed

QUARTER = "from=1/1/2026&to=31/3/2026"
PERIOD = "1 January 2026 to 31 March 2026"
ROLES = "Concerns by the referrer's role"
HEALTH = "Health professional, such as a school nurse, GP or health visitor"
POLICE = "Police officer or police staff"
TEACHER = "Teacher or teaching assistant"
TABLES = (
    "Concerns raised, by month submitted",
    "Concerns that reported immediate danger",
    ROLES,
    "Concerns by the young person's age",
    "Kinds of concern ticked",
    "Other needs noticed for the young person or their family",
    "Decisions, by the pathway the lead chose",
    "Time from submission to the lead's first decision",
    "Outcomes recorded and reviews",
    "Outcomes recorded, by pathway",  # issue #12
)
# Every table the lead's page draws as a chart: not the time to a decision (a table only), nor the urgent
# flags, whose every figure is hidden here (1 urgent is hidden, so the 14 others are too).
CHARTS = tuple(title for title in TABLES if title not in (TABLES[1], TABLES[7]))
SCREENSHOT = REPO_ROOT / "test-artifacts" / "reports-page.png"

# Registered before any document's own code runs: every CSP violation the page raises goes to the test.
WATCH_POLICY = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.reportPolicyViolation(
        `${event.effectiveDirective} refused ${event.blockedURI || "inline"} at ${event.sourceFile}:` +
        `${event.lineNumber} (sample ${JSON.stringify(event.sample)})`
    );
});
"""


def seed_quarter(sessions: sessionmaker[Session], bank: QuestionBank, people: dict[str, UserInfo]) -> None:
    north, south = people["north-practitioner"], people["south-practitioner"]
    for n in range(6):
        seed(sessions, bank, north, Concern(at(2026, 1, 5 + n), age=15))
    for n in range(7):
        decision = None
        if n < 5:
            decision = ("early_help", at(2026, 3, 20 + n), at(2026, 5, 1).date(), "Thank you: early help.")
        seed(sessions, bank, north, Concern(at(2026, 3, 10 + n), role="health", age=12, decision=decision))
    for n in range(2):
        seed(sessions, bank, north, Concern(at(2026, 2, 5 + n), role="police", urgent=n == 0))
    for n in range(5):
        seed(sessions, bank, south, Concern(at(2026, 3, 5 + n)))


SEED = seed_quarter  # what `seeded` puts in each test's store (tests/reports/conftest.py)


@pytest.fixture
async def base_url(settings: Settings, sessions: sessionmaker[Session], seeded: None) -> AsyncIterator[str]:
    """The real app on a free loopback port."""
    server = TestServer(create_app(settings, Store(sessions)), host="127.0.0.1")
    await server.start_server()
    yield f"http://127.0.0.1:{server.port}"
    await server.close()


@asynccontextmanager
async def shot_on_failure(page: Page, shots: Shots) -> AsyncIterator[None]:
    try:
        yield
    except BaseException:
        await shots.take(page, "failed-here")
        raise


@asynccontextmanager
async def closing(context: BrowserContext) -> AsyncIterator[None]:
    try:
        yield
    finally:
        await context.close()


async def policy_watched(browser: Browser) -> tuple[BrowserContext, list[str]]:
    """A context that enforces the app's CSP (no bypass), and the violations it has reported so far: from
    `securitypolicyviolation` events and from any console message naming the policy."""
    context = await browser.new_context(accept_downloads=True, locale="en-GB")
    violations: list[str] = []

    def on_violation(text: str) -> None:
        violations.append(text)

    await context.expose_function("reportPolicyViolation", on_violation)
    await context.add_init_script(WATCH_POLICY)

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(f"console {message.type}: {message.text}")

    context.on("console", on_console)
    return context, violations


async def sign_in(page: Page, base_url: str, username: str) -> None:
    await page.goto(f"{base_url}/sign-in")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()


async def figures(page: Page, title: str, label: str) -> list[str]:
    """The figures in one row of a table, found by the table's caption and the row's header."""
    table = page.get_by_role("table", name=title, exact=True)
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=label, exact=True))
    await expect(row).to_have_count(1)
    return [text.strip() for text in await row.get_by_role("cell").all_text_contents()]


async def test_a_lead_sees_figures_and_charts_under_the_policy_accessibly_and_by_keyboard(
    browser: Browser, base_url: str, request: pytest.FixtureRequest
) -> None:
    context, violations = await policy_watched(browser)
    page, shots = await context.new_page(), Shots(request)
    async with closing(context), shot_on_failure(page, shots):
        await sign_in(page, base_url, "north-lead")
        await page.goto(f"{base_url}/reports?{QUARTER}")
        await expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
        await expect(page.get_by_role("heading", name=f"North team: {PERIOD}", exact=True)).to_be_visible()

        # The tables: a count shown, a small one hidden, and the one that would give it away, alike.
        assert await figures(page, ROLES, HEALTH) == ["7"]
        assert await figures(page, ROLES, POLICE) == ["not shown"]
        assert await figures(page, ROLES, TEACHER) == ["not shown"]
        assert await figures(page, ROLES, "Total") == ["15"]
        assert await figures(page, "Decisions, by the pathway the lead chose", "Early help") == ["5"]
        for title in TABLES:
            await expect(page.get_by_role("table", name=title, exact=True)).to_be_visible()

        # Each chart drawn: an image named by its table, visible, with a real size.
        charts = page.locator("figure svg[role=img]")
        await expect(charts).to_have_count(len(CHARTS))
        for title in CHARTS:
            chart = page.get_by_role("img", name=title, exact=True)
            await expect(chart).to_be_visible()
            box = await chart.bounding_box()
            assert box is not None and box["width"] > 100 and box["height"] > 100, (title, box)
            assert await chart.locator("text").count() > 0, f"the chart of {title!r} has no labels"
        # The charts' own CSS applied (allowed by its hash): a hidden figure's words are written in italics.
        missing = page.locator("#chart-referrer_role text.missing")
        assert sorted(await missing.all_text_contents()) == ["not shown", "not shown"]
        assert await missing.first.evaluate("(el) => getComputedStyle(el).fontStyle") == "italic"

        await page.screenshot(path=str(SCREENSHOT), full_page=True)

        # The keyboard alone reaches the form's button and every download, with focus visible on each.
        keyboard = Keyboard(page)
        await keyboard.reach(page.get_by_role("button", name="Show figures"))
        await keyboard.reach(page.get_by_role("link", name="CSV", exact=True))
        spreadsheet = page.get_by_role("link", name="spreadsheet (xlsx)", exact=True)
        await keyboard.reach(spreadsheet)
        async with page.expect_download() as download:
            await page.keyboard.press("Enter")
        assert (await download.value).suggested_filename == (
            "report-north-team-2026-01-01-to-2026-03-31.xlsx"
        )
        for title in TABLES:
            section = page.get_by_role("region", name=title, exact=True)
            await keyboard.reach(section.get_by_role("link", name="Download this table (CSV)"))
        await shots.take(page, "last-table-download-focused", full_page=False)

        assert violations == [], "the page broke its own Content-Security-Policy:\n" + "\n".join(violations)
        # The listener does hear a violation: an inline style nobody allowed is refused and reported.
        await page.evaluate(
            """() => {
                const style = document.createElement("style");
                style.textContent = "body { outline: 1px solid red }";
                document.head.append(style);
            }"""
        )
        heard = ("style-src-elem refused inline", "console error: Applying inline style violates")
        for _ in range(50):
            if all(any(v.startswith(start) for v in violations) for start in heard):
                break
            await asyncio.sleep(0.1)
        for start in heard:  # both ways of hearing it work
            assert any(v.startswith(start) for v in violations), (start, violations)

    # axe-core, on the same page (and on the page naming a date it cannot read) in a context where its
    # script can be injected.
    checker = await new_context(browser)
    page = await checker.new_page()
    async with closing(checker), shot_on_failure(page, shots):
        axe = Axe()
        await sign_in(page, base_url, "north-lead")
        await page.goto(f"{base_url}/reports?{QUARTER}")
        await expect(page.get_by_role("heading", name=f"North team: {PERIOD}", exact=True)).to_be_visible()
        await axe.check(page, "the reports page of a lead")
        await page.goto(f"{base_url}/reports?from=31/2/2026")
        await expect(page.get_by_role("alert")).to_contain_text("The start date must be a real date")
        await axe.check(page, "the reports page with a date it cannot read")
        await shots.take(page, "a-date-it-cannot-read")
        assert axe.checked == ["the reports page of a lead", "the reports page with a date it cannot read"]


async def test_a_coordinator_chooses_a_team_and_the_page_says_whose_figures_they_are(
    browser: Browser, base_url: str, request: pytest.FixtureRequest
) -> None:
    context = await new_context(browser)
    page, shots = await context.new_page(), Shots(request)
    async with closing(context), shot_on_failure(page, shots):
        axe = Axe()
        await sign_in(page, base_url, "coordinator")
        await expect(page).to_have_url(f"{base_url}/reports")  # a coordinator starts at the reports
        await page.goto(f"{base_url}/reports?{QUARTER}")
        await expect(page.get_by_role("heading", name=f"All teams: {PERIOD}", exact=True)).to_be_visible()
        assert await figures(page, ROLES, "Total") == ["20"]
        team = page.get_by_label("Team")
        await expect(team).to_have_value("all")
        await axe.check(page, "the reports page of a coordinator, all teams")
        await shots.take(page, "all-teams")

        await team.select_option(label="South team")
        await page.get_by_role("button", name="Show figures").click()
        await expect(page.get_by_role("heading", name=f"South team: {PERIOD}", exact=True)).to_be_visible()
        await expect(page.get_by_role("heading", name=f"All teams: {PERIOD}")).to_have_count(0)
        south = await team_value(page, "South team")
        asked = parse_qs(urlsplit(page.url).query)
        assert asked == {"from": ["1/1/2026"], "to": ["31/3/2026"], "team": [south]}, "the period is kept"
        await expect(page.get_by_label("Team")).to_have_value(south)
        assert await figures(page, ROLES, TEACHER) == ["5"]
        assert await figures(page, ROLES, "Total") == ["5"]
        await axe.check(page, "the reports page of a coordinator, one team")
        await shots.take(page, "south-team")


async def team_value(page: Page, label: str) -> str:
    value = await page.get_by_label("Team").locator("option", has_text=label).get_attribute("value")
    assert value is not None and value.isdecimal(), value
    return value
