"""Driving the real product's pages in Debian's Chromium: screenshots per test, the keyboard alone, axe-core.

Elements are found the way a person finds them (role, accessible name, label, text), never by CSS class, so
that restyling the pages does not break these tests. axe-core is the one tests/web uses (tests/web/axe.py);
contexts are made with bypass_csp so that its script can be injected (the page's own scripts still run
under the app's CSP).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.async_api import Browser, BrowserContext, Locator, Page

from bot.settings import REPO_ROOT
from tests.web.axe import assert_accessible

MAX_KEY_PRESSES = 60  # a loop guard well above what any page here needs, not a target

# The focused element, and whether its focus indicator can be seen: an outline at least 2px wide in a
# colour that is not transparent, or a box shadow (govuk-frontend draws focus with both).
FOCUS_STATE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) { return null; }
    const style = getComputedStyle(el);
    const clear = (colour) => colour === "transparent" || /rgba\\(.*,\\s*0\\)$/.test(colour);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
        && !clear(style.outlineColor);
    let shadow = style.boxShadow !== "none" && style.boxShadow !== "";
    // A GOV.UK checkbox or radio input is transparent on purpose: its focus ring is drawn by its label's
    // ::before box (govuk-frontend's focus state), which is what a person sees.
    if (!shadow && /govuk-(checkboxes|radios)__input/.test(el.className) && el.labels && el.labels.length) {
        const ring = getComputedStyle(el.labels[0], "::before").boxShadow;
        shadow = ring !== "none" && ring !== "";
    }
    return {
        tag: el.tagName.toLowerCase(), role: el.getAttribute("role"), name: el.getAttribute("name"),
        text: (el.value || el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 100),
        visible: outline || shadow, outline: style.outline, boxShadow: style.boxShadow,
    };
}"""


async def new_context(browser: Browser, *, javascript: bool = True) -> BrowserContext:
    return await browser.new_context(
        java_script_enabled=javascript, bypass_csp=True, accept_downloads=True, locale="en-GB"
    )


DOCS_SCREENSHOTS = REPO_ROOT / "docs" / "images" / "screenshots.yaml"


@cache
def docs_images() -> dict[str, str]:
    """`<test folder>/<step file>` -> the name a role guide links it by (docs/images/screenshots.yaml)."""
    listed = yaml.safe_load(DOCS_SCREENSHOTS.read_text(encoding="utf-8"))["images"]
    return {step: name for name, step in listed.items()}


# What Playwright's page.screenshot does before it captures (fonts loaded, carets hidden so that a blinking
# one does not differ between runs, the full page's size), in one call; RESTORE_CARETS puts the carets back.
PREPARE_FOR_PNG = """async () => {
    await document.fonts.ready;
    window.__shotCarets = Array.from(document.querySelectorAll("input,textarea,[contenteditable]"), (el) => {
        const style = el.style;
        const was = [el, style.getPropertyValue("caret-color"), style.getPropertyPriority("caret-color")];
        style.setProperty("caret-color", "transparent", "important");
        return was;
    });
    const body = document.body, root = document.documentElement;
    return {
        width: Math.max(body.scrollWidth, root.scrollWidth, body.offsetWidth, root.offsetWidth,
            body.clientWidth, root.clientWidth),
        height: Math.max(body.scrollHeight, root.scrollHeight, body.offsetHeight, root.offsetHeight,
            body.clientHeight, root.clientHeight),
    };
}"""
RESTORE_CARETS = """() => {
    for (const [el, value, priority] of window.__shotCarets || []) {
        el.style.setProperty("caret-color", value, priority);
    }
    delete window.__shotCarets;
}"""


async def fast_png(page: Page, *, full_page: bool) -> bytes:
    """The picture page.screenshot takes, PNG-encoded by Chromium for speed rather than size.

    Playwright's screenshots ask for Chromium's smallest PNG: over the four keyboard walks (some 120
    pictures) Chromium's browser process used 22-23 CPU s with it and 16-17 s with this (process
    accounting). The pixels are the same (PNG is lossless, and carets are hidden as page.screenshot hides
    them); the files, ignored by git, are larger (up to three times). The role guides' pictures are
    committed, so `make docs-screenshots` keeps page.screenshot (Shots.take).
    """
    cdp = await page.context.new_cdp_session(page)
    try:
        size = await page.evaluate(PREPARE_FOR_PNG)
        params: dict[str, Any] = {"format": "png", "optimizeForSpeed": True}
        viewport = page.viewport_size
        fits = (
            viewport is not None
            and size["width"] <= viewport["width"]
            and size["height"] <= viewport["height"]
        )
        if full_page and not fits:
            params |= {"clip": {"x": 0, "y": 0, **size, "scale": 1}, "captureBeyondViewport": True}
        try:
            shot = await cdp.send("Page.captureScreenshot", params)
        finally:
            await page.evaluate(RESTORE_CARETS)
    finally:
        await cdp.detach()
    return base64.b64decode(shot["data"])


