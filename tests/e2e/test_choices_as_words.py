"""Issue #26 item 6 with the real engine, in Chromium: what was ticked is shown as its words, everywhere.

A practitioner signs in and answers the screening on the web chat page: at "Which of these describe what you
noticed?" they type the options' numbers ("1, 3"), and at two "Choose all that apply" questions they tick
several boxes and choose Continue once. They answer the rest of the assessment (over HTTP with the pages'
own forms) and reach "Check your answers", which shows each of these answers as the options' labels from the
question bank, and submit. Their lead opens the case page, the JSON export and the PDF: each shows the
labels and never the numbers; the JSON keeps what was typed in `text` beside `shown`.

The PDF's text is read from the served file itself: its content streams, decoded through the fonts' own
ToUnicode maps (no PDF reader is installed). Screenshots of every step are in test-artifacts/<test name>/.
"""

from __future__ import annotations

import re
import secrets
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import pytest
from playwright.async_api import Browser, BrowserContext, Locator, Page, expect

from bot.questions import Question
from tests.e2e.browser import Shots, new_context
from tests.e2e.chat_page import BOT_PREFIX
from tests.e2e.conftest import Product, failed
from tests.e2e.screening import bank, is_screening_over, plan_for
from tests.e2e.web_practitioner import WebPractitioner
from tests.web.web_helpers import sign_in

NUMBERED = "concern_kinds"
TYPED_NUMBERS = "1, 3"
TICKED = {
    "other_needs": ("Criminal exploitation or gangs", "Domestic abuse", "Bereavement or trauma"),
    "protective_factors": ("An adult they trust and talk to", "Supportive family"),
}
MAX_SCREENING_TURNS = 40  # a loop guard well above the screening's length, not a target


def question(question_id: str) -> Question:
    return bank().question(question_id)


def words_of(question_id: str, labels: tuple[str, ...]) -> str:
    """The labels as a reader should see them: in the bank's order, joined by ", "."""
    return ", ".join(c.label for c in question(question_id).choices if c.label in labels)


NUMBERED_LABELS = tuple(question(NUMBERED).choices[int(n) - 1].label for n in TYPED_NUMBERS.split(", "))
EXPECTED = {NUMBERED: words_of(NUMBERED, NUMBERED_LABELS)} | {q: words_of(q, t) for q, t in TICKED.items()}


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Shots:
    return Shots(request)


@pytest.fixture
async def contexts(
    request: pytest.FixtureRequest, browser: Browser, shots: Shots
) -> AsyncIterator[Callable[[], Awaitable[Page]]]:
    """A new page in a browser context of its own (one person each); a failed test's pages are kept."""
    opened: list[BrowserContext] = []

    async def new_page() -> Page:
        opened.append(await new_context(browser))
        return await opened[-1].new_page()

    yield new_page
    for number, context in enumerate(opened):
        if failed(request):
            for page in context.pages:
                await shots.take(page, f"failed-here-{number}")
        await context.close()


async def newest_bot_text(page: Page) -> str:
    texts = await page.get_by_role("log").get_by_role("listitem").all_text_contents()
    bot = [t.strip().removeprefix(BOT_PREFIX).strip() for t in texts if t.strip().startswith(BOT_PREFIX)]
    assert bot, "the conversation shows no bot message"
    return bot[-1]


async def send_and_wait(page: Page, control: Locator) -> str:
    """Choose `control` and wait for the practitioner's turn and the bot's reply after it."""
    messages = page.get_by_role("log").get_by_role("listitem")
    shown = await messages.count()
    await control.click()
    await expect(messages.nth(shown + 1)).to_be_attached()
    await page.wait_for_load_state()
    return await newest_bot_text(page)


async def answer_the_screening(page: Page, shots: Shots) -> None:
    """Every screening question, as planned in tests/e2e/screening.py, but with several boxes ticked and
    one Continue at the TICKED questions."""
    message = await newest_bot_text(page)
    for _ in range(MAX_SCREENING_TURNS):
        if is_screening_over(message):
            return
        planned = plan_for(message)
        boxes = page.get_by_role("group", name="Choose all that apply")
        if planned.question_id in TICKED:
            for label in TICKED[planned.question_id]:
                await boxes.get_by_label(label, exact=True).check()
            await shots.take(page, f"{planned.question_id}-ticked")
            message = await send_and_wait(page, page.get_by_role("button", name="Continue", exact=True))
        elif planned.button is not None and await boxes.count():
            await boxes.get_by_label(planned.button, exact=True).check()
            message = await send_and_wait(page, page.get_by_role("button", name="Continue", exact=True))
        elif planned.button is not None:
            group = page.get_by_role("group", name="Choose an answer")
            message = await send_and_wait(page, group.get_by_role("button", name=planned.button, exact=True))
        else:
            await page.get_by_role("textbox").fill(planned.typed or "")
            if planned.question_id == NUMBERED:
                await shots.take(page, f"{planned.question_id}-numbers")
            message = await send_and_wait(page, page.get_by_role("button", name="Send", exact=True))
    raise AssertionError(f"the screening should end within {MAX_SCREENING_TURNS} answers")


