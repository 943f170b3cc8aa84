"""One simulated practitioner for bench/soak.py: signs in through the form with a cookie jar of its own and
walks screenings on the web chat pages, as a browser would, with think time between messages.

It knows no question's wording: it presses an answer button (preferring "No", so no concern opens more
questions), types a marked answer at every other question, sends each screening to the lead at its end and
starts another, until the deadline. A message is the form's POST and the GET of the page it redirects to;
the reply time is both together, what a person waits for. Nothing a page holds can crash it: a failure is
counted by kind, and the walker reads the page again and carries on, as a person would.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field

import aiohttp

from bench.chat_reading import (
    CONTROLS,
    FALLBACKS,
    PREFERRED,
    REFERENCE,
    SEND_NOW,
    SEND_REQUEST,
    ChatPage,
    progress,
    read_chat,
)

TURNS_PER_SCREENING = 80  # far more than a screening has; past it the walk is stuck
ERRORS_BEFORE_GIVING_UP = 5  # in a row, on one screening: start another
SIGN_IN_TRIES = 60  # a 429 (password checks per second) is retried after a second, as a person would


@dataclass
class Tally:
    """What every walker adds to; asyncio runs them on one thread, so no lock is needed."""

    replies: list[tuple[float, float]] = field(default_factory=list)  # (monotonic time sent, seconds)
    errors: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)  # expected events: sign-in 429s retried, refusals
    typed: dict[str, list[str]] = field(default_factory=dict)  # reference -> typed answers the page took
    started: list[str] = field(default_factory=list)
    sent_to_lead: list[str] = field(default_factory=list)


class Failed(Exception):
    """A request that did not get the expected answer: its kind is the error's name in the tally."""


