"""The time-out warning, messages kept across a sign-in, drafts and failed sends, in Chromium (issue 17).

The app runs on a real port with the stand-in engine and a real SQLite store. Two clocks are in play, both
moved by the test and never waited on: the page's script reads Playwright's clock (`page.clock`, installed
before the first page loads, fast-forwarded past the warning or the idle limit), while the server's idle
check uses the test's FakeClock, so "the session has ended" or "the session is still alive" on the server is
exact and never a race with the browser.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from axe import assert_accessible
from playwright.async_api import Browser, Page, Route, expect
from web_helpers import PASSWORD, START_REPLIES, FakeClock, FakeEngine, make_settings

from bot.chat.gateway import WEBHOOK_PATH
from bot.domain.records import UserInfo
from bot.store.services import Store
from bot.web.app import create_app

# A long account, as typed: line breaks, quotes, an en dash, emoji, tabs and trailing spaces (about 5,000
# characters). A browser posts its line breaks as CRLF.
ACCOUNT = (
    'On Tuesday he told the coach "you lot will see" – and walked out 😟.\n'
    "\tHis sister says he is up all night on his phone.  \n\n" * 40
) + "That is all I know for now.   "
DISTINCTIVE = "walked out"
KEPT_LINE = "We kept the message you were sending when you were signed out. Check it, then choose Send."
RESTORED_LINE = "We put back what you had typed here but not sent. Check it, then choose Send."
ENGINE_DOWN = "The assistant is not available right now"

Serve = Callable[..., Awaitable[str]]


def as_posted(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


@pytest.fixture
async def serve(
    tmp_path: Path, database_url: str, engine: FakeEngine, store: Store, clock: FakeClock
) -> AsyncIterator[Serve]:
    """Start the app on a loopback port with the idle limit and warning given; returns its address."""
    servers: list[TestServer] = []

    async def start(idle_minutes: str, warning_seconds: str) -> str:
        settings = make_settings(
            tmp_path,
            database_url,
            engine.port,
            BOT_SESSION_IDLE_MINUTES=idle_minutes,
            BOT_SESSION_WARNING_SECONDS=warning_seconds,
        )
        server = TestServer(create_app(settings, store, clock=clock), host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return f"http://127.0.0.1:{server.port}"

    yield start
    for server in servers:
        await server.close()


async def open_page(browser: Browser, *, javascript: bool) -> Page:
    # bypass_csp lets axe-core be injected; the page's own scripts still run under the app's policy.
    context = await browser.new_context(java_script_enabled=javascript, bypass_csp=True)
    page = await context.new_page()
    if javascript:
        # Before any page loads, so that the time-out script's Date.now and setInterval are the test's.
        await page.clock.install()
    return page


async def sign_in(page: Page, base_url: str | None = None) -> None:
    if base_url is not None:
        await page.goto(f"{base_url}/sign-in")
    await page.get_by_label("Username").fill("alice")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()


async def start_screening(page: Page, base_url: str) -> str:
    """Signed in, a new screening started: the assessment's address."""
    await sign_in(page, base_url)
    await page.get_by_role("button", name="Start a new screening").click()
    await expect(page.get_by_text(START_REPLIES[1])).to_be_visible()
    return page.url.split("#")[0]


def text_box(page: Page):
    return page.get_by_label("Or type your answer")


async def stored_drafts(page: Page) -> str:
    return await page.evaluate("() => JSON.stringify(Object.entries(localStorage))")


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
async def test_a_long_account_sent_after_the_time_out_is_back_in_the_box_after_signing_in(
    browser: Browser,
    serve: Serve,
    user: UserInfo,
    engine: FakeEngine,
    clock: FakeClock,
    javascript: bool,
) -> None:
    base_url = await serve("0.1", "3")  # 6 seconds, warned 3 seconds before the end
    page = await open_page(browser, javascript=javascript)
    chat = await start_screening(page, base_url)
    reached = len(engine.received)
    await expect(page.get_by_text("you are signed out after 6 seconds without activity")).to_be_visible()
    await text_box(page).fill(ACCOUNT)

    if javascript:
        # The script's own clock runs out: the dialog says so and the page stays, text and all.
        await page.clock.fast_forward(7_000)
        await expect(page.get_by_role("heading", name="You have been signed out")).to_be_visible()
        await expect(page.get_by_text("Choose Send and we will keep it")).to_be_visible()
        await page.get_by_role("button", name="Close").click()
        await expect(text_box(page)).to_have_value(ACCOUNT)
    clock.advance(7)  # and the server's: the session has ended
    await page.get_by_role("button", name="Send", exact=True).click()

    await expect(page.get_by_text("We have kept it for you")).to_be_visible()
    assert len(engine.received) == reached
    await sign_in(page)
    await expect(page.get_by_text(KEPT_LINE)).to_be_visible()
    assert page.url.split("#")[0] == chat
    await expect(text_box(page)).to_have_value(ACCOUNT)  # byte for byte, as typed
    if javascript:
        assert DISTINCTIVE not in await stored_drafts(page), "the browser's draft is encrypted"

    await page.get_by_role("button", name="Send", exact=True).click()
    await expect(page.get_by_text("Echo: On Tuesday")).to_be_visible()
    assert engine.messages()[reached:] == [as_posted(ACCOUNT)], "sent once, verbatim"
    if javascript:
        assert "app-draft" not in await stored_drafts(page), "the draft went once the message was sent"


