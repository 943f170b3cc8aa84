"""The engine's tracker and lock stores from the environment (issue #34): embedded by default, scaled by two
settings, and a bad value stops start-up naming the setting. endpoints.yml reads what these produce."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from bot.engine_stores import RedisLocks, read_engine_stores
from bot.runtime.process_env import engine_variables
from bot.settings import REPO_ROOT, Settings


def test_embedded_mode_is_sqlite_in_the_data_folder_and_in_memory_locks(tmp_path: Path) -> None:
    settings = Settings.from_env({"BOT_DATA_DIR": str(tmp_path)})
    env = engine_variables(settings, "/extensions", {})
    assert env["BOT_TRACKER_URL"] == f"sqlite:///{settings.engine_tracker_db}"
    assert env["BOT_LOCK_STORE"] == "in_memory"


def test_scaled_mode_is_postgresql_and_rasas_redis_lock_store(tmp_path: Path) -> None:
    url = "postgresql://engine:secret@db.internal:5432/tracker"
    stores = read_engine_stores(
        {"BOT_TRACKER_URL": url, "BOT_LOCK_STORE_URL": "redis://locks.internal:6380/2"}, tmp_path
    )
    assert stores.locks == RedisLocks("locks.internal", 6380, 2)
    assert stores.engine_variables() == {
        "BOT_TRACKER_URL": url,
        "BOT_LOCK_STORE": "redis",
        "BOT_LOCK_STORE_HOST": "locks.internal",
        "BOT_LOCK_STORE_PORT": "6380",
        "BOT_LOCK_STORE_DB": "2",
        "BOT_LOCK_STORE_PASSWORD": "",  # none given: Rasa's redis client then sends no AUTH
        "BOT_LOCK_STORE_SSL": "",  # redis://: no TLS (Rasa takes any non-empty string as true)
        "BOT_LOCK_STORE_CA_CERTS": "",
    }


def test_the_redis_password_goes_to_rasas_lock_store_never_into_a_url_or_a_repr(tmp_path: Path) -> None:
    secret = tmp_path / "redis-password"
    secret.write_text("s3cret-for-locks\n")
    secret.chmod(0o600)
    settings = Settings.from_env(
        {"BOT_DATA_DIR": str(tmp_path), "BOT_TRACKER_URL": "postgresql://engine@db/tracker",
         "BOT_LOCK_STORE_URL": "redis://locks.internal:6380/1", "BOT_REDIS_PASSWORD_FILE": str(secret)}
    )  # fmt: skip
    env = engine_variables(settings, "/extensions", {})
    assert env["BOT_LOCK_STORE_PASSWORD"] == "s3cret-for-locks"
    assert "s3cret" not in repr(settings) + repr(settings.engine_stores) + env["BOT_LOCK_STORE_HOST"]


@pytest.mark.engine  # runs the engine environment's Python (Rasa's own reader)
def test_rasa_reads_the_password_from_endpoints_and_an_empty_one_as_none(tmp_path: Path) -> None:
    """What the engine's Rasa makes of endpoints.yml with these values, in the engine's own environment:
    Rasa's YAML reader and lock store factory, run by the engine's Python (never imported by ours)."""
    probe = (
        "import sys; from rasa.core.lock_store import LockStore;"
        "from rasa.core.utils import read_endpoints_from_path;"
        "store = LockStore.create(read_endpoints_from_path(sys.argv[1]).lock_store);"
        "kwargs = store.red.connection_pool.connection_kwargs;"
        "print(type(store).__name__, kwargs.get('port'), kwargs.get('db'), repr(kwargs.get('password')))"
    )
    settings = Settings.from_env({"BOT_DATA_DIR": str(tmp_path)})
    for password, printed in (("s3cret-for-locks", "'s3cret-for-locks'"), ("", "''")):
        stores = read_engine_stores(
            {"BOT_LOCK_STORE_URL": "redis://127.0.0.1:6390/1", "BOT_REDIS_PASSWORD": password}, tmp_path
        )
        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RASA_TELEMETRY_ENABLED": "false"}
        env |= {"BOT_ACTIONS_URL": "http://127.0.0.1:1/webhook", "BOT_ACTIONS_TOKEN": "t"}
        result = subprocess.run(  # the engine's own interpreter
            [str(settings.engine_venv / "bin" / "python"), "-c", probe, str(REPO_ROOT / "endpoints.yml")],
            env=env | stores.engine_variables(), capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.split("\n")[-2] == f"RedisLockStore 6390 1 {printed}"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"BOT_TRACKER_URL": "mysql://x@y/z"}, "BOT_TRACKER_URL"),
        ({"BOT_TRACKER_URL": "/var/tracker.db"}, "BOT_TRACKER_URL"),
        ({"BOT_TRACKER_URL": "postgresql://x@y/z"}, "needs BOT_LOCK_STORE_URL"),
        ({"BOT_LOCK_STORE_URL": "http://redis:6379/1"}, "BOT_LOCK_STORE_URL"),
        ({"BOT_LOCK_STORE_URL": "redis://redis:port/1"}, "BOT_LOCK_STORE_URL"),
        ({"BOT_LOCK_STORE_URL": "redis://redis:6379/one"}, "BOT_LOCK_STORE_URL"),
        ({"BOT_LOCK_STORE_URL": "redis://:pw@redis:6379/1"}, "BOT_LOCK_STORE_URL must not carry a password"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_setting(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    with pytest.raises(SystemExit, match=named):
        Settings.from_env({"BOT_DATA_DIR": str(tmp_path), **env})


def test_endpoints_read_every_variable_the_engine_is_given(tmp_path: Path) -> None:
    """Rasa refuses an unset ${VAR}: each one endpoints.yml names must be in the engine's environment."""
    endpoints = yaml.safe_load((REPO_ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    values = [str(value) for section in endpoints.values() for value in section.values()]
    named = {value[2:-1] for value in values if value.startswith("${")}
    given = engine_variables(Settings.from_env({"BOT_DATA_DIR": str(tmp_path)}), "/extensions", {})
    assert {"BOT_TRACKER_URL", "BOT_LOCK_STORE"} <= named <= set(given), named - set(given)
