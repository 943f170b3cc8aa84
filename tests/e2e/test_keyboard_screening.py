"""The whole screening tool on the web page with the keyboard alone, against the real engine, in Chromium.

A practitioner signs in and answers every screening question (start.yaml and screening.yaml) until the bot
moves on to the exploratory assessment, using only Tab, Shift+Tab, Enter, Space and typing: once with
JavaScript on (chat.js updates the page in place) and once with it off (every answer is a form post and a
reply page). After every reply: focus has moved somewhere sensible and can be seen, the question shows its
progress, and (JavaScript on) the live region the page loaded with holds the new message. axe-core finds no
serious or critical problem on any distinct page state. The store holds every answer exactly as typed.

A rehearsal run shows the rehearsal marking on every reply and resumes at the same question after signing
out and in again. Screenshots of every step are kept in test-artifacts/<test name>/.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from playwright.async_api import Browser, Locator, Page, expect

from bot.domain.records import UserInfo
from tests.e2e.browser import Axe, Keyboard, Shots, new_context
from tests.e2e.chat_page import BOT_PREFIX, PROGRESS
from tests.e2e.conftest import Product, _service, failed
from tests.e2e.screening import (
    BY_ID,
    PLAN,
    REHEARSAL_BANNER,
    Planned,
    as_posted_by_a_browser,
    is_route_choice,
    is_screening_over,
    plan_for,
)

REFUSED = "/skip"  # typed, a "/" message is refused with an error and nothing is sent
REFUSED_AT = next(p.question_id for p in PLAN if p.typed is not None)  # where the run first types
NEWEST_TURN = """(log, prefix) => {
    const items = Array.from(log.querySelectorAll("li"));
    let start = items.length;
    while (start > 0 && items[start - 1].textContent.trim().startsWith(prefix)) { start -= 1; }
    return start;
}"""


@dataclass
class Practitioner:
    user: UserInfo
    password: str


def new_practitioner(product: Product, role: str = "practitioner") -> Practitioner:
    password = secrets.token_urlsafe(16)
    name = f"keyboard-{secrets.token_hex(3)}"
    user = _service(product.settings).users.create_user(name, password, role, "E2E team")
    return Practitioner(user, password)


class ChatByKeyboard:
    """One practitioner at the chat page, with the keyboard alone."""

    def __init__(self, page: Page, base_url: str, javascript: bool, shots: Shots, axe: Axe) -> None:
        self.page = page
        self.base_url = base_url
        self.javascript = javascript
        self.keys = Keyboard(page)
        self.shots = shots
        self.axe = axe
        self.mode = "js-on" if javascript else "js-off"

    @property
    def log(self) -> Locator:
        return self.page.get_by_role("log")

    @property
    def messages(self) -> Locator:
        return self.log.get_by_role("listitem")

    @property
    def answers(self) -> Locator:
        return self.page.get_by_role("group", name="Choose an answer")

    @property
    def answer_buttons(self) -> Locator:
        return self.answers.get_by_role("button")

    @property
    def checkboxes(self) -> Locator:
        """A multiple choice question's options (issue #26): GOV.UK checkboxes and one Continue."""
        return self.page.get_by_role("group", name="Choose all that apply").get_by_role("checkbox")

    @property
    def text_box(self) -> Locator:
        return self.page.get_by_role("textbox")

    async def newest_bot_text(self) -> str:
        texts = await self.messages.all_text_contents()
        bot = [t.strip().removeprefix(BOT_PREFIX).strip() for t in texts if t.strip().startswith(BOT_PREFIX)]
        assert bot, "the conversation shows no bot message"
        return bot[-1]

    async def sign_in(self, username: str, password: str) -> None:
        await self.page.goto(f"{self.base_url}/sign-in")
        await self.axe.check(self.page, f"the sign-in page ({self.mode})")
        await self.keys.reach(self.page.get_by_label("Username"))
        await self.page.keyboard.type(username)
        await self.keys.reach(self.page.get_by_label("Password"))
        await self.page.keyboard.type(password)
        await self.shots.take(self.page, "sign-in")
        await self.page.keyboard.press("Enter")
        await expect(self.page.get_by_role("heading", name="Your assessments")).to_be_visible()
        await self.axe.check(self.page, f"the practitioner's home page ({self.mode})")
        await self.shots.take(self.page, "home")

    async def arrived(self) -> str:
        """A chat page has just loaded (from the home page): the newest messages have focus (the page's own
        #latest, with or without JavaScript), and with JavaScript the page's live region is noted, since only
        additions to a region already on the page are read out."""
        await expect(self.messages.first).to_be_attached()
        await self.page.wait_for_load_state()
        await expect(self.log).to_have_attribute("aria-live", "polite")
        if self.javascript:
            await self.log.evaluate("(log) => { window.loadedLiveRegion = log; }")
            await self.page.evaluate("window.loadedOnce = true")
        return await self.after_reply(loaded=True)

    async def carry_on(self) -> str:
        """From the home page, carry on the newest draft by its "Carry on" link."""
        await self.keys.reach(self.page.get_by_role("link", name="Carry on").first)
        await self.page.keyboard.press("Enter")
        return await self.arrived()

    async def sign_out(self) -> None:
        await self.keys.reach(self.page.get_by_role("button", name="Sign out"))
        await self.shots.take(self.page, "signing-out")
        await self.page.keyboard.press("Enter")
        await expect(self.page.get_by_role("heading", name="Sign in")).to_be_visible()

    async def start(self, control: str = "Start a new screening") -> str:
        await self.keys.reach(self.page.get_by_role("button", name=control))
        await self.page.keyboard.press("Enter")
        return await self.arrived()

    async def start_practice(self, scenario: str = "A plan for Friday") -> str:
        """Issue #13: a practice run starts from a scenario's case card, reached by keyboard as well."""
        await self.keys.reach(self.page.get_by_role("button", name="Practise with a scenario"))
        await self.page.keyboard.press("Enter")
        await expect(self.page.get_by_role("heading", name="Practise with a scenario")).to_be_visible()
        await self.keys.reach(self.page.get_by_role("link", name=scenario))
        await self.page.keyboard.press("Enter")
        await expect(self.page.get_by_role("heading", name=scenario)).to_be_visible()
        return await self.start("Start this practice run")

    async def answer(self, planned: Planned) -> str:
        """Give the planned answer by keyboard; the bot's newest message afterwards."""
        if planned.button is not None and await self.checkboxes.count():
            await self.keys.reach(self.checkboxes.and_(self.page.get_by_label(planned.button, exact=True)))
            await self.page.keyboard.press("Space")
            await expect(self.page.get_by_label(planned.button, exact=True)).to_be_checked()
            await self.keys.reach(self.page.get_by_role("button", name="Continue", exact=True))
            await self.shots.take(self.page, f"{planned.question_id}-ticked")
            return await self.press_and_wait("Enter")
        if planned.button is not None:
            await self.keys.reach(self.answers.get_by_role("button", name=planned.button, exact=True))
            await self.shots.take(self.page, f"{planned.question_id}-chosen")
            return await self.press_and_wait("Space")
        await self.keys.reach(self.text_box)
        await self.page.keyboard.type(planned.typed or "")
        await self.keys.reach(self.page.get_by_role("button", name="Send", exact=True))
        await self.shots.take(self.page, f"{planned.question_id}-typed")
        return await self.press_and_wait("Enter")

    async def press_and_wait(self, key: str, *, said: bool = True) -> str:
        """Press `key` on the focused button and wait for the bot's reply (the practitioner's turn, when they
        `said` something, and at least one bot message after it); then check where focus went."""
        shown = await self.messages.count()
        await self.page.keyboard.press(key)
        await expect(self.messages.nth(shown + int(said))).to_be_attached()
        await self.page.wait_for_load_state()
        return await self.after_reply()

    async def after_reply(self, *, loaded: bool = False) -> str:
        """`loaded`: a page that has just loaded, rather than a reply chat.js put in place."""
        question = await self.newest_bot_text()
        # Every question shows its progress; "send it now or carry on?" ends the screening and is no question
        # of the bank, so it has none (issue #12).
        assert PROGRESS.search(question) or is_route_choice(question), f"no progress shown with: {question}"
        if self.javascript and not loaded:
            # chat.js: focus to the first answer button (or checkbox), or the text box when there are none;
            # the new message is added to the live region that was on the page when it loaded.
            target = self.text_box
            if await self.answer_buttons.count():
                target = self.answer_buttons.first
            elif await self.checkboxes.count():
                target = self.checkboxes.first
            await expect(target).to_be_focused()
            assert await self.log.evaluate("(log) => log === window.loadedLiveRegion"), "live region replaced"
            await expect(self.log).to_have_attribute("aria-live", "polite")
        else:
            # A reply page: focus starts at the newest messages, so reading begins at the new question.
            start = await self.log.evaluate(NEWEST_TURN, BOT_PREFIX)
            await expect(self.messages.nth(start)).to_be_focused()
            await expect(self.messages.nth(start)).to_contain_text(question.splitlines()[0])
        await self.keys.assert_focus_visible()
        await expect(self.log).to_contain_text(question.splitlines()[-1])
        choices = await self.answer_buttons.count()
        kind = "a question with answer buttons" if choices else "a free-text question"
        await self.axe.check(self.page, f"the chat page with {kind} ({self.mode})")
        await self.shots.take(self.page, "reply")
        return question

    async def refused_then_corrected(self, planned: Planned) -> str:
        """Type a message the page refuses; focus goes to the error summary, whose link leads back to the
        text box, where the answer is corrected. The conversation does not move on meanwhile."""
        await self.keys.reach(self.text_box)
        await self.page.keyboard.type(REFUSED)
        await self.keys.reach(self.page.get_by_role("button", name="Send", exact=True))
        shown = await self.messages.count()
        await self.page.keyboard.press("Enter")
        alert = self.page.get_by_role("alert")
        await expect(alert).to_contain_text("can't start with '/'")
        # Focus on the error summary, which holds the alert (":focus" is the focused element, whatever it is).
        await expect(self.page.locator(":focus").get_by_role("alert")).to_contain_text("can't start with '/'")
        await self.keys.assert_focus_visible()
        assert await self.messages.count() == shown
        await self.axe.check(self.page, f"the chat page with a refused answer ({self.mode})")
        await self.shots.take(self.page, "refused")
        await self.keys.reach(alert.get_by_role("link"))
        await self.page.keyboard.press("Enter")
        await expect(self.text_box).to_be_focused()
        await expect(self.text_box).to_have_value(REFUSED)
        await self.page.keyboard.press("Control+A")
        await self.page.keyboard.press("Backspace")
        return await self.answer(planned)


