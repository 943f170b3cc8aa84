"""What a Teams practitioner sees and what reaches the engine: welcome, linking, cards, typed text."""

from __future__ import annotations

from typing import Any

from teams_helpers import APP_ID, BOT_ID, CONNECTOR_TOKEN, TENANT, Connector, Post, message
from web_helpers import BUTTONS, START_REPLIES, FakeEngine, typed_message

from bot.chat.gateway import COMMAND_TEXT_MESSAGE
from bot.chat.messages import NO_SUCH_OPTION_MESSAGE, STALE_PAGE_MESSAGE
from bot.domain.records import UserInfo
from bot.store.practitioner import PractitionerService
from bot.store.services import Store
from bot.teams.turns import NO_SCREENING_MESSAGE, NOT_PERSONAL_MESSAGE, UNLINKED_MESSAGE, WELCOME_MESSAGE


async def start(post: Post, connector: Connector) -> dict[str, Any]:
    """Press 'Start a new screening'; the card with the first question's choices."""
    response = await post(message(connector.url, value={"action": "start"}))
    assert response.status == 200
    return connector.cards()[-1]


async def test_bot_added_gets_a_welcome_with_a_start_button(
    post: Post, connector: Connector, engine: FakeEngine
) -> None:
    update = message(connector.url, type="conversationUpdate", membersAdded=[{"id": BOT_ID}])
    response = await post(update)
    assert response.status == 200
    [card] = connector.cards()
    assert card["body"][0]["text"] == WELCOME_MESSAGE
    assert card["actions"] == [
        {"type": "Action.Submit", "title": "Start a new screening", "data": {"action": "start"}},
        {"type": "Action.Submit", "title": "Someone is in danger now", "data": {"action": "danger"}},
    ]
    assert engine.received == []


async def test_unlinked_teams_user_is_told_to_ask_an_administrator(
    post: Post, connector: Connector, engine: FakeEngine, store: Store
) -> None:
    response = await post(message(connector.url, "hello", value=None))
    assert response.status == 200
    assert connector.texts() == [UNLINKED_MESSAGE]
    assert engine.received == []
    response = await post(message(connector.url, value={"action": "start"}))
    assert connector.texts()[-1] == UNLINKED_MESSAGE
    assert engine.received == []