async def test_the_warning_comes_before_the_time_out_and_staying_signed_in_keeps_the_session(
    browser: Browser, serve: Serve, user: UserInfo, engine: FakeEngine, clock: FakeClock
) -> None:
    base_url = await serve("1", "55")  # the dialog 5 seconds after the last activity
    page = await open_page(browser, javascript=True)
    await start_screening(page, base_url)
    reached = len(engine.received)
    await text_box(page).fill("Typed before the warning")
    dialog = page.get_by_role("dialog", name="You are about to be signed out")

    await page.clock.fast_forward(5_500)
    await expect(dialog).to_be_visible()
    stay = dialog.get_by_role("button", name="Stay signed in")
    await expect(stay).to_be_focused()
    await expect(dialog).to_contain_text("we will sign you out in")
    await assert_accessible(page, "the chat page with the time-out warning open")
    for key in ("Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab"):  # focus stays in the dialog
        await page.keyboard.press(key)
        assert await dialog.evaluate("(d) => d.contains(document.activeElement)"), key
    await expect(stay).to_be_focused()

    clock.advance(50)
    await stay.click()
    await expect(dialog).to_be_hidden()
    clock.advance(50)  # past the first deadline (100 s since the page loaded), within the new one

    # It comes back 5 seconds later; Escape is "Stay signed in" too.
    await page.clock.fast_forward(5_500)
    await expect(dialog).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(dialog).to_be_hidden()
    clock.advance(50)
    await expect(text_box(page)).to_have_value("Typed before the warning")
    await page.get_by_role("button", name="Send", exact=True).click()
    await expect(page.get_by_text("Echo: Typed before the warning")).to_be_visible()
    assert engine.messages()[reached:] == ["Typed before the warning"]


async def test_the_signed_out_dialog_is_accessible_and_keeps_the_page(
    browser: Browser, serve: Serve, user: UserInfo, engine: FakeEngine
) -> None:
    base_url = await serve("0.1", "3")
    page = await open_page(browser, javascript=True)
    await start_screening(page, base_url)
    await text_box(page).fill("Still here")
    ended = page.get_by_role("dialog", name="You have been signed out")
    await page.clock.fast_forward(7_000)
    await expect(ended).to_be_visible()
    await expect(ended.get_by_role("heading", name="You have been signed out")).to_be_focused()
    await assert_accessible(page, "the chat page after the session ended")
    await expect(ended.get_by_role("link", name="Sign in again")).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(ended).to_be_hidden()
    await expect(text_box(page)).to_have_value("Still here")


async def test_a_draft_survives_a_closed_tab_and_goes_once_sent(
    browser: Browser, serve: Serve, user: UserInfo, engine: FakeEngine
) -> None:
    base_url = await serve("30", "120")
    page = await open_page(browser, javascript=True)
    chat = await start_screening(page, base_url)
    await text_box(page).fill(ACCOUNT)
    await page.wait_for_function("() => Object.keys(localStorage).some((k) => k.startsWith('app-draft:v2:'))")
    assert DISTINCTIVE not in await stored_drafts(page)
    context = page.context
    await page.close()

    page = await context.new_page()
    await page.goto(chat)
    await expect(page.get_by_text(RESTORED_LINE)).to_be_visible()
    await expect(text_box(page)).to_have_value(ACCOUNT)
    await page.get_by_role("button", name="Send", exact=True).click()
    await expect(page.get_by_text("Echo: On Tuesday")).to_be_visible()
    assert engine.messages().count(as_posted(ACCOUNT)) == 1

    await page.reload()
    await expect(text_box(page)).to_have_value("")
    await expect(page.get_by_text(RESTORED_LINE)).to_have_count(0)
    assert "app-draft" not in await stored_drafts(page)


