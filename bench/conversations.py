"""Scripted clients that talk to an engine's REST channel the way our gateway does, and time each message.

The product client knows nothing of the wording: it reads only the buttons. Choice buttons are pressed
(payload only, as the gateway sends a button); a question without choices gets typed text (with the
`typed_text` metadata the gateway adds). A refusal is recognised structurally: the bot asks the very same
question again. Nothing a reply contains can crash the client; oddities are counted instead.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench.phrases import ATTEMPT_KINDS, DATES, MOODBOT_MESSAGES, NUMBERS, SENTENCES
from bot.chat.hop_signature import HEADER, sign

NAVIGATION = frozenset(
    {"/go_back", "/skip", "/help", "/pause", "/stop", "/submit", "/resume", "/start_assessment"}
)
KEEP_ANSWER = "Keep my answer"
OCCASIONAL = ("/help", "/skip", "/go_back")  # one of these every `nav_every` turns, in this order
MAX_CONSECUTIVE_ERRORS = 5  # a dead engine ends the conversation instead of costing turns x timeout


@dataclass
class Conversation:
    """Everything measured for one conversation; latencies are in turn order, in seconds."""

    sender: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0  # HTTP error, timeout, connection failure, body that is not a JSON list
    empty_replies: int = 0  # 200 with no messages at all
    refusals: int = 0  # an answer was not accepted: the same question came back
    unexpected: int = 0  # a reply with no question in it (nothing to press, nowhere to type)
    typed: int = 0
    pressed: int = 0
    navigation: int = 0
    submitted: bool = False
    gave_up: str | None = None
    error_samples: list[str] = field(default_factory=list)
    refusal_samples: list[dict[str, str]] = field(default_factory=list)
    unexpected_samples: list[str] = field(default_factory=list)

    def note_error(self, what: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 3:
            self.error_samples.append(what[:300])


class Client:
    """One shared aiohttp session per target; each call is timed from POST to the whole body parsed."""

    def __init__(self, session: aiohttp.ClientSession, webhook: str, signing_key: bytes = b"") -> None:
        self.session = session
        self.webhook = webhook
        # Our engine takes only messages signed with the app's engine token (bot.chat.hop_signature).
        self.signing_key = signing_key

    async def send(self, conv: Conversation, body: dict[str, Any]) -> list[dict[str, Any]] | None:
        """Post one message; None if it failed (counted). The latency is recorded either way."""
        data = json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if self.signing_key:
            headers[HEADER] = sign(self.signing_key, data)
        started = time.perf_counter()
        try:
            async with self.session.post(self.webhook, data=data, headers=headers) as response:
                raw = await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            conv.latencies.append(time.perf_counter() - started)
            conv.note_error(f"{type(error).__name__}: {error}")
            return None
        conv.latencies.append(time.perf_counter() - started)
        if status != 200:
            conv.note_error(f"HTTP {status}: {raw[:200]!r}")
            return None
        try:
            replies = json.loads(raw)
        except ValueError:
            conv.note_error(f"not JSON: {raw[:200]!r}")
            return None
        if not isinstance(replies, list) or not all(isinstance(r, dict) for r in replies):
            conv.note_error(f"not a list of messages: {raw[:200]!r}")
            return None
        if not replies:
            conv.empty_replies += 1
        return replies

    async def type(self, conv: Conversation, text: str) -> list[dict[str, Any]] | None:
        conv.typed += 1
        return await self.send(
            conv, {"sender": conv.sender, "message": text, "metadata": {"typed_text": text}}
        )

    async def press(self, conv: Conversation, payload: str) -> list[dict[str, Any]] | None:
        conv.pressed += 1
        return await self.send(conv, {"sender": conv.sender, "message": payload})


def buttons_of(replies: list[dict[str, Any]]) -> list[dict[str, str]]:
    found = []
    for reply in replies:
        for button in reply.get("buttons") or []:
            if isinstance(button, dict) and isinstance(button.get("payload"), str):
                found.append({"title": str(button.get("title") or ""), "payload": button["payload"]})
    return found


def choices_of(replies: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Answer buttons. Any other payload starting with "/" is a control too: the product's "Someone is in
    danger now" button (/report_danger) is the danger interrupt this client must not set off."""
    return [
        b
        for b in buttons_of(replies)
        if b["payload"] not in NAVIGATION and not b["payload"].startswith("/") and b["title"] != KEEP_ANSWER
    ]


def text_of(replies: list[dict[str, Any]]) -> str:
    return "\n".join(str(r.get("text") or "") for r in replies)


def question_of(replies: list[dict[str, Any]]) -> str | None:
    """The question being asked: the last message that carries buttons (the bot asks with its controls)."""
    for reply in reversed(replies):
        if reply.get("buttons"):
            return str(reply.get("text") or "")
    return None


def asks_for_typing(replies: list[dict[str, Any]], payloads: set[str]) -> bool:
    """A question with no choices and no "Skip" (a required free-text question) still wants typed text. A
    reply that offers to carry on ("/resume", after a pause or stop) asks nothing: the client resumes."""
    return question_of(replies) is not None and not payloads & {"/resume", "/start_assessment"}


def pick_choice(
    choices: list[dict[str, str]], replies: list[dict[str, Any]], rng: random.Random
) -> dict[str, str]:
    if "immediate danger" in text_of(replies).lower():
        safe = [c for c in choices if c["title"].strip().lower() != "yes"]
        choices = safe or choices
    return rng.choice(choices)


def free_text(kind: str, rng: random.Random) -> str:
    pool = {"date": DATES, "number": NUMBERS}.get(kind, SENTENCES)
    return rng.choice(pool)


async def our_conversation(
    client: Client, conv: Conversation, turns: int, rng: random.Random, nav_every: int
) -> None:
    """Press "/start_assessment", then answer whatever is asked, until `turns` messages or a submit button."""
    replies = await client.press(conv, "/start_assessment")
    asked = question_of(replies or [])
    attempt = 0  # refusals of the current free-text question so far
    consecutive_errors = 0 if replies is not None else 1
    occasional = 0
    last_sent = "/start_assessment"
    while len(conv.latencies) < turns:
        if replies is None:
            if consecutive_errors >= MAX_CONSECUTIVE_ERRORS:
                conv.gave_up = f"{consecutive_errors} failed messages in a row"
                return
            replies = await client.press(conv, "/resume")  # ask the bot where we are
            consecutive_errors = consecutive_errors + 1 if replies is None else 0
            asked = question_of(replies or [])
            continue
        payloads = {b["payload"] for b in buttons_of(replies)}
        if "/submit" in payloads:
            await client.press(conv, "/submit")
            conv.submitted = True
            return
        turn = len(conv.latencies)
        choices = choices_of(replies)
        if nav_every and turn % nav_every == 0 and OCCASIONAL[occasional % len(OCCASIONAL)] in payloads:
            sent, was_answer = OCCASIONAL[occasional % len(OCCASIONAL)], False
            occasional += 1
            conv.navigation += 1
            new = await client.press(conv, sent)
        elif attempt >= len(ATTEMPT_KINDS) and "/skip" in payloads:  # refused every kind of answer: move on
            conv.navigation += 1
            sent, was_answer = "/skip", False
            new = await client.press(conv, sent)
        elif choices:
            sent, was_answer = pick_choice(choices, replies, rng)["payload"], True
            new = await client.press(conv, sent)
        elif "/skip" in payloads or asks_for_typing(replies, payloads):  # no choices: type an answer
            sent, was_answer = free_text(ATTEMPT_KINDS[attempt % len(ATTEMPT_KINDS)], rng), True
            new = await client.type(conv, sent)
        else:  # no question in the reply (paused, stopped, an error message): ask to carry on
            conv.unexpected += 1
            if len(conv.unexpected_samples) < 3:
                conv.unexpected_samples.append(
                    f"after {last_sent!r}: " + json.dumps(replies, ensure_ascii=False)[:400]
                )
            sent, was_answer = "/resume", False
            new = await client.press(conv, sent)
        if new is None:
            consecutive_errors += 1
            replies = None
            continue
        consecutive_errors = 0
        now_asked = question_of(new)
        if was_answer and now_asked is not None and now_asked == asked:
            conv.refusals += 1
            attempt += 1
            if len(conv.refusal_samples) < 5:  # for a person reading the JSON, not for the client's decisions
                said = [str(r.get("text") or "") for r in new if not r.get("buttons")]
                conv.refusal_samples.append({"sent": sent, "reply": " | ".join(said)[:300]})
        elif now_asked != asked:
            attempt = 0
        asked, replies, last_sent = now_asked, new, sent


async def moodbot_conversation(client: Client, conv: Conversation, turns: int, rng: random.Random) -> None:
    """Rasa's default bot: greetings, moods, yes/no and goodbyes, cycling from a seeded starting point."""
    start = rng.randrange(len(MOODBOT_MESSAGES))
    consecutive_errors = 0
    for turn in range(turns):
        replies = await client.type(conv, MOODBOT_MESSAGES[(start + turn) % len(MOODBOT_MESSAGES)])
        consecutive_errors = consecutive_errors + 1 if replies is None else 0
        if consecutive_errors >= MAX_CONSECUTIVE_ERRORS:
            conv.gave_up = f"{consecutive_errors} failed messages in a row"
            return


async def run_conversations(
    webhook: str,
    kind: str,
    senders: list[str],
    *,
    concurrency: int,
    turns: int | Sequence[int],
    seed: int,
    nav_every: int,
    timeout: float,
    signing_key: bytes = b"",
) -> tuple[list[Conversation], float]:
    """Run one scripted conversation per sender, at most `concurrency` at once; returns them and the wall
    time. `turns` is a limit for every conversation, or one per sender. Each conversation has its own RNG
    seeded from (seed, index), so a run is repeatable."""
    limits = [turns] * len(senders) if isinstance(turns, int) else list(turns)
    gate = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=max(concurrency, 1))
    session_timeout = aiohttp.ClientTimeout(total=timeout)
    results = [Conversation(sender=sender) for sender in senders]

    async def one(index: int) -> None:
        rng = random.Random(f"{seed}:{index}")  # noqa: S311  # seeded, repeatable made-up data; nothing secret
        async with gate:
            if kind == "ours":
                await our_conversation(client, results[index], limits[index], rng, nav_every)
            else:
                await moodbot_conversation(client, results[index], limits[index], rng)

    async with aiohttp.ClientSession(connector=connector, timeout=session_timeout) as session:
        client = Client(session, webhook, signing_key)
        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(len(senders))))
        wall = time.perf_counter() - started
    return results, wall
