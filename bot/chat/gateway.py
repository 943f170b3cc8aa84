"""The only way our code talks to the dialogue engine (its gateway channel on 127.0.0.1).

The engine's only input channel (engine/extensions/gateway_channel.py) is Rasa's REST channel behind signed
requests: every message carries `X-Bot-Signature`, an HMAC-SHA256 of its exact body bytes with the time and a
nonce, keyed with BOT_ENGINE_TOKEN (bot.chat.hop_signature), and the engine refuses any other.
Like the REST channel, it reads any message that starts with "/" (after trimming spaces) as a
command: an intent with entities that skips understanding altogether. So typed text passes through
`send_typed`, which refuses such text, and only payloads the server itself chose (button payloads, the start
command) go through `send` unchecked.

The engine also trims every message (rasa's UserMessage strips the text), so `send_typed` sends the text a
second time, untouched, in the message metadata (`TYPED_TEXT_KEY`): the action server finds it in
`tracker.latest_message["metadata"]` and can record the practitioner's words exactly as typed.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot import request_ids
from bot.chat.hop_signature import HEADER, sign
from bot.domain.limits import ENGINE_REPLY_TIMEOUT_SECONDS, MAX_ANSWER_CHARS
from bot.domain.protocol import TYPED_TEXT
from bot.domain.rules import unstorable_character

log = logging.getLogger(__name__)

# The engine reads a message as a command when its trimmed text starts with this (INTENT_MESSAGE_PREFIX).
COMMAND_PREFIX = "/"

TYPED_TEXT_KEY = TYPED_TEXT  # the message metadata key (bot.domain.protocol)

# Where the engine's gateway channel takes messages (Rasa serves channel "gateway" under /webhooks/gateway).
WEBHOOK_PATH = "/webhooks/gateway/webhook"

EMPTY_TEXT_MESSAGE = "Type an answer or choose one of the options"
COMMAND_TEXT_MESSAGE = "Messages can't start with '/'. Add a word before it."


@dataclass(frozen=True)
class BotReply:
    """One message from the engine: its text (may be empty when it only carries buttons) and its buttons."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


class EngineError(Exception):
    """The engine did not give a usable answer; the message may or may not have reached it."""


class EngineUnavailable(EngineError):
    """The engine could not be reached at all, so the message certainly did not reach it."""


class TypedTextRefused(ValueError):
    """Typed text that must not be sent; `message` says what to change and nothing was sent."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def typed_text_problem(text: str) -> str | None:
    """Why `text` cannot be sent as a practitioner's typed message, or None when it can (unchanged)."""
    if not text.strip():
        return EMPTY_TEXT_MESSAGE
    if len(text) > MAX_ANSWER_CHARS:
        return (
            f"Your answer is {len(text):,} characters long. Answers can be up to {MAX_ANSWER_CHARS:,} "
            "characters. Shorten it and send it again."
        )
    if text.strip().startswith(COMMAND_PREFIX):
        return COMMAND_TEXT_MESSAGE
    if (reason := unstorable_character(text)) is not None:
        return f"Your answer {reason}. Remove it and send your answer again."
    return None


