"""BOT_SHARED_STATE_URL: unset is embedded mode; a malformed value stops with one line naming it."""

from __future__ import annotations

import pytest

from bot.settings import Settings
from bot.shared_state.url import RedisAddress, read_shared_state_url


def test_unset_is_embedded_mode() -> None:
    assert read_shared_state_url("") is None
    assert read_shared_state_url("  ") is None


def test_a_redis_url_names_host_port_and_database() -> None:
    assert read_shared_state_url("redis://127.0.0.1:6380/2") == RedisAddress("127.0.0.1", 6380, 2)
    assert read_shared_state_url("redis://cache") == RedisAddress("cache", 6379, 0)


@pytest.mark.parametrize(
    "value",
    ["http://127.0.0.1:6379/1", "redis://", "redis://host:notaport/1", "redis://host:6379/db",
     "redis://:secret@host/1", "redis://host/1?ssl=true", "redis://host:99999/1"],
)  # fmt: skip
def test_a_malformed_url_is_refused_in_one_line(value: str) -> None:
    with pytest.raises(SystemExit) as refused:
        read_shared_state_url(value)
    message = str(refused.value)
    assert message.startswith("BOT_SHARED_STATE_URL must look like redis://host:port/db")
    assert "\n" not in message


def test_settings_read_it(tmp_path: object) -> None:
    settings = Settings.from_env(
        {"BOT_DATA_DIR": str(tmp_path), "BOT_SHARED_STATE_URL": "redis://127.0.0.1:7/3"}
    )
    assert settings.shared_state == RedisAddress("127.0.0.1", 7, 3)
