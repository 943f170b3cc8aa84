"""BOT_SHARED_STATE_URL: unset is embedded mode; a malformed value stops with one line naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.production import production_problems
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
     "redis://host/1?ssl=true", "redis://host:99999/1"],
)  # fmt: skip
def test_a_malformed_url_is_refused_in_one_line(value: str) -> None:
    with pytest.raises(SystemExit) as refused:
        read_shared_state_url(value)
    message = str(refused.value)
    assert message.startswith("BOT_SHARED_STATE_URL must look like redis://host:port/db")
    assert "\n" not in message


@pytest.mark.parametrize("value", ["redis://:secret@host/1", "redis://user:secret@host:6379/1"])
def test_a_password_in_the_url_is_refused_without_echoing_it(value: str) -> None:
    with pytest.raises(SystemExit) as refused:
        read_shared_state_url(value)
    message = str(refused.value)
    assert message.startswith(
        "BOT_SHARED_STATE_URL must not carry a password: give it as BOT_REDIS_PASSWORD_FILE"
    )
    assert "secret" not in message and "\n" not in message


def test_the_password_comes_from_its_file_and_never_shows(tmp_path: Path) -> None:
    secret = tmp_path / "redis-password"
    secret.write_text("s3cret-for-sessions\n")
    secret.chmod(0o600)
    env = {"BOT_DATA_DIR": str(tmp_path), "BOT_SHARED_STATE_URL": "redis://127.0.0.1:7/3"}
    settings = Settings.from_env(env | {"BOT_REDIS_PASSWORD_FILE": str(secret)})
    assert settings.shared_state is not None and settings.shared_state.password == "s3cret-for-sessions"
    assert "s3cret" not in repr(settings) + settings.shared_state.url
    secret.chmod(0o644)  # a secret file open to others is refused, naming the file, as every other one
    with pytest.raises(SystemExit, match=r"BOT_REDIS_PASSWORD_FILE: .* chmod 600"):
        Settings.from_env(env | {"BOT_REDIS_PASSWORD_FILE": str(secret)})


def test_production_refuses_a_shared_redis_without_a_password(tmp_path: Path) -> None:
    problems = production_problems(
        {"BOT_SHARED_STATE_URL": "redis://r/2", "BOT_LOCK_STORE_URL": "redis://r/1"}
    )
    named = [p for p in problems if p.startswith("BOT_REDIS_PASSWORD")]
    assert named == [
        "BOT_REDIS_PASSWORD (or BOT_REDIS_PASSWORD_FILE) is not set: the password of the Redis that "
        "BOT_SHARED_STATE_URL and BOT_LOCK_STORE_URL name"
    ]
    assert not [p for p in production_problems({"BOT_REDIS_PASSWORD": "x"}) if "REDIS" in p]
    assert not [p for p in production_problems({}) if "REDIS" in p]  # embedded mode has no Redis


def test_settings_read_it(tmp_path: object) -> None:
    settings = Settings.from_env(
        {"BOT_DATA_DIR": str(tmp_path), "BOT_SHARED_STATE_URL": "redis://127.0.0.1:7/3"}
    )
    assert settings.shared_state == RedisAddress("127.0.0.1", 7, 3)
