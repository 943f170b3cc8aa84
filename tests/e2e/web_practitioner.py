"""A practitioner on the web chat pages, driven over HTTP with the pages' own forms, as a browser would.

Knows no question wording: it presses answer buttons (preferring "No", so no concern opens more questions)
and types a marked text at every other question, keeping what was accepted so a test can find it again,
byte for byte, in the right assessment's export.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

import aiohttp

# The buttons that steer rather than answer, the answers that open no more questions, and what to type where
# no button fits: the same for the bench's practitioners (bench/soak.py) as for the tests'.
from bench.chat_reading import CONTROLS, FALLBACKS
from tests.e2e.chat_page import ChatPage, read_chat
from tests.e2e.screening import CARRY_ON, without_intros
from tests.web.web_helpers import csrf_from

PROGRESS_LINE = re.compile(r"^.*question \d+ of \d+.*$", re.MULTILINE)
PATIENCE = 60
REFERENCE = re.compile(r"/chat/(A-[0-9A-Z]{6})")


@dataclass
class WebPractitioner:
    client: aiohttp.ClientSession
    typed: dict[str, list[str]] = field(default_factory=dict)  # reference -> accepted typed answers
    turns: int = 0
    marker: str = ""  # put in every typed answer, for a test that looks for typed text where it must not be

    # Told "try again in a minute" (503: the database restarting, bot.web.store_down), try again a second
    # later, a few times, as a person would; otherwise a 503 fails the test like any other status.
    patient: bool = False

    async def get(self, path: str) -> str:
        for _ in range(PATIENCE if self.patient else 1):
            async with self.client.get(path) as response:
                if response.status == 503 and self.patient:
                    await asyncio.sleep(1)
                    continue
                assert response.status == 200, (path, response.status, await response.text())
                return await response.text()
        raise AssertionError(f"{path}: still 503 after {PATIENCE} tries")

    async def post(self, path: str, form_token: str | None = None, **fields: str) -> aiohttp.ClientResponse:
        """Post a form with `form_token`, the token of the page the form is on, as a browser does; without
        one (or to try again after a 503), the chat home page is fetched for it."""
        for attempt in range(PATIENCE if self.patient else 1):
            token = form_token if form_token and not attempt else csrf_from(await self.get("/chat"))
            response = await self.client.post(
                path, data={"csrf_token": token, **fields}, allow_redirects=False
            )
            await response.read()
            if response.status != 503 or not self.patient:
                return response
            await asyncio.sleep(1)
        raise AssertionError(f"{path}: still 503 after {PATIENCE} tries")

    async def start_new(self) -> str:
        response = await self.post("/chat/start")
        assert response.status == 303, await response.text()
        found = REFERENCE.search(response.headers["Location"])
        assert found, response.headers["Location"]
        return found.group(1)

    async def page(self, reference: str) -> ChatPage:
        return read_chat(await self.get(f"/chat/{reference}"))

    async def press(self, reference: str, title: str, chat: ChatPage | None = None) -> aiohttp.ClientResponse:
        """Choose the option `title`: its button, or at a multiple choice question, its box and Continue; on
        `chat`, the page as just read, else it is read first."""
        chat = chat or await self.page(reference)
        self.turns += 1
        tick = chat.tick(title)
        send = f"/chat/{reference}/send"
        if tick is not None:
            return await self.post(
                send, chat.form_token, chosen=tick, seen=chat.seen or "", text="", **{"continue": "1"}
            )
        button = chat.button(title)
        return await self.post(send, chat.form_token, button=button, seen=chat.seen or "", text="")

    async def type(self, reference: str, text: str, chat: ChatPage | None = None) -> aiohttp.ClientResponse:
        chat = chat or await self.page(reference)
        self.turns += 1
        return await self.post(f"/chat/{reference}/send", chat.form_token, text=text, seen=chat.seen or "")

    async def danger(self, reference: str) -> aiohttp.ClientResponse:
        return await self.post(f"/chat/{reference}/danger")

    async def answer(self, reference: str, chat: ChatPage | None = None) -> ChatPage | None:
        """Answer whatever the assessment asks now (on `chat`, the page as just read, else it is read first):
        a button if it offers answers, else marked text. The page as read after a typed answer was taken,
        which asks the next question (None after a button: its reply is not read here)."""
        chat = chat or await self.page(reference)
        answers = [title for _, title in (*chat.ticks, *chat.buttons) if title not in CONTROLS]
        if answers:
            # At the end of the screening, carry on: this walker goes through the whole assessment.
            choice = next(
                (t for t in answers if t in {"No", "No, not yet", "None of these that I know of", CARRY_ON}),
                None,
            )
            response = await self.press(reference, choice or answers[0], chat)
            assert response.status == 303, await response.text()
            return None
        asked = _progress(chat)
        marked = f"[{reference}] {self.marker}" if self.marker else f"[{reference}]"
        text = f'{marked} answer {self.turns}: she said "not again" 😟\r\nand left.  '
        for attempt in (text, *FALLBACKS):
            response = await self.type(reference, attempt, chat=chat)
            assert response.status == 303, await response.text()
            chat = await self.page(reference)
            if _progress(chat) != asked or any(t == "Submit to my lead" for _, t in chat.buttons):
                if attempt == text:
                    self.typed.setdefault(reference, []).append(text)
                return chat
        raise AssertionError(f"no answer accepted for: {asked}")

    async def answer_until_summary(self, reference: str, limit: int = 400) -> None:
        # Each page is read once and answered from, as a person reads it: every extra read of an unchanged
        # page cost the app and the database a request (a screening was five requests a turn, now two).
        chat = None
        for _ in range(limit):
            chat = chat or await self.page(reference)
            if any(title == "Submit to my lead" for _, title in chat.buttons):
                return
            chat = await self.answer(reference, chat)
        raise AssertionError("the assessment should reach its summary")

    async def submit(self, reference: str) -> None:
        response = await self.press(reference, "Submit to my lead")
        assert response.status == 303, await response.text()


def _progress(chat: ChatPage) -> str | None:
    """The question asked, whole (progress line and wording): follow-ups of one question share a progress
    line ("question 1 of 3, follow-up"), so the line alone cannot tell an answer was taken."""
    found = PROGRESS_LINE.findall(chat.latest_bot_text) if chat.turns else []
    # Asked again after a reply it could not read, a question comes without its section's introduction.
    return without_intros(chat.latest_bot_text) if found else None
