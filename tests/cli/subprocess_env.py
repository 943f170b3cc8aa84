"""The environment a `bot` subprocess of the tests gets, built in one place (issue #27).

None of the caller's BOT_ variables (the test says what the command sees), the development tokens, the
suite's data key and its cost profiles (`CLI_ENV`, the same the in-process helper uses): without
BOT_PASSWORD_HASHING a subprocess hashed every password at production cost (about 100 ms a hash, the
quick lane's largest CPU cost). Production refuses the test profiles (bot/production.py), and
tests/cli/test_cli.py::test_without_the_test_profile_the_command_hashes_at_production_cost keeps one real
command hashing with production's parameters.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.cli.in_process import CLI_ENV


def subprocess_env(data_dir: Path, *, production_hashing: bool = False, **extra: str) -> dict[str, str]:
    """`CLI_ENV` and BOT_DATA_DIR over the caller's environment without its BOT_ variables, then `extra`;
    `production_hashing` leaves BOT_PASSWORD_HASHING unset, as it is in production."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("BOT_")}
    env |= CLI_ENV | {"BOT_DATA_DIR": str(data_dir)}
    if production_hashing:
        del env["BOT_PASSWORD_HASHING"]
    return env | extra
