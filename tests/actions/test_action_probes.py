"""Issue #35: the action server's /readyz (the store's JSON API answers) and /metrics, on a real action server
process; the store's API is the real app, served on the port the action server is told, only while a test
wants the store up."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request

import pytest
from aiohttp.test_utils import TestServer
from prometheus_client.parser import text_string_to_metric_families

from bot.settings import Settings
from bot.web.app import create_app


def get(settings: Settings, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{settings.actions_port}{path}", timeout=30
        ) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


async def test_ready_only_while_the_store_api_answers(action_server: Settings) -> None:
    status, body = get(action_server, "/readyz")
    assert status == 503
    assert json.loads(body)["down"] == ["store"]

    server = TestServer(create_app(action_server), host="127.0.0.1", port=action_server.app_port)
    await server.start_server()
    try:  # asked from a thread: the app answering the action server runs on this test's event loop
        status, body = await asyncio.to_thread(get, action_server, "/readyz")
        assert status == 200, body
        assert json.loads(body) == {"status": "ready", "checks": {"store": "ok"}}
    finally:
        await server.close()


def test_metrics_parse_and_count_refused_calls_by_route_template(action_server: Settings) -> None:
    # A call to run an action without the engine's token: refused, and counted by the route, not the text.
    call = urllib.request.Request(
        f"http://127.0.0.1:{action_server.actions_port}/webhook?token=wrong-marker",
        data=b'{"next_action": "action_session_start", "sender_id": "conversation-marker"}',
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(call, timeout=30)

    status, body = get(action_server, "/metrics")
    assert status == 200
    values = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }
    assert values[("bot_action_calls_total", (("status", "401"),))] >= 1
    assert values[("bot_http_errors_total", (("route", "/webhook"), ("status", "401")))] >= 1
    assert values[("bot_action_seconds_count", ())] >= 1
    assert "marker" not in body
