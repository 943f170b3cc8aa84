"""Issue #30: development (the default) answers as before: no Strict-Transport-Security and no Secure flag,
since `make run` serves plain HTTP on 127.0.0.1. (Production's HSTS and Secure cookie are checked on the real
app process in tests/cli/test_production_run.py.)"""

from __future__ import annotations

from aiohttp.test_utils import TestClient


async def test_development_sends_no_hsts_and_no_secure_cookie(client: TestClient) -> None:
    response = await client.get("/sign-in")
    assert response.status == 200
    assert "Strict-Transport-Security" not in response.headers
    cookies = response.headers.getall("Set-Cookie")
    assert cookies and not any("Secure" in cookie for cookie in cookies)
