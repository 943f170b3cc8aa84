"""Issue #30: `bot run` in production, as a subprocess of the real console script.

With nothing configured it stops within 30 s, names every missing item, and leaves no process or port behind.
With everything given it creates no development account and refuses a store that has one. Starting the whole
product needs the trained model and the engine (the end-to-end tests do that), so the "everything given" run
here points BOT_ENGINE_VENV at an empty folder: `bot run` goes through every production check and the
schema check (on a store as `bot db upgrade`, the one-off step, leaves it: migrated and private; the step
itself runs for real in tests/cli/test_schema_gate.py), then stops where it would train. The app itself is
then started alone (`python -m bot.web`, the process `bot run` starts) in production and answers over real
HTTP on 127.0.0.1 with HSTS and a Secure cookie.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.runtime.processes import free_port
from bot.runtime.supervisor import DEV_ACCOUNTS
from bot.store.db import make_session_factory
from bot.store.services import Store
from tests.fixtures.databases import MigratedSqlite

BOT = Path(sys.executable).parent / "bot"
REPO = Path(__file__).resolve().parents[2]


def clean_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("BOT_")}
    return env | {"BOT_ENV": "production"} | extra


def ports() -> dict[str, str]:
    return {
        name: str(free_port())
        for name in ("BOT_APP_PORT", "BOT_ENGINE_PORT", "BOT_ACTIONS_PORT", "BOT_DEV_MAIL_PORT")
    }


def everything(tmp_path: Path) -> dict[str, str]:
    secret = tmp_path / "session-secret"
    secret.write_text("cd" * 32)
    secret.chmod(0o600)
    data_keys = tmp_path / "data-keys"  # outside the data folder, as production requires (issue #31)
    data_keys.write_text("prod1:" + "5a" * 32)
    data_keys.chmod(0o600)
    return {
        "BOT_DATA_KEYS_FILE": str(data_keys),
        "BOT_DATA_DIR": str(tmp_path / "data"),
        "BOT_SESSION_SECRET_FILE": str(secret),
        "BOT_SERVICE_TOKEN": "production-test-token",
        "BOT_ENGINE_TOKEN": "production-engine-token",
        "BOT_ACTIONS_TOKEN": "production-actions-token",
        "BOT_PUBLIC_URL": "https://assess.example.org",
        "BOT_SMTP_URL": "smtp://127.0.0.1:9",  # nothing is sent in these tests
        "BOT_MODEL_CACHE": "off",
        "BOT_ENGINE_VENV": str(tmp_path / "no-engine"),
        "BOT_CONTROLLER_NAME": "Example Borough Council",
        "BOT_DPO_CONTACT": "dpo@council.example",
        "BOT_ICO_REGISTRATION": "Z1234567",
        "BOT_ACCESSIBILITY_CONTACT": "accessibility@council.example",
    } | ports()


def bot_run(env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], int]:
    process = subprocess.Popen(
        [str(BOT), "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    out, err = process.communicate(timeout=30)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err), process.pid


def listening(port: str) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", int(port))) == 0


def assert_nothing_left(pid: int, env: dict[str, str]) -> None:
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)  # no process of its group (it and anything it spawned) is alive
    for name in ("BOT_APP_PORT", "BOT_ENGINE_PORT", "BOT_ACTIONS_PORT", "BOT_DEV_MAIL_PORT"):
        assert not listening(env[name]), f"something listens on {name}={env[name]}"


def store_users(data_dir: Path) -> list[str]:
    store = Store(make_session_factory(f"sqlite:///{data_dir / 'store.db'}"))
    return [name for name, _role in DEV_ACCOUNTS if store.users.find_user(name) is not None]


def test_nothing_configured_stops_naming_everything_missing(tmp_path: Path) -> None:
    env = clean_env(BOT_DATA_DIR=str(tmp_path / "data"), **ports())
    result, pid = bot_run(env)
    assert result.returncode != 0
    for name in (
        "BOT_SESSION_SECRET",
        "BOT_SERVICE_TOKEN",
        "BOT_ENGINE_TOKEN",
        "BOT_ACTIONS_TOKEN",
        "BOT_PUBLIC_URL",
        "BOT_SMTP_URL",
    ):
        assert name in result.stderr
    assert result.stderr.count("BOT_ENV=production: cannot start") == 1  # one message
    assert "generated" not in result.stderr + result.stdout  # no development secret made or printed
    assert not (tmp_path / "data").exists()
    assert_nothing_left(pid, env)


def upgraded_store(migrated_sqlite: MigratedSqlite, data_dir: Path) -> str:
    """The store as the one-off step production needs before a start (issue #35: start-up there only checks
    the schema), `bot db upgrade`, leaves it on SQLite: at the head revision, the folder 0700 and the file
    0600. A copy of the suite's migrated template, as the command itself costs a process start."""
    data_dir.mkdir(mode=0o700, exist_ok=True)
    url = migrated_sqlite(data_dir / "store.db")
    (data_dir / "store.db").chmod(0o600)
    return url


def test_everything_given_creates_no_development_account(
    tmp_path: Path, migrated_sqlite: MigratedSqlite
) -> None:
    env = clean_env(**everything(tmp_path))
    upgraded_store(migrated_sqlite, tmp_path / "data")
    result, pid = bot_run(env)
    # Past every production check and the schema check, it stops where it would train the model.
    assert "database is at the latest migration" in result.stdout
    assert "engine environment is missing" in result.stderr and result.returncode != 0
    assert store_users(tmp_path / "data") == []
    assert not (tmp_path / "data" / "secrets").exists()
    assert "password" not in result.stdout
    assert_nothing_left(pid, env)


def test_a_store_with_development_accounts_is_refused_by_name(
    tmp_path: Path, migrated_sqlite: MigratedSqlite
) -> None:
    env = clean_env(**everything(tmp_path))
    url = upgraded_store(migrated_sqlite, tmp_path / "data")
    Store(make_session_factory(url)).users.create_user("dev-lead", "a long enough password", "lead", "Dev")
    result, pid = bot_run(env)
    assert result.returncode != 0
    assert "development accounts: dev-lead." in result.stderr
    assert_nothing_left(pid, env)


@pytest.fixture
def production_app(tmp_path: Path, migrated_sqlite: MigratedSqlite) -> Iterator[str]:
    env = clean_env(**everything(tmp_path))
    upgraded_store(migrated_sqlite, tmp_path / "data")
    app = subprocess.Popen(
        [sys.executable, "-m", "bot.web"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{env['BOT_APP_PORT']}"
    try:
        deadline = time.monotonic() + 60
        while not listening(env["BOT_APP_PORT"]):
            assert app.poll() is None, "the app stopped"
            assert time.monotonic() < deadline, "the app did not start"
            time.sleep(0.2)
        yield url
    finally:
        app.terminate()
        app.wait(timeout=30)


def test_the_production_app_sends_hsts_and_secure_cookies(production_app: str, tmp_path: Path) -> None:
    with urllib.request.urlopen(f"{production_app}/sign-in", timeout=10) as response:
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        cookies = response.headers.get_all("Set-Cookie")
    assert cookies and all("Secure" in cookie and "HttpOnly" in cookie for cookie in cookies)
    assert store_users(tmp_path / "data") == []
