"""A Redis that asks for a password (issue #34): the apps' shared state signs in with BOT_REDIS_PASSWORD
(or its _FILE), and a wrong or missing one stops the app at start with one line naming the setting, never
the password."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.redis_url import RedisAddress
from bot.settings import REPO_ROOT
from bot.shared_state.check import refuse_unless_signed_in
from bot.shared_state.choice import shared_state
from tests.fixtures.redis_server import redis_server

PASSWORD = "right-horse-battery-7f3a"
WRONG = "wrong-horse-battery-0000"


@pytest.fixture(scope="module")
def locked_port() -> Iterator[int]:
    with redis_server(PASSWORD) as port:
        yield port


async def test_the_shared_state_works_with_the_right_password(locked_port: int) -> None:
    refuse_unless_signed_in(RedisAddress("127.0.0.1", locked_port, 3, PASSWORD))
    state = shared_state(RedisAddress("127.0.0.1", locked_port, 3, PASSWORD), lambda: 1_000.0, b"s" * 32)
    try:
        assert await state.deliveries.first_delivery("conversation", "activity")
        assert not await state.deliveries.first_delivery("conversation", "activity")
        async with state.locks.hold(7):
            pass
    finally:
        await state.close()


@pytest.mark.parametrize(("password", "said"), [(WRONG, "was refused"), ("", "is not set")])
def test_a_wrong_or_missing_password_is_one_line_naming_the_setting(
    locked_port: int, password: str, said: str
) -> None:
    with pytest.raises(SystemExit) as refused:
        refuse_unless_signed_in(RedisAddress("127.0.0.1", locked_port, 2, password))
    message = str(refused.value)
    assert message == (
        f"The Redis at BOT_SHARED_STATE_URL (redis://127.0.0.1:{locked_port}/2) refused us: "
        f"BOT_REDIS_PASSWORD (or BOT_REDIS_PASSWORD_FILE) {said}"
        + (", and the server asks for one" if not password else "")
    )
    assert WRONG not in message and PASSWORD not in message


def test_embedded_mode_and_an_unreachable_redis_are_not_refused_at_start(locked_port: int) -> None:
    refuse_unless_signed_in(None)
    with redis_server() as port:
        pass  # stopped: nothing listens there now
    refuse_unless_signed_in(RedisAddress("127.0.0.1", port, 1, PASSWORD))


@pytest.mark.parametrize("password", [WRONG, None])
def test_the_app_stops_at_start_naming_the_setting_never_the_password(
    locked_port: int, tmp_path: Path, password: str | None
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")} | {
        "BOT_DATA_DIR": str(data),
        "BOT_SHARED_STATE_URL": f"redis://127.0.0.1:{locked_port}/2",
    }
    if password is not None:
        secret = tmp_path / "redis-password"
        secret.write_text(password + "\n")
        secret.chmod(0o600)
        env["BOT_REDIS_PASSWORD_FILE"] = str(secret)
    result = subprocess.run(  # the app, as `bot run` starts it
        [sys.executable, "-m", "bot.web"], env=env, cwd=REPO_ROOT, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("The Redis at BOT_SHARED_STATE_URL") and "BOT_REDIS_PASSWORD" in last, output[
        -2000:
    ]
    assert "Traceback" not in output
    assert WRONG not in output and PASSWORD not in output
