"""The web chat page: starting a screening, answering by button or by typing, and every refusal.

Each assessment has its own page (/chat/<reference>); `start_screening` starts one from the home page and
returns its address, and `post_chat` posts a form with the token and message count of the page it is on."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient
from web_helpers import (
    BUTTONS,
    OTHER_PASSWORD,
    PASSWORD,
    START_REPLIES,
    FakeEngine,
    conversation_of,
    csrf_from,
    field_value,
    page,
    post_chat,
    practitioners,
    reference_from,
    sign_in,
    start_screening,
    textarea_text,
    typed_message,
)

from bot.chat.gateway import COMMAND_TEXT_MESSAGE, EMPTY_TEXT_MESSAGE
from bot.chat.messages import (
    BOTH_GIVEN_MESSAGE,
    ENGINE_DOWN_MESSAGE,
    NO_SUCH_OPTION_MESSAGE,
    NOT_STARTED_MESSAGE,
    STALE_PAGE_MESSAGE,
)
from bot.domain.limits import MAX_ANSWER_CHARS
from bot.domain.records import UserInfo
from bot.store.services import Store


async def test_no_conversation_offers_to_start(signed_in: TestClient) -> None:
    body = await page(signed_in, "/chat")
    assert "Start a new screening" in body and 'action="/chat/start"' in body
    assert "/send" not in body and 'name="text"' not in body


async def test_start_opens_a_conversation_and_asks_the_engine_to_begin(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    response = await post_chat(signed_in, "/chat/start")
    assert response.status == 303
    [opened] = practitioners(store).assessments_of(user.id)
    assert response.headers["Location"] == f"/chat/{opened.reference}#latest"

    conversation_id = opened.conversation_id
    assert conversation_id == store.conversations.latest_conversation(user.id)
    assert engine.received == [{"sender": conversation_id, "message": "/start_assessment"}]

    body = await page(signed_in, f"/chat/{opened.reference}")
    for text in START_REPLIES:
        assert text in body
    for index, button in enumerate(BUTTONS):
        assert (
            f'name="button" value="{index}" class="govuk-button govuk-button--secondary">{button["title"]}<'
            in body
        )
    assert "payload" not in body and "/choose" not in body  # payloads never reach the browser
    assert conversation_id not in body  # nor does the sender id
    assert 'role="log"' in body and 'aria-live="polite"' in body
    assert 'id="latest"' in body
    assert [m.text for m in store.conversations.chat_messages(conversation_id)] == START_REPLIES


async def test_starting_twice_does_not_open_a_second_conversation(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    """A double click (or the same home page in a second tab) lands on the screening the first started."""
    stale_form = await page(signed_in, "/chat")
    path = await start_screening(signed_in)
    first = store.conversations.latest_conversation(user.id)
    again = await signed_in.post(
        "/chat/start",
        data={"csrf_token": csrf_from(stale_form), "known": field_value(stale_form, "known")},
        allow_redirects=False,
    )
    assert again.status == 303 and again.headers["Location"] == f"{path}#latest"
    assert store.conversations.latest_conversation(user.id) == first
    assert len(practitioners(store).assessments_of(user.id)) == 1
    assert engine.messages() == ["/start_assessment"]


async def test_a_stale_start_after_that_screening_was_submitted_opens_a_new_one(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    stale_form = await page(signed_in, "/chat")
    path = await start_screening(signed_in)
    store.assessments.submit(conversation_of(store, user.id, path))
    again = await signed_in.post(
        "/chat/start",
        data={"csrf_token": csrf_from(stale_form), "known": field_value(stale_form, "known")},
        allow_redirects=False,
    )
    assert f"/chat/{reference_from(again)}" != path
    assert len(practitioners(store).assessments_of(user.id)) == 2
    assert engine.messages() == ["/start_assessment", "/start_assessment"]


async def test_a_button_index_sends_that_buttons_payload(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    path = await start_screening(signed_in)
    response = await post_chat(signed_in, f"{path}/send", button="1")
    assert response.status == 303

    conversation_id = store.conversations.latest_conversation(user.id)
    assert engine.received[-1] == {"sender": conversation_id, "message": BUTTONS[1]["payload"]}
    log = store.conversations.chat_messages(conversation_id)
    assert (log[2].direction, log[2].text) == ("in", "No")  # the log shows what the person chose
    assert f"Echo: {BUTTONS[1]['payload']}" in [m.text for m in log]


@pytest.mark.parametrize("button", ["4", "-1", "1.0", "", "yes", "٣", '/choose{"answer": "yes"}'])
async def test_a_button_that_was_not_offered_sends_nothing(
    signed_in: TestClient, engine: FakeEngine, button: str
) -> None:
    path = await start_screening(signed_in)
    response = await post_chat(signed_in, f"{path}/send", button=button)
    assert response.status == 400
    assert NO_SUCH_OPTION_MESSAGE in await response.text()
    assert engine.messages() == ["/start_assessment"]


@pytest.mark.parametrize(
    "text",
    [
        "She said “I’m not going back” 😟🧒🏽",
        "first line\r\nsecond line\r\n",
        "   leading spaces and trailing   ",
        "\r\nstarts with a line break",
        "tab\there, a <b>tag</b> & an ampersand",
        "x" * MAX_ANSWER_CHARS,
    ],
    ids=["emoji", "crlf", "spaces", "leading-newline", "markup", "at-limit"],
)
async def test_typed_text_reaches_the_engine_byte_for_byte(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine, text: str
) -> None:
    path = await start_screening(signed_in)
    response = await post_chat(signed_in, f"{path}/send", text=text)
    assert response.status == 303

    conversation_id = store.conversations.latest_conversation(user.id)
    assert engine.received[-1] == typed_message(conversation_id, text)
    assert engine.received[-1]["message"].encode() == text.encode()
    said = [m for m in store.conversations.chat_messages(conversation_id) if m.direction == "in"]
    assert said[-1].text == text


async def test_a_client_supplied_sender_or_payload_is_ignored(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    path = await start_screening(signed_in)
    response = await post_chat(
        signed_in,
        f"{path}/send",
        text="an answer",
        sender="someone-else",
        conversation_id="someone-elses-conversation",
        reference="A-ZZZZZZ",
        payload="/submit",
        message="/restart",
    )
    assert response.status == 303
    assert engine.received[-1] == typed_message(conversation_of(store, user.id, path), "an answer")


async def test_each_user_talks_in_their_own_conversation(
    client: TestClient, store: Store, user: UserInfo, other_user: UserInfo, engine: FakeEngine
) -> None:
    await sign_in(client, "alice", PASSWORD)
    alices = await start_screening(client)
    await post_chat(client, "/sign-out")
    await sign_in(client, "bob", OTHER_PASSWORD)
    body = await page(client, "/chat")
    assert "Start a new screening" in body and START_REPLIES[0] not in body
    assert alices.removeprefix("/chat/") not in body
    bobs = await start_screening(client)
    senders = [received["sender"] for received in engine.received]
    assert senders == [conversation_of(store, user.id, alices), conversation_of(store, other_user.id, bobs)]
    assert senders[0] != senders[1]


@pytest.mark.parametrize("text", ["", " ", "\r\n\t  \r\n"])
async def test_empty_text_is_refused(signed_in: TestClient, engine: FakeEngine, text: str) -> None:
    path = await start_screening(signed_in)
    response = await post_chat(signed_in, f"{path}/send", text=text)
    assert response.status == 400
    body = await response.text()
    assert EMPTY_TEXT_MESSAGE in body
    assert "<title>Error: " in body and 'href="#text"' in body
    assert engine.messages() == ["/start_assessment"]


async def test_oversize_text_is_refused_and_kept(signed_in: TestClient, engine: FakeEngine) -> None:
    path = await start_screening(signed_in)
    text = "A long account. " * 700  # 11,200 characters
    response = await post_chat(signed_in, f"{path}/send", text=text)
    assert response.status == 400
    body = await response.text()
    assert "Your answer is 11,200 characters long. Answers can be up to 10,000 characters." in body
    assert textarea_text(body) == text
    assert engine.messages() == ["/start_assessment"]


@pytest.mark.parametrize("text", ["/submit", '/inform{"x":1}', "  /restart", "\r\n/stop please", "/"])
async def test_text_starting_with_a_slash_is_refused_and_kept(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine, text: str
) -> None:
    path = await start_screening(signed_in)
    response = await post_chat(signed_in, f"{path}/send", text=text)
    assert response.status == 400
    body = await response.text()
    assert "Messages can&#39;t start with &#39;/&#39;. Add a word before it." in body
    assert COMMAND_TEXT_MESSAGE == "Messages can't start with '/'. Add a word before it."
    assert textarea_text(body) == text
    assert engine.messages() == ["/start_assessment"]
    assert [
        m.direction for m in store.conversations.chat_messages(conversation_of(store, user.id, path))
    ] == ["out", "out"]


async def test_a_slash_later_in_the_text_is_fine(signed_in: TestClient, engine: FakeEngine) -> None:
    path = await start_screening(signed_in)
    assert (await post_chat(signed_in, f"{path}/send", text="and/or /submit")).status == 303
    assert engine.messages()[-1] == "and/or /submit"


async def test_a_nul_character_is_refused_before_anything_is_sent(
    signed_in: TestClient, engine: FakeEngine
) -> None:
    path = await start_screening(signed_in)
    response = await post_chat(signed_in, f"{path}/send", text="before\x00after")
    assert response.status == 400
    assert "NUL character at position 7" in await response.text()
    assert engine.messages() == ["/start_assessment"]


async def test_a_button_with_typed_text_is_refused_and_the_text_kept(
    signed_in: TestClient, engine: FakeEngine
) -> None:
    path = await start_screening(signed_in)
    response = await post_chat(signed_in, f"{path}/send", button="0", text="my own words")
    assert response.status == 400
    body = await response.text()
    assert BOTH_GIVEN_MESSAGE.replace("'", "&#39;") in body
    assert textarea_text(body) == "my own words"
    assert engine.messages() == ["/start_assessment"]


async def test_an_answer_from_an_out_of_date_page_is_refused(
    signed_in: TestClient, engine: FakeEngine
) -> None:
    path = await start_screening(signed_in)
    old_page = await page(signed_in, path)
    assert (await post_chat(signed_in, f"{path}/send", button="0")).status == 303
    # A second click on the same page (or an old tab) must not answer the next question.
    response = await signed_in.post(
        f"{path}/send",
        data={"csrf_token": csrf_from(old_page), "seen": field_value(old_page, "seen"), "button": "0"},
        allow_redirects=False,
    )
    assert response.status == 409
    assert STALE_PAGE_MESSAGE in await response.text()
    assert engine.messages() == ["/start_assessment", BUTTONS[0]["payload"]]


async def test_sending_before_starting_is_refused(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    """A draft the engine never began (it was down when it was opened) takes no answer until started."""
    draft = practitioners(store).open_assessment(user.id, "web", "test-bank")
    path = f"/chat/{draft.reference}"
    body = await page(signed_in, path)
    assert "Start the screening" in body
    response = await signed_in.post(
        f"{path}/send",
        data={"csrf_token": csrf_from(body), "text": "hello", "seen": "0"},
        allow_redirects=False,
    )
    assert response.status == 409
    assert NOT_STARTED_MESSAGE.replace("'", "&#39;") in await response.text()
    assert engine.received == []
    assert store.conversations.chat_messages(draft.conversation_id) == []


@pytest.mark.parametrize("failure", ["stopped", "error status"])
async def test_engine_unavailable_keeps_the_text_and_saves_nothing_new(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine, failure: str
) -> None:
    path = await start_screening(signed_in)
    if failure == "stopped":
        await engine.stop()
    else:
        engine.status = 500
    text = "my answer\r\nin two lines"
    response = await post_chat(signed_in, f"{path}/send", text=text)
    assert response.status == 503
    body = await response.text()
    assert ENGINE_DOWN_MESSAGE in body
    assert textarea_text(body) == text
    assert len(store.conversations.chat_messages(conversation_of(store, user.id, path))) == len(START_REPLIES)


async def test_engine_down_at_start_then_retry_reuses_the_conversation(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    engine.status = 502
    response = await post_chat(signed_in, "/chat/start")
    assert response.status == 503
    body = await response.text()
    assert ENGINE_DOWN_MESSAGE in body
    # The refusal is shown on the new draft's own page, which offers to start it again.
    [draft] = practitioners(store).assessments_of(user.id)
    assert f'action="/chat/{draft.reference}/start"' in body
    opened = draft.conversation_id

    engine.status = 200
    retried = await post_chat(signed_in, f"/chat/{draft.reference}/start")
    assert retried.status == 303 and retried.headers["Location"] == f"/chat/{draft.reference}#latest"
    assert [a.reference for a in practitioners(store).assessments_of(user.id)] == [draft.reference]
    assert [r["sender"] for r in engine.received] == [opened, opened]
    assert START_REPLIES[1] in await page(signed_in, f"/chat/{draft.reference}")
