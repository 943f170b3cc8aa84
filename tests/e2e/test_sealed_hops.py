"""Issue #30, sealed hops, against the real product: the engine takes messages only from our app, and each
running process holds only the variables on its own list (read from the kernel, /proc/<pid>/environ)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

from bot.chat.gateway import WEBHOOK_PATH
from tests.e2e.conftest import Product


def post(product: Product, path: str, sender: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(
        f"{product.settings.engine_url}{path}",
        data=json.dumps({"sender": sender, "message": "/rehearsal"}).encode(),
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_engine_refuses_a_message_without_the_apps_token(product: Product) -> None:
    sender = product.open_conversation()
    assert post(product, WEBHOOK_PATH, sender, {}) == 401
    wrong = "Bearer " + "x" * len(product.settings.engine_token)
    assert post(product, WEBHOOK_PATH, sender, {"Authorization": wrong}) == 401
    assert post(product, WEBHOOK_PATH, sender, {"X-Token": product.settings.engine_token}) == 401
    # The open REST channel is gone altogether.
    assert post(product, "/webhooks/rest/webhook", sender, {}) == 404
    assert product.engine_events(sender) == [], "nothing reached the conversation's tracker"
    # The app's own messages, with the token, get through (as every other end-to-end test shows).
    assert isinstance(product.say(sender, "hello"), list)


def environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def test_each_process_holds_only_what_it_needs(product: Product) -> None:
    running = {s.name: environ(s.process.pid) for s in product.services if s.process is not None}
    engine, actions, app = running["engine"], running["actions"], running["app"]
    for secret in ("BOT_DATABASE_URL", "BOT_SESSION_SECRET", "BOT_TEAMS_APP_PASSWORD", "BOT_SERVICE_TOKEN"):
        assert secret not in engine, secret
    for secret in ("BOT_SESSION_SECRET", "BOT_TEAMS_APP_PASSWORD", "BOT_DATABASE_URL", "BOT_ENGINE_TOKEN"):
        assert secret not in actions, secret
    assert engine["BOT_ACTIONS_TOKEN"] == actions["BOT_ACTIONS_TOKEN"] == product.settings.actions_token
    assert engine["BOT_ENGINE_TOKEN"] == product.settings.engine_token
    assert "BOT_ACTIONS_TOKEN" not in app and app["BOT_TEAMS_APP_PASSWORD"]
