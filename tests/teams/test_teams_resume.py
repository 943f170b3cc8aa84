"""One assessment, two channels: started on the web page it continues in Teams, and the other way round."""

from __future__ import annotations

from aiohttp.test_utils import TestClient
from teams_helpers import Connector, Post, message
from web_helpers import (
    BUTTONS,
    PASSWORD,
    FakeEngine,
    page,
    post_chat,
    sign_in,
    start_screening,
    typed_message,
)

from bot.store.records import UserInfo
from bot.store.services import StoreService


async def test_started_on_the_web_page_continues_in_teams(
    client: TestClient,
    post: Post,
    connector: Connector,
    engine: FakeEngine,
    store: StoreService,
    user: UserInfo,
) -> None:
    await sign_in(client, "alice", PASSWORD)
    await start_screening(client)
    conversation = store.latest_conversation(user.id)

    await post(message(connector.url, "typed in Teams"))
    seen = connector.cards()[-1]["actions"][0]["data"]["seen"]
    await post(message(connector.url, value={"choice": 0, "seen": seen}))

    assert engine.received[1:] == [
        typed_message(conversation, "typed in Teams"),
        {"sender": conversation, "message": BUTTONS[0]["payload"]},
    ]
    # Back on the web page: the Teams turns are there and the page answers the same question.
    body = await page(client, "/chat")
    assert "Echo: typed in Teams" in body
    response = await post_chat(client, "/chat/send", text="back on the web")
    assert response.status == 303
    assert engine.received[-1] == typed_message(conversation, "back on the web")
    assert store.latest_conversation(user.id) == conversation


async def test_started_in_teams_continues_on_the_web_page(
    client: TestClient,
    post: Post,
    connector: Connector,
    engine: FakeEngine,
    store: StoreService,
    user: UserInfo,
) -> None:
    await post(message(connector.url, value={"action": "start"}))
    conversation = store.latest_conversation(user.id)
    assert engine.received == [{"sender": conversation, "message": "/start_assessment"}]

    await sign_in(client, "alice", PASSWORD)
    await start_screening(client)  # a no-op: the Teams screening is already under way
    response = await post_chat(client, "/chat/send", button="2")

    assert response.status == 303
    assert engine.received[1:] == [{"sender": conversation, "message": BUTTONS[2]["payload"]}]
    assert store.latest_conversation(user.id) == conversation
    # And back in Teams, an answer goes to the same conversation.
    await post(message(connector.url, "and in Teams again"))
    assert engine.received[-1] == typed_message(conversation, "and in Teams again")


async def test_a_stale_teams_card_after_a_web_answer_is_refused(
    client: TestClient, post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    await post(message(connector.url, value={"action": "start"}))
    old = connector.cards()[-1]["actions"][0]["data"]
    await sign_in(client, "alice", PASSWORD)
    await post_chat(client, "/chat/send", text="answered on the web")
    sent = len(engine.received)

    await post(message(connector.url, value=old))

    assert len(engine.received) == sent
