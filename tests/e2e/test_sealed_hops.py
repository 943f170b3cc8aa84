"""Issue #30, sealed hops, against the real product: the engine takes messages only from our app, and each
running process holds only the variables on its own list (read from the kernel, /proc/<pid>/environ)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path

from bot.chat.gateway import WEBHOOK_PATH
from bot.chat.hop_signature import HEADER, sign
from tests.e2e.conftest import Product
from tests.engine.engine_signed_hop import signed_hop

WINDOW_SECONDS = signed_hop.WINDOW_SECONDS


def rehearsal_body(sender: str) -> bytes:
    return json.dumps({"sender": sender, "message": "/rehearsal"}).encode()


def post(product: Product, path: str, sender: str, headers: dict[str, str], body: bytes | None = None) -> int:
    request = urllib.request.Request(
        f"{product.settings.engine_url}{path}",
        data=rehearsal_body(sender) if body is None else body,
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_engine_refuses_a_message_without_the_apps_signature(product: Product) -> None:
    sender = product.open_conversation()
    key = product.settings.engine_token.encode()
    body = rehearsal_body(sender)
    assert post(product, WEBHOOK_PATH, sender, {}) == 401
    # The token itself, as the plain shared token the channel used to take, is no longer enough.
    assert (
        post(product, WEBHOOK_PATH, sender, {"Authorization": f"Bearer {product.settings.engine_token}"})
        == 401
    )
    assert post(product, WEBHOOK_PATH, sender, {HEADER: sign(b"x" * len(key), body)}) == 401  # wrong key
    stale = int(time.time()) - 2 * WINDOW_SECONDS
    assert post(product, WEBHOOK_PATH, sender, {HEADER: sign(key, body, timestamp=stale)}) == 401
    # A signature taken from one message does not carry another body.
    other = json.dumps({"sender": sender, "message": "hello"}).encode()
    assert post(product, WEBHOOK_PATH, sender, {HEADER: sign(key, other)}, body=body) == 401
    # The open REST channel is gone altogether.
    assert post(product, "/webhooks/rest/webhook", sender, {}) == 404
    assert product.engine_events(sender) == [], "nothing reached the conversation's tracker"
    # The app's own messages, signed, get through (as every other end-to-end test shows).
    assert isinstance(product.say(sender, "hello"), list)


def test_a_captured_message_sent_again_is_refused(product: Product) -> None:
    sender = product.open_conversation()
    body = json.dumps({"sender": sender, "message": "hello"}).encode()
    captured = {HEADER: sign(product.settings.engine_token.encode(), body)}
    assert post(product, WEBHOOK_PATH, sender, captured, body=body) == 200
    events = product.engine_events(sender)
    assert post(product, WEBHOOK_PATH, sender, captured, body=body) == 401
    assert product.engine_events(sender) == events, "the replay reached nothing"


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
