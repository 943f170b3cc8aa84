"""Nothing typed is lost (issue 17), with the real engine, in Chromium, JavaScript on and off.

- A practitioner types a long account at a free-text question, is away past the idle limit, presses Send,
  signs in again: the text is back in the box byte for byte, and once sent it is stored once, verbatim.
- The time-out warning opens before the end, axe-core finds nothing serious in it, and "Stay signed in"
  keeps the session past its first deadline.
- A send while the engine is stopped keeps the text on the page; once the engine is back, one retry stores
  it once.
- An answer sent after the engine's own session expired (an hour without a message) is stored on the
  question the page showed, not taken for small talk.

Time passes without waiting (issue #27): the page's timers run on Playwright's clock (`page.clock`), and the
app's session clock is moved forward through its test clock file (`product.advance_app_clock`,
bot.runtime.settable_clock), by the same amounts. The limits are the product's own (30 minutes, warned 2
minutes before), and the app's real idle check ends the session and holds the message.

Screenshots of each step are kept in test-artifacts/<test name>/.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.async_api import Browser, Locator, Page, expect
from sqlalchemy import select

from bot.store.db import make_session_factory
from bot.store.models import ChatMessageRow, Conversation
from tests.e2e.browser import Axe, Shots, new_context
from tests.e2e.chat_page import BOT_PREFIX
from tests.e2e.conftest import Product, _service, failed
from tests.e2e.screening import Planned, as_posted_by_a_browser, plan_for
from tests.e2e.test_engine_checkpoints import _age_conversation

# A long account, as typed: line breaks, quotes, an en dash, emoji and trailing spaces (about 4,000
# characters), about ordinary things only, so that nothing in it reads as a danger report.
ACCOUNT = (
    "".join(
        f'{n}. She said "keep a note of the dates" 📅 – and to ring her back on Friday.  \n'
        f"   She will look at the school's records first; I agreed to write up what I saw. 🙂\n"
        for n in range(1, 31)
    )
    + "\nThat is everything for now.   "
)
KEPT_LINE = "We kept the message you were sending when you were signed out. Check it, then choose Send."
KEPT_NOTICE = "We have kept it for you"
ENGINE_DOWN = "The assistant is not available right now"
REFERENCE = re.compile(r"/chat/(A-[0-9A-Z]{6})")


@dataclass
class Person:
    username: str
    password: str
    user_id: int


def new_practitioner(product: Product) -> Person:
    password = secrets.token_urlsafe(16)
    user = _service(product.settings).users.create_user(
        f"kept-{secrets.token_hex(3)}", password, "practitioner", "E2E team"
    )
    return Person(user.username, password, user.id)


@dataclass
class Browsing:
    page: Page
    shots: Shots
    axe: Axe
    javascript: bool


@pytest.fixture
async def browsing(
    request: pytest.FixtureRequest, product: Product, browser: Browser
) -> AsyncIterator[Browsing]:
    """A page with JavaScript on or off (the test's `javascript` parameter, on when it has none), its
    screenshots, and axe-core (which, without JavaScript, checks snapshots in a second context)."""
    callspec = getattr(request.node, "callspec", None)
    javascript = callspec.params.get("javascript", True) if callspec is not None else True
    context = await new_context(browser, javascript=javascript)
    checker = None if javascript else await new_context(browser)
    browsing = Browsing(await context.new_page(), Shots(request), Axe(checker), javascript)
    yield browsing
    if failed(request):
        await browsing.shots.take(browsing.page, "failed-here")
    for opened in (context, checker):
        if opened is not None:
            await opened.close()


def messages(page: Page) -> Locator:
    return page.get_by_role("log").get_by_role("listitem")


def text_box(page: Page) -> Locator:
    return page.get_by_role("textbox")


def send_button(page: Page) -> Locator:
    return page.get_by_role("button", name="Send", exact=True)


async def newest_bot_text(page: Page) -> str:
    texts = await messages(page).all_text_contents()
    said = [t.strip().removeprefix(BOT_PREFIX).strip() for t in texts if t.strip().startswith(BOT_PREFIX)]
    assert said, "the conversation shows no bot message"
    return said[-1]


async def sign_in(page: Page, who: Person, base_url: str | None = None) -> None:
    if base_url is not None:
        await page.goto(f"{base_url}/sign-in")
    await page.get_by_label("Username").fill(who.username)
    await page.get_by_label("Password").fill(who.password)
    await page.get_by_role("button", name="Sign in").click()


async def start(page: Page, who: Person, base_url: str) -> str:
    """Signed in, a new screening started: its reference."""
    await sign_in(page, who, base_url)
    await page.get_by_role("button", name="Start a new screening").click()
    await expect(messages(page).first).to_be_attached()
    await page.wait_for_load_state()
    found = REFERENCE.search(page.url)
    assert found, page.url
    return found.group(1)


async def reply_to(page: Page, action: Locator) -> None:
    """Press a button that sends something; wait for the practitioner's turn and the bot's reply."""
    shown = await messages(page).count()
    await action.click()
    await expect(messages(page).nth(shown + 1)).to_be_attached()
    await page.wait_for_load_state()


async def reach_free_text(page: Page) -> Planned:
    """Answer the screening's button questions until it asks for typed text; what is planned there."""
    for _ in range(10):
        planned = plan_for(await newest_bot_text(page))
        if planned.typed is not None:
            return planned
        answers = page.get_by_role("group", name="Choose an answer")
        await reply_to(page, answers.get_by_role("button", name=planned.button, exact=True))
    raise AssertionError("no free-text question in the screening's first ten")


def stored(product: Product, reference: str) -> dict[str, list[str]]:
    """Every revision's text of every answer of one assessment, from the real CLI's export."""
    export = product.export_reference(reference)
    return {a["question_id"]: [r["text"] for r in a["revisions"]] for a in export["answers"]}


async def later(page: Page | None, product: Product, seconds: float) -> None:
    """`seconds` pass for the app's sessions and, when given, for the page's timers: nobody waits for them."""
    product.advance_app_clock(seconds)
    if page is not None:
        await page.clock.fast_forward(round(seconds * 1000))


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
async def test_a_long_account_sent_after_the_time_out_is_kept_and_stored_once_after_signing_in(
    product: Product, browsing: Browsing, javascript: bool
) -> None:
    page, shots = browsing.page, browsing.shots
    who = new_practitioner(product)
    idle_seconds = product.settings.session_idle_minutes * 60
    if javascript:
        await page.clock.install()  # before the first page, so that timeout.js runs on it
    reference = await start(page, who, product.settings.app_url)
    planned = await reach_free_text(page)
    await text_box(page).fill(ACCOUNT)
    await shots.take(page, "typed")
    # Past the idle limit (without JavaScript nothing on the page can say so; the app finds out at Send).
    await later(page if javascript else None, product, idle_seconds + 1)
    if javascript:
        ended = page.get_by_role("dialog", name="You have been signed out")
        await expect(ended).to_be_visible()
        await shots.take(page, "signed-out-dialog", full_page=False)
        await ended.get_by_role("button", name="Close").click()
        await expect(text_box(page)).to_have_value(ACCOUNT)
    await send_button(page).click()

    await expect(page.get_by_text(KEPT_NOTICE)).to_be_visible()
    await shots.take(page, "sign-in-after-keeping")
    await sign_in(page, who)
    await expect(page.get_by_text(KEPT_LINE)).to_be_visible()
    assert REFERENCE.search(page.url).group(1) == reference  # type: ignore[union-attr]
    await expect(text_box(page)).to_have_value(ACCOUNT)
    await browsing.axe.check(page, "the chat page with a kept message")
    await shots.take(page, "kept-message-back-in-the-box")
    assert planned.question_id not in stored(product, reference), "not an answer until it is sent"

    await reply_to(page, send_button(page))
    await shots.take(page, "sent")
    assert stored(product, reference)[planned.question_id] == [as_posted_by_a_browser(ACCOUNT)]


async def test_the_warning_comes_before_the_time_out_and_staying_signed_in_keeps_the_session(
    product: Product, browsing: Browsing
) -> None:
    page, shots = browsing.page, browsing.shots
    who = new_practitioner(product)
    idle_seconds = product.settings.session_idle_minutes * 60
    warning_seconds = product.settings.session_warning_seconds
    await page.clock.install()
    reference = await start(page, who, product.settings.app_url)
    dialog = page.get_by_role("dialog", name="You are about to be signed out")

    await later(page, product, idle_seconds / 2)
    await expect(dialog).to_be_hidden()  # half-way: no warning yet
    # A second into the warning's lead time: the dialog is open and the session is still alive.
    await later(page, product, idle_seconds / 2 - warning_seconds + 1)
    await expect(dialog).to_be_visible()
    stay = dialog.get_by_role("button", name="Stay signed in")
    await expect(stay).to_be_focused()
    await browsing.axe.check(page, "the chat page with the time-out warning open")
    await shots.take(page, "warning", full_page=False)
    await page.keyboard.press("Enter")
    await expect(dialog).to_be_hidden()

    # Past the first deadline (the idle limit after the page loaded), well inside the new one.
    await later(page, product, warning_seconds + 1)
    planned = plan_for(await newest_bot_text(page))
    answers = page.get_by_role("group", name="Choose an answer")
    await reply_to(page, answers.get_by_role("button", name=planned.button, exact=True))
    await expect(page.get_by_role("heading", name="Sign in")).to_have_count(0)
    await shots.take(page, "answered-after-the-first-deadline")
    assert stored(product, reference)[planned.question_id] == [planned.stored_text]


async def test_a_send_while_the_engine_is_stopped_keeps_the_text_and_one_retry_stores_it_once(
    product: Product, browser: Browser, request: pytest.FixtureRequest
) -> None:
    """JavaScript on and off side by side, so that the engine is stopped and started once."""
    shots = Shots(request)
    pages: dict[str, tuple[Page, str, Planned, str]] = {}
    for mode, javascript in (("js-on", True), ("js-off", False)):
        page = await (await new_context(browser, javascript=javascript)).new_page()
        reference = await start(page, new_practitioner(product), product.settings.app_url)
        planned = await reach_free_text(page)
        pages[mode] = (page, reference, planned, f"{ACCOUNT}\n({mode})")
    try:
        with product.stopped("engine") as start_engine:
            for mode, (page, _reference, _planned, account) in pages.items():
                await text_box(page).fill(account)
                await send_button(page).click()
                await expect(page.get_by_role("alert")).to_contain_text(ENGINE_DOWN)
                await expect(text_box(page)).to_have_value(account)
                await shots.take(page, f"{mode}-engine-stopped")
            await asyncio.to_thread(start_engine)

        for mode, (page, reference, planned, account) in pages.items():
            await reply_to(page, send_button(page))
            await shots.take(page, f"{mode}-sent-again")
            assert stored(product, reference)[planned.question_id] == [as_posted_by_a_browser(account)], mode
    finally:
        for page, *_ in pages.values():
            await page.context.close()


async def test_an_answer_after_the_engines_session_expired_is_stored_on_the_question_shown(
    product: Product, browser: Browser, request: pytest.FixtureRequest
) -> None:
    shots = Shots(request)
    page = await (await new_context(browser, javascript=False)).new_page()
    who = new_practitioner(product)
    try:
        reference = await start(page, who, product.settings.app_url)
        planned = await reach_free_text(page)
        conversation = _service(product.settings).conversations.latest_conversation(who.user_id)
        assert conversation is not None
        # An hour and a bit without a message, for the engine and for the page's own log alike.
        _age_conversation(product, conversation, 61 * 60)
        _age_chat_log(product, conversation, timedelta(minutes=61))

        await text_box(page).fill(ACCOUNT)
        await reply_to(page, send_button(page))
        await shots.take(page, "answered-after-an-hour")
        assert stored(product, reference)[planned.question_id] == [as_posted_by_a_browser(ACCOUNT)]
    finally:
        await page.context.close()


def _age_chat_log(product: Product, conversation: str, by: timedelta) -> None:
    sessions = make_session_factory(product.settings.database_url)
    try:
        with sessions.begin() as session:
            rows = session.scalars(
                select(ChatMessageRow)
                .join(Conversation, ChatMessageRow.conversation_id == Conversation.id)
                .where(Conversation.sender_id == conversation)
            ).all()
            for row in rows:
                row.created_at = row.created_at - by
    finally:
        sessions.kw["bind"].dispose()
