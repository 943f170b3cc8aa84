"""The `bot` command against a running product's environment, as the end-to-end tests call it (issue #27).

Most calls read back what the product stored (`assessments export`), or do what an administrator does beside
it (`user add`, `user link-teams`, `audit verify`): their subject is what the command does, so they run the
real `bot.cli` entry in this process (tests/cli/in_process.py, `run_with_environment`) with the product's own
environment, its BOT_ variables exactly, and the repository as working directory, as the console script
would run. A fresh interpreter importing the product costs about 1-1.5 CPU s a call.

`bot_process` starts the real console script, for calls whose subject is the process itself or that must not
swap this process's environment and standard streams: one run while other threads of the test keep working
(a backup taken during walks), or one that starts processes of its own (pg_dump, pg_restore).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from bot.settings import REPO_ROOT
from tests.cli.in_process import as_text, run_with_environment


def bot_in_process(
    env: Mapping[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`bot ARGS` with the product's environment, called in this process; answered as `bot_process` is."""
    return as_text(run_with_environment(env, *args, stdin=stdin, cwd=REPO_ROOT))


def bot_process(
    env: Mapping[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`bot ARGS` as a real process: the console script, with exactly `env`."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "bot"), *args],
        env=dict(env),
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )
