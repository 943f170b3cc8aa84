"""The engine gateway against a stand-in engine on a real port."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from web_helpers import BUTTONS, START_REPLIES, FakeEngine

from bot.chat.gateway import (
    COMMAND_TEXT_MESSAGE,
    EMPTY_TEXT_MESSAGE,
    BotReply,
    EngineError,
    EngineGateway,
    EngineUnavailable,
    TypedTextRefused,
    typed_text_problem,
)
from bot.domain.limits import MAX_ANSWER_CHARS
from tests.engine.engine_signed_hop import signed_hop


@pytest.fixture
async def gateway(engine: FakeEngine) -> AsyncIterator[EngineGateway]:
    gateway = EngineGateway(f"http://127.0.0.1:{engine.port}", "engine-token-for-tests", timeout=10)
    yield gateway
    await gateway.close()


async def test_send_posts_sender_and_message_and_reads_replies(
    gateway: EngineGateway, engine: FakeEngine
) -> None:
    replies = await gateway.send("conversation-1", "/start_assessment")
    assert engine.received == [{"sender": "conversation-1", "message": "/start_assessment"}]
    # Every message is signed over its exact body with the engine's token: its channel refuses any other
    # (issue #30). Checked with the engine's own code.
    [(header, raw)] = engine.signed
    checker = signed_hop.SignatureChecker(b"engine-token-for-tests")
    assert checker.problem(header, raw) is None
    assert replies == [BotReply(START_REPLIES[0], []), BotReply(START_REPLIES[1], BUTTONS)]
    # The same gateway keeps working for later messages (one session, reused).
    assert (await gateway.send("conversation-1", "hello"))[0].text == "Echo: hello"


async def test_an_error_status_is_an_engine_error(gateway: EngineGateway, engine: FakeEngine) -> None:
    engine.status = 500
    with pytest.raises(EngineError, match="HTTP 500") as raised:
        await gateway.send("c", "hello")
    assert not isinstance(raised.value, EngineUnavailable)


async def test_an_answer_that_is_not_json_is_an_error(gateway: EngineGateway, engine: FakeEngine) -> None:
    engine.raw_body = "<html>proxy error</html>"
    with pytest.raises(EngineError, match="not JSON"):
        await gateway.send("c", "hello")
    engine.raw_body = '{"text": "not a list"}'
    with pytest.raises(EngineError, match="not a list"):
        await gateway.send("c", "hello")


async def test_a_stopped_engine_is_unavailable(gateway: EngineGateway, engine: FakeEngine) -> None:
    await engine.stop()
    with pytest.raises(EngineUnavailable, match="cannot reach the engine"):
        await gateway.send("c", "hello")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", EMPTY_TEXT_MESSAGE),
        (" \r\n\t", EMPTY_TEXT_MESSAGE),
        ("/submit", COMMAND_TEXT_MESSAGE),
        (' /inform{"x":1}', COMMAND_TEXT_MESSAGE),
        ("\u00a0/restart", COMMAND_TEXT_MESSAGE),  # the engine trims Unicode spaces too
        ("y" * (MAX_ANSWER_CHARS + 1), "Your answer is 10,001 characters long."),
    ],
)
async def test_send_typed_refuses_without_sending(
    gateway: EngineGateway, engine: FakeEngine, text: str, message: str
) -> None:
    with pytest.raises(TypedTextRefused) as raised:
        await gateway.send_typed("c", text)
    assert raised.value.message.startswith(message)
    assert engine.received == []


async def test_send_typed_sends_ordinary_text_unchanged(gateway: EngineGateway, engine: FakeEngine) -> None:
    text = "  I saw this / heard that\r\n"
    await gateway.send_typed("c", text)
    # Sent twice: as the message (which the engine will trim) and untouched in the metadata.
    assert engine.received == [{"sender": "c", "message": text, "metadata": {"typed_text": text}}]
    assert typed_text_problem(text) is None
