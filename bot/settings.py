"""One typed settings object, read from the environment once and passed down.

Embedded mode (no variables set) keeps everything under one data folder and generates development
secrets there, saying so on stderr, so that a fresh clone runs with no set-up. Production (BOT_ENV=production,
bot.production) generates nothing: it refuses to start until every secret and the public address are given;
nothing secret ever lives in the repository.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from bot.crypto.key_ring import KeyRing
from bot.crypto.key_source import data_key_ring, key_file_inside
from bot.dev_secrets import dev_secret_file
from bot.domain.limits import DANGER_PRESS_ENGINE_WAIT_SECONDS, DEFAULT_TYPED_DANGER_CHECK_SECONDS
from bot.engine_stores import EngineStores, read_engine_stores
from bot.hop_hosts import LOOPBACK, hop_host
from bot.oidc_config import OidcConfig, read_oidc
from bot.production import (
    TrustedProxies,
    address_networks,
    bind_host,
    is_production,
    production_problems,
    refuse,
    trusted_proxies,
    with_secret_files,
)
from bot.setting_values import (
    Organisation,
    port_number,
    read_boolean,
    read_organisation,
    read_password_hashing,
    read_positive,
    read_retention_at,
    read_security_contact,
    read_session_secret,
    read_sqlite_durability,
    refuse_practice_retention_days,
)
from bot.shared_state.url import RedisAddress, read_shared_state

if TYPE_CHECKING:
    from bot.tracker.database import TrackerDatabase

REPO_ROOT = Path(__file__).resolve().parent.parent
TEAMS_OPENID_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
TEAMS_TOKEN_URL_TEMPLATE = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"  # noqa: S105  # a public Microsoft address
DEFAULT_MAIL_FROM = "safeguarding-assessment@localhost"


@dataclass(frozen=True)
class SmtpServer:
    """Where urgent notices are mailed, read from BOT_SMTP_URL
    (`smtp://[user:password@]host[:port][?starttls=true]`, or `smtps://` for TLS from the first byte)."""

    host: str
    port: int
    username: str = ""
    password: str = field(default="", repr=False)
    implicit_tls: bool = False
    starttls: bool = False


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
    # Sign-in sessions end after this long idle; may be a fraction (tests use seconds: 0.1 = 6 s).
    session_idle_minutes: float
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
    # Teams keeps its chat history outside this product's retention: answers are not repeated there unless
    # BOT_TEAMS_SHOW_ANSWERS=true (bot.teams.withheld).
    teams_show_answers: bool = False
    # Urgent notices (bot.notify): the mail server (None: email notices cannot be sent, and are retried), the
    # sender, the address links in notices start with, the outbox's retry schedule, and how long a lead has
    # to be reached before the practitioner is told to phone one.
    smtp: SmtpServer | None = None
    mail_from: str = DEFAULT_MAIL_FROM
    public_url: str = ""
    notify_retry_seconds: float = 5.0
    notify_retry_max_seconds: float = 300.0
    notify_max_attempts: int = 50
    urgent_lead_deadline_seconds: float = 180.0
    # Issue #26: danger read in typed text is checked with the practitioner first; its lead notices wait this
    # long for their answer (bot.store.danger_check). Shorter than the lead deadline, always.
    typed_danger_check_seconds: float = DEFAULT_TYPED_DANGER_CHECK_SECONDS
    # How long the "Someone is in danger now" press waits for the engine before raising the report itself
    # (bot.domain.limits): production's always; a test proving the press gives up sets a shorter one.
    danger_press_engine_wait_seconds: float = DANGER_PRESS_ENGINE_WAIT_SECONDS
    # Embedded mode without BOT_SMTP_URL: `bot run` starts a local mail sink here (bot.notify.mail_sink).
    dev_mail_port: int = 1025
    # Issue 17: the time-out warning comes this long before the idle limit; a message posted after the
    # session ended is kept (encrypted) this long for its author to send after signing in again.
    session_warning_seconds: float = 120.0
    # Issue #30: a session ends this long after sign-in however active it is (BOT_SESSION_MAX_HOURS).
    session_max_hours: float = 12.0
    # Issue #30: at most this many password checks a second across the app; more are refused at once (429)
    # without hashing, so a flood cannot queue real sign-ins behind it (BOT_SIGN_IN_CHECKS_PER_SECOND).
    sign_in_checks_per_second: int = 10
    held_message_hours: float = 24.0
    # Issues 16 and 28: counts from 1 to this less one are hidden in every report and export (suppression.py).
    report_threshold: int = 5
    # Issue #29: the question bank folder (bot.questions.provider); None is the shipped bank. Tests and trial
    # wording point BOT_BANK_PATH at a copy.
    bank_path: Path | None = None
    # Issue #31: the retention schedule (BOT_RETENTION_SCHEDULE; None is the shipped
    # bot/domain/retention.yaml), which also holds the practice period `bot scenarios purge` uses, and the
    # local time `bot run` starts the daily retention job (BOT_RETENTION_AT, default 02:00; None when "off").
    retention_schedule: Path | None = None
    retention_at: time | None = time(2, 0)
    # Argon2 cost (bot.store.passwords): "standard"; tests set BOT_PASSWORD_HASHING=insecure-fast-for-tests.
    password_hashing: str = "standard"  # noqa: S105  # a hashing cost, not a password
    # SQLite's durability (bot.store.db): "full", but the test suite's BOT_SQLITE_DURABILITY=fast-for-tests.
    sqlite_durability: str = "full"
    # Issue #27: the end-to-end tests move the app's session clock forward through this file
    # (bot.runtime.settable_clock) instead of waiting; only the test configuration sets it, production
    # refuses it.
    test_clock_file: Path | None = None
    # Issue #27: trained models (and the engine tests' passing results) are kept here by content hash, outside
    # the clone, so a fresh clone of an unchanged model trains nothing. BOT_MODEL_CACHE=off keeps none.
    model_cache_dir: Path | None = None
    # Where someone who finds a weakness in this deployment reports it (mailto:, https: or tel:), set by the
    # deploying council: served as /.well-known/security.txt (bot.web.security_txt); unset, that is a 404.
    security_contact: str = ""
    # Who runs this deployment, as /privacy, /terms and /accessibility name them (bot.web.information):
    # bracketed placeholders in development, refused in production (BOT_CONTROLLER_NAME and the rest).
    organisation: Organisation = field(default_factory=lambda: read_organisation({}))
    # BOT_ENV=production (bot.production): nothing generated, Secure cookies, HSTS, no development accounts.
    production: bool = False
    # Issue #30: peers whose X-Forwarded-For is believed (bot.web.client_address); nobody else's is.
    trusted_proxies: TrustedProxies = ()
    # Issue #30, sealed hops: the app proves itself to the engine's channel with engine_token
    # (engine/extensions/gateway_channel.py), and the engine to the action server with actions_token.
    engine_token: str = field(default="", repr=False)
    actions_token: str = field(default="", repr=False)
    # Issue #35: the app's listening address, its action server's host (bot.hop_hosts), who may read /metrics.
    bind_host: str = "127.0.0.1"
    actions_host: str = LOOPBACK
    metrics_allow: TrustedProxies = ()
    # Issue #32: OpenID Connect sign-in (bot.oidc_config, bot.web.oidc); None keeps local passwords only.
    oidc: OidcConfig | None = None
    # Issue #32: leads, coordinators and admins give a one-time code after their password (bot.web.second_
    # factor). BOT_TOTP_REQUIRED=false turns that off in development and the tests; production refuses it.
    totp_required: bool = True
    # Issue #31: the data key ring (bot.crypto); None only for a Settings built by hand without the store.
    data_keys: KeyRing | None = field(default=None, repr=False, compare=False)
    # Issue #34: the engine's tracker and lock stores (bot.engine_stores); None is embedded mode's.
    engine_stores: EngineStores | None = field(default=None, repr=False)
    # Issue #34: where the app processes share sessions, sign-in limits, locks and the Teams guard
    # (BOT_SHARED_STATE_URL, bot.shared_state); None is embedded mode's: this process's memory.
    shared_state: RedisAddress | None = None

    @property
    def engine_url(self) -> str:
        return f"http://{self.engine_host}:{self.engine_port}"

    @property
    def app_url(self) -> str:
        return f"http://127.0.0.1:{self.app_port}"

    @property
    def link_base_url(self) -> str:
        """What links in notices start with: BOT_PUBLIC_URL, or the app's own address."""
        return (self.public_url or self.app_url).rstrip("/")

    @property
    def dev_mail_dir(self) -> Path:
        return self.data_dir / "mail"

    @property
    def actions_url(self) -> str:
        return f"http://{self.actions_host}:{self.actions_port}/webhook"

    @property
    def engine_tracker_db(self) -> Path:
        return self.data_dir / "engine" / "tracker.db"

    @property
    def tracker_database(self) -> TrackerDatabase:
        """The engine's tracker as the app reads, erases, rotates and backs it up: the SQLite file, or the
        database BOT_TRACKER_URL names (issue #34)."""
        from bot.tracker.database import TrackerDatabase  # SQLAlchemy, loaded only by those who open it

        url = self.engine_stores.tracker_url if self.engine_stores is not None else ""
        if url and not url.startswith("sqlite:"):
            return TrackerDatabase(url=url)
        path = Path(url.removeprefix("sqlite:///")) if url else self.engine_tracker_db
        return TrackerDatabase(sqlite_file=path)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        raw_env = os.environ if env is None else env
        production = is_production(raw_env)
        # Secrets given as files are read here, once; in production every missing item is named at once,
        # before anything (a data folder, a development secret) is created.
        env, problems = with_secret_files(raw_env)
        refuse(problems + (production_problems(env) if production else []), production)
        data_dir = data_folder(env)
        if production and (inside := key_file_inside(env, data_dir)):
            refuse([inside], production)
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(
            data_dir=data_dir,
            database_url=env.get("BOT_DATABASE_URL", f"sqlite:///{data_dir / 'store.db'}"),
            engine_host=hop_host(env, "BOT_ENGINE_HOST"),
            actions_host=hop_host(env, "BOT_ACTIONS_HOST"),
            engine_port=port_number(env, "BOT_ENGINE_PORT", 5005),
            actions_port=port_number(env, "BOT_ACTIONS_PORT", 5055),
            app_port=port_number(env, "BOT_APP_PORT", 8080),
            service_token=env.get("BOT_SERVICE_TOKEN") or dev_secret(data_dir, "service-token"),
            session_secret=read_session_secret(
                env.get("BOT_SESSION_SECRET") or dev_secret(data_dir, "session-secret")
            ),
            session_idle_minutes=read_positive(env, "BOT_SESSION_IDLE_MINUTES", 30.0),
            cookie_secure=production or read_boolean(env, "BOT_COOKIE_SECURE", False),
            dev_mode=not production and not env.get("BOT_SERVICE_TOKEN"),
            engine_venv=Path(env.get("BOT_ENGINE_VENV", REPO_ROOT / ".venv-engine")),
            models_dir=Path(env.get("BOT_MODELS_DIR", data_dir / "models")),
            **_teams(env),
            **_notices(env),
            session_warning_seconds=read_positive(env, "BOT_SESSION_WARNING_SECONDS", 120.0),
            session_max_hours=read_positive(env, "BOT_SESSION_MAX_HOURS", 12.0),
            sign_in_checks_per_second=int(
                read_positive(env, "BOT_SIGN_IN_CHECKS_PER_SECOND", 10, whole=True)
            ),
            held_message_hours=read_positive(env, "BOT_HELD_MESSAGE_HOURS", 24.0),
            report_threshold=int(read_positive(env, "BOT_REPORT_THRESHOLD", 5, whole=True)),
            bank_path=Path(env["BOT_BANK_PATH"].strip()) if env.get("BOT_BANK_PATH", "").strip() else None,
            retention_schedule=_retention_schedule(env),
            retention_at=read_retention_at(env),
            password_hashing=read_password_hashing(env),
            sqlite_durability=read_sqlite_durability(env),
            test_clock_file=Path(env["BOT_TEST_CLOCK_FILE"]) if env.get("BOT_TEST_CLOCK_FILE") else None,
            model_cache_dir=_model_cache(env),
            security_contact=read_security_contact(env),
            organisation=read_organisation(env),
            production=production,
            trusted_proxies=trusted_proxies(env),
            engine_token=env.get("BOT_ENGINE_TOKEN") or dev_secret(data_dir, "engine-token"),
            actions_token=env.get("BOT_ACTIONS_TOKEN") or dev_secret(data_dir, "actions-token"),
            bind_host=bind_host(env),
            metrics_allow=address_networks(env, "BOT_METRICS_ALLOW", "127.0.0.1"),
            totp_required=read_boolean(env, "BOT_TOTP_REQUIRED", True),
            oidc=read_oidc(
                env, env.get("BOT_PUBLIC_URL", "").strip(), port_number(env, "BOT_APP_PORT", 8080)
            ),
            data_keys=data_key_ring(env, data_dir),
            engine_stores=read_engine_stores(env, data_dir),
            shared_state=read_shared_state(env),
        )