class Shots:
    """Numbered screenshots of one test's steps, in test-artifacts/<test name>/ (ignored by git).

    With BOT_DOCS_SCREENSHOTS set to a folder (`make docs-screenshots`: docs/images), a step that the role
    guides show (docs/images/screenshots.yaml) is also written there under the name the guides link, so the
    guides' pictures are the browser tests' own.
    """

    def __init__(self, request: pytest.FixtureRequest) -> None:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
        self.folder: Path = REPO_ROOT / "test-artifacts" / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.iterdir():
            if old.is_file():
                old.unlink()  # this run's artefacts only
        self.count = 0

    async def take(self, page: Page, step: str, *, full_page: bool = True) -> Path:
        """A picture of the whole page, or (`full_page=False`) of what is scrolled into view."""
        self.count += 1
        path = self.folder / f"{self.count:02d}-{re.sub(r'[^A-Za-z0-9_-]+', '-', step).strip('-')[:60]}.png"
        if os.environ.get("BOT_DOCS_SCREENSHOTS"):
            await page.screenshot(path=str(path), full_page=full_page)
        else:
            path.write_bytes(await fast_png(page, full_page=full_page))
        self._for_the_guides(path)
        return path

    def _for_the_guides(self, path: Path) -> None:
        folder = os.environ.get("BOT_DOCS_SCREENSHOTS")
        name = docs_images().get(f"{self.folder.name}/{path.name}")
        if folder and name:
            target = Path(folder) if Path(folder).is_absolute() else REPO_ROOT / folder
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / name)


class Axe:
    """axe-core on each distinct page state (the first time a state is met), failing on serious or critical
    violations.

    axe-core is a script, so it cannot run in a page with JavaScript off. Such a page is checked as a
    snapshot: its DOM as Chromium built it without scripts, served at a made-up address on the app's own
    origin (so its style sheets load) to a page of `checker`, a context with JavaScript on in which the app's
    own scripts are blocked. What axe sees is what the page without JavaScript shows.
    """

    SNAPSHOT_PATH = "/__axe-snapshot-of-a-page-without-javascript__"

    def __init__(self, checker: BrowserContext | None = None) -> None:
        self.checked: list[str] = []
        self._checker = checker
        self._checker_page: Page | None = None
        self._snapshot = ""

    async def check(self, page: Page, state: str) -> None:
        if state in self.checked:
            return
        if self._checker is None:
            await assert_accessible(page, state)
        else:
            await assert_accessible(await self._as_snapshot(page), f"{state}, without JavaScript")
        self.checked.append(state)

    async def _as_snapshot(self, page: Page) -> Page:
        assert self._checker is not None
        if self._checker_page is None:
            await self._checker.route("**/*.js", lambda route: route.abort())
            await self._checker.route(
                f"**{self.SNAPSHOT_PATH}",
                lambda route: route.fulfill(body=self._snapshot, content_type="text/html; charset=utf-8"),
            )
            self._checker_page = await self._checker.new_page()
        origin = re.match(r"https?://[^/]+", page.url)
        assert origin, page.url
        self._snapshot = await page.content()
        await self._checker_page.goto(origin.group(0) + self.SNAPSHOT_PATH)
        return self._checker_page


# Whether focus has reached the target, which way to Tab if not, and the focused element's state (FOCUS_STATE)
# from one call: with the key press, two round trips per press instead of four, each of which crossed Python,
# Playwright's driver and the renderer, and two of which resolved the target's role locator again.
REACH_STATE = (
    """(elements) => {
    const active = document.activeElement;
    const reached = elements.includes(active);
    const backwards = !reached && elements.length > 0 && Boolean(active) && active !== document.body
        && Boolean(active.compareDocumentPosition(elements[0]) & Node.DOCUMENT_POSITION_PRECEDING);
    return {found: elements.length > 0, reached, backwards, focused: ("""
    + FOCUS_STATE
    + """)()};
}"""
)


class Keyboard:
    """Moves focus with Tab and Shift+Tab only, and checks that focus can be seen wherever it lands."""

    def __init__(self, page: Page) -> None:
        self.page = page

    async def focused(self) -> dict[str, Any] | None:
        return await self.page.evaluate(FOCUS_STATE)

    async def has_focus(self, target: Locator) -> bool:
        return await target.evaluate_all("(elements) => elements.includes(document.activeElement)")

    async def reach(self, target: Locator) -> None:
        """Tab (or Shift+Tab, when the target comes before the focused element) until `target` has focus,
        then check that its focus can be seen."""
        path = []  # the focused element after each key press, for the failure message
        for presses in range(MAX_KEY_PRESSES + 1):
            state = await self._reach_state(target)
            if presses:
                path.append(state["focused"])
            if state["reached"]:
                self._assert_visible(state["focused"])
                return
            if presses == MAX_KEY_PRESSES:
                break
            await self.page.keyboard.press("Shift+Tab" if state["backwards"] else "Tab")
        raise AssertionError(f"the keyboard never reached {target}; focus went through {path}")

    async def _reach_state(self, target: Locator) -> dict[str, Any]:
        state: dict[str, Any] = await target.evaluate_all(REACH_STATE)
        if not state["found"]:
            # Not on the page (yet): wait for it as a locator does, rather than Tab through a page without it.
            await target.first.wait_for(state="attached")
            state = await target.evaluate_all(REACH_STATE)
        return state

    async def assert_focus_visible(self) -> None:
        self._assert_visible(await self.focused())

    @staticmethod
    def _assert_visible(state: dict[str, Any] | None) -> None:
        assert state is not None, "nothing has focus"
        assert state["visible"], f"focus cannot be seen: {state}"
