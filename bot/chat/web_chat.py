"""What the web chat page does: show a practitioner's conversation, start one, and pass their answers on.

The sender id the engine sees is always the conversation the store has bound to the signed-in user; nothing
the browser sends can choose it. A button press arrives as an index into the latest bot message's buttons, and
the server looks up the payload, so the only payloads that ever reach the engine are ones it offered.

Store calls are synchronous (SQLAlchemy), so they run in a worker thread to keep the page responsive for
everyone else. One lock per user serialises that user's own requests: a double click or a second tab cannot
send one answer twice or start two screenings.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.chat.gateway import BotReply, EngineError, EngineGateway, TypedTextRefused
from bot.store.records import Actor, ChatMessage

if TYPE_CHECKING:
    from bot.store.services import StoreService

log = logging.getLogger(__name__)

START_PAYLOAD = "/start_assessment"
CHANNEL = "web"

ENGINE_DOWN_MESSAGE = (
    "The assistant is not available right now; your answers so far are saved. Try again in a few minutes."
)
NO_CONVERSATION_MESSAGE = "There is no screening in progress. Choose 'Start a screening' to begin one."
STALE_PAGE_MESSAGE = (
    "The conversation has moved on since this page was shown. Read the latest message, then answer again."
)
NO_SUCH_OPTION_MESSAGE = "That option is no longer available. Choose one of the options shown."
BOTH_GIVEN_MESSAGE = (
    "You chose an option and also typed an answer. Send your typed answer with 'Send', "
    "or clear the box and choose the option again."
)


@dataclass(frozen=True)
class ChatView:
    """A user's latest conversation as the page shows it."""

    conversation_id: str | None
    messages: list[ChatMessage]
    # The store's mode for this conversation's assessment: the page shows a rehearsal banner from it, not
    # from anything said in the chat.
    rehearsal: bool = False

    @property
    def seen(self) -> int:
        """How many messages the page showed; a later post with another count comes from an old page."""
        return len(self.messages)

    @property
    def turn_start(self) -> int | None:
        """Where the bot's latest turn (its trailing run of messages) begins: where a reader picks up."""
        start = None
        for index in range(len(self.messages) - 1, -1, -1):
            if self.messages[index].direction != "out":
                break
            start = index
        return start

    @property
    def choices_index(self) -> int | None:
        """Which message carries the buttons that can be pressed now: the last one with buttons in the bot's
        latest turn (the trailing run of bot messages), or None when the bot's latest turn offered none."""
        start = self.turn_start
        if start is None:
            return None
        with_buttons = [i for i in range(start, len(self.messages)) if self.messages[i].buttons]
        return with_buttons[-1] if with_buttons else None

    @property
    def choices(self) -> list[dict[str, str]]:
        index = self.choices_index
        return [] if index is None else self.messages[index].buttons


class ChatRefused(Exception):
    """Nothing was sent; `message` tells the practitioner why, `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class WebChat:
    def __init__(self, store: StoreService, gateway: EngineGateway) -> None:
        self._store = store
        self._gateway = gateway
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    async def view(self, user_id: int) -> ChatView:
        conversation_id = await asyncio.to_thread(self._store.latest_conversation, user_id)
        if conversation_id is None:
            return ChatView(None, [])
        messages = await asyncio.to_thread(self._store.chat_messages, conversation_id)
        mode = await asyncio.to_thread(self._store.assessment_mode, conversation_id)
        return ChatView(conversation_id, list(messages), rehearsal=mode == "rehearsal")

    async def start(self, user_id: int) -> None:
        """Open a conversation and ask the engine to begin; a no-op when one is already under way.

        An opened conversation the engine never answered (it was down) is reused rather than left behind.
        """
        async with self._lock(user_id):
            view = await self.view(user_id)
            if view.messages:
                return
            conversation_id = view.conversation_id or await asyncio.to_thread(
                self._as(user_id).open_conversation, user_id, CHANNEL
            )
            replies = await self._call_engine(self._gateway.send(conversation_id, START_PAYLOAD))
            await self._append(user_id, conversation_id, None, replies)

    async def choose(self, user_id: int, button: str, seen: str, typed: str = "") -> None:
        """Send the payload of button number `button` of the bot's latest message."""
        if typed.strip():
            raise ChatRefused(BOTH_GIVEN_MESSAGE)
        async with self._lock(user_id):
            conversation_id, view = await self._current(user_id, seen)
            choices = view.choices
            if not (button.isascii() and button.isdigit()) or int(button) >= len(choices):
                raise ChatRefused(NO_SUCH_OPTION_MESSAGE)
            chosen = choices[int(button)]
            replies = await self._call_engine(self._gateway.send(conversation_id, chosen["payload"]))
            await self._append(user_id, conversation_id, chosen["title"], replies)

    async def send_text(self, user_id: int, text: str, seen: str) -> None:
        """Send what the practitioner typed, exactly as the browser sent it."""
        async with self._lock(user_id):
            conversation_id, _view = await self._current(user_id, seen)
            try:
                replies = await self._call_engine(self._gateway.send_typed(conversation_id, text))
            except TypedTextRefused as refusal:
                raise ChatRefused(refusal.message) from None
            await self._append(user_id, conversation_id, text, replies)

    async def _current(self, user_id: int, seen: str) -> tuple[str, ChatView]:
        """The conversation to answer in, provided the answer came from a page showing its latest state."""
        view = await self.view(user_id)
        if view.conversation_id is None or not view.messages:
            raise ChatRefused(NO_CONVERSATION_MESSAGE, status=409)
        if seen != str(view.seen):
            raise ChatRefused(STALE_PAGE_MESSAGE, status=409)
        return view.conversation_id, view

    async def _call_engine(self, call: Awaitable[list[BotReply]]) -> list[BotReply]:
        try:
            return await call
        except EngineError as error:
            log.warning("engine call failed: %s", error)
            raise ChatRefused(ENGINE_DOWN_MESSAGE, status=503) from error

    async def _append(
        self, user_id: int, conversation_id: str, said: str | None, replies: list[BotReply]
    ) -> None:
        """Record the turn only after the engine answered, so the log never shows an answer it did not get."""
        messages = [] if said is None else [ChatMessage(direction="in", text=said)]
        messages += [ChatMessage(direction="out", text=r.text, buttons=r.buttons) for r in replies]
        if messages:
            await asyncio.to_thread(self._as(user_id).append_chat_messages, conversation_id, messages)

    def _as(self, user_id: int) -> StoreService:
        """The store with changes audited as this practitioner's own."""
        return self._store.for_actor(Actor.user(user_id))

    def _lock(self, user_id: int) -> asyncio.Lock:
        lock = self._locks.get(user_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[user_id] = lock
        return lock