async def start_again_on_the_same_port(engine: FakeEngine) -> None:
    """Start the stopped stand-in engine again where the app expects it, as a restarted engine would be."""
    app = web.Application()
    app.router.add_post(WEBHOOK_PATH, engine.webhook)
    engine.server = TestServer(app, host="127.0.0.1", port=engine.port)
    await engine.server.start_server()


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
async def test_a_send_while_the_engine_is_stopped_keeps_the_text_and_one_retry_sends_it_once(
    browser: Browser, serve: Serve, user: UserInfo, engine: FakeEngine, javascript: bool
) -> None:
    base_url = await serve("30", "120")
    page = await open_page(browser, javascript=javascript)
    await start_screening(page, base_url)
    reached = len(engine.received)
    await engine.stop()

    await text_box(page).fill(ACCOUNT)
    await page.get_by_role("button", name="Send", exact=True).click()
    await expect(page.get_by_role("alert")).to_contain_text(ENGINE_DOWN)
    await expect(text_box(page)).to_have_value(ACCOUNT)

    await start_again_on_the_same_port(engine)
    await page.get_by_role("button", name="Send", exact=True).click()
    await expect(page.get_by_text("Echo: On Tuesday")).to_be_visible()
    assert engine.messages()[reached:] == [as_posted(ACCOUNT)]


@pytest.mark.parametrize("failure", ["network", "server-error"])
async def test_a_failed_send_keeps_the_text_on_the_page_and_a_retry_sends_it_once(
    browser: Browser, serve: Serve, user: UserInfo, engine: FakeEngine, failure: str
) -> None:
    """With JavaScript the post goes in the background: a lost connection, or a proxy's error page instead of
    ours, must not take the page (and the text) away."""
    base_url = await serve("30", "120")
    page = await open_page(browser, javascript=True)
    await start_screening(page, base_url)
    reached = len(engine.received)

    async def fail(route: Route) -> None:
        if failure == "network":
            await route.abort("connectionreset")
        else:
            await route.fulfill(status=502, content_type="text/html", body="<h1>Bad gateway</h1>")

    await page.route("**/send", fail)
    await text_box(page).fill(ACCOUNT)
    await page.get_by_role("button", name="Send", exact=True).click()
    expected = "Check your connection" if failure == "network" else "a problem with the service"
    await expect(page.get_by_role("alert")).to_contain_text(expected)
    await expect(text_box(page)).to_have_value(ACCOUNT)
    assert engine.messages()[reached:] == []

    await page.unroute("**/send")
    await page.get_by_role("button", name="Send", exact=True).click()
    await expect(page.get_by_text("Echo: On Tuesday")).to_be_visible()
    assert engine.messages()[reached:] == [as_posted(ACCOUNT)]
    assert "app-draft" not in await stored_drafts(page)


async def browser_storage(page: Page) -> str:
    """Everything this site keeps in the browser: localStorage, sessionStorage, IndexedDB names, cookies."""
    kept = await page.evaluate(
        """async () => JSON.stringify({
            local: Object.entries(localStorage),
            session: Object.entries(sessionStorage),
            indexed: indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [],
        })"""
    )
    cookies = await page.context.cookies()
    return kept + repr([(c["name"], c["value"]) for c in cookies])


async def test_sign_out_removes_the_drafts_and_replaces_their_key_and_nothing_identifying_is_kept(
    browser: Browser, serve: Serve, user: UserInfo, engine: FakeEngine
) -> None:
    base_url = await serve("30", "120")
    page = await open_page(browser, javascript=True)
    chat = await start_screening(page, base_url)
    reference = chat.rstrip("/").rsplit("/", 1)[1]
    await text_box(page).fill(ACCOUNT)
    await page.wait_for_function("() => Object.keys(localStorage).some((k) => k.startsWith('app-draft:v2:'))")
    kept = await browser_storage(page)
    for secret in (DISTINCTIVE, user.username, reference, reference.lower()):
        assert secret not in kept, f"{secret!r} is in the browser in clear"
    old_key = await page.evaluate("() => document.body.getAttribute('data-draft-key')")
    left_behind = await page.evaluate("() => JSON.stringify(Object.entries(localStorage))")

    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_text("You have signed out.")).to_be_visible()
    await assert_accessible(page, "the sign-in page after signing out")
    assert "app-draft" not in await stored_drafts(page), "the drafts went at sign-out"

    # Even a copy of the drafts taken before sign-out cannot be read after it: the key has been replaced.
    await page.evaluate(
        "(entries) => JSON.parse(entries).forEach(([k, v]) => localStorage.setItem(k, v))", left_behind
    )
    await sign_in(page, base_url)
    await page.goto(chat)
    assert await page.evaluate("() => document.body.getAttribute('data-draft-key')") != old_key
    await expect(text_box(page)).to_have_value("")
    await expect(page.get_by_text(RESTORED_LINE)).to_have_count(0)
