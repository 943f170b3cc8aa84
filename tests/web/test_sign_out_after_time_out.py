"""Issue #30: an explicit sign-out at a page left open past the time-out (idle, or the absolute lifetime)
still clears the browser's storage for this site and replaces the account's drafts' key, as a sign-out of a
live session does; a session that ended by time used to be turned away before the sign-out handler, leaving
both behind on a shared computer. Real app, real SQLite store; the app's clock is moved by hand."""

from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select
from web_helpers import PASSWORD, FakeClock, csrf_from, page, sign_in

from bot.domain.audit_actions import AuditAction
from bot.domain.records import UserInfo
from bot.settings import Settings
from bot.store.models import AuditEvent
from bot.store.services import Store
from bot.web.app import SESSION_COOKIE, create_app
from bot.web.held import CLEAR_SITE_DATA

IDLE_SECONDS = 30 * 60
LIFETIME_SECONDS = 12 * 3600


def draft_key(body: str) -> str:
    found = re.search(r'data-draft-key="([^"]+)"', body)
    assert found is not None, "a signed-in page carries the drafts' key"
    return found.group(1)


def sign_outs(store: Store) -> int:
    with store.session_factory() as session:
        query = select(func.count()).where(AuditEvent.action == AuditAction.USER_SIGNED_OUT.value)
        return session.scalar(query) or 0


async def open_page(client: TestClient) -> tuple[str, str]:
    """Sign in and open the home page: (the drafts' key it gives, its form token)."""
    await sign_in(client, "alice", PASSWORD)
    body = await page(client, "/chat")
    return draft_key(body), csrf_from(body)


async def let_time_run_out(client: TestClient, clock: FakeClock, how: str) -> None:
    if how == "idle":
        clock.advance(IDLE_SECONDS + 1)
        return
    kept_busy = 0.0
    while kept_busy + IDLE_SECONDS - 60 <= LIFETIME_SECONDS:  # never idle, but past the lifetime
        clock.advance(IDLE_SECONDS - 60)
        kept_busy += IDLE_SECONDS - 60
        assert (await client.get("/chat", allow_redirects=False)).status == 200
    clock.advance(LIFETIME_SECONDS - kept_busy + 1)


@pytest.mark.parametrize("how", ["idle", "lifetime"])
async def test_signing_out_after_the_session_ran_out_of_time_clears_and_re_keys(
    client: TestClient, user: UserInfo, clock: FakeClock, store: Store, how: str
) -> None:
    key_before, token = await open_page(client)
    await let_time_run_out(client, clock, how)

    response = await client.post("/sign-out", data={"csrf_token": token}, allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/sign-in?reason=signed-out"
    assert response.headers["Clear-Site-Data"] == CLEAR_SITE_DATA
    assert sign_outs(store) == 1

    key_after, _ = await open_page(client)
    assert key_after != key_before, "a draft copied before the sign-out can no longer be read"


async def test_an_idle_time_out_alone_keeps_the_drafts_key(
    client: TestClient, user: UserInfo, clock: FakeClock, store: Store
) -> None:
    """Without the sign-out, the next sign-in opens the drafts typed before the time-out (issue 17)."""
    key_before, _ = await open_page(client)
    clock.advance(IDLE_SECONDS + 1)
    assert (await client.get("/chat", allow_redirects=False)).status == 303
    key_after, _ = await open_page(client)
    assert key_after == key_before and sign_outs(store) == 0


async def test_signing_out_after_a_restart_re_keys_too(
    client: TestClient, user: UserInfo, settings: Settings, store: Store
) -> None:
    """A restart ends every live session; the cookie, sealed with the session secret, names its owner."""
    key_before, token = await open_page(client)
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/"))[SESSION_COOKIE].value
    async with TestClient(TestServer(create_app(settings, store, clock=FakeClock()))) as restarted:
        response = await restarted.post(
            "/sign-out",
            data={"csrf_token": token},
            headers={"Cookie": f"{SESSION_COOKIE}={cookie}"},
            allow_redirects=False,
        )
        assert response.headers["Clear-Site-Data"] == CLEAR_SITE_DATA
        assert sign_outs(store) == 1
        key_after, _ = await open_page(restarted)
    assert key_after != key_before


async def test_a_timed_out_sign_out_still_needs_its_own_form_token(
    client: TestClient, user: UserInfo, clock: FakeClock, store: Store
) -> None:
    """Another site cannot sign anyone out, nor replace their drafts' key, by posting here."""
    key_before, _ = await open_page(client)
    clock.advance(IDLE_SECONDS + 1)
    for data in ({}, {"csrf_token": "not-the-token"}):
        refused = await client.post("/sign-out", data=data, allow_redirects=False)
        assert refused.status == 403 and "Clear-Site-Data" not in refused.headers
    assert sign_outs(store) == 0
    key_after, _ = await open_page(client)
    assert key_after == key_before


async def test_a_sign_out_without_any_session_goes_to_sign_in(client: TestClient, store: Store) -> None:
    response = await client.post("/sign-out", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/sign-in"
    assert sign_outs(store) == 0


async def test_signing_out_twice_re_keys_once(client: TestClient, user: UserInfo, store: Store) -> None:
    _, token = await open_page(client)
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/"))[SESSION_COOKIE].value
    with_copy = {"Cookie": f"{SESSION_COOKIE}={cookie}"}
    await client.post("/sign-out", data={"csrf_token": token}, allow_redirects=False)
    client.session.cookie_jar.clear()
    again = await client.post(
        "/sign-out", data={"csrf_token": token}, headers=with_copy, allow_redirects=False
    )
    assert again.headers["Location"] == "/sign-in?reason=signed-out"
    assert sign_outs(store) == 1
