"""The action server answers only the engine (issue #30): a real action server process on 127.0.0.1,
started as `bot run` starts it, refuses every request without the engine's token (`token=`) or with a wrong
one; the engine's own calls through it are the end-to-end walks (tests/e2e)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from bot.settings import Settings

# What the engine would send to run an action; refused before rasa-sdk reads any of it.
CALL = {
    "next_action": "action_session_start",
    "sender_id": "someone-elses-conversation",
    "tracker": {"sender_id": "someone-elses-conversation", "slots": {}, "events": [], "latest_message": {}},
    "domain": {},
    "version": "3.6.21",
}


def request(settings: Settings, path: str, token: str | None, body: dict | None = None) -> tuple[int, dict]:
    query = "" if token is None else f"?token={token}"
    call = urllib.request.Request(
        f"http://127.0.0.1:{settings.actions_port}{path}{query}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(call, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_a_call_without_the_token_is_refused(action_server: Settings) -> None:
    status, answer = request(action_server, "/webhook", None, CALL)
    assert status == 401
    assert "events" not in answer


def test_a_call_with_a_wrong_token_is_refused(action_server: Settings) -> None:
    wrong = "x" * len(action_server.actions_token)
    assert request(action_server, "/webhook", wrong, CALL)[0] == 401
    assert request(action_server, "/webhook", "", CALL)[0] == 401
    # Nor does the list of actions go out without it.
    assert request(action_server, "/actions", None)[0] == 401


def test_the_engines_token_opens_it_and_the_health_check_needs_none(action_server: Settings) -> None:
    status, actions = request(action_server, "/actions", action_server.actions_token)
    assert status == 200
    assert any(action["name"] == "action_session_start" for action in actions)  # type: ignore[index]
    assert request(action_server, "/health", None)[0] == 200