async def test_group_chats_are_not_served(
    post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    group = {"id": "19:abc@thread.v2", "conversationType": "groupChat", "tenantId": TENANT}
    await post(message(connector.url, "my answer", conversation=group))
    assert connector.texts() == [NOT_PERSONAL_MESSAGE]
    assert engine.received == []


async def test_a_message_before_any_screening_offers_to_start_one(
    post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    await post(message(connector.url, "hello"))
    [card] = connector.cards()
    assert card["body"][0]["text"] == NO_SCREENING_MESSAGE
    assert engine.received == []


async def test_start_opens_a_teams_conversation_and_shows_choices_as_an_adaptive_card(
    post: Post, connector: Connector, engine: FakeEngine, store: Store, user: UserInfo
) -> None:
    card = await start(post, connector)

    [opened] = PractitionerService(store.session_factory).assessments_of(user.id)
    conversation, reference = opened.conversation_id, opened.reference
    assert opened.channel == "teams"
    assert engine.received == [{"sender": conversation, "message": "/start_assessment"}]
    assert connector.texts()[0] == START_REPLIES[0]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert card["body"] == [{"type": "TextBlock", "text": START_REPLIES[1], "wrap": True}]
    seen = len(store.conversations.chat_messages(conversation))
    # Every button names its assessment; then "My assessments", and last the danger action, on every card.
    assert card["actions"] == [
        {
            "type": "Action.Submit",
            "title": b["title"],
            "data": {"choice": i, "seen": seen, "reference": reference},
        }
        for i, b in enumerate(BUTTONS)
    ] + [
        {"type": "Action.Submit", "title": "My assessments", "data": {"action": "home"}},
        {
            "type": "Action.Submit",
            "title": "Someone is in danger now",
            "data": {"action": "danger", "reference": reference},
        },
    ]


async def test_a_card_submit_sends_the_payload_the_server_offered(
    post: Post, connector: Connector, engine: FakeEngine, store: Store, user: UserInfo
) -> None:
    card = await start(post, connector)
    data = card["actions"][1]["data"]
    # Whatever else a forged submit carries, only the index is read.
    forged = {**data, "payload": '/choose{"answer": "yes"}', "sender": "someone-else"}

    response = await post(message(connector.url, value=forged))

    assert response.status == 200
    conversation = store.conversations.latest_conversation(user.id)
    assert engine.received[-1] == {"sender": conversation, "message": BUTTONS[1]["payload"]}
    assert [m.text for m in store.conversations.chat_messages(conversation) if m.direction == "in"] == ["No"]


async def test_an_old_card_cannot_answer_the_current_question(
    post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    card = await start(post, connector)
    await post(message(connector.url, value=card["actions"][0]["data"]))
    sent = len(engine.received)

    await post(message(connector.url, value=card["actions"][2]["data"]))  # a button on the first card

    assert len(engine.received) == sent
    assert connector.texts()[-1] == STALE_PAGE_MESSAGE


async def test_submits_no_card_of_ours_would_send_are_refused(
    post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    card = await start(post, connector)
    seen = card["actions"][0]["data"]["seen"]
    for value in (
        {"choice": len(BUTTONS), "seen": seen},
        {"choice": "0", "seen": seen},
        {"choice": True, "seen": seen},
        [0],
    ):
        await post(message(connector.url, value=value))
        assert connector.texts()[-1] == NO_SUCH_OPTION_MESSAGE
    assert engine.messages() == ["/start_assessment"]


async def test_typed_text_reaches_the_engine_exactly_as_typed(
    post: Post, connector: Connector, engine: FakeEngine, store: Store, user: UserInfo
) -> None:
    await start(post, connector)
    text = "  He said:\n\t“I’m not going back” 👀  \n"

    await post(message(connector.url, text))

    conversation = store.conversations.latest_conversation(user.id)
    assert engine.received[-1] == typed_message(conversation, text)
    assert connector.texts()[-1] == "" and connector.cards()[-1]["body"][0]["text"] == "Anything else?"
    assert f"Echo: {text}" in connector.texts()


async def test_typed_text_is_refused_as_on_the_web_page(
    post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    await start(post, connector)
    for text in ("/restart", "   ", "x" * 10_001, "nul \x00 here"):
        await post(message(connector.url, text))
    assert engine.messages() == ["/start_assessment"]
    assert connector.texts()[-4] == COMMAND_TEXT_MESSAGE
    assert "10,000" in connector.texts()[-2]
    assert "NUL" in connector.texts()[-1]


async def test_replies_go_to_the_activity_with_a_single_tenant_token(
    post: Post, connector: Connector, user: UserInfo
) -> None:
    activity = message(connector.url, value={"action": "start"})
    await post(activity)
    await post(message(connector.url, "second"))

    reply = connector.replies[0]
    assert (reply.conversation_id, reply.activity_id) == (activity["conversation"]["id"], activity["id"])
    assert reply.authorization == f"Bearer {CONNECTOR_TOKEN}"
    assert reply.body["replyToId"] == activity["id"]
    assert reply.body["from"] == {"id": BOT_ID} and reply.body["recipient"] == {"id": "29:user-id"}
    assert connector.token_requests == [  # fetched once, then reused
        (
            TENANT,
            {
                "grant_type": "client_credentials",
                "client_id": APP_ID,
                "client_secret": "test-client-secret",
                "scope": "https://api.botframework.com/.default",
            },
        )
    ]


async def test_a_redelivered_activity_is_not_sent_twice(
    post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    await start(post, connector)
    activity = message(connector.url, "only once")
    await post(activity)
    await post(activity)
    assert engine.messages() == ["/start_assessment", "only once"]


async def test_engine_down_is_said_in_teams_and_nothing_is_logged(
    post: Post, connector: Connector, engine: FakeEngine, store: Store, user: UserInfo
) -> None:
    await start(post, connector)
    conversation = store.conversations.latest_conversation(user.id)
    before = store.conversations.chat_messages(conversation)
    await engine.stop()

    response = await post(message(connector.url, "my answer"))

    assert response.status == 200
    assert "not available right now" in connector.texts()[-1]
    assert store.conversations.chat_messages(conversation) == before
