"""A Teams card answer that arrives after an engine restart, an app restart or a long gap is never dropped
silently (issue 17): it gets a reply, and it is recorded once, on the question the card showed.

The engine is the stand-in of the web tests, with one addition where a test needs it: like Rasa, once a
conversation's session has expired (60 idle minutes) it starts a new one that has forgotten the open question,
says "Welcome back" and takes the next message for small talk unless it is asked to carry on first.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
import yaml
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select
from teams_helpers import Connector, Minter, Post, message
from web_helpers import BUTTONS, START_REPLIES, FakeClock, FakeEngine

from bot.chat.gateway import WEBHOOK_PATH
from bot.chat.messages import ENGINE_DOWN_MESSAGE, ENGINE_SESSION_MINUTES, RESUME_PAYLOAD
from bot.domain.records import UserInfo
from bot.settings import REPO_ROOT, Settings
from bot.store.models import ChatMessageRow, Conversation
from bot.store.services import Store
from bot.web.app import create_app

WELCOME_BACK = "Welcome back. You were on question 1 of 12. Carry on?"
NOT_FOLLOWED = "I didn't follow that. You can start a screening or carry on where you left off."
CARRY_ON = [{"title": "Carry on where I left off", "payload": RESUME_PAYLOAD}]


@dataclass
class ForgetfulEngine(FakeEngine):
    """The stand-in engine, which can also be told that a conversation's session has expired."""

    expired: set[str] = field(default_factory=set)
    answers: list[str] = field(default_factory=list)  # messages it took as answers to an open question

    async def webhook(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.received.append(body)
        sender, said = body["sender"], body["message"]
        if sender in self.expired:
            self.expired.discard(sender)
            replies = [{"recipient_id": sender, "text": WELCOME_BACK, "buttons": CARRY_ON}]
            if said == RESUME_PAYLOAD:  # carry on: the same question again, open
                replies.append({"recipient_id": sender, "text": START_REPLIES[1], "buttons": BUTTONS})
            else:  # no open question in the new session: not an answer
                replies.append({"recipient_id": sender, "text": NOT_FOLLOWED, "buttons": CARRY_ON})
            return web.json_response(replies)
        # As the plain stand-in: the start command gets the first question, anything else an echo.
        if not said.startswith("/"):
            self.answers.append(said)
        texts = START_REPLIES if said == "/start_assessment" else [f"Echo: {said}", "Anything else?"]
        replies = [{"recipient_id": sender, "text": text} for text in texts]
        replies[-1]["buttons"] = BUTTONS
        return web.json_response(replies)


@pytest.fixture
async def engine() -> AsyncIterator[ForgetfulEngine]:
    forgetful = ForgetfulEngine()
    await forgetful.start()
    yield forgetful
    await forgetful.stop()


async def start_again_on_the_same_port(engine: FakeEngine) -> None:
    """Start the stopped stand-in engine again where the app expects it, as a restarted engine would be."""
    app = web.Application()
    app.router.add_post(WEBHOOK_PATH, engine.webhook)
    engine.server = TestServer(app, host="127.0.0.1", port=engine.port)
    await engine.server.start_server()


async def first_card(post: Post, connector: Connector) -> dict[str, Any]:
    """'Start a new screening' pressed: the first question's card, whose first button is "Yes"."""
    response = await post(message(connector.url, value={"action": "start"}))
    assert response.status == 200
    return connector.cards()[-1]


def answer_data(card: dict[str, Any], title: str) -> dict[str, Any]:
    return next(action["data"] for action in card["actions"] if action["title"] == title)


def age_conversation(store: Store, conversation: str, minutes: float) -> None:
    """Move the chat log of one conversation back in time, as if the practitioner had walked away."""
    with store.session_factory.begin() as session:
        rows = session.scalars(
            select(ChatMessageRow)
            .join(Conversation, ChatMessageRow.conversation_id == Conversation.id)
            .where(Conversation.sender_id == conversation)
        ).all()
        for row in rows:
            row.created_at = row.created_at - timedelta(minutes=minutes)


def test_the_engines_session_length_is_the_one_in_the_domain() -> None:
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
    assert domain["session_config"]["session_expiration_time"] == ENGINE_SESSION_MINUTES


async def test_a_card_answer_while_the_engine_is_down_is_answered_and_can_be_given_again_once(
    post: Post, connector: Connector, engine: ForgetfulEngine, user: UserInfo
) -> None:
    card = await first_card(post, connector)
    await engine.stop()

    response = await post(message(connector.url, value=answer_data(card, "No")))
    assert response.status == 200
    assert connector.texts()[-1] == ENGINE_DOWN_MESSAGE, "a reply, never silence"
    assert engine.answers == []

    await start_again_on_the_same_port(engine)
    replies = len(connector.replies)
    await post(message(connector.url, value=answer_data(card, "No")))  # the same card, pressed again
    assert engine.answers == ["No"], "recorded once"
    assert connector.replies[replies:], "and answered"
    assert any("Echo: No" in text for text in connector.texts()[replies:])


async def test_a_card_answer_after_the_app_restarted_is_recorded(
    post: Post,
    connector: Connector,
    engine: ForgetfulEngine,
    user: UserInfo,
    settings: Settings,
    store: Store,
    minter: Minter,
) -> None:
    """Nothing about a card is kept in the app's memory: a restarted app takes its answer as before."""
    card = await first_card(post, connector)
    async with TestClient(TestServer(create_app(settings, store, clock=FakeClock()))) as restarted:
        response = await restarted.post(
            "/api/messages",
            json=message(connector.url, value=answer_data(card, "Yes")),
            headers={"Authorization": f"Bearer {minter.token()}"},
        )
        assert response.status == 200
    assert engine.answers == ["Yes"]
    assert "Echo: Yes" in connector.texts()


async def test_a_card_answer_after_the_engines_session_expired_lands_on_the_question_shown(
    post: Post, connector: Connector, engine: ForgetfulEngine, user: UserInfo, store: Store
) -> None:
    card = await first_card(post, connector)
    conversation = store.conversations.latest_conversation(user.id)
    assert conversation is not None
    age_conversation(store, conversation, ENGINE_SESSION_MINUTES + 1)
    engine.expired.add(conversation)
    replies = len(connector.replies)

    await post(message(connector.url, value=answer_data(card, "Not sure")))

    assert engine.messages()[1:] == [RESUME_PAYLOAD, "Not sure"], "asked to carry on first"
    assert engine.answers == ["Not sure"], "recorded, on the question the card showed"
    assert NOT_FOLLOWED not in connector.texts()[replies:]
    assert any("Echo: Not sure" in text for text in connector.texts()[replies:])


async def test_typed_text_after_the_engines_session_expired_is_recorded_too(
    post: Post, connector: Connector, engine: ForgetfulEngine, user: UserInfo, store: Store
) -> None:
    await first_card(post, connector)
    conversation = store.conversations.latest_conversation(user.id)
    assert conversation is not None
    age_conversation(store, conversation, 3 * 60)
    engine.expired.add(conversation)

    await post(message(connector.url, "He has been very quiet since the summer."))

    assert engine.messages()[1:] == [RESUME_PAYLOAD, "He has been very quiet since the summer."]
    assert engine.answers == ["He has been very quiet since the summer."]


async def test_no_carry_on_is_sent_within_the_engines_session(
    post: Post, connector: Connector, engine: ForgetfulEngine, user: UserInfo, store: Store
) -> None:
    card = await first_card(post, connector)
    conversation = store.conversations.latest_conversation(user.id)
    assert conversation is not None
    age_conversation(store, conversation, ENGINE_SESSION_MINUTES - 1)

    await post(message(connector.url, value=answer_data(card, "Yes")))

    assert engine.messages()[1:] == ["Yes"]
    assert engine.answers == ["Yes"]


async def test_no_carry_on_is_added_when_the_bot_already_offers_one(
    post: Post, connector: Connector, engine: ForgetfulEngine, user: UserInfo, store: Store
) -> None:
    """After the engine's own "Welcome back ... Carry on?" what the practitioner sends is theirs to direct."""
    card = await first_card(post, connector)
    conversation = store.conversations.latest_conversation(user.id)
    assert conversation is not None
    engine.expired.add(conversation)
    await post(message(connector.url, value=answer_data(card, "Yes")))  # the engine forgot, within the hour
    assert connector.cards()[-1]["actions"][0]["title"] == "Carry on where I left off"
    age_conversation(store, conversation, 2 * 60)

    await post(message(connector.url, "typed after the offer"))

    assert engine.messages()[1:] == ["Yes", "typed after the offer"]
