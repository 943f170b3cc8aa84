"""Issue #35: `bot run` itself (the console script, as `make run` starts it) keeps the product up when one
process dies. The action server is killed outright with SIGKILL mid-conversation; `bot run` logs which
process and how it ended, starts it again, `/readyz` answers 200 again, and the conversation carries on from
the question it had reached. SIGTERM then stops everything: no process of it and no port is left.

Its own product on its own ports and data folder (embedded mode, as a fresh clone runs), not the shared
session product: this one is supervised by `bot run`, that one by the test fixture.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from bot.chat.gateway import WEBHOOK_PATH
from bot.chat.hop_signature import HEADER, sign
from bot.runtime.processes import free_port
from bot.settings import REPO_ROOT, Settings
from bot.store.db import make_session_factory
from bot.store.services import Store

BOT = Path(sys.executable).parent / "bot"
PORTS = ("BOT_APP_PORT", "BOT_ENGINE_PORT", "BOT_ACTIONS_PORT", "BOT_DEV_MAIL_PORT")


def children(pid: int) -> dict[int, str]:
    """The processes whose parent is `pid`, with their command lines (from /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = command
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead but still listed until its parent reaps it; its parent here is `bot run`.
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def listening(port: str) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", int(port))) == 0


def wait_for(output: Path, text: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while text not in output.read_text(errors="replace"):
        assert process.poll() is None, f"bot run stopped:\n{output.read_text(errors='replace')[-3000:]}"
        assert time.monotonic() < deadline, f"no {text!r}:\n{output.read_text(errors='replace')[-3000:]}"
        time.sleep(0.2)


def readiness(settings: Settings) -> int:
    return ready_answer(settings)[0]


def ready_answer(settings: Settings, timeout: float = 10) -> tuple[int, dict[str, Any]]:
    """The app's /readyz: its status and its JSON answer (a 503 names what is down)."""
    try:
        with urllib.request.urlopen(f"{settings.app_url}/readyz", timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


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


def bot_run_env(data_dir: Path) -> dict[str, str]:
    """What a fresh clone's `make run` sees: no BOT_ setting but the suite's cheap settings and its data key
    (tests/conftest.py), its own data folder and free ports."""
    keep = ("BOT_PASSWORD_HASHING", "BOT_SQLITE_DURABILITY", "BOT_DATA_KEYS")
    base = {k: v for k, v in os.environ.items() if not k.startswith("BOT_") or k in keep}
    return base | {
        "BOT_DATA_DIR": str(data_dir),
        "BOT_MODELS_DIR": str(REPO_ROOT / "var" / "models"),  # where `make` keeps models, as the e2e product
        **{name: str(free_port()) for name in PORTS},
    }


def start_bot_run(env: dict[str, str], output: Path) -> subprocess.Popen[bytes]:
    """`bot run` in a session of its own (so a stray kill reaches none of the test's processes), its console
    to `output`; returns once it says everything answers."""
    with output.open("wb") as out:
        run = subprocess.Popen(
            [str(BOT), "run"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=REPO_ROOT,
        )
    try:
        wait_for(output, "Press Ctrl-C to stop them all.", run, 600)
    except BaseException:
        stop_bot_run(run, output, {}, env)
        raise
    return run


def stop_bot_run(
    run: subprocess.Popen[bytes], output: Path, started: dict[int, str], env: dict[str, str]
) -> None:
    """SIGTERM, as a platform or Ctrl-C stops it: it exits cleanly, and none of the processes it `started`
    is left alive, nor anything listening on its ports."""
    if run.poll() is None:
        run.send_signal(signal.SIGTERM)
    code = run.wait(timeout=120)
    log = output.read_text(errors="replace")
    assert code == 0, log[-3000:]
    assert "stopped" in log.splitlines()[-1]
    assert [pid for pid in started if alive(pid)] == []
    for name in PORTS:
        assert not listening(env[name]), f"something listens on {name}={env[name]}"


def export(env: dict[str, str], which: str) -> dict[str, Any]:
    """`bot assessments export` of one assessment (`--conversation=…` or `--id=…`), as JSON."""
    exported = subprocess.run(
        [str(BOT), "assessments", "export", which],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO_ROOT,
    )
    return json.loads(exported.stdout)


def dev_password(env: dict[str, str], username: str) -> str:
    """A development account's password, which `bot run` wrote to its data folder's secrets."""
    lines = (Path(env["BOT_DATA_DIR"]) / "secrets" / "dev-sign-ins.txt").read_text().splitlines()
    return next(line.split("\t")[2] for line in lines if line.startswith(f"{username}\t"))


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return bot_run_env(tmp_path / "data")


def test_bot_run_restarts_a_killed_action_server_and_the_chat_carries_on(
    env: dict[str, str], tmp_path: Path
) -> None:
    output = tmp_path / "bot-run.out"
    run = start_bot_run(env, output)
    started: dict[int, str] = {}
    try:
        settings = Settings.from_env(env)
        assert readiness(settings) == 200
        started = children(run.pid)
        actions = [pid for pid, command in started.items() if "actions.server" in command]
        assert len(actions) == 1, started

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
        wait_for(output, "actions was killed by signal SIGKILL unexpectedly", run, 30)
        wait_for(output, "actions is answering again", run, 120)
        assert readiness(settings) == 200
        assert not alive(actions[0])
        restarted = [pid for pid, command in children(run.pid).items() if "actions.server" in command]
        assert len(restarted) == 1 and restarted != actions
        started |= children(run.pid)

        # The conversation carries on where it was: the next answer is taken and the next question asked.
        replies = press(settings, sender, first_choice(replies))
        assert "question" in text_of(replies) and text_of(replies) != asked, replies  # the next one, asked
        # Both answers are in the store, the second through the restarted action server.
        assert len(export(env, f"--conversation={sender}")["answers"]) == 2
    finally:
        stop_bot_run(run, output, started, env)
