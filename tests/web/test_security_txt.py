"""/.well-known/security.txt (RFC 9116) carries the deploying council's own security contact
(BOT_SECURITY_CONTACT), for anyone, signed in or not; without one it is a 404, never a placeholder. The real
app over a real SQLite store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from web_helpers import make_settings

from bot.store.db import make_session_factory
from bot.store.services import Store
from bot.web.app import create_app


async def fetch(tmp_path: Path, database_url: str, **env: str) -> tuple[int, str, str]:
    settings = make_settings(tmp_path, database_url, 9, **env)
    app = create_app(settings, Store(make_session_factory(database_url)))
    async with TestClient(TestServer(app)) as client:
        response = await client.get("/.well-known/security.txt", allow_redirects=False)
        return response.status, response.content_type, await response.text()


@pytest.mark.parametrize(
    ("written", "contact"),
    [
        ("security@council.example", "mailto:security@council.example"),
        ("mailto:infosec@council.example", "mailto:infosec@council.example"),
        ("https://council.example/report-a-vulnerability", "https://council.example/report-a-vulnerability"),
    ],
)
async def test_the_councils_contact_is_served_to_anyone(
    tmp_path: Path, database_url: str, written: str, contact: str
) -> None:
    status, content_type, body = await fetch(tmp_path, database_url, BOT_SECURITY_CONTACT=written)
    assert (status, content_type) == (200, "text/plain"), body
    fields = dict(line.split(": ", 1) for line in body.splitlines())
    assert fields["Contact"] == contact
    expires = datetime.fromisoformat(fields["Expires"])
    assert datetime.now(UTC) < expires < datetime.now(UTC) + timedelta(days=365)  # RFC 9116: under a year


async def test_without_a_contact_there_is_no_file(tmp_path: Path, database_url: str) -> None:
    status, _, body = await fetch(tmp_path, database_url)
    assert status == 404 and "BOT_SECURITY_CONTACT" in body and "Contact:" not in body


@pytest.mark.parametrize("written", ["call the council", "ftp://council.example", "mailto:"])
def test_a_contact_nobody_could_use_stops_start_up_naming_the_setting(
    tmp_path: Path, database_url: str, written: str
) -> None:
    with pytest.raises(SystemExit, match="BOT_SECURITY_CONTACT"):
        make_settings(tmp_path, database_url, 9, BOT_SECURITY_CONTACT=written)
