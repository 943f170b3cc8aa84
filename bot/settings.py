"""One typed settings object, read from the environment once and passed down.

Embedded mode (no variables set) keeps everything under one data folder and generates development
secrets there, saying so on stderr, so that a fresh clone runs with no set-up. Production sets the
variables; nothing secret ever lives in the repository.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
TEAMS_OPENID_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
TEAMS_TOKEN_URL_TEMPLATE = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    engine_host: str
    engine_port: int
    actions_port: int
    app_port: int
    service_token: str
    session_secret: bytes
    session_idle_minutes: int
    cookie_secure: bool
    dev_mode: bool
    engine_venv: Path
    models_dir: Path
    # Microsoft Teams (bot.teams): off unless BOT_TEAMS_APP_ID is set; see docs/teams-setup.md.
    teams_app_id: str = ""
    teams_app_password: str = field(default="", repr=False)
    teams_tenant_ids: tuple[str, ...] = ()
    teams_app_tenant_id: str = ""
    teams_openid_url: str = TEAMS_OPENID_URL
    teams_token_url_template: str = TEAMS_TOKEN_URL_TEMPLATE

    @property
    def engine_url(self) -> str:
        return f"http://{self.engine_host}:{self.engine_port}"

    @property
    def app_url(self) -> str:
        return f"http://127.0.0.1:{self.app_port}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}/webhook"

    @property
    def engine_tracker_db(self) -> Path:
        return self.data_dir / "engine" / "tracker.db"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("BOT_DATA_DIR", REPO_ROOT / "var")).resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(
            data_dir=data_dir,
            database_url=env.get("BOT_DATABASE_URL", f"sqlite:///{data_dir / 'store.db'}"),
            engine_host="127.0.0.1",
            engine_port=_port(env, "BOT_ENGINE_PORT", 5005),
            actions_port=_port(env, "BOT_ACTIONS_PORT", 5055),
            app_port=_port(env, "BOT_APP_PORT", 8080),
            service_token=env.get("BOT_SERVICE_TOKEN") or _dev_secret(data_dir, "service-token"),
            session_secret=bytes.fromhex(
                env.get("BOT_SESSION_SECRET") or _dev_secret(data_dir, "session-secret")
            ),
            session_idle_minutes=int(env.get("BOT_SESSION_IDLE_MINUTES", "30")),
            cookie_secure=env.get("BOT_COOKIE_SECURE", "false").lower() == "true",
            dev_mode=not env.get("BOT_SERVICE_TOKEN"),
            engine_venv=Path(env.get("BOT_ENGINE_VENV", REPO_ROOT / ".venv-engine")),
            models_dir=Path(env.get("BOT_MODELS_DIR", data_dir / "models")),
            **_teams(env),
        )


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, str(default))
    try:
        port = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a port number, got {raw!r}") from None
    if not 0 < port < 65536:
        raise SystemExit(f"{name} must be between 1 and 65535, got {port}")
    return port


def _teams(env: Mapping[str, str]) -> dict[str, Any]:
    """Teams settings, checked together: a half-configured channel stops start-up with a clear message."""
    app_id = env.get("BOT_TEAMS_APP_ID", "").strip()
    if not app_id:
        return {}
    password = env.get("BOT_TEAMS_APP_PASSWORD", "")
    password_file = env.get("BOT_TEAMS_APP_PASSWORD_FILE", "")
    if password_file:
        try:
            password = Path(password_file).read_text().strip()
        except OSError as error:
            raise SystemExit(f"BOT_TEAMS_APP_PASSWORD_FILE cannot be read: {error}") from None
    tenants = tuple(t.strip().lower() for t in env.get("BOT_TEAMS_TENANT_IDS", "").split(",") if t.strip())
    template = env.get("BOT_TEAMS_TOKEN_URL_TEMPLATE", TEAMS_TOKEN_URL_TEMPLATE)
    if not password:
        raise SystemExit("BOT_TEAMS_APP_ID is set: set BOT_TEAMS_APP_PASSWORD or BOT_TEAMS_APP_PASSWORD_FILE")
    if not tenants:
        raise SystemExit("BOT_TEAMS_APP_ID is set: list the allowed tenant ids in BOT_TEAMS_TENANT_IDS")
    if "{tenant}" not in template:
        raise SystemExit("BOT_TEAMS_TOKEN_URL_TEMPLATE must contain {tenant}")
    return {
        "teams_app_id": app_id,
        "teams_app_password": password,
        "teams_tenant_ids": tenants,
        "teams_app_tenant_id": env.get("BOT_TEAMS_APP_TENANT_ID", "").strip().lower() or tenants[0],
        "teams_openid_url": env.get("BOT_TEAMS_OPENID_URL", TEAMS_OPENID_URL),
        "teams_token_url_template": template,
    }


def _dev_secret(data_dir: Path, name: str) -> str:
    """A 32-byte secret kept in the data folder, created on first use, for embedded mode only."""
    path = data_dir / "secrets" / name
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process of ours created it a moment ago
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    print(
        f"[embedded mode] generated a development {name} in {path}; set BOT_* variables in production",
        file=sys.stderr,
    )
    return value
