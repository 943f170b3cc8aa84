"""Back to where the link pointed after signing in, and each role's own home page (issue #26, item 3).

A lead signed out follows a link to an urgent case (as the urgent email gives it): the sign-in page carries
the address, keeps it through a wrong password, and the sign-in lands on the case. An address that is not a
path on this site is ignored: the person lands on their role's home, as they do with no address at all and
at `/`. Everything goes through the real app over a real migrated SQLite store; the last test is in Chromium.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from playwright.async_api import Browser, expect
from web_helpers import (
    PASSWORD,
    FakeClock,
    FakeEngine,
    csrf_from,
    field_value,
    page,
    start_screening,
    textarea_text,
)
from yarl import URL

from bot.domain.records import UserInfo
from bot.domain.roles import Role
from bot.questions import load_bank
from bot.store.services import Store
from bot.web.held import KEPT_ANCHOR
from tests.review.review_helpers import Case, make_case

TEAM = "Riverside team"
IDLE_SECONDS = 30 * 60
HOMES = {
    Role.LEAD: "/cases",
    Role.COORDINATOR: "/reports",
    Role.PRACTITIONER: "/chat",
    Role.TRAINER: "/chat",
    Role.ADMIN: "/chat",
}
NEXT_FIELD = re.compile(r'<input type="hidden" name="next" value="([^"]*)">')


@dataclass(frozen=True)
class Seeded:
    users: dict[Role, UserInfo]
    urgent: Case  # the lead's team's, flagged urgent and not submitted yet
    elsewhere: Case  # another team's


@pytest.fixture
def seeded(store: Store) -> Seeded:
    users = {role: store.users.create_user(f"{role.value}.one", PASSWORD, role.value, TEAM) for role in Role}
    other = store.users.create_user("someone.else", PASSWORD, "practitioner", "Hillside team")
    bank = load_bank()
    urgent = make_case(store, bank, users[Role.PRACTITIONER], urgent=True, submit=False)
    return Seeded(users, urgent, make_case(store, bank, other))


def case_path(case: Case) -> str:
    return f"/cases/{case.id}"


def next_field(body: str) -> str | None:
    match = NEXT_FIELD.search(body)
    return html.unescape(match.group(1)) if match else None


async def sign_in_at(
    client: TestClient, address: str, username: str, password: str = PASSWORD
) -> ClientResponse:
    """Open the sign-in page at `address` and post its form as a browser would: the hidden fields it has,
    and the username and password typed in."""
    body = await page(client, address)
    data = {"csrf_token": csrf_from(body), "username": username, "password": password}
    carried = next_field(body)
    if carried is not None:
        data["next"] = carried
    return await client.post("/sign-in", data=data, allow_redirects=False)


def location(response: ClientResponse) -> str:
    assert response.status == 303, response.status
    return response.headers["Location"]


async def test_a_signed_out_link_to_a_case_lands_on_that_case_after_signing_in(
    client: TestClient, seeded: Seeded
) -> None:
    path = case_path(seeded.urgent)
    sent = await client.get(path, allow_redirects=False)
    assert location(sent) == f"/sign-in?next={path}"

    signed_in = await sign_in_at(client, location(sent), seeded.users[Role.LEAD].username)
    assert location(signed_in) == path
    body = await page(client, path)
    assert seeded.urgent.reference in body
    assert "Urgent - not yet submitted" in body


async def test_a_wrong_password_keeps_the_address_for_the_next_try(
    client: TestClient, seeded: Seeded
) -> None:
    path = case_path(seeded.urgent)
    lead = seeded.users[Role.LEAD].username
    wrong = await sign_in_at(client, f"/sign-in?next={path}", lead, "not the password")
    assert wrong.status == 400
    again = await wrong.text()
    assert next_field(again) == path

    data = {"csrf_token": csrf_from(again), "username": lead, "password": PASSWORD, "next": next_field(again)}
    right = await client.post("/sign-in", data=data, allow_redirects=False)
    assert location(right) == path
    assert seeded.urgent.reference in await page(client, path)


async def test_the_query_comes_back_too(client: TestClient, seeded: Seeded) -> None:
    asked = "/cases?status=submitted&urgent=yes&sort=oldest"
    sent = await client.get(asked, allow_redirects=False)
    assert URL(location(sent)).path == "/sign-in"
    assert URL(location(sent)).query.getall("next") == [asked]
    signed_in = await sign_in_at(client, location(sent), seeded.users[Role.LEAD].username)
    assert location(signed_in) == asked


HOSTILE = {
    "another-site": "//evil.example",
    "another-site-path": "//evil.example/cases/1",
    "scheme-and-host": "https://evil.example/x",
    "backslash": "/\\evil.example",
    "backslash-later": "/cases/\\\\evil.example",
    "javascript": "javascript:alert(document.cookie)",
    "no-slash": "cases/1",
    "tab-then-slash": "/\t/evil.example",
    "header-split": "/cases\r\nSet-Cookie: planted=1",
    "space": "/cases /1",
    "non-ascii": "/cases/\u2215\u2215evil",
    "too-long": "/cases?q=" + "a" * 2000,
    "sign-in-again": "/sign-in?next=//evil.example",
    "empty": "",
}


@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=HOSTILE.keys())
async def test_an_address_off_this_site_is_ignored(client: TestClient, seeded: Seeded, hostile: str) -> None:
    lead = seeded.users[Role.LEAD].username
    shown = await page(client, f"/sign-in?next={quote(hostile, safe='')}")
    assert next_field(shown) is None, "not carried into the form"
    # Posted straight to the form, as a crafted page could: ignored all the same.
    data = {"csrf_token": csrf_from(shown), "username": lead, "password": PASSWORD, "next": hostile}
    signed_in = await client.post("/sign-in", data=data, allow_redirects=False)
    assert location(signed_in) == "/cases"
    # Already signed in, the sign-in page's address is ignored the same way.
    again = await client.get(f"/sign-in?next={quote(hostile, safe='')}", allow_redirects=False)
    assert location(again) == "/cases"


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
async def test_each_role_lands_on_its_own_home(client: TestClient, seeded: Seeded, role: Role) -> None:
    home = HOMES[role]
    signed_in = await sign_in_at(client, "/sign-in", seeded.users[role].username)
    assert location(signed_in) == home
    await page(client, home)  # a page this role may open
    start = await client.get("/", allow_redirects=False)
    assert location(start) == home
    already = await client.get("/sign-in", allow_redirects=False)
    assert location(already) == home


async def test_a_page_the_user_may_not_open_is_refused_as_usual(client: TestClient, seeded: Seeded) -> None:
    other_team = case_path(seeded.elsewhere)
    signed_in = await sign_in_at(client, f"/sign-in?next={other_team}", seeded.users[Role.LEAD].username)
    assert location(signed_in) == other_team
    assert (await client.get(other_team, allow_redirects=False)).status == 404
    client.session.cookie_jar.clear()
    reports = await sign_in_at(client, "/sign-in?next=/reports", seeded.users[Role.PRACTITIONER].username)
    assert location(reports) == "/reports"
    assert (await client.get("/reports", allow_redirects=False)).status == 403


async def test_a_timed_out_session_comes_back_to_the_page_it_was_on(
    client: TestClient, seeded: Seeded, clock: FakeClock
) -> None:
    path = case_path(seeded.urgent)
    lead = seeded.users[Role.LEAD].username
    await sign_in_at(client, f"/sign-in?next={path}", lead)
    on_case = await page(client, path)
    # The time-out dialog's "Sign in again" comes back here too.
    assert f'href="/sign-in?reason=idle&amp;next={path}" id="timeout-sign-in"' in on_case

    clock.advance(IDLE_SECONDS + 1)
    ended = await client.get(path, allow_redirects=False)
    assert location(ended) == f"/sign-in?reason=idle&next={path}"
    shown = await page(client, location(ended))
    assert "You were signed out because nothing happened" in shown
    signed_in = await sign_in_at(client, location(ended), lead)
    assert location(signed_in) == path

    # A post after the time-out has no page to come back to: the home page, as before.
    clock.advance(IDLE_SECONDS + 1)
    token = csrf_from(on_case)
    posted = await client.post(f"{path}/close", data={"csrf_token": token}, allow_redirects=False)
    assert location(posted) == "/sign-in?reason=idle"


async def test_a_lead_follows_an_urgent_link_signed_out_in_the_browser(
    browser: Browser, base_url: str, seeded: Seeded
) -> None:
    path = case_path(seeded.urgent)
    context = await browser.new_context()
    try:
        page_ = await context.new_page()
        await page_.goto(f"{base_url}{path}")
        await expect(page_.get_by_role("heading", name="Sign in")).to_be_visible()
        assert page_.url == f"{base_url}/sign-in?next={path}"
        await page_.get_by_label("Username").fill(seeded.users[Role.LEAD].username)
        await page_.get_by_label("Password").fill(PASSWORD)
        await page_.get_by_role("button", name="Sign in").click()
        await expect(page_.get_by_role("heading", name=f"Case {seeded.urgent.reference}")).to_be_visible()
        assert page_.url == f"{base_url}{path}"
    finally:
        await context.close()


async def test_a_held_message_still_comes_back_on_its_own_assessment(
    client: TestClient, user: UserInfo, engine: FakeEngine, clock: FakeClock
) -> None:
    """A message kept after a time-out (bot.web.held) goes back in its box; an address to come back to that
    is another page wins, and the message waits for its assessment to be opened."""
    await sign_in_at(client, "/sign-in", user.username)
    path = await start_screening(client)
    body = await page(client, path)
    form = {"csrf_token": csrf_from(body), "seen": field_value(body, "seen")}
    for return_path, lands_on in ((path, f"{path}#{KEPT_ANCHOR}"), ("/chat", "/chat")):
        clock.advance(IDLE_SECONDS + 1)
        kept = await client.post(f"{path}/send", data={**form, "text": "typed"}, allow_redirects=False)
        assert location(kept) == "/sign-in?reason=held"
        signed_in = await sign_in_at(client, f"/sign-in?reason=idle&next={return_path}", user.username)
        assert location(signed_in) == lands_on
        body = await page(client, path)
        assert textarea_text(body) == "typed"
        form = {"csrf_token": csrf_from(body), "seen": field_value(body, "seen")}
