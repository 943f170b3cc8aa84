"""Issue #35: the logs of a walk through the real product are JSON lines, carry one request id across the
app, the engine and the action server for a message, and hold nothing the practitioner typed.

The engine's own log is Rasa's plain text (its logging is Rasa's to configure), so only the app's and the
action server's lines are parsed as JSON; the engine's gateway channel still logs the same request id.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from pathlib import Path

import aiohttp

from bot.request_ids import HEADER
from tests.e2e.conftest import Product
from tests.e2e.web_practitioner import CONTROLS, WebPractitioner
from tests.web.web_helpers import sign_in


def json_lines(path: Path) -> list[dict[str, object]]:
    text = path.read_text(encoding="utf-8")
    # A line still being written (no newline yet) is read next time, not judged half-written.
    complete = text if text.endswith("\n") else text[: text.rfind("\n") + 1]
    lines = [line for line in complete.splitlines() if line.strip()]
    parsed = []
    for number, line in enumerate(lines, 1):
        try:
            parsed.append(json.loads(line))
        except ValueError as error:
            raise AssertionError(f"{path.name} line {number} is not JSON: {line[:200]!r}") from error
    return parsed


async def settled_lines(
    logs: Path, request_id: str, reference: str
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The app's and action server's lines once the message's own lines are written.

    aiohttp writes its access line after the response has gone out, so a client can hold the redirect before
    the line is in the file: read again (for a few seconds at most) rather than race the server's logger.
    """
    deadline = time.monotonic() + 10
    while True:
        app, actions = json_lines(logs / "app.log"), json_lines(logs / "actions.log")
        mine = [str(line["message"]) for line in app if line["request_id"] == request_id]
        if any(m.startswith(f"POST /chat/{reference}/send ") for m in mine) or time.monotonic() > deadline:
            return app, actions
        await asyncio.sleep(0.1)


async def test_a_walks_logs_parse_share_one_request_id_and_hold_no_typed_text(product: Product) -> None:
    marker = f"logmarker-{secrets.token_hex(6)}"
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, product.practitioner, product.password)).status == 303
        me = WebPractitioner(client)
        reference = await me.start_new()
        for _ in range(30):  # choices until the first question that takes typed text
            chat = await me.page(reference)
            if not [title for _, title in (*chat.ticks, *chat.buttons) if title not in CONTROLS]:
                break
            await me.answer(reference)
        else:
            raise AssertionError("no question that takes typed text was reached")
        sent = await me.type(reference, f"He told me {marker} and then left.")
        assert sent.status == 303, await sent.text()
        request_id = sent.headers[HEADER]

    logs = product.settings.data_dir / "logs"
    app, actions = await settled_lines(logs, request_id, reference)
    assert {line["service"] for line in app} == {"app"}
    assert {line["service"] for line in actions} == {"actions"}
    assert all({"time", "level", "logger", "message", "request_id"} <= line.keys() for line in app + actions)
    # The typed message's id: in the app's access line and its engine call, the engine's gateway line and
    # each action the engine asked the action server to run for it.
    app_lines = [str(line["message"]) for line in app if line["request_id"] == request_id]
    assert any(m.startswith("message to the engine: replied") for m in app_lines), app_lines
    assert any(m.startswith(f"POST /chat/{reference}/send 303") for m in app_lines), app_lines
    action_lines = [str(line["message"]) for line in actions if line["request_id"] == request_id]
    assert any(m.startswith("running ") for m in action_lines), action_lines
    assert f"request id {request_id}" in (logs / "engine.log").read_text(encoding="utf-8")

    data_files = [path for path in product.settings.data_dir.rglob("*.log") if path.is_file()]
    assert {"app.log", "actions.log", "engine.log"} <= {path.name for path in data_files}
    for path in data_files:
        assert marker not in path.read_text(encoding="utf-8", errors="replace"), path