@dataclass
class Browsing:
    page: Page
    shots: Shots
    axe: Axe


@pytest.fixture
async def browsing(
    request: pytest.FixtureRequest, product: Product, browser: Browser
) -> AsyncIterator[Browsing]:
    """A page with JavaScript on or off (the test's `javascript` parameter), its screenshots, and axe-core
    (which, for a page without JavaScript, checks snapshots in a second context)."""
    javascript = request.node.callspec.params["javascript"]
    context = await new_context(browser, javascript=javascript)
    checker = None if javascript else await new_context(browser)
    browsing = Browsing(await context.new_page(), Shots(request), Axe(checker))
    yield browsing
    if failed(request):
        await browsing.shots.take(browsing.page, "failed-here")
    for opened in (context, checker):
        if opened is not None:
            await opened.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
async def test_the_whole_screening_with_the_keyboard_alone(
    product: Product, browsing: Browsing, javascript: bool
) -> None:
    page, shots = browsing.page, browsing.shots
    who = new_practitioner(product)
    chat = ChatByKeyboard(page, product.settings.app_url, javascript, shots, browsing.axe)
    await chat.sign_in(who.user.username, who.password)
    question = await chat.start()
    answered: list[str] = []
    while not is_screening_over(question):
        planned = plan_for(question)
        assert planned.question_id not in answered, f"asked again: {question}"
        if planned.question_id == REFUSED_AT:
            question = await chat.refused_then_corrected(planned)
        else:
            question = await chat.answer(planned)
        answered.append(planned.question_id)
    await shots.take(page, "screening-done")

    assert answered == [p.question_id for p in PLAN], "every screening question, in order, once"
    if javascript:
        assert await page.evaluate("window.loadedOnce") is True, "updated in place, never reloaded"
    assert len(chat.axe.checked) >= 5, chat.axe.checked
    conversation = _service(product.settings).conversations.latest_conversation(who.user.id)
    assert conversation
    export = product.export(conversation)
    assert export["assessment"]["mode"] == "live"
    stored = {a["question_id"]: [r["text"] for r in a["revisions"]] for a in export["answers"]}
    assert stored == {q: [as_posted_by_a_browser(BY_ID[q].stored_text)] for q in answered}


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
async def test_a_rehearsal_is_marked_on_every_reply_and_resumes_after_signing_in_again(
    product: Product, browsing: Browsing, javascript: bool
) -> None:
    page, shots = browsing.page, browsing.shots
    who = new_practitioner(product, role="trainer")  # issue #26: practice runs start from their own control
    chat = ChatByKeyboard(page, product.settings.app_url, javascript, shots, browsing.axe)
    await chat.sign_in(who.user.username, who.password)
    question = await chat.start_practice()
    rehearsal = list(PLAN[0:3])

    async def assert_rehearsal(question: str) -> None:
        """The page's banner says so, and so does the progress line of the question just asked."""
        await expect(page.get_by_text(f"{REHEARSAL_BANNER}: A plan for Friday", exact=True)).to_be_visible()
        progress = question.splitlines()[0]
        assert PROGRESS.search(progress) and REHEARSAL_BANNER in progress, progress

    await assert_rehearsal(question)  # from the very first question
    for planned in rehearsal:
        assert plan_for(question).question_id == planned.question_id, question
        question = await chat.answer(planned)
        await assert_rehearsal(question)

    await chat.sign_out()
    await shots.take(page, "signed-out")
    await chat.sign_in(who.user.username, who.password)
    assert await chat.carry_on() == question, "the same question as before signing out"
    await assert_rehearsal(question)
    await shots.take(page, "resumed")

    planned = plan_for(question)
    assert planned.question_id == PLAN[3].question_id
    await assert_rehearsal(await chat.answer(planned))

    conversation = _service(product.settings).conversations.latest_conversation(who.user.id)
    assert conversation
    export = product.export(conversation)
    assert export["assessment"]["mode"] == "rehearsal"
    stored = {a["question_id"]: a["revisions"][-1]["text"] for a in export["answers"]}
    expected = [*rehearsal, planned]
    assert stored == {p.question_id: as_posted_by_a_browser(p.stored_text) for p in expected}
