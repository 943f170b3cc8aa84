"""`bot run` and its one option, `--scaled` (issue #34), kept out of bot.cli.parser (at its size limit)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_run_command(commands: Any, handler: Callable[..., int], command: Callable[..., Any]) -> None:
    """`command` is bot.cli.parser's _command, so `bot run` gets the same help and defaults as the rest."""
    run: argparse.ArgumentParser = command(
        commands, "run", "start the engine, action server and web app", handler, data_folder=False
    )
    run.add_argument(
        "--scaled",
        action="store_true",
        help="scaled mode (`make run-scaled`): a private PostgreSQL and Redis, two engines, two action "
        "servers and two apps, behind HAProxy on BOT_APP_PORT, round-robin and not sticky",
    )