class EngineGateway:
    """A client for the engine's gateway webhook, holding one ClientSession for the life of the app."""

    def __init__(
        self,
        engine_url: str,
        token: str,
        timeout: float = ENGINE_REPLY_TIMEOUT_SECONDS,  # outlasts the actions' wait for the store
        *,
        on_reply: Callable[[str, float], None] | None = None,
    ) -> None:
        """`on_reply(outcome, seconds)` hears of every message sent ("replied", "engine_error" or
        "engine_unavailable") and how long the engine took, for the app's metrics; never the text."""
        self._on_reply = on_reply
        self._webhook_url = f"{engine_url.rstrip('/')}{WEBHOOK_PATH}"
        self._key = token.encode()
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            # Created here, not in __init__, because a ClientSession must be made inside the running loop.
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def answers(self, timeout: float) -> bool:
        """True when the engine's server answers its root address (Rasa's "Hello") within `timeout` s."""
        url = self._webhook_url.removesuffix(WEBHOOK_PATH) + "/"
        try:
            async with self._client().get(url, timeout=aiohttp.ClientTimeout(total=timeout)) as response:
                return response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            return False

    async def send_typed(self, sender_id: str, text: str) -> list[BotReply]:
        """Send what a person typed, exactly as typed, after refusing text the engine would misread."""
        problem = typed_text_problem(text)
        if problem is not None:
            raise TypedTextRefused(problem)
        return await self.send(sender_id, text, metadata={TYPED_TEXT_KEY: text})

    async def send(
        self,
        sender_id: str,
        text: str,
        *,
        metadata: dict[str, Any] | None = None,
        timeout: float | None = None,
    ) -> list[BotReply]:
        """Send `text` as it is; for payloads the server chose, never for text a person typed. `timeout`
        (seconds) in place of the gateway's own, for a message that must not wait as long (a danger press)."""
        started, outcome = time.perf_counter(), "engine_error"
        try:
            replies = await self._send(sender_id, text, metadata, timeout)
            outcome = "replied"
            return replies
        except EngineUnavailable:
            outcome = "engine_unavailable"
            raise
        finally:
            seconds = time.perf_counter() - started
            # The outcome and time only: never the text, the sender or the engine's answer.
            log.info("message to the engine: %s in %.3f s", outcome, seconds)
            if self._on_reply is not None:
                self._on_reply(outcome, seconds)

    async def _send(
        self, sender_id: str, text: str, metadata: dict[str, Any] | None, timeout: float | None
    ) -> list[BotReply]:
        request: dict[str, Any] = {"sender": sender_id, "message": text}
        # The request id rides in the metadata, which Rasa keeps on the tracker's latest message and so
        # hands to the action server, and in a header the engine's channel logs (bot.request_ids).
        request_id = request_ids.current.get()
        if metadata is not None or request_id:
            request["metadata"] = (metadata or {}) | (
                {request_ids.METADATA_KEY: request_id} if request_id else {}
            )
        # Signed over the very bytes sent, so the body is serialised here rather than by aiohttp.
        body = json.dumps(request).encode()
        headers = {"Content-Type": "application/json", HEADER: sign(self._key, body), **request_ids.header()}
        session = self._client()
        try:
            wait = self._timeout if timeout is None else aiohttp.ClientTimeout(total=timeout)
            async with session.post(self._webhook_url, data=body, headers=headers, timeout=wait) as response:
                if response.status != 200:
                    raise EngineError(f"the engine answered HTTP {response.status}")
                answer = await response.json(content_type=None)
        except aiohttp.ClientConnectorError as error:
            raise EngineUnavailable(f"cannot reach the engine at {self._webhook_url}: {error}") from error
        except aiohttp.ClientError as error:  # the request may have arrived before the failure
            raise EngineError(f"talking to the engine failed: {error!r}") from error
        except TimeoutError as error:
            seconds = self._timeout.total if timeout is None else timeout
            raise EngineError(f"the engine did not answer within {seconds} s") from error
        except ValueError as error:  # invalid JSON
            raise EngineError(f"the engine's answer is not JSON: {error}") from error
        return _replies(answer)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _replies(body: Any) -> list[BotReply]:
    """Text and buttons from the REST channel's answer; other kinds (images, custom) are not shown yet."""
    if not isinstance(body, list):
        raise EngineError("the engine's answer is not a list of messages")
    replies = []
    for item in body:
        if not isinstance(item, dict):
            raise EngineError("the engine's answer holds something other than messages")
        text = item.get("text") or ""
        buttons = [
            {"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))}
            for button in item.get("buttons") or []
            if isinstance(button, dict)
        ]
        if text or buttons:
            replies.append(BotReply(text=str(text), buttons=buttons))
        else:
            log.warning("skipped an engine message with neither text nor buttons (keys: %s)", sorted(item))
    return replies
