"""Issue #32: OpenID Connect settings. Production refuses an issuer reached over plain http (but the tests'
own provider on 127.0.0.1); a half-configured set-up or a mapping file that is wrong stops start-up naming the
variable; the client secret may be a file; the redirect address comes from the public address."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_production_settings import complete, refusal, secret_file

from bot.settings import Settings

MAPPING = "grants:\n  - value: g-1\n    role: lead\n    team: North team\n"


def with_oidc(tmp_path: Path, env: dict[str, str], issuer: str, mapping: str = MAPPING) -> dict[str, str]:
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text(mapping)
    return env | {
        "BOT_OIDC_ISSUER": issuer,
        "BOT_OIDC_CLIENT_ID": "client-1",
        "BOT_OIDC_CLIENT_SECRET_FILE": str(secret_file(tmp_path, "oidc-secret", "s3cret:%")),
        "BOT_OIDC_MAPPING_FILE": str(mapping_file),
    }


def test_production_refuses_an_issuer_over_plain_http(tmp_path: Path) -> None:
    message = refusal(with_oidc(tmp_path, complete(tmp_path), "http://login.example.org/tenant"))
    assert "BOT_OIDC_ISSUER must start with https://" in message


@pytest.mark.parametrize("issuer", ["https://login.example.org/tenant/v2.0", "http://127.0.0.1:8123"])
def test_production_takes_https_or_the_tests_loopback_provider(tmp_path: Path, issuer: str) -> None:
    settings = Settings.from_env(with_oidc(tmp_path, complete(tmp_path), issuer))
    assert settings.oidc is not None
    assert settings.oidc.issuer == issuer
    assert settings.oidc.client_secret == "s3cret:%"  # read from the file, never in the environment
    assert settings.oidc.redirect_uri == "https://assess.example.org/sign-in/oidc/callback"
    assert settings.oidc.scopes == ("openid", "profile", "email")
    assert "s3cret" not in repr(settings)


def test_off_unless_the_issuer_is_set(tmp_path: Path) -> None:
    assert Settings.from_env({"BOT_DATA_DIR": str(tmp_path / "data")}).oidc is None


def test_a_half_configured_provider_stops_start_up(tmp_path: Path) -> None:
    env = with_oidc(tmp_path, {"BOT_DATA_DIR": str(tmp_path / "data")}, "https://login.example.org")
    del env["BOT_OIDC_CLIENT_ID"]
    assert "set BOT_OIDC_CLIENT_ID" in refusal(env)


@pytest.mark.parametrize(
    "mapping",
    [
        "grants: []\n",
        "grants:\n  - value: g-1\n    role: superuser\n    team: North team\n",
        "[not: a map",
        MAPPING + "subject_claim: preferred_username\n",  # a name that can change never links anyone
    ],
)
def test_a_mapping_file_that_is_wrong_stops_start_up(tmp_path: Path, mapping: str) -> None:
    env = with_oidc(tmp_path, {"BOT_DATA_DIR": str(tmp_path / "data")}, "https://login.example.org", mapping)
    assert "BOT_OIDC_MAPPING_FILE" in refusal(env)


@pytest.mark.parametrize(("line", "claim"), [("", "sub"), ("subject_claim: oid\n", "oid")])
def test_the_subject_claim_is_sub_or_entra_ids_oid(tmp_path: Path, line: str, claim: str) -> None:
    env = with_oidc(tmp_path, complete(tmp_path), "https://login.example.org/t/v2.0", MAPPING + line)
    settings = Settings.from_env(env)
    assert settings.oidc is not None and settings.oidc.mapping.subject_claim == claim
