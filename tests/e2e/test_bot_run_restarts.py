"""Issue #35: `bot run` itself (the console script, as `make run` starts it) keeps the product up when one
process dies. The action server is killed outright with SIGKILL mid-conversation; `bot run` logs which
process and how it ended, starts it again, `/readyz` answers 200 again, and the conversation carries on from
the question it had reached. SIGTERM then stops everything, no process of it and no port left: checked when
the shared `bot run` stops (tests/e2e/bot_run_stack.py).

The `bot run` that tests/e2e/test_bot_run_probes.py uses too, on its own ports and data folder (embedded
mode, as a fresh clone runs), not the session's e2e product: this one is supervised by `bot run`, that one by
the test fixture. The test makes its own conversation and leaves the product whole (the action server
answering again) for whichever test runs next.
"""

from __future__ import annotations

import json
import os
import signal
import urllib.request
from typing import Any

from bot.chat.gateway import WEBHOOK_PATH
from bot.chat.hop_signature import HEADER, sign
from bot.settings import Settings
from bot.store.db import make_session_factory
from bot.store.services import Store
from tests.e2e.bot_run_process import alive, export, readiness
from tests.e2e.bot_run_stack import BotRun, shared_bot_run  # noqa: F401  # the `bot_run` fixture


def press(settings: Settings, sender: str, payload: str) -> list[dict[str, Any]]:
    """A button's payload to the engine's channel, signed as our app signs it."""
    body = json.dumps({"sender": sender, "message": payload}).encode()
    request = urllib.request.Request(
        f"{settings.engine_url}{WEBHOOK_PATH}",
        data=body,
        headers={"Content-Type": "application/json", HEADER: sign(settings.engine_token.encode(), body)},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def text_of(replies: list[dict[str, Any]]) -> str:
    return "\n".join(reply.get("text") or "" for reply in replies)


def first_choice(replies: list[dict[str, Any]]) -> str:
    """The payload of the first answer offered ("No" where offered, so no danger path starts)."""
    buttons = [b for reply in replies for b in reply.get("buttons") or [] if not b["payload"].startswith("/")]
    assert buttons, replies
    titles = [b["title"] for b in buttons]
    return buttons[titles.index("No") if "No" in titles else 0]["payload"]


def test_bot_run_restarts_a_killed_action_server_and_the_chat_carries_on(bot_run: BotRun) -> None:
    settings = bot_run.settings
    assert readiness(settings) == 200
    actions = bot_run.pids_of("actions.server")
    assert len(actions) == 1, bot_run.started

    store = Store(make_session_factory(settings.database_url))
    practitioner = store.users.find_user("dev-practitioner")
    assert practitioner is not None
    sender = store.conversations.open_conversation(practitioner.id, "test")
    replies = press(settings, sender, "/start_assessment")
    assert "question 1 of" in text_of(replies), replies
    replies = press(settings, sender, first_choice(replies))
    asked = text_of(replies)
    assert "question 2 of" in asked, replies

    os.killpg(actions[0], signal.SIGKILL)
    bot_run.wait_for("actions was killed by signal SIGKILL unexpectedly", 30)
    bot_run.wait_for("actions is answering again", 120)
    assert readiness(settings) == 200
    assert not alive(actions[0])
    restarted = bot_run.pids_of("actions.server")
    assert len(restarted) == 1 and restarted != actions

    # The conversation carries on where it was: the next answer is taken and the next question asked.
    replies = press(settings, sender, first_choice(replies))
    assert "question" in text_of(replies) and text_of(replies) != asked, replies  # the next one, asked
    # Both answers are in the store, the second through the restarted action server.
    assert len(export(bot_run.env, f"--conversation={sender}")["answers"]) == 2
