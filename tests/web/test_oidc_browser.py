"""OpenID Connect sign-in in Chromium (issue #32): from the sign-in page's button, through the tests' real
provider on 127.0.0.1 (tests/fixtures/oidc_provider.py), back to the home page; and the refusal page, checked
with axe-core, for an account the provider knows and this service does not."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from axe import assert_accessible
from oidc_helpers import oidc_settings
from playwright.async_api import Browser, expect
from web_helpers import FakeClock, FakeEngine

from bot.domain.records import UserInfo
from bot.settings import Settings
from bot.store.services import Store
from bot.web.app import create_app
from bot.web.oidc import REFUSALS
from tests.fixtures.oidc_provider import TestProvider


@pytest.fixture
async def provider() -> AsyncIterator[TestProvider]:
    running = TestProvider(next_claims={"preferred_username": "alice", "groups": ["north-practitioners"]})
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def app_port() -> int:
    # The provider sends the browser back to the redirect address, so the app's port is chosen first.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def settings(
    tmp_path: Path, database_url: str, engine: FakeEngine, provider: TestProvider, app_port: int
) -> Settings:
    import dataclasses

    made = oidc_settings(tmp_path, database_url, engine.port, provider)
    assert made.oidc is not None
    back = f"http://127.0.0.1:{app_port}/sign-in/oidc/callback"
    return dataclasses.replace(made, oidc=dataclasses.replace(made.oidc, redirect_uri=back))


@pytest.fixture
async def base_url(settings: Settings, store: Store, clock: FakeClock, app_port: int) -> AsyncIterator[str]:
    server = TestServer(create_app(settings, store, clock=clock), host="127.0.0.1", port=app_port)
    await server.start_server()
    yield f"http://127.0.0.1:{app_port}"
    await server.close()


async def test_signing_in_through_the_provider_and_a_refusal_in_chromium(
    browser: Browser, base_url: str, user: UserInfo, provider: TestProvider
) -> None:
    context = await browser.new_context(bypass_csp=True)  # for axe's script only
    page = await context.new_page()
    await page.goto(f"{base_url}/sign-in")
    await assert_accessible(page, "the sign-in page with the organisation account button")
    await page.get_by_role("link", name="Sign in with your organisation account").click()
    await expect(page.get_by_role("button", name="Start a new screening")).to_be_visible()
    assert page.url == f"{base_url}/chat"
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_text("You have signed out.")).to_be_visible()

    provider.next_claims = {"preferred_username": "someone-else", "groups": ["north-practitioners"]}
    await page.get_by_role("link", name="Sign in with your organisation account").click()
    await expect(page.get_by_role("heading", level=1, name="You could not be signed in")).to_be_visible()
    await expect(page.get_by_text(REFUSALS["unknown"])).to_be_visible()
    await assert_accessible(page, "the OpenID Connect refusal page")
    await page.get_by_role("link", name="Go back to the sign-in page").click()
    await expect(page.get_by_label("Username")).to_be_visible()
    await context.close()
