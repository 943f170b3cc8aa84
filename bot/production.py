"""Production mode (BOT_ENV=production) and secrets given as files (NAME_FILE), both applied by bot.settings.

Secrets may be given as `NAME_FILE=/path` instead of `NAME=value`, so that they stay out of the process
environment and shell history (systemd credentials, Docker and Kubernetes secrets all hand over files). Each
file is read once, when the settings are read, and refused, with its path named, if it is missing, empty or
open to group or others.

Written by hand rather than with pydantic-settings: our settings are a plain dataclass read by
`Settings.from_env` (pydantic-settings is not a dependency), and its `secrets_dir` reads every secret from
one folder by field name, with no per-variable path and no permission check, which are the two rules here.

In production nothing is generated and nothing defaults to development: every missing item is collected and
reported in one message, so an administrator fixes them all in one go rather than one per start.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from pathlib import Path

from bot.setting_values import ORGANISATION_SETTINGS, is_placeholder

ENVIRONMENTS = ("development", "production")
# The variables that may be given as NAME_FILE: every secret, and the URLs that can carry a password.
SECRET_VARIABLES = (
    "BOT_SESSION_SECRET",
    "BOT_SERVICE_TOKEN",
    "BOT_ENGINE_TOKEN",
    "BOT_ACTIONS_TOKEN",
    "BOT_TEAMS_APP_PASSWORD",
    "BOT_OIDC_CLIENT_SECRET",  # issue #32: OpenID Connect sign-in (bot.oidc_config)
    "BOT_SMTP_URL",
    "BOT_DATABASE_URL",
    "BOT_DATABASE_OWNER_URL",  # bot db upgrade only (bot/cli/database.py)
    "BOT_DATA_KEYS",  # issue #31: the data key ring (bot.crypto.key_source)
    "BOT_TRACKER_URL",  # issue #34: the engine's tracker on PostgreSQL carries its role's password
    "BOT_REDIS_PASSWORD",  # issue #34: the shared Redis's, for the apps' shared state and the engines' locks
)
HSTS = "max-age=31536000; includeSubDomains"  # one year, as the header's own guidance recommends

TrustedProxies = tuple[IPv4Network | IPv6Network, ...]


def is_production(env: Mapping[str, str]) -> bool:
    value = env.get("BOT_ENV", "").strip().lower() or "development"
    if value not in ENVIRONMENTS:
        raise SystemExit(f"BOT_ENV must be development (the default) or production, got {value!r}")
    return value == "production"


def with_secret_files(env: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The environment with each NAME_FILE read into NAME, and the problems found on the way."""
    resolved = dict(env)
    problems: list[str] = []
    for name in SECRET_VARIABLES:
        path = env.get(f"{name}_FILE", "").strip()
        if not path:
            continue
        if env.get(name, "").strip():
            problems.append(f"{name} and {name}_FILE are both set: set only one")
            continue
        value, problem = read_secret_file(Path(path))
        if problem:
            problems.append(f"{name}_FILE: {problem}")
        else:
            resolved[name] = value
    return resolved, problems


