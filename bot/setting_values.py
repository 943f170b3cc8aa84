"""How each BOT_* value is read and checked (bot.settings builds the one Settings object from them).

A wrong value stops start-up with one line naming the variable and what it must be (issue #28), never a
traceback or a silent default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time

_TRUE = frozenset({"true", "yes", "1", "on"})
_FALSE = frozenset({"false", "no", "0", "off"})


def read_boolean(env: Mapping[str, str], name: str, default: bool) -> bool:
    """The usual spellings of yes and no (issue #28: "yes" and "1" used to mean false, silently)."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    if raw.strip().lower() in _TRUE:
        return True
    if raw.strip().lower() in _FALSE:
        return False
    raise SystemExit(f"{name} must be true or false (also yes/no, 1/0, on/off), got {raw!r}")


def read_session_secret(value: str) -> bytes:
    """32 bytes as 64 hex digits: a wrong one stops start-up with one line, not a traceback (issue #28)."""
    try:
        secret = bytes.fromhex(value)
    except ValueError:
        secret = b""
    if len(secret) < 32:
        raise SystemExit(
            "BOT_SESSION_SECRET must be at least 32 bytes written as hex (64 characters 0-9, a-f); "
            "for example the output of: python3 -c 'import secrets; print(secrets.token_hex(32))'"
        )
    return secret


def read_sqlite_durability(env: Mapping[str, str]) -> str:
    value = env.get("BOT_SQLITE_DURABILITY", "full")
    if value not in ("full", "fast-for-tests"):
        raise SystemExit(f"BOT_SQLITE_DURABILITY must be full (the default) or fast-for-tests, not {value!r}")
    return value


def read_password_hashing(env: Mapping[str, str]) -> str:
    value = env.get("BOT_PASSWORD_HASHING", "standard")
    if value not in ("standard", "insecure-fast-for-tests"):
        raise SystemExit(
            f"BOT_PASSWORD_HASHING must be standard (the default) or insecure-fast-for-tests, not {value!r}"
        )
    return value


def port_number(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, str(default))
    try:
        port = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a port number, got {raw!r}") from None
    if not 0 < port < 65536:
        raise SystemExit(f"{name} must be between 1 and 65535, got {port}")
    return port


def read_positive(env: Mapping[str, str], name: str, default: float, *, whole: bool = False) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise SystemExit(f"{name} must be {kind}, got {raw!r}") from None
    if not value > 0 or value == float("inf"):
        raise SystemExit(f"{name} must be greater than 0, got {raw!r}")
    return value


@dataclass(frozen=True)
class Organisation:
    """Who runs this deployment, as the privacy notice, terms and accessibility statement name them. Each is
    the council's to fill in; the development defaults are bracketed placeholders, which production refuses
    (bot.production), so a live page never names "[Council name]" as the data controller."""

    controller: str
    dpo_contact: str
    ico_registration: str
    accessibility_contact: str


# Each setting, its development placeholder, and what it is (for the production refusal).
ORGANISATION_SETTINGS: dict[str, tuple[str, str]] = {
    "BOT_CONTROLLER_NAME": ("[Council name]", "the council that is the data controller"),
    "BOT_DPO_CONTACT": (
        "[Data protection officer's email address]",
        "how to reach the data protection officer",
    ),
    "BOT_ICO_REGISTRATION": ("[ICO registration number]", "the controller's ICO registration number"),
    "BOT_ACCESSIBILITY_CONTACT": (
        "[Email address for accessibility problems]",
        "where people report an accessibility problem",
    ),
}


def is_placeholder(value: str) -> bool:
    """Unset, or still a bracketed placeholder: what the privacy pages must never show in production."""
    value = value.strip()
    return not value or (value.startswith("[") and value.endswith("]"))


def read_organisation(env: Mapping[str, str]) -> Organisation:
    values = [
        env.get(name, "").strip() or placeholder for name, (placeholder, _) in ORGANISATION_SETTINGS.items()
    ]
    return Organisation(*values)


def read_retention_at(env: Mapping[str, str]) -> time | None:
    """BOT_RETENTION_AT: the local time (Europe/London) `bot run` starts the daily retention job, HH:MM; "off"
    for none (a council that runs `bot retention run` from cron instead)."""
    raw = env.get("BOT_RETENTION_AT", "").strip()
    if not raw:
        return time(2, 0)
    if raw.lower() == "off":
        return None
    hours, _, minutes = raw.partition(":")
    if hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and int(hours) < 24 and int(minutes) < 60:
        return time(int(hours), int(minutes))
    raise SystemExit(f"BOT_RETENTION_AT must be a local time such as 02:00, or off, got {raw!r}")


def refuse_practice_retention_days(env: Mapping[str, str]) -> None:
    """Issue #31: the practice period is the retention schedule's (practice.practice_run.keep_days), so that
    `bot retention run` and `bot scenarios purge` can never disagree; the old setting is refused, not ignored,
    so a deployment that set it learns where its value must go."""
    if "BOT_PRACTICE_RETENTION_DAYS" in env:
        raise SystemExit(
            "BOT_PRACTICE_RETENTION_DAYS is no longer read: set practice.practice_run.keep_days in the "
            "retention schedule (BOT_RETENTION_SCHEDULE, default bot/domain/retention.yaml) and unset it"
        )


def read_security_contact(env: Mapping[str, str]) -> str:
    """BOT_SECURITY_CONTACT as an RFC 9116 Contact: an email address becomes mailto:; anything else that is
    not a mailto:, https: or tel: address stops start-up, naming the variable."""
    value = env.get("BOT_SECURITY_CONTACT", "").strip()
    if not value:
        return ""
    if "@" in value and ":" not in value and " " not in value:
        return f"mailto:{value}"
    if value.startswith(("mailto:", "https://", "tel:")) and " " not in value and len(value) > 7:
        return value
    raise SystemExit(
        f"BOT_SECURITY_CONTACT ({value!r}) must be an email address or a mailto:, https:// or tel: address"
    )
