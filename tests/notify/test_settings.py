"""The urgent-notice settings: read once, typed, with defaults; a malformed value stops start-up naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import DEFAULT_MAIL_FROM, Settings, SmtpServer


def settings(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env({"BOT_DATA_DIR": str(tmp_path), **env})


def test_defaults(tmp_path: Path) -> None:
    defaults = settings(tmp_path, BOT_APP_PORT="8181")
    assert defaults.smtp is None and defaults.mail_from == DEFAULT_MAIL_FROM
    assert defaults.link_base_url == "http://127.0.0.1:8181"
    assert (defaults.notify_retry_seconds, defaults.notify_retry_max_seconds) == (5.0, 300.0)
    assert (defaults.notify_max_attempts, defaults.urgent_lead_deadline_seconds) == (50, 180.0)
    assert (defaults.dev_mail_port, defaults.dev_mail_dir) == (1025, tmp_path.resolve() / "mail")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://127.0.0.1:1025", SmtpServer("127.0.0.1", 1025)),
        ("smtp://mail.example.org", SmtpServer("mail.example.org", 25)),
        (
            "smtp://bot%40example.org:p%40ss:word@mail.example.org:587?starttls=true",
            SmtpServer("mail.example.org", 587, "bot@example.org", "p@ss:word", starttls=True),
        ),
        ("smtps://u:p@mail.example.org", SmtpServer("mail.example.org", 465, "u", "p", implicit_tls=True)),
    ],
)
def test_smtp_urls(tmp_path: Path, url: str, expected: SmtpServer) -> None:
    read = settings(tmp_path, BOT_SMTP_URL=url)
    assert read.smtp == expected
    assert "p@ss" not in repr(read) and "word" not in repr(read.smtp)  # the password never shows


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"BOT_SMTP_URL": "http://mail.example.org"}, "BOT_SMTP_URL"),
        ({"BOT_SMTP_URL": "smtp://"}, "BOT_SMTP_URL"),
        ({"BOT_SMTP_URL": "smtp://mail.example.org:99999"}, "BOT_SMTP_URL"),
        ({"BOT_SMTP_URL": "smtp://mail.example.org?tls=yes"}, "BOT_SMTP_URL"),
        ({"BOT_SMTP_URL": "smtps://mail.example.org?starttls=true"}, "BOT_SMTP_URL"),
        ({"BOT_MAIL_FROM": "Bot <bot@example.org>"}, "BOT_MAIL_FROM"),
        ({"BOT_MAIL_FROM": "bot@example.org\r\nBcc: x@example.org"}, "BOT_MAIL_FROM"),
        ({"BOT_NOTIFY_RETRY_SECONDS": "soon"}, "BOT_NOTIFY_RETRY_SECONDS"),
        ({"BOT_NOTIFY_MAX_ATTEMPTS": "0"}, "BOT_NOTIFY_MAX_ATTEMPTS"),
        ({"BOT_NOTIFY_MAX_ATTEMPTS": "2.5"}, "BOT_NOTIFY_MAX_ATTEMPTS"),
        ({"BOT_URGENT_LEAD_DEADLINE_SECONDS": "-1"}, "BOT_URGENT_LEAD_DEADLINE_SECONDS"),
        ({"BOT_DEV_MAIL_PORT": "0"}, "BOT_DEV_MAIL_PORT"),
        # Issue #28: one line naming the setting, never a traceback or a silent default.
        ({"BOT_COOKIE_SECURE": "maybe"}, "BOT_COOKIE_SECURE"),
        ({"BOT_SESSION_SECRET": "not hex at all"}, "BOT_SESSION_SECRET"),
        ({"BOT_SESSION_SECRET": "abcd"}, "BOT_SESSION_SECRET"),
    ],
)
def test_a_bad_value_stops_start_up_naming_it(tmp_path: Path, env: dict[str, str], named: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        settings(tmp_path, **env)
    assert named in str(stopped.value)


def test_the_retry_cap_is_never_below_the_base(tmp_path: Path) -> None:
    read = settings(tmp_path, BOT_NOTIFY_RETRY_SECONDS="10", BOT_NOTIFY_RETRY_MAX_SECONDS="2")
    assert (read.notify_retry_seconds, read.notify_retry_max_seconds) == (10.0, 10.0)
    assert (
        settings(tmp_path, BOT_PUBLIC_URL="https://bot.example.org/").link_base_url
        == "https://bot.example.org"
    )


@pytest.mark.parametrize(
    ("raw", "secure"),
    [
        ("true", True),
        ("YES", True),
        ("1", True),
        ("on", True),
        ("false", False),
        ("No", False),
        ("0", False),
        ("off", False),
        ("", False),
    ],
)
def test_boolean_settings_take_the_usual_spellings(tmp_path: Path, raw: str, secure: bool) -> None:
    assert settings(tmp_path, BOT_COOKIE_SECURE=raw).cookie_secure is secure
