"""One assessment, two channels: started on the web page it continues in Teams, and the other way round."""

from __future__ import annotations

from aiohttp.test_utils import TestClient
from teams_helpers import Connector, Post, message
from web_helpers import (
    BUTTONS,
    PASSWORD,
    START_REPLIES,
    FakeEngine,
    conversation_of,
    page,
    post_chat,
    practitioners,
    sign_in,
    start_screening,
    typed_message,
)

from bot.chat.messages import STALE_PAGE_MESSAGE
from bot.domain.records import UserInfo
from bot.store.services import Store


async def test_started_on_the_web_page_continues_in_teams(
    client: TestClient,
    post: Post,
    connector: Connector,
    engine: FakeEngine,
    store: Store,
    user: UserInfo,
) -> None:
    await sign_in(client, "alice", PASSWORD)
    path = await start_screening(client)
    conversation = conversation_of(store, user.id, path)

    # Typed text in Teams answers the draft last used, on either channel: this one.
    await post(message(connector.url, "typed in Teams"))
    data = connector.cards()[-1]["actions"][0]["data"]
    assert data["reference"] == path.removeprefix("/chat/")
    await post(message(connector.url, value=data))

    assert engine.received[1:] == [
        typed_message(conversation, "typed in Teams"),
        {"sender": conversation, "message": BUTTONS[0]["payload"]},
    ]
    # Back on the web page: the Teams turns are there and the page answers the same question.
    body = await page(client, path)
    assert "Echo: typed in Teams" in body
    response = await post_chat(client, f"{path}/send", text="back on the web")
    assert response.status == 303
    assert engine.received[-1] == typed_message(conversation, "back on the web")
    assert len(practitioners(store).assessments_of(user.id)) == 1


async def test_started_in_teams_continues_on_the_web_page(
    client: TestClient,
    post: Post,
    connector: Connector,
    engine: FakeEngine,
    store: Store,
    user: UserInfo,
) -> None:
    await post(message(connector.url, value={"action": "start"}))
    [opened] = practitioners(store).assessments_of(user.id)
    conversation = opened.conversation_id
    assert engine.received == [{"sender": conversation, "message": "/start_assessment"}]

    await sign_in(client, "alice", PASSWORD)
    # The home page lists the Teams draft; its "Carry on" link is the assessment's page.
    home = await page(client, "/chat")
    path = f"/chat/{opened.reference}"
    assert f'href="{path}#latest"' in home
    assert START_REPLIES[1] in await page(client, path)
    response = await post_chat(client, f"{path}/send", button="2")

    assert response.status == 303
    assert engine.received[1:] == [{"sender": conversation, "message": BUTTONS[2]["payload"]}]
    assert [a.reference for a in practitioners(store).assessments_of(user.id)] == [opened.reference]
    # And back in Teams, an answer goes to the same conversation.
    await post(message(connector.url, "and in Teams again"))
    assert engine.received[-1] == typed_message(conversation, "and in Teams again")


async def test_a_stale_teams_card_after_a_web_answer_is_refused(
    client: TestClient, post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    await post(message(connector.url, value={"action": "start"}))
    old = connector.cards()[-1]["actions"][0]["data"]
    await sign_in(client, "alice", PASSWORD)
    answered = await post_chat(client, f"/chat/{old['reference']}/send", text="answered on the web")
    assert answered.status == 303
    sent = len(engine.received)

    await post(message(connector.url, value=old))

    assert len(engine.received) == sent
    assert connector.texts()[-1] == STALE_PAGE_MESSAGE
