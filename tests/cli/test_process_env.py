"""Each process gets only the variables on its own list (issue #30), built from an environment holding every
secret: what each receives is listed here, so a new variable reaches a process only by being added."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.runtime.model import ENGINE_EXTENSIONS, engine_env
from bot.runtime.process_env import APP, actions_env, app_env, engine_variables
from bot.runtime.process_env import SYSTEM as SYSTEM_NAMES
from bot.runtime.processes import product_services
from bot.settings import Settings

NAME = re.compile(r"BOT_[A-Z0-9_]+")

SYSTEM = {"PATH": "/usr/bin", "HOME": "/home/bot", "LANG": "C.UTF-8"}
SECRETS = {
    "BOT_DATABASE_URL": "postgresql://bot:store-password@db/bot",
    "BOT_SESSION_SECRET": "ab" * 32,
    "BOT_SERVICE_TOKEN": "service-token",
    "BOT_ENGINE_TOKEN": "engine-token",
    "BOT_ACTIONS_TOKEN": "actions-token",
    "BOT_TEAMS_APP_ID": "app-id",
    "BOT_TEAMS_APP_PASSWORD": "teams-secret",
    "BOT_TEAMS_TENANT_IDS": "tenant",
    "BOT_SMTP_URL": "smtp://mail:mail-password@mail.example.invalid",
}
UNRELATED = {"AWS_SECRET_ACCESS_KEY": "not ours", "GITHUB_TOKEN": "not ours either"}


def settings_and_source(tmp_path: Path) -> tuple[Settings, dict[str, str]]:
    source = SYSTEM | SECRETS | UNRELATED | {"BOT_DATA_DIR": str(tmp_path)}
    return Settings.from_env(source), source


def test_the_engine_gets_its_endpoints_and_tokens_and_no_store_session_or_teams_secret(
    tmp_path: Path,
) -> None:
    settings, source = settings_and_source(tmp_path)
    env = engine_variables(settings, str(ENGINE_EXTENSIONS), source)
    assert set(env) == set(SYSTEM) | {
        "RASA_TELEMETRY_ENABLED",
        "SQLALCHEMY_SILENCE_UBER_WARNING",
        "TF_CPP_MIN_LOG_LEVEL",
        "PYTHONWARNINGS",
        "PYTHONPATH",
        "BOT_ACTIONS_URL",
        "BOT_ACTIONS_TOKEN",
        "BOT_ENGINE_TOKEN",
        "BOT_TRACKER_URL",
        "BOT_LOCK_STORE",
        "BOT_LOCK_STORE_HOST",
        "BOT_LOCK_STORE_PORT",
        "BOT_LOCK_STORE_DB",
        "BOT_LOCK_STORE_PASSWORD",  # issue #34: empty unless a Redis lock store asks for one
        "BOT_LOCK_STORE_SSL",  # and these two empty unless it is reached over TLS
        "BOT_LOCK_STORE_CA_CERTS",
        "BOT_TRACKER_KEYS",  # issue #31: derived from the data keys, never the data keys themselves
        "BOT_ENV",
    }
    assert env["BOT_ACTIONS_TOKEN"] == "actions-token" and env["BOT_ENGINE_TOKEN"] == "engine-token"
    assert not {"store-password", "ab" * 32, "teams-secret", "service-token"} & set(env.values())
    data_key = (tmp_path / "secrets" / "data-keys").read_text(encoding="utf-8").strip()
    assert data_key.partition(":")[2] not in env["BOT_TRACKER_KEYS"]
    assert env["BOT_TRACKER_KEYS"].startswith(data_key.partition(":")[0] + ":")


def test_the_action_server_gets_its_two_tokens_and_no_session_or_teams_secret(tmp_path: Path) -> None:
    settings, source = settings_and_source(tmp_path)
    env = actions_env(settings, source)
    assert set(env) == set(SYSTEM) | {
        "BOT_DATA_DIR",
        "BOT_ACTIONS_PORT",
        "BOT_APP_PORT",
        "BOT_SERVICE_TOKEN",
        "BOT_ACTIONS_TOKEN",
        "PYTHONUNBUFFERED",
    }
    assert env["BOT_SERVICE_TOKEN"] == "service-token" and env["BOT_ACTIONS_TOKEN"] == "actions-token"


def test_the_app_gets_its_settings_and_secrets_but_not_the_action_servers_token(tmp_path: Path) -> None:
    settings, source = settings_and_source(tmp_path)
    env = app_env(settings, source)
    assert set(SECRETS) - {"BOT_ACTIONS_TOKEN"} <= set(env)
    assert "BOT_ACTIONS_TOKEN" not in env
    assert not set(UNRELATED) & set(env)
    # It rebuilds the same settings from what it receives.
    again = Settings.from_env(env)
    assert (again.engine_token, again.service_token, again.database_url) == (
        settings.engine_token,
        settings.service_token,
        settings.database_url,
    )


@pytest.mark.engine  # product_services checks the engine environment is there
def test_product_services_use_those_lists(tmp_path: Path) -> None:
    settings, source = settings_and_source(tmp_path)
    engine, actions, app = product_services(settings, tmp_path / "model.tar.gz", source)
    assert "BOT_TEAMS_APP_PASSWORD" not in engine.env and "BOT_DATABASE_URL" not in engine.env
    assert "BOT_SESSION_SECRET" not in engine.env and "BOT_SESSION_SECRET" not in actions.env
    assert "BOT_TEAMS_APP_PASSWORD" not in actions.env and "BOT_DATABASE_URL" not in actions.env
    assert app.env["BOT_TEAMS_APP_PASSWORD"] == "teams-secret"
    assert not set(UNRELATED) & (set(engine.env) | set(actions.env) | set(app.env))
    # Training and the engine's other commands get the same list.
    assert set(engine_env(settings)) - set(SYSTEM_NAMES) == set(engine.env) - set(SYSTEM_NAMES)


def test_every_setting_the_app_reads_reaches_it_under_bot_run() -> None:
    """A setting missing from the app's allow-list is silently its default under `bot run`: production
    would refuse the council's details for /privacy (issue #33) for want of them, however they were set.
    The names are every whole `BOT_*` string constant in the settings modules, as
    tests/test_settings_documented.py reads them; only the action server's token is kept from the app."""
    repo = Path(__file__).resolve().parents[2]
    names = {
        node.value
        for module in ("settings.py", "setting_values.py")
        for node in ast.walk(ast.parse((repo / "bot" / module).read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and NAME.fullmatch(node.value)
    }
    assert {"BOT_CONTROLLER_NAME", "BOT_SESSION_MAX_HOURS"} <= names
    assert sorted(names - {"BOT_ACTIONS_TOKEN"} - set(APP)) == []
