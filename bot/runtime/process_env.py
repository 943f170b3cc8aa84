"""Each process's environment, built from an explicit allow-list (issue #30: sealed process boundaries).

A child used to inherit our whole environment, so the engine held the store's credentials, the session
secret and the Teams secret, none of which it uses. Now each gets the system basics, the variables on its
own list (copied from `source`, usually os.environ) and the values bot.runtime resolves for it:

- the engine: where the action server is and its token, its own channel token, its tracker store and the
  tracker keys derived from the data keys (bot.crypto.tracker_keys), never the data keys themselves;
- the action server: its port, the app's port, the JSON API token and the token the engine sends it;
- the app: every BOT_* setting it reads (it holds the secrets), but not the action server's token.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from bot.crypto.tracker_keys import VARIABLE as TRACKER_KEYS
from bot.crypto.tracker_keys import tracker_keys_value
from bot.engine_stores import read_engine_stores
from bot.production import SECRET_VARIABLES
from bot.settings import Settings

# What any program needs to run, and Python's bytecode location (the quick lane keeps it under var/).
SYSTEM = (
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "TMPDIR",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONPYCACHEPREFIX",
)

# Every setting bot.settings reads; secrets may also come as NAME_FILE (bot.production).
APP = (
    "BOT_ENV",
    "BOT_DATA_DIR",
    "BOT_DATABASE_URL",
    "BOT_ENGINE_PORT",
    "BOT_ACTIONS_PORT",
    "BOT_APP_PORT",
    "BOT_ENGINE_VENV",
    "BOT_MODELS_DIR",
    "BOT_MODEL_CACHE",
    "BOT_SERVICE_TOKEN",
    "BOT_SESSION_SECRET",
    "BOT_ENGINE_TOKEN",
    "BOT_DATA_KEYS",  # issue #31: the app alone opens the store, so it alone holds the data keys
    "BOT_SESSION_IDLE_MINUTES",
    "BOT_SESSION_WARNING_SECONDS",
    "BOT_SESSION_MAX_HOURS",
    "BOT_SIGN_IN_CHECKS_PER_SECOND",
    "BOT_SHARED_STATE_URL",  # issue #34: sessions, limits, locks and the Teams guard shared in Redis
    "BOT_REDIS_PASSWORD",  # issue #34: that Redis's password (or BOT_REDIS_PASSWORD_FILE, below)
    "BOT_REDIS_CA_FILE",  # issue #34: the CA certificate of a Redis reached over TLS (rediss://)
    "BOT_PRACTICE_RETENTION_DAYS",  # refused when set (issue #31): the schedule names the practice period
    # Issue #31: the council's retention schedule (the privacy notice's periods) and the daily job's time,
    # which the app's settings check like every other process's, so a bad value stops every process alike.
    "BOT_RETENTION_SCHEDULE",
    "BOT_RETENTION_AT",
    "BOT_HELD_MESSAGE_HOURS",
    "BOT_COOKIE_SECURE",
    "BOT_TOTP_REQUIRED",
    "BOT_PUBLIC_URL",
    "BOT_TRUSTED_PROXIES",
    "BOT_BIND_HOST",
    # Issue #35: where the engine and the action server are when they run in other containers
    # (bot.hop_hosts); unset under `bot run`, which starts both on 127.0.0.1.
    "BOT_ENGINE_HOST",
    "BOT_ACTIONS_HOST",
    "BOT_METRICS_ALLOW",
    "BOT_LOG_FORMAT",
    "BOT_SECURITY_CONTACT",
    # Issue #33: the council's details on /privacy, /terms and /accessibility (no placeholders in production).
    "BOT_CONTROLLER_NAME",
    "BOT_DPO_CONTACT",
    "BOT_ICO_REGISTRATION",
    "BOT_ACCESSIBILITY_CONTACT",
    "BOT_PASSWORD_HASHING",
    "BOT_SQLITE_DURABILITY",
    "BOT_TEST_CLOCK_FILE",
    "BOT_REPORT_THRESHOLD",
    "BOT_BANK_PATH",
    "BOT_TEAMS_APP_ID",
    "BOT_TEAMS_APP_PASSWORD",
    "BOT_TEAMS_TENANT_IDS",
    "BOT_TEAMS_APP_TENANT_ID",
    "BOT_TEAMS_OPENID_URL",
    "BOT_TEAMS_TOKEN_URL_TEMPLATE",
    "BOT_TEAMS_SHOW_ANSWERS",
    "BOT_SMTP_URL",
    "BOT_MAIL_FROM",
    "BOT_DEV_MAIL_PORT",
    "BOT_NOTIFY_RETRY_SECONDS",
    "BOT_NOTIFY_RETRY_MAX_SECONDS",
    "BOT_NOTIFY_MAX_ATTEMPTS",
    "BOT_URGENT_LEAD_DEADLINE_SECONDS",
    "BOT_TYPED_DANGER_CHECK_SECONDS",
    *(f"{name}_FILE" for name in SECRET_VARIABLES if name != "BOT_ACTIONS_TOKEN"),
)
# The action server reads these itself (actions/settings.py); its tokens are handed over resolved.
ACTIONS = (
    "BOT_ENV",
    "BOT_DATA_DIR",
    "BOT_ACTIONS_PORT",
    "BOT_APP_PORT",
    "BOT_METRICS_ALLOW",
    "BOT_LOG_FORMAT",
    "BOT_BANK_PATH",
)
# Rasa's own switches; everything else the engine needs is resolved by engine_variables.
ENGINE = ("RASA_CACHE_DIRECTORY",)


def pick(source: Mapping[str, str], names: Iterable[str]) -> dict[str, str]:
    """The variables of `source` that are on the list (and set), nothing else."""
    return {name: source[name] for name in (*SYSTEM, *names) if name in source}


def app_env(settings: Settings, source: Mapping[str, str] | None = None) -> dict[str, str]:
    """The app's (and the `bot` command's): it rebuilds the same Settings from these."""
    return pick(os.environ if source is None else source, APP) | {
        "BOT_DATA_DIR": str(settings.data_dir),
        "BOT_DATABASE_URL": settings.database_url,
        "BOT_ENGINE_PORT": str(settings.engine_port),
        "BOT_ACTIONS_PORT": str(settings.actions_port),
        "BOT_APP_PORT": str(settings.app_port),
        "BOT_ENGINE_VENV": str(settings.engine_venv),
        "BOT_MODELS_DIR": str(settings.models_dir),
        "PYTHONUNBUFFERED": "1",
    }


def actions_env(settings: Settings, source: Mapping[str, str] | None = None) -> dict[str, str]:
    """The action server's: no session secret, no Teams secret, no store credential."""
    return pick(os.environ if source is None else source, ACTIONS) | {
        "BOT_DATA_DIR": str(settings.data_dir),
        "BOT_ACTIONS_PORT": str(settings.actions_port),
        "BOT_APP_PORT": str(settings.app_port),
        "BOT_SERVICE_TOKEN": settings.service_token,
        "BOT_ACTIONS_TOKEN": settings.actions_token,
        "PYTHONUNBUFFERED": "1",
    }


def engine_variables(
    settings: Settings, extensions: str, source: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The engine's (every rasa command's): telemetry and error reporting off, endpoints.yml and
    credentials.yml filled in, our extensions importable. No store, session or Teams secret."""
    source = os.environ if source is None else source
    return pick(source, ENGINE) | {
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONWARNINGS": "ignore",
        "BOT_ACTIONS_URL": settings.actions_url,
        "BOT_ACTIONS_TOKEN": settings.actions_token,
        "BOT_ENGINE_TOKEN": settings.engine_token,
        # Issue #34: the tracker store's URL and the lock store, for endpoints.yml (bot.engine_stores).
        **(settings.engine_stores or read_engine_stores({}, settings.data_dir)).engine_variables(),
        # Issue #31: the engine seals its tracker rows with keys derived from the data keys, and a production
        # engine without them refuses to start (engine/extensions/tracker_seal.py reads BOT_ENV for that).
        **({TRACKER_KEYS: tracker_keys_value(settings.data_keys)} if settings.data_keys else {}),
        "BOT_ENV": "production" if settings.production else "development",
        "PYTHONPATH": os.pathsep.join(filter(None, [extensions, source.get("PYTHONPATH")])),
    }