def summary_answer(summary: str, question_id: str) -> str:
    """The answer "Check your answers" shows under one question ("N. <question>\n   <answer>")."""
    match = re.search(rf"\d+\. {re.escape(question(question_id).text)}\n\s*(.+)", summary)
    assert match, f"{question_id} is not in the summary:\n{summary}"
    return match.group(1).strip()


def pdf_text(pdf: bytes) -> str:
    """The text shown in a PDF WeasyPrint wrote: every text-showing operator's glyphs, through the fonts'
    ToUnicode maps (the subsets share the fonts' glyph numbering; a glyph mapped two ways fails the test)."""
    streams = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            streams.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    glyphs: dict[str, str] = {}
    for stream in streams:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.DOTALL):
            for glyph, text in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                char = bytes.fromhex(text.decode()).decode("utf-16-be")
                assert glyphs.setdefault(glyph.decode().lower(), char) == char, "glyphs mapped two ways"
    lines = []
    for stream in streams:
        # An array holds no "]" (hex strings and numbers only): a lazy ".*?" here rescanned the embedded
        # fonts' binary streams from every "[" to each later "]" (20 CPU s for one PDF).
        for shown in re.findall(rb"\[([^\]]*)\]\s*TJ", stream):
            codes = b"".join(re.findall(rb"<([0-9a-fA-F]+)>", shown)).decode().lower()
            lines.append("".join(glyphs.get(codes[i : i + 4], "") for i in range(0, len(codes), 4)))
    return " ".join(" ".join(lines).split())


async def test_ticked_and_numbered_choices_are_shown_as_their_words(
    product: Product, contexts: Callable[[], Awaitable[Page]], shots: Shots
) -> None:
    base = product.settings.app_url
    team = f"Choices team {secrets.token_hex(3)}"
    lead, lead_password, _ = product.new_user(
        "lead", team, email=f"lead-{secrets.token_hex(3)}@example.invalid"
    )
    username, password, _ = product.new_user("practitioner", team)

    # The practitioner, in the browser: the screening, with numbers typed and boxes ticked.
    page = await contexts()
    await page.goto(f"{base}/sign-in")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Your assessments")).to_be_visible()
    await page.get_by_role("button", name="Start a new screening").click()
    await expect(page.get_by_role("log").get_by_role("listitem").first).to_be_attached()
    reference = re.search(r"/chat/(A-[0-9A-Z]{6})", page.url)
    assert reference, page.url
    await answer_the_screening(page, shots)
    await shots.take(page, "screening-done")
    for ticked in TICKED.values():  # each tick list went as one message: the chat shows what was chosen
        await expect(page.get_by_role("log")).to_contain_text(", ".join(ticked))

    # The rest of the assessment, over HTTP with the pages' own forms, to "Check your answers".
    async with aiohttp.ClientSession(base_url=base, cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        assert (await sign_in(client, username, password)).status == 303
        await WebPractitioner(client).answer_until_summary(reference.group(1))

    await page.reload()
    summary = await newest_bot_text(page)
    await shots.take(page, "check-your-answers")
    assert summary.startswith("Check your answers"), summary
    for question_id, words in EXPECTED.items():
        assert summary_answer(summary, question_id) == words, question_id
    await send_and_wait(page, page.get_by_role("button", name="Submit to my lead", exact=True))
    await shots.take(page, "submitted")

    # The lead: the case page, the JSON export and the PDF.
    lead_page = await contexts()
    await lead_page.goto(f"{base}/sign-in")
    await lead_page.get_by_label("Username").fill(lead)
    await lead_page.get_by_label("Password").fill(lead_password)
    await lead_page.get_by_role("button", name="Sign in").click()
    await lead_page.goto(f"{base}/cases")
    await lead_page.get_by_role("link", name=reference.group(1), exact=True).click()
    await expect(lead_page.get_by_role("heading", name=f"Case {reference.group(1)}")).to_be_visible()
    await shots.take(lead_page, "case-page")
    case_path = re.search(r"/cases/\d+", lead_page.url)
    assert case_path, lead_page.url
    shown = " ".join((await lead_page.get_by_role("main").inner_text()).split())
    for words in EXPECTED.values():
        assert words in shown
    assert TYPED_NUMBERS not in shown

    exported = await lead_page.request.get(f"{base}{case_path.group(0)}/export.json")
    assert exported.status == 200
    answers = {a["question_id"]: a["revisions"][-1] for a in (await exported.json())["answers"]}
    assert (answers[NUMBERED]["text"], answers[NUMBERED]["shown"]) == (TYPED_NUMBERS, EXPECTED[NUMBERED])
    for question_id, ticked in TICKED.items():
        assert answers[question_id]["shown"] == EXPECTED[question_id]
        assert answers[question_id]["text"] == ", ".join(ticked)  # the boxes went as their labels

    printed = await lead_page.request.get(f"{base}{case_path.group(0)}/export.pdf")
    assert printed.status == 200
    pdf = await printed.body()
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert reference.group(1) in text, text[:500]  # the text was read at all
    # The record, then the transcript: the transcript keeps every message verbatim, numbers included.
    record, transcript = re.split(r" Transcript (?!turn \d)", text, maxsplit=1)
    for words in EXPECTED.values():
        assert words in record
    assert TYPED_NUMBERS not in record
    assert TYPED_NUMBERS in transcript
