"""WCAG 2.2 AA checks in a real browser (Debian's Chromium): axe-core on every page state a practitioner or
lead meets, and a whole screening done with the keyboard alone, with JavaScript on and off.

Screenshots of each keyboard step go to test-artifacts/ (ignored by git) so a person can look at focus and
layout after a run.
"""

from __future__ import annotations

from datetime import date

import pytest
from axe import BLOCKING_IMPACTS, REPO, assert_accessible, run_axe
from playwright.async_api import Browser, BrowserContext, Page, expect
from playwright.async_api import TimeoutError as PlaywrightTimeout
from web_helpers import BUTTONS, PASSWORD, START_REPLIES, FakeEngine, conversation_of, practitioners

from bot.domain.records import AnswerIn, UserInfo
from bot.questions import load_bank
from bot.store.services import Store
from tests.builders import give_answer, report_danger

ARTIFACTS = REPO / "test-artifacts"
TYPED = "Seen with older friends after school"
MAX_TABS = 30  # more presses than any page here needs to reach a control; a loop guard, not a target

# What the focused element looks like, enough to say what it is when an assertion fails.
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) { return null; }
    const style = getComputedStyle(el);
    return {
        tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name"),
        text: (el.innerText || el.value || "").trim().slice(0, 80),
        outline: style.outlineStyle === "none" || style.outlineWidth === "0px" ? "none" : style.outlineStyle,
        boxShadow: style.boxShadow,
    };
}"""


async def new_context(browser: Browser, *, javascript: bool = True) -> BrowserContext:
    # bypass_csp lets the test inject axe-core's script, which the app's CSP (no inline script) would block.
    # It changes only what this test may add: the page itself is served, and runs, under its own CSP.
    return await browser.new_context(java_script_enabled=javascript, bypass_csp=True)


async def sign_in_with_mouse(page: Page, base_url: str, username: str) -> None:
    await page.goto(f"{base_url}/sign-in")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()


# -- axe-core on each page state ------------------------------------------------------------------------


async def test_the_checker_finds_real_problems(browser: Browser) -> None:
    """A clean result means something only if the injected checker does run and does report."""
    page = await (await new_context(browser)).new_page()
    await page.set_content("<html><head><title>Broken</title></head><body><input type='text'></body></html>")
    found = {v.rule for v in await run_axe(page) if v.impact in BLOCKING_IMPACTS}
    assert {"html-has-lang", "label"} <= found


async def test_sign_in_page_is_accessible(browser: Browser, base_url: str, user: UserInfo) -> None:
    page = await (await new_context(browser)).new_page()
    await page.goto(f"{base_url}/sign-in")
    await assert_accessible(page, "the sign-in page")

    await page.get_by_label("Username").fill("alice")
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_be_visible()
    await assert_accessible(page, "the sign-in page with an error")


async def test_chat_page_is_accessible_at_each_stage(
    browser: Browser, base_url: str, user: UserInfo, engine: FakeEngine
) -> None:
    page = await (await new_context(browser)).new_page()
    await sign_in_with_mouse(page, base_url, "alice")
    await expect(page.get_by_role("button", name="Start a new screening")).to_be_visible()
    await assert_accessible(page, "the home page before starting")

    await page.get_by_role("button", name="Start a new screening").click()
    await expect(page.get_by_text(START_REPLIES[1])).to_be_visible()
    await assert_accessible(page, "the chat page with the first question and its choices")

    await page.get_by_role("button", name=BUTTONS[1]["title"], exact=True).click()
    await expect(page.get_by_text(f"Echo: {BUTTONS[1]['payload']}")).to_be_visible()
    await assert_accessible(page, "the chat page mid-conversation")

    await page.get_by_label("Or type your answer").fill("/submit")
    await page.get_by_role("button", name="Send").click()
    await expect(page.get_by_role("alert")).to_contain_text("Messages can't start with '/'")
    await assert_accessible(page, "the chat page with an error message")

    await page.reload()  # the same states as full page loads, as a browser without JavaScript shows them
    await expect(page.get_by_text(f"Echo: {BUTTONS[1]['payload']}")).to_be_visible()
    await assert_accessible(page, "the chat page reloaded mid-conversation")


async def test_home_and_assessment_pages_are_accessible(
    browser: Browser, base_url: str, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    """The home page listing drafts and submitted assessments, a draft not started yet, a submitted one,
    and the page a danger report made without the assistant lands on."""
    page = await (await new_context(browser)).new_page()
    await sign_in_with_mouse(page, base_url, "alice")
    await page.get_by_role("button", name="Start a new screening").click()
    await expect(page.get_by_text(START_REPLIES[1])).to_be_visible()
    submitted = page.url.split("/chat/")[1].split("#")[0]
    store.assessments.submit(conversation_of(store, user.id, f"/chat/{submitted}"))
    not_started = practitioners(store).open_assessment(user.id, "web", "test-bank").reference

    await page.goto(f"{base_url}/chat")
    await expect(page.locator("#drafts")).to_contain_text(not_started)
    await expect(page.locator("#submitted")).to_contain_text(submitted)
    await assert_accessible(page, "the home page with a draft and a submitted assessment")

    await page.goto(f"{base_url}/chat/{not_started}")
    await expect(page.get_by_role("button", name="Start the screening")).to_be_visible()
    await assert_accessible(page, "a draft not started yet")

    await page.goto(f"{base_url}/chat/{submitted}")
    await expect(page.get_by_role("button", name="Add to this assessment")).to_be_visible()
    await assert_accessible(page, "a submitted assessment")

    await engine.stop()
    await page.goto(f"{base_url}/chat/{not_started}")
    await page.get_by_role("button", name="Someone is in danger now").click()
    await expect(page.locator("#error-summary")).to_contain_text("call 999 now")
    await assert_accessible(page, "a danger report made while the assistant is down")


def submitted_case(store: Store, practitioner: UserInfo) -> int:
    """A real submitted live assessment, flagged urgent, with a typed answer and a choice answer."""
    bank = load_bank()
    conversation = store.conversations.open_conversation(practitioner.id, "web")
    store.assessments.start_or_resume(conversation, bank.version, "live")
    free_text = next(q for q in bank.authored_questions if q.answer_type == "free_text")
    choice = next(q for q in bank.authored_questions if q.answer_type == "yes_no_unsure")
    give_answer(
        store,
        conversation,
        AnswerIn(
            question_id=free_text.id,
            revision=1,
            wording=free_text.text,
            text=TYPED,
            value=TYPED,
            status="answered",
            source=None,
            fact_date=date(2026, 2, 14),
        ),
    )
    give_answer(
        store,
        conversation,
        AnswerIn(
            question_id=choice.id, revision=1, wording=choice.text, text="Yes", value="yes", status="answered"
        ),
    )
    report_danger(store, conversation, "He has a knife in his bag right now.")
    return store.assessments.submit(conversation).id


async def test_case_pages_are_accessible_for_a_lead(
    browser: Browser, base_url: str, store: Store, user: UserInfo
) -> None:
    store.users.create_user("lena", PASSWORD, "lead", "North team")
    page = await (await new_context(browser)).new_page()
    await sign_in_with_mouse(page, base_url, "lena")
    await page.goto(f"{base_url}/cases")
    await expect(page.get_by_text("No cases match.")).to_be_visible()
    await assert_accessible(page, "the lead's empty case list")

    case_id = submitted_case(store, user)
    await page.goto(f"{base_url}/cases")
    await expect(page.locator("#cases")).to_be_visible()
    await assert_accessible(page, "the lead's case list with a case")

    await page.goto(f"{base_url}/cases/{case_id}")
    await expect(page.get_by_role("button", name="Record the decision")).to_be_visible()
    await assert_accessible(page, "a case page with the decision form")

    await page.get_by_role("button", name="Record the decision").click()
    await expect(page.get_by_role("alert")).to_be_visible()
    await assert_accessible(page, "a case page with decision errors")


# -- the keyboard alone -----------------------------------------------------------------------------------


class KeyboardRun:
    """Drives one page with key presses only, and keeps a screenshot of each step."""

    def __init__(self, page: Page, label: str) -> None:
        self.page = page
        self.label = label
        self.step = 0

    async def focused(self) -> dict[str, str] | None:
        return await self.page.evaluate(FOCUSED)

    async def tab_to(self, selector: str) -> None:
        """Press Tab until the element matching `selector` has focus."""
        seen = []
        for _ in range(MAX_TABS):
            await self.page.keyboard.press("Tab")
            if await self.page.evaluate("(s) => document.activeElement.matches(s)", selector):
                await self.assert_focus_visible()
                return
            seen.append(await self.focused())
        raise AssertionError(f"Tab never reached {selector}; focus went through {seen}")

    async def assert_focus_visible(self) -> None:
        focused = await self.focused()
        assert focused is not None, "nothing has focus"
        assert focused["outline"] != "none" or focused["boxShadow"] != "none", f"no visible focus: {focused}"

    async def assert_focus_on(self, selector: str) -> None:
        # The page's script moves focus after it draws the reply, so wait for it to land rather than look once
        # (a single look once read the element just before focus arrived on it: a flaky failure, not a fault).
        try:
            await self.page.wait_for_function(
                "(s) => document.activeElement !== null && document.activeElement.matches(s)", arg=selector
            )
        except PlaywrightTimeout:
            raise AssertionError(f"expected focus on {selector}, found {await self.focused()}") from None
        await self.assert_focus_visible()

    async def screenshot(self, name: str) -> None:
        self.step += 1
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"keyboard-{self.label}-{self.step}-{name}.png"
        await self.page.screenshot(path=str(path), full_page=True)


async def assert_announced(page: Page, text: str) -> None:
    """The new text is in the polite live region, and that region is the one the page loaded with (a region
    swapped in along with its content is not read out)."""
    live = page.locator("#conversation")
    await expect(live).to_have_attribute("aria-live", "polite")
    await expect(live).to_have_attribute("role", "log")
    await expect(live).to_contain_text(text)
    assert await page.evaluate("window.liveRegion === document.getElementById('conversation')")


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
async def test_a_screening_with_the_keyboard_alone(
    browser: Browser, base_url: str, user: UserInfo, engine: FakeEngine, javascript: bool
) -> None:
    page = await (await new_context(browser, javascript=javascript)).new_page()
    keys = KeyboardRun(page, "js-on" if javascript else "js-off")
    # Where focus goes after each reply (chat.html explains the choice): with JavaScript, to the first answer
    # (the live region reads out the new messages); without it, to the newest messages via #latest.
    after_reply = "#choices button" if javascript else "#latest"

    await page.goto(f"{base_url}/sign-in")
    await keys.tab_to(".govuk-skip-link")  # the first Tab: shown on screen while it has focus
    await expect(page.locator(".govuk-skip-link")).to_be_in_viewport()
    await keys.tab_to("#username")
    await page.keyboard.type("alice")
    await keys.tab_to("#password")
    await page.keyboard.type(PASSWORD)
    await keys.screenshot("sign-in")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Your assessments")).to_be_visible()

    await keys.tab_to('form[action="/chat/start"] button')
    assert (await keys.focused() or {}).get("text") == "Start a new screening"
    await keys.screenshot("signed-in")
    await page.keyboard.press("Enter")
    # The new assessment's own page, loaded at #latest with or without JavaScript: the browser focuses the
    # newest messages, so a screen reader starts at the first question.
    await expect(page.get_by_text(START_REPLIES[1])).to_be_visible()
    await keys.assert_focus_on("#latest")
    await keys.screenshot("started")
    if javascript:
        # The live region on the page as loaded: screen readers announce what is added to it later.
        await page.evaluate(
            "window.loadedOnce = true; window.liveRegion = document.getElementById('conversation')"
        )

    # The first Tab from the newest messages reaches the first answer; a second Tab the next one.
    await keys.tab_to("#choices button")
    assert (await keys.focused() or {}).get("text") == BUTTONS[0]["title"]
    await keys.tab_to("#choices button:nth-child(2)")
    assert (await keys.focused() or {}).get("text") == BUTTONS[1]["title"]
    await page.keyboard.press("Enter")
    await expect(page.get_by_text(f"Echo: {BUTTONS[1]['payload']}")).to_be_visible()
    await keys.assert_focus_on(after_reply)
    await keys.screenshot("answered")
    if javascript:
        await assert_announced(page, f"Echo: {BUTTONS[1]['payload']}")

    await keys.tab_to("#text")
    await page.keyboard.type(TYPED)
    await keys.tab_to("#controls button:not([name])")  # Send: the one submit button that is not a choice
    assert (await keys.focused() or {}).get("text") == "Send"
    await keys.screenshot("typed")
    await page.keyboard.press("Enter")
    await expect(page.get_by_text(f"Echo: {TYPED}")).to_be_visible()
    await keys.assert_focus_on(after_reply)
    await keys.screenshot("sent")
    if javascript:
        await assert_announced(page, f"Echo: {TYPED}")

    # A refused answer: focus goes to the error summary, and its link takes focus back to the text box.
    await keys.tab_to("#text")
    await page.keyboard.type("/submit")
    await keys.tab_to("#controls button:not([name])")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("alert")).to_contain_text("Messages can't start with '/'")
    await keys.assert_focus_on("#error-summary")
    await keys.screenshot("refused")
    await keys.tab_to("#error-summary a")
    await page.keyboard.press("Enter")
    await keys.assert_focus_on("#text")
    await expect(page.locator("#text")).to_have_value("/submit")

    assert engine.messages() == [
        "/start_assessment",
        BUTTONS[1]["payload"],
        TYPED,
    ]
    if javascript:
        assert await page.evaluate("window.loadedOnce") is True  # updated in place, never reloaded
    assert len(list(ARTIFACTS.glob(f"keyboard-{keys.label}-*.png"))) >= keys.step
