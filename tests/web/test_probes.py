"""Issue #35: /healthz, /readyz and /metrics on the app, through the real app with a real SQLite store, the
stand-in engine on a real port and a real action server process (stopped by the test to make it down)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from web_helpers import (
    PASSWORD,
    FakeEngine,
    make_settings,
    metric_samples,
    post_chat,
    sign_in,
    start_screening,
)

from bot.domain.records import UserInfo
from bot.runtime import processes
from bot.runtime.data_folder import make_private
from bot.runtime.process_env import actions_env
from bot.settings import Settings
from bot.store.services import Store
from bot.web.app import create_app
from tests.builders import report_danger

TYPED = "metrics-marker-7Q2 the boy said he had a knife"


@pytest.fixture
def action_server(tmp_path: Path) -> Iterator[processes.Service]:
    """A real action server on a free port, as `bot run` starts it; the test may stop it."""
    data_dir = tmp_path / "actions-data"
    settings = Settings.from_env(
        {"BOT_DATA_DIR": str(data_dir), "BOT_ACTIONS_PORT": str(processes.free_port())}
    )
    (data_dir / "logs").mkdir()
    make_private(data_dir)
    service = processes.Service(
        "actions",
        [sys.executable, "-m", "actions.server"],
        actions_env(settings),
        f"http://127.0.0.1:{settings.actions_port}/health",
        data_dir / "logs" / "actions.log",
    )
    with processes.running([service], timeout=120):
        yield service


async def test_liveness_answers_ok(client: TestClient) -> None:
    response = await client.get("/healthz")
    assert response.status == 200 and await response.text() == "ok"


async def test_readiness_names_the_stopped_action_server_then_the_stopped_engine(
    tmp_path: Path, database_url: str, store: Store, engine: FakeEngine, action_server: processes.Service
) -> None:
    port = action_server.health_url.split(":")[2].split("/")[0]
    settings = make_settings(tmp_path, database_url, engine.port, BOT_ACTIONS_PORT=port)
    async with TestClient(TestServer(create_app(settings, store))) as client:
        response = await client.get("/readyz")
        assert response.status == 200, await response.text()
        assert await response.json() == {
            "status": "ready",
            "checks": {"database": "ok", "engine": "ok", "action_server": "ok"},
        }

        processes.stop(action_server)
        response = await client.get("/readyz")
        assert response.status == 503
        answer = await response.json()
        assert answer["down"] == ["action_server"]
        assert answer["checks"]["database"] == "ok" and answer["checks"]["engine"] == "ok"

        await engine.stop()
        response = await client.get("/readyz")
        assert response.status == 503
        assert (await response.json())["down"] == ["engine", "action_server"]


async def test_metrics_move_with_a_chat_turn_and_carry_no_case_content(
    client: TestClient, store: Store, user: UserInfo
) -> None:
    signed_in = client
    before = metric_samples(await (await signed_in.get("/metrics")).text())
    await sign_in(signed_in, "alice", "not the password")  # one refused sign-in
    assert (await sign_in(signed_in, "alice", PASSWORD)).status == 303
    assert before[("bot_urgent_notices", (("state", "pending"),))] == 0
    assert before[("bot_urgent_notices", (("state", "failed"),))] == 0

    chat_path = await start_screening(signed_in)
    response = await post_chat(signed_in, f"{chat_path}/send", text=TYPED)
    assert response.status == 303
    await signed_in.get("/chat/A-ZZZZZZ")  # someone else's or nobody's: refused, counted by template
    lead = store.users.create_user("lena", PASSWORD, "lead", "North team", email="lena@example.invalid")
    reference = chat_path.removeprefix("/chat/")
    conversation = store.conversations.latest_conversation(user.id)
    assert conversation is not None
    report_danger(store, conversation, "Danger reported: " + TYPED)

    response = await signed_in.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    body = await response.text()
    after = metric_samples(body)
    replied = ("bot_messages_handled_total", (("outcome", "replied"),))
    assert after[replied] >= before.get(replied, 0) + 2  # the start command and the typed answer
    assert after[("bot_reply_seconds_count", ())] >= 2
    assert after[("bot_sign_in_failures_total", (("reason", "refused"),))] == 1
    assert after[("bot_urgent_notices", (("state", "pending"),))] >= 1
    routes = {dict(labels).get("route") for name, labels in after if name == "bot_http_errors_total"}
    assert "/chat/{reference}" in routes
    for secret in (reference, "A-ZZZZZZ", "alice", lead.username, "metrics-marker", "knife", PASSWORD):
        assert secret not in body


async def test_metrics_are_refused_from_an_address_not_allowed(
    tmp_path: Path, database_url: str, store: Store, engine: FakeEngine
) -> None:
    settings = make_settings(tmp_path, database_url, engine.port, BOT_METRICS_ALLOW="10.0.0.0/8")
    async with TestClient(TestServer(create_app(settings, store))) as client:
        response = await client.get("/metrics")
        assert response.status == 403
        assert "bot_" not in await response.text()
        # A forwarded address is believed only from a trusted proxy, and the test client is not one.
        response = await client.get("/metrics", headers={"X-Forwarded-For": "10.1.2.3"})
        assert response.status == 403
