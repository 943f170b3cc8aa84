"""StoreClient against a real server on a free port (and a real proxy that drops connections on purpose)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from datetime import date

import pytest
from aiohttp import web

from bot.domain.records import AnswerIn, TurnIn, UrgentDetailIn
from bot.store.services import Store
from bot.store_client import NO_RESPONSE, StoreClient, StoreClientError
from tests import builders
from tests.builders import answer_in

TOKEN = "test-service-token-" + "7" * 20  # as in conftest.py

TEXT = "  She wrote: “they deserve it” 🔥\r\n\u200b(then deleted it)  "


@pytest.fixture
async def server_url(app: web.Application) -> AsyncIterator[str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}"
    await runner.cleanup()


class DroppingProxy:
    """Forwards TCP to the store, except that it hangs up on the first `drops` connections it accepts."""

    def __init__(self, target_port: int, drops: int) -> None:
        self.target_port = target_port
        self.drops = drops
        self.accepted = 0
        self.server: asyncio.Server | None = None
        self.writers: list[asyncio.StreamWriter] = []

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        self.writers.append(writer)
        if self.accepted <= self.drops:
            await reader.read(1)  # wait for the request to start, then hang up without answering
            writer.transport.abort()
            return
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self.writers.append(up_writer)

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def close(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in self.writers:
            writer.close()
        await self.server.wait_closed()


@pytest.fixture
async def client(server_url: str) -> AsyncIterator[StoreClient]:  # type: ignore[override]
    async with StoreClient(server_url, TOKEN, retry_delay_seconds=0.01) as client:
        yield client


async def test_a_whole_assessment_through_the_client(
    client: StoreClient, conversation: str, service: Store
) -> None:
    assert await client.health() == {"status": "ok"}
    record = await client.start_or_resume(conversation, "2026.1", mode="rehearsal")
    assert (record.mode, record.answers) == ("rehearsal", {})

    first = answer_in("q1", TEXT, wording="What happened?", fact_date=date(2026, 2, 27))
    recorded = await client.apply_turn(conversation, TurnIn(answer=first))
    assert recorded.answers["q1"].text == TEXT
    assert await client.apply_turn(conversation, TurnIn(answer=first)) == recorded, "a replay changes nothing"
    typed = AnswerIn(
        question_id="q2",
        revision=1,
        wording="When?",
        text="last Tuesday",
        value="2026-02-24",
        status="answered",
        source="seen first-hand",
        fact_date=date(2026, 2, 24),
    )
    moved = await client.apply_turn(conversation, TurnIn(answer=typed, move=True, move_to="__review__"))
    assert (moved.answers["q2"].fact_date, moved.current_question_id) == (date(2026, 2, 24), "__review__")
    assert (await client.apply_turn(conversation, TurnIn(urgent_message="knife"))).urgent is True
    assert (await client.apply_turn(conversation, TurnIn(submit=True))).status == "submitted"
    fetched = await client.get_assessment(conversation)
    assert list(fetched.answers) == ["q1", "q2"]
    assert fetched.answers["q2"].fact_date == date(2026, 2, 24)
    stored = service.assessments.get_assessment(conversation_id=conversation)
    assert stored is not None
    assert stored.answers["q1"].text == TEXT
    assert fetched == stored, "the client decodes the reply into the very record the store returned"


async def test_refusals_carry_status_and_fields(client: StoreClient, conversation: str) -> None:
    with pytest.raises(StoreClientError) as caught:
        await client.get_assessment("no-such-conversation")
    assert caught.value.status == 404
    assert "conversation_id" in caught.value.fields

    await client.start_or_resume(conversation, "2026.1")
    await client.apply_turn(conversation, TurnIn(answer=answer_in("q1", "first words")))
    with pytest.raises(StoreClientError) as caught:
        await client.apply_turn(conversation, TurnIn(answer=answer_in("q1", "other words")))
    assert caught.value.status == 409
    assert set(caught.value.fields) == {"revision"}
    assert "new revision" in caught.value.message

    await client.apply_turn(conversation, TurnIn(submit=True))
    with pytest.raises(StoreClientError) as caught:
        await client.apply_turn(conversation, TurnIn(move=True, move_to="q2"))
    assert caught.value.status == 409
    assert "already submitted" in caught.value.fields["status"]


async def test_a_wrong_token_is_refused(server_url: str, conversation: str) -> None:
    async with StoreClient(server_url, "wrong") as client:
        with pytest.raises(StoreClientError) as caught:
            await client.start_or_resume(conversation, "2026.1")
    assert caught.value.status == 401
    assert "authorization" in caught.value.fields


async def test_one_connection_serves_many_calls(server_url: str, conversation: str) -> None:
    proxy = DroppingProxy(int(server_url.rsplit(":", 1)[1]), drops=0)
    async with StoreClient(await proxy.start(), TOKEN) as client:
        await client.start_or_resume(conversation, "2026.1")
        for _ in range(5):
            await client.get_assessment(conversation)
    await proxy.close()
    assert proxy.accepted == 1


async def test_idempotent_calls_are_retried_after_a_dropped_connection(
    server_url: str, conversation: str, service: Store
) -> None:
    proxy = DroppingProxy(int(server_url.rsplit(":", 1)[1]), drops=2)
    async with StoreClient(await proxy.start(), TOKEN, retries=2, retry_delay_seconds=0.01) as client:
        record = await client.start_or_resume(conversation, "2026.1")
    await proxy.close()
    assert proxy.accepted == 3
    assert record.conversation_id == conversation
    assert service.assessments.get_assessment(conversation_id=conversation) is not None


async def test_flagging_urgent_is_never_retried(server_url: str, conversation: str, service: Store) -> None:
    service.assessments.start_or_resume(conversation, "2026.1")
    proxy = DroppingProxy(int(server_url.rsplit(":", 1)[1]), drops=1)
    async with StoreClient(await proxy.start(), TOKEN, retries=2, retry_delay_seconds=0.01) as client:
        with pytest.raises(StoreClientError) as caught:
            await client.apply_turn(conversation, TurnIn(urgent_message="knife"))
    await proxy.close()
    assert caught.value.status == NO_RESPONSE
    assert proxy.accepted == 1
    assert service.assessments.get_assessment(conversation_id=conversation).urgent is False  # type: ignore[union-attr]


async def test_a_turn_adding_a_danger_follow_up_reply_is_never_retried(
    server_url: str, conversation: str, service: Store
) -> None:
    service.assessments.start_or_resume(conversation, "2026.1")
    builders.report_danger(service, conversation, "knife")
    detail = UrgentDetailIn(question_id="happening_now", wording="What is happening now?", text="in the hall")
    proxy = DroppingProxy(int(server_url.rsplit(":", 1)[1]), drops=1)
    async with StoreClient(await proxy.start(), TOKEN, retries=2, retry_delay_seconds=0.01) as client:
        with pytest.raises(StoreClientError) as caught:
            await client.apply_turn(conversation, TurnIn(urgent_detail=detail))
    await proxy.close()
    assert caught.value.status == NO_RESPONSE
    assert proxy.accepted == 1
    record = service.assessments.get_assessment(conversation_id=conversation)
    assert record is not None and [m.text for m in record.urgent_messages] == ["knife"]


async def test_an_unreachable_store_is_reported_not_raised_raw() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and has nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with StoreClient(f"http://127.0.0.1:{port}", TOKEN, retries=1, retry_delay_seconds=0.01) as client:
        with pytest.raises(StoreClientError) as caught:
            await client.get_assessment("anything")
    assert caught.value.status == NO_RESPONSE
    assert "could not reach the store" in caught.value.message


async def test_a_store_that_never_answers_times_out() -> None:
    held: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        await reader.read(65536)  # and never answer

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with StoreClient(f"http://127.0.0.1:{port}", TOKEN, timeout_seconds=0.2) as client:
        with pytest.raises(StoreClientError) as caught:
            await client.apply_turn("c1", TurnIn(submit=True))
    server.close()
    for writer in held:
        writer.close()
    await server.wait_closed()
    assert caught.value.status == NO_RESPONSE
    assert "did not answer in time" in caught.value.message


async def test_ids_are_escaped_in_urls(client: StoreClient) -> None:
    with pytest.raises(StoreClientError) as caught:
        await client.get_assessment("a/b?c#d e")
    assert caught.value.status == 404  # reached the handler as one id, not another route


async def test_close_is_safe_twice_and_the_client_reopens(client: StoreClient) -> None:
    await client.close()
    await client.close()
    assert await client.health() == {"status": "ok"}
