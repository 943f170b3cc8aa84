"""What the bot says back to one Teams activity, using the web chat's own conversation logic.

A Teams user speaks only through the account an administrator linked to their Teams identity; unlinked users
are told so and nothing reaches the engine. A linked user's messages go to `WebChat` exactly as the web page's
do (same conversation choice, same refusals, same per-user lock, same display log), so an assessment started
on either channel continues on the other at the same question. Only one-to-one chats are served: in a group
chat the answers would be shown to everyone in it.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any

from bot.chat.gateway import EMPTY_TEXT_MESSAGE
from bot.chat.web_chat import NO_SUCH_OPTION_MESSAGE, ChatRefused, ChatView, WebChat
from bot.store.services import StoreService
from bot.teams import cards
from bot.teams.activity import Activity

CHANNEL = "teams"
WELCOME_MESSAGE = (
    "Hello. I help you record a screening about a child or young person you are worried about, one question "
    "at a time, and keep your answers for your safeguarding lead. You can start here and carry on in the web "
    "chat, or the other way round. If anyone is in immediate danger, call 999 now."
)
UNLINKED_MESSAGE = (
    "Your Teams account is not linked to an assessment account yet, so I can't record anything for you. "
    "Ask your administrator to link it (they need your Teams sign-in), then message me again."
)
NOT_PERSONAL_MESSAGE = (
    "I only work in a one-to-one chat, so that your answers stay private. Message me directly."
)
NO_SCREENING_MESSAGE = "There is no screening in progress. Choose 'Start a screening' to begin one."
REMEMBERED_ACTIVITIES = 10_000

Reply = dict[str, Any]


def text_reply(text: str) -> Reply:
    return {"text": text, "textFormat": "plain"}


def card_reply(attachment: dict[str, Any]) -> Reply:
    return {"attachments": [attachment]}


class TeamsTurns:
    def __init__(self, store: StoreService, chat: WebChat) -> None:
        self._store = store
        self._chat = chat
        # The Bot Framework redelivers an activity it thinks we missed; an answer must not be sent twice.
        self._handled: OrderedDict[tuple[str, str], None] = OrderedDict()

    async def replies(self, activity: Activity) -> list[Reply]:
        if activity.type == "conversationUpdate":
            added = activity.recipient_id is not None and activity.recipient_id in activity.members_added
            return [card_reply(cards.start_card(WELCOME_MESSAGE))] if added and _personal(activity) else []
        if activity.type != "message":
            return []  # typing, reactions, installs: nothing to say
        if not _personal(activity):
            return [text_reply(NOT_PERSONAL_MESSAGE)]
        if activity.id is not None and self._seen_before(activity.conversation_id, activity.id):
            return []
        tenant = activity.tenant_ids[0] if activity.tenant_ids else ""
        user = await asyncio.to_thread(self._store.user_for_teams, tenant, activity.from_aad_object_id or "")
        if user is None:
            return [text_reply(UNLINKED_MESSAGE)]
        try:
            await self._act(user.id, activity)
        except ChatRefused as refused:
            return [text_reply(refused.message)]
        except _NoScreening:
            return [card_reply(cards.start_card(NO_SCREENING_MESSAGE))]
        return bot_turn(await self._chat.view(user.id))

    async def _act(self, user_id: int, activity: Activity) -> None:
        typed = activity.text or ""
        if activity.value is not None:
            try:
                submit = cards.read_submit(activity.value)
            except cards.BadSubmit:
                raise ChatRefused(NO_SUCH_OPTION_MESSAGE) from None
            if isinstance(submit, cards.StartSubmit):
                await self._start(user_id)
            else:
                await self._chat.choose(user_id, str(submit.choice), str(submit.seen), typed=typed)
            return
        if not typed.strip():
            raise ChatRefused(EMPTY_TEXT_MESSAGE)
        view = await self._chat.view(user_id)
        if not view.messages:
            raise _NoScreening
        # Typed text answers whatever the conversation shows now, as the practitioner saw it in Teams.
        await self._chat.send_text(user_id, typed, str(view.seen))

    async def _start(self, user_id: int) -> None:
        """Open the conversation as a Teams one when there is none yet; WebChat.start reuses it."""
        view = await self._chat.view(user_id)
        if view.conversation_id is None:
            await asyncio.to_thread(self._store.open_conversation, user_id, CHANNEL)
        await self._chat.start(user_id)

    def _seen_before(self, conversation_id: str, activity_id: str) -> bool:
        key = (conversation_id, activity_id)
        if key in self._handled:
            return True
        self._handled[key] = None
        if len(self._handled) > REMEMBERED_ACTIVITIES:
            self._handled.popitem(last=False)
        return False


class _NoScreening(Exception):
    """A message arrived before any screening was started."""


def bot_turn(view: ChatView) -> list[Reply]:
    """The bot's latest turn as Teams messages; the message whose buttons are live becomes a card."""
    start = view.turn_start
    if start is None:
        return []
    replies = []
    for index in range(start, len(view.messages)):
        message = view.messages[index]
        if index == view.choices_index:
            replies.append(card_reply(cards.choice_card(message.text, message.buttons, view.seen)))
        elif message.text:
            replies.append(text_reply(message.text))
    return replies


def _personal(activity: Activity) -> bool:
    return activity.conversation_type == "personal"