def _retention_schedule(env: Mapping[str, str]) -> Path | None:
    refuse_practice_retention_days(env)
    value = env.get("BOT_RETENTION_SCHEDULE", "").strip()
    return Path(value).expanduser() if value else None


def _model_cache(env: Mapping[str, str]) -> Path | None:
    value = env.get("BOT_MODEL_CACHE", "")
    if value.lower() == "off":
        return None
    if value:
        return Path(value).expanduser()
    cache_home = env.get("XDG_CACHE_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".cache")
    return Path(cache_home) / "safeguarding-assessment" / "models"


def _teams(env: Mapping[str, str]) -> dict[str, Any]:
    """Teams settings, checked together: a half-configured channel stops start-up with a clear message."""
    app_id = env.get("BOT_TEAMS_APP_ID", "").strip()
    if not app_id:
        return {}
    password = env.get("BOT_TEAMS_APP_PASSWORD", "")  # or from BOT_TEAMS_APP_PASSWORD_FILE (bot.production)
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
        "teams_show_answers": read_boolean(env, "BOT_TEAMS_SHOW_ANSWERS", False),
    }


def _notices(env: Mapping[str, str]) -> dict[str, Any]:
    """Urgent-notice settings; a malformed value stops start-up with a message naming the variable."""
    smtp_url = env.get("BOT_SMTP_URL", "").strip()
    retry = read_positive(env, "BOT_NOTIFY_RETRY_SECONDS", 5.0)
    deadline = read_positive(env, "BOT_URGENT_LEAD_DEADLINE_SECONDS", 180.0)
    check = read_positive(env, "BOT_TYPED_DANGER_CHECK_SECONDS", DEFAULT_TYPED_DANGER_CHECK_SECONDS)
    if check >= deadline:
        raise SystemExit(
            f"BOT_TYPED_DANGER_CHECK_SECONDS ({check:g}) must be shorter than "
            f"BOT_URGENT_LEAD_DEADLINE_SECONDS ({deadline:g}): the leads' notices must go before the "
            "practitioner is told no lead was reached"
        )
    return {
        "smtp": parse_smtp_url(smtp_url) if smtp_url else None,
        "mail_from": _mail_from(env.get("BOT_MAIL_FROM", "").strip() or DEFAULT_MAIL_FROM),
        "public_url": env.get("BOT_PUBLIC_URL", "").strip().rstrip("/"),
        "notify_retry_seconds": retry,
        "notify_retry_max_seconds": max(retry, read_positive(env, "BOT_NOTIFY_RETRY_MAX_SECONDS", 300.0)),
        "notify_max_attempts": int(read_positive(env, "BOT_NOTIFY_MAX_ATTEMPTS", 50, whole=True)),
        "urgent_lead_deadline_seconds": deadline,
        "typed_danger_check_seconds": check,
        "dev_mail_port": port_number(env, "BOT_DEV_MAIL_PORT", 1025),
    }


