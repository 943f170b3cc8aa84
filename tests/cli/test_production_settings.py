"""Issue #30: production mode's settings. BOT_ENV=production names every missing item in one message and
generates nothing; secrets may be given as NAME_FILE, and a file that is missing, empty or open to group or
others is refused with its path named. Development stays the zero-configuration default."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings

SESSION_SECRET = "ab" * 32


def secret_file(folder: Path, name: str, value: str, mode: int = 0o600) -> Path:
    path = folder / name
    path.write_text(value + "\n")
    path.chmod(mode)
    return path


def complete(tmp_path: Path) -> dict[str, str]:
    """A production configuration with nothing missing (mail as the notice channel)."""
    return {
        "BOT_ENV": "production",
        "BOT_DATA_DIR": str(tmp_path / "data"),
        "BOT_SESSION_SECRET": SESSION_SECRET,
        "BOT_SERVICE_TOKEN": "a-service-token",
        "BOT_ENGINE_TOKEN": "an-engine-token",
        "BOT_ACTIONS_TOKEN": "an-actions-token",
        "BOT_DATA_KEYS": "prod1:" + "5a" * 32,
        "BOT_PUBLIC_URL": "https://assess.example.org",
        "BOT_SMTP_URL": "smtp://mail.example.org:587?starttls=true",
        **ORGANISATION,
    }


# Who runs the deployment, as /privacy names them: production refuses the development placeholders.
ORGANISATION = {
    "BOT_CONTROLLER_NAME": "Example Borough Council",
    "BOT_DPO_CONTACT": "dpo@council.example",
    "BOT_ICO_REGISTRATION": "Z1234567",
    "BOT_ACCESSIBILITY_CONTACT": "accessibility@council.example",
}


def refusal(env: dict[str, str]) -> str:
    with pytest.raises(SystemExit) as stopped:
        Settings.from_env(env)
    return str(stopped.value.code)


def test_nothing_configured_names_every_missing_item_at_once(tmp_path: Path) -> None:
    message = refusal({"BOT_ENV": "production", "BOT_DATA_DIR": str(tmp_path / "data")})
    for name in ("BOT_SESSION_SECRET", "BOT_SERVICE_TOKEN", "BOT_PUBLIC_URL", "BOT_SMTP_URL"):
        assert name in message
    # Issue #30: the tokens of the engine's channel and of the action server too.
    assert "BOT_ENGINE_TOKEN (or BOT_ENGINE_TOKEN_FILE) is not set" in message
    assert "BOT_ACTIONS_TOKEN (or BOT_ACTIONS_TOKEN_FILE) is not set" in message
    assert message.startswith("BOT_ENV=production: cannot start")
    for name in ORGANISATION:  # the privacy notice's controller, DPO, ICO number, accessibility contact
        assert f"{name} is not set (or is still a [placeholder])" in message
    # Nothing was created: no data folder, so no development secret either.
    assert not (tmp_path / "data").exists()


def test_teams_on_asks_for_its_password_and_tenants_not_mail(tmp_path: Path) -> None:
    env = complete(tmp_path) | {"BOT_TEAMS_APP_ID": "app-id"}
    del env["BOT_SMTP_URL"], env["BOT_SESSION_SECRET"]
    message = refusal(env)
    assert "BOT_TEAMS_APP_PASSWORD" in message and "BOT_TEAMS_TENANT_IDS" in message
    assert "BOT_SESSION_SECRET" in message and "BOT_SMTP_URL" not in message


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"BOT_PUBLIC_URL": "http://assess.example.org"}, "BOT_PUBLIC_URL must start with https://"),
        ({"BOT_COOKIE_SECURE": "false"}, "BOT_COOKIE_SECURE"),
        ({"BOT_PASSWORD_HASHING": "insecure-fast-for-tests"}, "BOT_PASSWORD_HASHING"),
        ({"BOT_SQLITE_DURABILITY": "fast-for-tests"}, "BOT_SQLITE_DURABILITY is not full"),
        ({"BOT_TEST_CLOCK_FILE": "/tmp/clock"}, "BOT_TEST_CLOCK_FILE is set: a clock moved by hand"),
    ],
)
def test_production_refuses_development_shortcuts(tmp_path: Path, extra: dict[str, str], named: str) -> None:
    assert named in refusal(complete(tmp_path) | extra)


def test_complete_production_settings(tmp_path: Path) -> None:
    settings = Settings.from_env(complete(tmp_path) | {"BOT_TRUSTED_PROXIES": "10.0.0.5, 10.1.0.0/16"})
    assert settings.production and settings.cookie_secure and not settings.dev_mode
    assert settings.link_base_url == "https://assess.example.org"
    assert [str(n) for n in settings.trusted_proxies] == ["10.0.0.5/32", "10.1.0.0/16"]
    assert not (tmp_path / "data" / "secrets").exists()  # no development secret generated


def test_secrets_from_files(tmp_path: Path) -> None:
    env = complete(tmp_path)
    for name in (
        "BOT_SESSION_SECRET",
        "BOT_SERVICE_TOKEN",
        "BOT_SMTP_URL",
        "BOT_ENGINE_TOKEN",
        "BOT_ACTIONS_TOKEN",
    ):
        env[f"{name}_FILE"] = str(secret_file(tmp_path, name.lower(), env.pop(name)))
    settings = Settings.from_env(env)
    assert (settings.engine_token, settings.actions_token) == ("an-engine-token", "an-actions-token")
    assert settings.session_secret == bytes.fromhex(SESSION_SECRET)
    assert settings.service_token == "a-service-token"
    assert settings.smtp is not None and settings.smtp.host == "mail.example.org"


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660])
def test_a_secret_file_open_to_others_is_refused_by_path(tmp_path: Path, mode: int) -> None:
    path = secret_file(tmp_path, "token", "a-service-token", mode)
    env = complete(tmp_path) | {"BOT_SERVICE_TOKEN_FILE": str(path)}
    del env["BOT_SERVICE_TOKEN"]
    message = refusal(env)
    assert f"BOT_SERVICE_TOKEN_FILE: {path}" in message and "chmod 600" in message
    assert "a-service-token" not in message  # a secret's value is never printed


def test_every_file_problem_is_named_together(tmp_path: Path) -> None:
    empty = secret_file(tmp_path, "empty", "")
    missing = tmp_path / "nowhere"
    env = complete(tmp_path) | {"BOT_SESSION_SECRET_FILE": str(empty), "BOT_SERVICE_TOKEN_FILE": str(missing)}
    del env["BOT_SESSION_SECRET"], env["BOT_SERVICE_TOKEN"]
    message = refusal(env)
    assert f"{empty} is empty" in message and f"{missing} does not exist" in message


def test_a_variable_and_its_file_together_are_refused(tmp_path: Path) -> None:
    env = complete(tmp_path) | {"BOT_SERVICE_TOKEN_FILE": str(secret_file(tmp_path, "t", "other"))}
    assert "BOT_SERVICE_TOKEN and BOT_SERVICE_TOKEN_FILE are both set" in refusal(env)


def test_file_rules_hold_in_development_too(tmp_path: Path) -> None:
    path = secret_file(tmp_path, "token", "a-service-token", 0o644)
    message = refusal({"BOT_DATA_DIR": str(tmp_path / "data"), "BOT_SERVICE_TOKEN_FILE": str(path)})
    assert str(path) in message


def test_development_is_still_the_zero_configuration_default(tmp_path: Path) -> None:
    settings = Settings.from_env({"BOT_DATA_DIR": str(tmp_path / "data")})
    assert settings.dev_mode and not settings.production and not settings.cookie_secure
    assert settings.trusted_proxies == ()
    assert (tmp_path / "data" / "secrets" / "session-secret").exists()  # generated, as before


@pytest.mark.parametrize(
    ("env", "named"),
    [({"BOT_ENV": "staging"}, "BOT_ENV"), ({"BOT_TRUSTED_PROXIES": "10.0.0.0/33"}, "BOT_TRUSTED_PROXIES")],
)
def test_malformed_values_are_named(tmp_path: Path, env: dict[str, str], named: str) -> None:
    assert named in refusal({"BOT_DATA_DIR": str(tmp_path / "data"), **env})


@pytest.mark.parametrize("name", sorted(ORGANISATION))
def test_production_refuses_a_placeholder_left_in_the_privacy_wording(tmp_path: Path, name: str) -> None:
    message = refusal(complete(tmp_path) | {name: "[Council name]"})
    assert f"{name} is not set (or is still a [placeholder])" in message
    assert not (tmp_path / "data").exists()


def test_development_shows_bracketed_placeholders_and_production_the_councils_words(tmp_path: Path) -> None:
    development = Settings.from_env({"BOT_DATA_DIR": str(tmp_path / "dev")}).organisation
    assert development.controller == "[Council name]" and development.ico_registration.startswith("[")
    production = Settings.from_env(complete(tmp_path)).organisation
    assert production.controller == "Example Borough Council"
    assert production.dpo_contact == "dpo@council.example"


def test_production_refuses_to_turn_the_second_factor_off(tmp_path: Path) -> None:
    """Issue #32: leads, coordinators and admins always give a second factor in production; development and
    the tests may turn the requirement off, and it is on when nothing says otherwise."""
    message = refusal(complete(tmp_path) | {"BOT_TOTP_REQUIRED": "false"})
    assert "BOT_TOTP_REQUIRED is false" in message
    assert Settings.from_env(complete(tmp_path) | {"BOT_TOTP_REQUIRED": "true"}).totp_required
    assert Settings.from_env({"BOT_DATA_DIR": str(tmp_path / "dev")}).totp_required
    development = {"BOT_DATA_DIR": str(tmp_path / "dev"), "BOT_TOTP_REQUIRED": "false"}
    assert not Settings.from_env(development).totp_required
