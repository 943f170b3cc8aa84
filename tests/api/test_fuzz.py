"""Arbitrary input over a real socket never gets a 5xx: every refusal is a 4xx with a JSON reason."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.api.routes import add_routes
from bot.settings import Settings
from bot.store import db
from bot.store.services import Store
from tests.fixtures.databases import AtHead
from tests.fixtures.hypothesis_lanes import examples

TOKEN = "fuzz-token-" + "9" * 24

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
answer_like = st.fixed_dictionaries(
    {},
    optional={
        "wording": json_values,
        "text": json_values,
        "value": json_values,
        "status": st.sampled_from(["answered", "skipped", "unsure"]) | json_values,
        "source": json_values,
        "fact_date": st.dates().map(str) | json_values,
        "extra": json_values,
    },
)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, at_head: AtHead) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("fuzz")
    settings_ = Settings.from_env(
        {"BOT_DATA_DIR": str(folder), "BOT_SERVICE_TOKEN": TOKEN, "BOT_SESSION_SECRET": "cd" * 32}
    )
    at_head(settings_.database_url)
    sessions = db.make_session_factory(settings_.database_url)
    service = Store(sessions)
    conversation = service.conversations.open_conversation(None, "web")
    service.assessments.start_or_resume(conversation, "2026.1")
    app = web.Application()
    add_routes(app, service.assessments, settings_)

    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = runner.addresses[0][1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/api/v1/conversations/{conversation}"
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result()
    loop.call_soon_threadsafe(loop.stop)
    thread.join()
    loop.close()
    sessions.kw["bind"].dispose()


def send(method: str, url: str, data: bytes | None) -> tuple[int, Any]:
    request = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def assert_sensible(status: int, body: Any) -> None:
    assert status < 500, body
    if status >= 400:
        assert set(body) == {"errors"}
        assert body["errors"]
        assert all(isinstance(v, str) and v for v in body["errors"].values())


@settings(max_examples=examples(200), deadline=None)
@given(
    question_id=json_values | st.text(min_size=1, max_size=20),
    revision=st.integers(min_value=-5, max_value=2**40) | json_values,
    body=answer_like,
)
def test_the_turn_never_fails_on_any_answer(
    base_url: str, question_id: Any, revision: Any, body: Any
) -> None:
    turn = {"answer": {**body, "question_id": question_id, "revision": revision}}
    status, reply = send("POST", f"{base_url}/turn", json.dumps(turn).encode())
    assert_sensible(status, reply)


turn_like = st.fixed_dictionaries(
    {},
    optional={
        "move_to": json_values,
        "start_again": json_values,
        "urgent_message": json_values,
        "urgent_check": st.sampled_from(["confirmed", "not_danger"]) | json_values,
        "urgent_detail": json_values,
        "submit_stage": st.sampled_from(["screening", "full"]) | json_values,
        "extra": json_values,
    },
)


@settings(max_examples=examples(150), deadline=None)
@given(raw=st.binary(max_size=200) | (json_values | turn_like).map(lambda v: json.dumps(v).encode()))
def test_the_turn_never_fails_on_any_bytes(base_url: str, raw: bytes) -> None:
    status, reply = send("POST", f"{base_url}/turn", raw)
    assert_sensible(status, reply)


def test_a_token_that_is_not_utf8_gets_401(base_url: str) -> None:
    host_port = base_url.split("/")[2]
    host, port = host_port.split(":")
    path = "/" + base_url.split("/", 3)[3] + "/assessment"
    request = f"GET {path} HTTP/1.1\r\nHost: {host_port}\r\nConnection: close\r\n".encode()
    request += b"Authorization: Bearer \xff\xfe\xc3(\r\n\r\n"
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(request)
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 401 "), reply[:200]
    assert b'"authorization"' in reply