def read_secret_file(path: Path) -> tuple[str, str]:
    """(value, "") or ("", what is wrong with the file at `path`). The mode is checked on the open file
    (fstat), so a symbolic link is judged by what it points at, and nothing is swapped between check and
    read."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return "", f"{path} does not exist"
    except OSError as error:
        return "", f"{path} cannot be read ({error.strerror})"
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            return "", f"{path} is not a file"
        if info.st_mode & 0o077:
            return "", (
                f"{path} can be read or changed by group or others (mode {stat.S_IMODE(info.st_mode):o}); "
                f"make it private: chmod 600 {path}"
            )
        value = handle.read().decode("utf-8", errors="replace").strip()
    if not value:
        return "", f"{path} is empty"
    return value, ""


def production_problems(env: Mapping[str, str]) -> list[str]:
    """Everything production needs that `env` (NAME_FILE already read) lacks or gets wrong, as one list."""
    problems = []

    def missing(name: str, what: str) -> None:
        if not env.get(name, "").strip():
            also = f" (or {name}_FILE)" if name in SECRET_VARIABLES else ""
            problems.append(f"{name}{also} is not set: {what}")

    missing("BOT_SESSION_SECRET", "the session key, 64 hex digits")
    missing("BOT_SERVICE_TOKEN", "the token the action server uses with the JSON API")
    missing("BOT_ENGINE_TOKEN", "the token the app sends with every message to the engine")
    missing("BOT_ACTIONS_TOKEN", "the token the engine sends with every call to the action server")
    missing("BOT_DATA_KEYS", "the data keys that encrypt answers at rest, id:64 hex digits, oldest first")
    public_url = env.get("BOT_PUBLIC_URL", "").strip()
    if not public_url:
        problems.append("BOT_PUBLIC_URL is not set: the https:// address people reach the service at")
    elif not public_url.lower().startswith("https://"):
        problems.append(f"BOT_PUBLIC_URL must start with https:// (cookies are Secure), got {public_url!r}")
    teams = bool(env.get("BOT_TEAMS_APP_ID", "").strip())
    if teams:
        missing("BOT_TEAMS_APP_PASSWORD", "Teams is on (BOT_TEAMS_APP_ID is set)")
        missing("BOT_TEAMS_TENANT_IDS", "Teams is on: the allowed tenant ids")
    else:
        # Danger first: without Teams, mail is the only way a notice of danger reaches a lead.
        missing("BOT_SMTP_URL", "the mail server urgent notices go through (or configure Teams)")
    # The privacy notice, terms and accessibility statement name the council: never a placeholder here.
    for name, (_, what) in ORGANISATION_SETTINGS.items():
        if is_placeholder(env.get(name, "")):
            problems.append(f"{name} is not set (or is still a [placeholder]): {what}, shown on /privacy")
    if env.get("BOT_COOKIE_SECURE", "").strip().lower() in ("false", "no", "0", "off"):
        problems.append("BOT_COOKIE_SECURE is false: production cookies are always Secure; unset it")
    if env.get("BOT_PASSWORD_HASHING", "standard").strip() != "standard":
        problems.append("BOT_PASSWORD_HASHING is not standard: cheap password hashes are for tests only")
    if env.get("BOT_SQLITE_DURABILITY", "full").strip() != "full":
        problems.append("BOT_SQLITE_DURABILITY is not full: commits a power cut may lose are for tests only")
    if env.get("BOT_TOTP_REQUIRED", "").strip().lower() in ("false", "no", "0", "off"):
        problems.append(
            "BOT_TOTP_REQUIRED is false: leads, coordinators and admins need a second factor; unset it"
        )
    if env.get("BOT_TEST_CLOCK_FILE", "").strip():
        problems.append("BOT_TEST_CLOCK_FILE is set: a clock moved by hand is for tests only; unset it")
    # Issue #34: a Redis shared by several processes holds sessions and locks: never open to all who reach it.
    redis = [name for name in ("BOT_SHARED_STATE_URL", "BOT_LOCK_STORE_URL") if env.get(name, "").strip()]
    if redis:
        missing("BOT_REDIS_PASSWORD", f"the password of the Redis that {' and '.join(redis)} name")
    issuer = env.get("BOT_OIDC_ISSUER", "").strip()
    # Issue #32: tokens and keys fetched over plain http could be swapped on the way; only a provider on
    # this machine's loopback (the tests' own) may use http.
    if issuer and not (issuer.lower().startswith("https://") or issuer.startswith("http://127.0.0.1:")):
        problems.append(f"BOT_OIDC_ISSUER must start with https:// in production, got {issuer!r}")
    return problems


def refuse(problems: list[str], production: bool) -> None:
    """Stop start-up with one message naming every problem (never a secret's value)."""
    if not problems:
        return
    heading = "BOT_ENV=production: cannot start until these are fixed" if production else "Cannot start"
    raise SystemExit("\n".join([f"{heading}:", *(f"  - {problem}" for problem in problems)]))


def trusted_proxies(env: Mapping[str, str]) -> TrustedProxies:
    """BOT_TRUSTED_PROXIES: addresses or networks (CIDR), separated by commas or spaces."""
    return address_networks(env, "BOT_TRUSTED_PROXIES", "")


def address_networks(env: Mapping[str, str], name: str, default: str) -> TrustedProxies:
    """Addresses or networks (CIDR) in the variable `name`, separated by commas or spaces."""
    raw = env.get(name, default).replace(",", " ").split()
    networks = []
    for item in raw:
        try:
            networks.append(ip_network(item, strict=False))
        except ValueError:
            raise SystemExit(
                f"{name} must list addresses or networks such as 10.0.0.5 or 10.0.0.0/24, got {item!r}"
            ) from None
    return tuple(networks)


def bind_host(env: Mapping[str, str]) -> str:
    """BOT_BIND_HOST: the address the app listens on, an IP address (default loopback only)."""
    value = env.get("BOT_BIND_HOST", "").strip() or "127.0.0.1"
    try:
        ip_address(value)
    except ValueError:
        raise SystemExit(
            f"BOT_BIND_HOST must be an IP address such as 127.0.0.1 or 0.0.0.0, got {value!r}"
        ) from None
    return value


def exposed_without_proxy(host: str, proxies: TrustedProxies) -> str | None:
    """A warning when the app listens beyond loopback with no trusted proxy in front of it: then nothing
    terminates HTTPS for it, and the sign-in limiter sees only the direct peer's address."""
    if ip_address(host).is_loopback or proxies:
        return None
    return (
        f"BOT_BIND_HOST is {host}, not loopback, and BOT_TRUSTED_PROXIES is empty: put the app behind an "
        "HTTPS proxy and list it in BOT_TRUSTED_PROXIES"
    )