@dataclass
class Walker:
    client: aiohttp.ClientSession
    tally: Tally
    rng: random.Random
    marker: str  # in every typed answer: this run and this walker
    think: tuple[float, float]
    deadline: float  # monotonic
    page: ChatPage = field(default_factory=ChatPage)  # the page as last loaded
    body: str = ""
    typed_count: int = 0

    async def request(self, method: str, path: str, expect: int, **data: str) -> aiohttp.ClientResponse:
        try:
            response = await self.client.request(method, path, data=data or None, allow_redirects=False)
            await response.read()
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            raise Failed(f"{method} {type(error).__name__}") from None
        if response.status != expect:
            where = "sign-in page" if "/sign-in" in response.headers.get("Location", "") else ""
            raise Failed(f"{method} HTTP {response.status} {where}".strip())
        return response

    async def sign_in(self, username: str, password: str) -> None:
        for _ in range(SIGN_IN_TRIES):
            token = _csrf(await (await self.request("GET", "/sign-in", 200)).text())
            response = await self.client.post(
                "/sign-in",
                data={"username": username, "password": password, "csrf_token": token},
                allow_redirects=False,
            )
            await response.read()
            if response.status == 303:
                return
            if response.status != 429:
                raise Failed(f"sign-in HTTP {response.status}")
            self.tally.notes["sign-in refused for now (429), retried"] += 1
            await asyncio.sleep(1 + self.rng.random())
        raise Failed("sign-in still 429")

    async def load(self, reference: str) -> ChatPage:
        self.body = await (await self.request("GET", f"/chat/{reference}", 200)).text()
        self.page = read_chat(self.body)
        return self.page

    async def send(self, reference: str, **fields: str) -> ChatPage:
        """One message: the chat form's POST and the page it leads to, timed together."""
        data = {"csrf_token": _csrf(self.body), "seen": self.page.seen or "", "text": "", **fields}
        sent = time.monotonic()
        try:
            await self.request("POST", f"/chat/{reference}/send", 303, **data)
            page = await self.load(reference)
        finally:
            self.tally.replies.append((sent, time.monotonic() - sent))
        return page

    async def think_a_while(self) -> None:
        pause = self.rng.uniform(*self.think)
        await asyncio.sleep(max(0.0, min(pause, self.deadline - time.monotonic())))

    async def start_screening(self) -> str:
        body = await (await self.request("GET", "/chat", 200)).text()
        response = await self.request("POST", "/chat/start", 303, csrf_token=_csrf(body))
        found = REFERENCE.search(response.headers.get("Location", ""))
        if not found:
            raise Failed("start: no assessment in the redirect")
        self.tally.started.append(found.group(1))
        await self.load(found.group(1))
        return found.group(1)

    async def step(self, reference: str) -> bool:
        """Answer what the page asks now; True once the screening has been sent to the lead."""
        titles = self.page.titles
        if SEND_REQUEST in titles:
            await self.press(reference, SEND_REQUEST)
            self.tally.sent_to_lead.append(reference)
            return True
        if SEND_NOW in titles:
            await self.press(reference, SEND_NOW)
            return False
        answers = [title for title in titles if title not in CONTROLS]
        if answers:
            await self.press(reference, next((t for t in answers if t in PREFERRED), answers[0]))
            return False
        await self.type_answer(reference)
        return False

    async def press(self, reference: str, title: str) -> None:
        tick, button = self.page.tick(title), self.page.button(title)
        if tick is not None:
            await self.send(reference, chosen=tick, **{"continue": "1"})
        elif button is not None:
            await self.send(reference, button=button)
        else:
            raise Failed(f"no button {title!r}")

    async def type_answer(self, reference: str) -> None:
        """A marked answer; if the question asks again (a refusal), a date, then an age, then Skip. Whether
        the page took it is read from the page afterwards, even if the POST failed: a reply that timed out
        may still have been stored, and the check at the end must expect it."""
        asked = progress(self.page)
        self.typed_count += 1
        text = (
            f'[{reference}] {self.marker} answer {self.typed_count}: she said "not again" 😟\r\nand left.  '
        )
        for attempt in (text, *FALLBACKS):
            try:
                after = await self.send(reference, text=attempt)
            except Failed:
                after = await self.load(reference)
                if progress(after) == asked:
                    raise
            if progress(after) != asked or any(t == SEND_REQUEST for _, t in after.buttons):
                if attempt == text:
                    self.tally.typed.setdefault(reference, []).append(text)
                return
            self.tally.notes["typed answer asked again"] += 1
            await self.think_a_while()
        if "Skip" in self.page.titles:
            await self.press(reference, "Skip")
            return
        raise Failed("no typed answer accepted")

    async def walk(self) -> None:
        """Screenings, one after another, until the deadline."""
        while time.monotonic() < self.deadline:
            try:
                reference = await self.start_screening()
            except Failed as failure:
                self.tally.errors[f"start: {failure}"] += 1
                await self.think_a_while()
                continue
            await self.walk_one(reference)

    async def walk_one(self, reference: str) -> None:
        errors_in_a_row = 0
        for _ in range(TURNS_PER_SCREENING):
            if time.monotonic() >= self.deadline:
                return
            await self.think_a_while()
            try:
                if await self.step(reference):
                    return
                errors_in_a_row = 0
            except Failed as failure:
                self.tally.errors[str(failure)] += 1
                errors_in_a_row += 1
                if errors_in_a_row >= ERRORS_BEFORE_GIVING_UP:
                    self.tally.errors["screening abandoned after 5 failures in a row"] += 1
                    return
                try:  # read where the conversation is, as a person would reload the page
                    await self.load(reference)
                except Failed as again:
                    self.tally.errors[f"reload: {again}"] += 1
        self.tally.errors[f"screening not sent within {TURNS_PER_SCREENING} turns"] += 1


def _csrf(body: str) -> str:
    start = body.find('name="csrf_token" value="')
    if start < 0:
        raise Failed("page without a form token")
    start += len('name="csrf_token" value="')
    return body[start : body.index('"', start)]


async def practitioner(
    base_url: str,
    username: str,
    password: str,
    tally: Tally,
    *,
    seed: int,
    marker: str,
    think: tuple[float, float],
    deadline: float,
    start_after: float,
) -> None:
    """One practitioner, from sign-in (after `start_after` s, so sign-ins are spread) to the deadline."""
    await asyncio.sleep(start_after)
    jar = aiohttp.CookieJar(unsafe=True)  # one browser, whichever app process answers
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(base_url=base_url, cookie_jar=jar, timeout=timeout) as client:
        walker = Walker(
            client,
            tally,
            random.Random(seed),  # noqa: S311  # think times and choices, not secrets
            marker,
            think,
            deadline,
        )
        try:
            await walker.sign_in(username, password)
        except Failed as failure:
            tally.errors[str(failure)] += 1
            return
        await walker.walk()
