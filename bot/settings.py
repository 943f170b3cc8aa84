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
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


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
