"""The app configured for the tests' OpenID Connect provider (tests/fixtures/oidc_provider.py), and one trip
through it: the app sends the browser to the provider, the provider sends it back with a code."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
from aiohttp.test_utils import TestClient
from web_helpers import make_settings

from bot.settings import Settings
from tests.fixtures.oidc_provider import CLIENT_ID, CLIENT_SECRET, TestProvider

MAPPING = """
username_claim: preferred_username
groups_claim: groups
grants:
  - value: north-practitioners
    role: practitioner
    team: North team
  - value: north-leads
    role: lead
    team: North team
"""


def oidc_settings(tmp_path: Path, database_url: str, engine_port: int, provider: TestProvider) -> Settings:
    mapping = tmp_path / "oidc-mapping.yaml"
    mapping.write_text(MAPPING)
    secret = tmp_path / "oidc-secret"
    secret.write_text(CLIENT_SECRET)
    secret.chmod(0o600)  # a secret file open to others is refused (bot.production)
    return make_settings(
        tmp_path,
        database_url,
        engine_port,
        BOT_OIDC_ISSUER=provider.issuer,
        BOT_OIDC_CLIENT_ID=CLIENT_ID,
        BOT_OIDC_CLIENT_SECRET_FILE=str(secret),
        BOT_OIDC_MAPPING_FILE=str(mapping),
    )


async def to_provider(client: TestClient) -> str:
    """Start signing in; the provider's answer (the app's callback address, with code and state)."""
    leave = await client.get("/sign-in/oidc", allow_redirects=False)
    assert leave.status == 303, await leave.text()
    async with (
        aiohttp.ClientSession() as browser,
        browser.get(leave.headers["Location"], allow_redirects=False) as answer,
    ):
        assert answer.status == 302
        return answer.headers["Location"]


def path_of(address: str) -> str:
    parts = urlsplit(address)
    return f"{parts.path}?{parts.query}"
