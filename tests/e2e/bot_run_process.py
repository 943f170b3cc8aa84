"""`bot run` (the console script `make run` starts) as the end-to-end tests drive it: started on free ports
with a data folder of its own, its processes read from /proc, its console waited on, its `/readyz` read,
and stopped with SIGTERM, checked: it exits cleanly and leaves no process and no port behind.

Embedded mode, as a fresh clone runs: no BOT_ setting but the suite's cheap settings and its data key.
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

from bot.runtime.processes import free_port
from bot.settings import REPO_ROOT, Settings

BOT = Path(sys.executable).parent / "bot"
PORTS = ("BOT_APP_PORT", "BOT_ENGINE_PORT", "BOT_ACTIONS_PORT", "BOT_DEV_MAIL_PORT")
READY = "Press Ctrl-C to stop them all."


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
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:  # reaped between the two looks
        return False


def listening(port: str) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", int(port))) == 0


def wait_for(
    output: Path, text: str, process: subprocess.Popen[bytes], seconds: float, since: int = 0
) -> None:
    """Until `text` is in what `process` printed to `output` from byte `since` on (so that what an earlier
    test of a shared `bot run` made it say does not count)."""
    deadline = time.monotonic() + seconds
    while text not in (said := said_since(output, since)):
        assert process.poll() is None, f"bot run stopped:\n{said[-3000:]}"
        assert time.monotonic() < deadline, f"no {text!r}:\n{said[-3000:]}"
        time.sleep(0.2)


def said_since(output: Path, since: int) -> str:
    with output.open("rb") as log:
        log.seek(since)
        return log.read().decode(errors="replace")


def readiness(settings: Settings) -> int:
    return ready_answer(settings)[0]


def ready_answer(settings: Settings, timeout: float = 10) -> tuple[int, dict[str, Any]]:
    """The app's /readyz: its status and its JSON answer (a 503 names what is down)."""
    try:
        with urllib.request.urlopen(f"{settings.app_url}/readyz", timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


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
        wait_for(output, READY, run, 600)
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
