"""The second factor at sign-in (issue #32), with BOT_TOTP_REQUIRED=true as production has it: a lead with a
right password and no code is not signed in; set-up is forced, confirmed by one code, and shows ten recovery
codes once; a wrong or reused code is refused; a recovery code works once; codes count in the sign-in
limiter; practitioners may opt in. The real app, the real store (SQLite) and a clock moved by hand."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pyotp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from web_helpers import PASSWORD, FakeClock, FakeEngine, csrf_from, make_settings, page, sign_in

from bot.settings import Settings
from bot.store.db import make_session_factory
from bot.store.services import Store
from bot.web.app import create_app
from tests.fixtures.clocks import Clock


@pytest.fixture
def wall() -> Clock:
    return Clock()


@pytest.fixture
def store(database_url: str, wall: Clock) -> Store:
    return Store(make_session_factory(database_url), clock=wall)


@pytest.fixture
def settings(tmp_path: Path, database_url: str, engine: FakeEngine) -> Settings:
    return make_settings(tmp_path, database_url, engine.port, BOT_TOTP_REQUIRED="true")


@pytest.fixture
async def client(settings: Settings, store: Store, clock: FakeClock) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(settings, store, clock=clock))) as test_client:
        yield test_client


@pytest.fixture
def lead(store: Store) -> None:
    store.users.create_user("lee.lead", PASSWORD, "lead", "North team")


def secret_on(body: str) -> str:
    match = re.search(r'<code id="secret-key">([A-Z2-7 ]+)</code>', body)
    assert match, "the set-up page shows no key"
    return match.group(1).replace(" ", "")


def code(secret: str, wall: Clock) -> str:
    return pyotp.TOTP(secret).at(wall.now)


async def post(client: TestClient, path: str, **fields: str):  # type: ignore[no-untyped-def]
    token = csrf_from(await page(client, path))
    return await client.post(path, data={**fields, "csrf_token": token}, allow_redirects=False)


async def signed_in(client: TestClient) -> bool:
    response = await client.get("/cases", allow_redirects=False)
    return response.status == 200


async def set_up(client: TestClient, wall: Clock) -> tuple[str, list[str]]:
    """Sign in as the lead for the first time, through the forced set-up; the secret and recovery codes."""
    response = await sign_in(client, "lee.lead", PASSWORD)
    assert response.headers["Location"] == "/sign-in/set-up"
    secret = secret_on(await page(client, "/sign-in/set-up"))
    confirmed = await post(client, "/sign-in/set-up", code=code(secret, wall))
    assert confirmed.status == 200
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", await confirmed.text())
    return secret, codes


async def sign_out(client: TestClient) -> None:
    client.session.cookie_jar.clear()


async def test_a_lead_with_a_right_password_and_no_code_is_not_signed_in(
    client: TestClient, lead: None
) -> None:
    response = await sign_in(client, "lee.lead", PASSWORD)
    assert (response.status, response.headers["Location"]) == (303, "/sign-in/set-up")
    assert not await signed_in(client)
    # Waiting for set-up opens no other page, and the code page sends nobody anywhere but set-up.
    assert (await client.get("/chat", allow_redirects=False)).status == 303
    assert "QR code" in await page(client, "/sign-in/set-up")
    assert not await signed_in(client)


async def test_set_up_needs_a_right_code_then_shows_ten_recovery_codes_once(
    client: TestClient, lead: None, wall: Clock
) -> None:
    await sign_in(client, "lee.lead", PASSWORD)
    body = await page(client, "/sign-in/set-up")
    assert "<svg" in body and "/static/" not in body.split('class="app-qr-code', 1)[1].split("</div>", 1)[0]
    secret = secret_on(body)
    wrong = await post(
        client, "/sign-in/set-up", code="000000" if code(secret, wall) != "000000" else "111111"
    )
    assert wrong.status == 400
    assert "not right" in await wrong.text()
    assert secret_on(await wrong.text()) == secret  # the same key again, not a new one
    assert not await signed_in(client)
    confirmed = await post(client, "/sign-in/set-up", code=code(secret, wall))
    text = await confirmed.text()
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", text)
    assert len(codes) == 10 and "shown only once" in text
    assert await signed_in(client)
    # Set up: the key is never shown again.
    again = await client.get("/account/second-factor", allow_redirects=False)
    assert again.status == 303 and secret not in await again.text()


async def test_a_wrong_code_and_a_reused_code_are_refused(
    client: TestClient, lead: None, wall: Clock
) -> None:
    secret, _ = await set_up(client, wall)
    await sign_out(client)
    wall.advance(seconds=30)
    await sign_in(client, "lee.lead", PASSWORD)
    wrong = await post(client, "/sign-in/code", code="12345")
    assert wrong.status == 400 and not await signed_in(client)
    right = await post(client, "/sign-in/code", code=code(secret, wall))
    assert (right.status, right.headers["Location"]) == (303, "/cases")
    assert await signed_in(client)

    await sign_out(client)
    response = await sign_in(client, "lee.lead", PASSWORD)
    assert response.headers["Location"] == "/sign-in/code"
    reused = await post(client, "/sign-in/code", code=code(secret, wall))  # the same 30 s step again
    assert reused.status == 400 and "used already" in await reused.text()
    assert not await signed_in(client)
    wall.advance(seconds=30)
    assert (await post(client, "/sign-in/code", code=code(secret, wall))).status == 303
    assert await signed_in(client)


async def test_a_recovery_code_works_once(client: TestClient, lead: None, wall: Clock) -> None:
    _, codes = await set_up(client, wall)
    for expected in (303, 400):
        await sign_out(client)
        await sign_in(client, "lee.lead", PASSWORD)
        response = await post(client, "/sign-in/code", code=codes[0])
        assert response.status == expected
    assert not await signed_in(client)
    assert (await post(client, "/sign-in/code", code=codes[1].upper())).status == 303


async def test_codes_count_in_the_sign_in_limiter(client: TestClient, lead: None, wall: Clock) -> None:
    await set_up(client, wall)
    await sign_out(client)
    await sign_in(client, "lee.lead", PASSWORD)
    statuses = [(await post(client, "/sign-in/code", code="000001")).status for _ in range(6)]
    assert statuses == [400] * 5 + [429]


async def test_the_code_page_without_a_password_first_goes_to_sign_in(client: TestClient) -> None:
    for path in ("/sign-in/code", "/sign-in/set-up"):
        response = await client.get(path, allow_redirects=False)
        assert (response.status, response.headers["Location"]) == (303, "/sign-in")


async def test_a_practitioner_may_opt_in_and_is_then_asked_for_a_code(
    client: TestClient, store: Store, wall: Clock
) -> None:
    store.users.create_user("pat", PASSWORD, "practitioner", "North team")
    assert (await sign_in(client, "pat", PASSWORD)).headers["Location"] == "/chat"
    secret = secret_on(await page(client, "/account/second-factor"))
    confirmed = await post(client, "/account/second-factor", code=code(secret, wall))
    assert confirmed.status == 200 and 'href="/chat"' in await confirmed.text()
    await sign_out(client)
    assert (await sign_in(client, "pat", PASSWORD)).headers["Location"] == "/sign-in/code"