def _mail_from(address: str) -> str:
    """One plain address: it goes into a header, so spaces and line breaks are refused, not cleaned."""
    local, at, domain = address.rpartition("@")
    if not (local and at and domain) or any(c.isspace() or ord(c) < 32 or c in '<>,;"' for c in address):
        raise SystemExit(f"BOT_MAIL_FROM must be one plain address such as bot@example.org, got {address!r}")
    return address


def parse_smtp_url(url: str) -> SmtpServer:
    """BOT_SMTP_URL as a SmtpServer; anything unexpected stops start-up rather than mail going nowhere."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise SystemExit("BOT_SMTP_URL must look like smtp://host:port or smtps://user:password@host:port")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise SystemExit("BOT_SMTP_URL has a port that is not a number between 1 and 65535") from None
    query = parse_qs(parts.query, keep_blank_values=True)
    if set(query) - {"starttls"} or parts.path not in ("", "/") or parts.fragment:
        raise SystemExit("BOT_SMTP_URL may have only ?starttls=true after the host and port")
    starttls = [value.lower() for value in query.get("starttls", ["false"])]
    if starttls not in (["true"], ["false"]):
        raise SystemExit("BOT_SMTP_URL: starttls must be true or false")
    if parts.scheme == "smtps" and starttls == ["true"]:
        raise SystemExit("BOT_SMTP_URL: smtps:// is TLS already; starttls=true is for smtp://")
    return SmtpServer(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        implicit_tls=parts.scheme == "smtps",
        starttls=starttls == ["true"],
    )


def data_folder(env: Mapping[str, str]) -> Path:
    """BOT_DATA_DIR, or ./var of the repository: where everything the product writes is kept."""
    return Path(env.get("BOT_DATA_DIR", REPO_ROOT / "var")).resolve()


def dev_secret(data_dir: Path, name: str) -> str:
    """A 32-byte secret kept in the data folder, created on first use, for embedded mode only."""
    return dev_secret_file(
        data_dir, name, lambda: secrets.token_hex(32), name, "set BOT_* variables in production"
    )
