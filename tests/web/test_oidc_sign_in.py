"""OpenID Connect sign-in (issue #32) against a real provider on 127.0.0.1 (tests/fixtures/oidc_provider.py):
real RSA keys, real signed ID tokens, the app's real routes. Sign-in works; each way it can go wrong is
refused with one page, nobody signed in, and an audit event saying why."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer
from oidc_helpers import oidc_settings, path_of, to_provider
from sqlalchemy import select
from web_helpers import FakeClock, FakeEngine

from bot.domain.records import UserInfo
from bot.settings import Settings
from bot.store.models import AuditEvent
from bot.store.services import Store
from bot.web.app import create_app
from bot.web.oidc import NOT_COMPLETED, REFUSALS
from tests.fixtures.oidc_provider import TestProvider

ALICE = {"preferred_username": "alice", "groups": ["north-practitioners"]}


@pytest.fixture
async def provider() -> AsyncIterator[TestProvider]:
    running = TestProvider(next_claims=dict(ALICE))
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def settings(tmp_path: Path, database_url: str, engine: FakeEngine, provider: TestProvider) -> Settings:
    return oidc_settings(tmp_path, database_url, engine.port, provider)


@pytest.fixture
async def client(settings: Settings, store: Store, clock: FakeClock) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(settings, store, clock=clock))) as test_client:
        yield test_client


def oidc_refusals(store: Store) -> list[str]:
    with store.session_factory() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "user.sign_in_failed"))
        return [e.detail.get("why", "") for e in events if e.detail.get("method") == "oidc"]


async def assert_not_signed_in(client: TestClient) -> None:
    home = await client.get("/chat", allow_redirects=False)
    assert home.status == 303 and home.headers["Location"].startswith("/sign-in")


async def test_signing_in_through_the_provider_lands_on_the_home_page(
    client: TestClient, user: UserInfo, store: Store, provider: TestProvider
) -> None:
    page = await (await client.get("/sign-in")).text()
    assert 'href="/sign-in/oidc"' in page and 'name="password"' in page  # local passwords stay beside it
    back = await to_provider(client)
    arrived = await client.get(path_of(back), allow_redirects=False)
    assert arrived.status == 303 and arrived.headers["Location"] == "/chat"
    assert (await client.get("/chat", allow_redirects=False)).status == 200
    # The app sent the PKCE verifier, and the provider checked it against the challenge.
    assert provider.token_requests[-1]["code_verifier"]
    with store.session_factory() as session:
        signed = session.scalars(select(AuditEvent).where(AuditEvent.action == "user.signed_in")).all()
        assert [e.detail.get("method") for e in signed] == ["oidc"]
    # The same answer from the provider never signs anyone in twice.
    await client.post("/sign-out", data={"csrf_token": await csrf(client)})
    again = await client.get(path_of(back), allow_redirects=False)
    assert again.status == 403
    await assert_not_signed_in(client)


async def csrf(client: TestClient) -> str:
    text = await (await client.get("/chat")).text()
    return text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    ("misbehave", "why"),
    [
        ("wrong-audience", "claim-aud"),
        ("wrong-issuer", "claim-iss"),
        ("expired", "claim-exp"),
        ("bad-signature", "bad-signature"),
    ],
)
async def test_a_token_that_fails_a_check_is_refused(
    client: TestClient, user: UserInfo, store: Store, provider: TestProvider, misbehave: str, why: str
) -> None:
    provider.misbehave = misbehave
    refused = await client.get(path_of(await to_provider(client)), allow_redirects=False)
    assert refused.status == 403
    assert NOT_COMPLETED in await refused.text()
    await assert_not_signed_in(client)
    assert oidc_refusals(store) == [why]


async def test_a_replayed_token_is_refused_by_its_nonce(
    client: TestClient, user: UserInfo, store: Store, provider: TestProvider
) -> None:
    first = await client.get(path_of(await to_provider(client)), allow_redirects=False)
    assert first.status == 303
    await client.post("/sign-out", data={"csrf_token": await csrf(client)})
    provider.misbehave = "replay"  # the provider (or someone between) hands back the first ID token
    refused = await client.get(path_of(await to_provider(client)), allow_redirects=False)
    assert refused.status == 403
    await assert_not_signed_in(client)
    assert oidc_refusals(store) == ["claim-nonce"]


async def test_a_wrong_state_is_refused_before_the_code_is_used(
    client: TestClient, user: UserInfo, store: Store, provider: TestProvider
) -> None:
    back = urlsplit(await to_provider(client))
    query = {k: v[0] for k, v in parse_qs(back.query).items()} | {"state": "not-the-one-we-sent"}
    refused = await client.get(f"{back.path}?{urlencode(query)}", allow_redirects=False)
    assert refused.status == 403
    assert provider.token_requests == []  # the code never reached the token endpoint
    await assert_not_signed_in(client)
    assert oidc_refusals(store) == ["state-mismatch"]


async def test_a_code_exchanged_without_the_pkce_verifier_is_refused(
    client: TestClient, user: UserInfo, store: Store, provider: TestProvider, settings: Settings
) -> None:
    from bot.web.oidc_client import OidcClient, OidcRefused

    back = urlsplit(await to_provider(client))
    code = parse_qs(back.query)["code"][0]
    # Whoever holds the code without the verifier (it never left the app's session) cannot exchange it.
    assert settings.oidc is not None
    with pytest.raises(OidcRefused) as refused:
        await OidcClient(settings.oidc).exchange(code, "")
    assert refused.value.why == "token-refused"
    assert provider.token_requests[-1].get("code_verifier") == ""


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        ({"preferred_username": "nobody", "groups": ["north-practitioners"]}, "unknown"),
        ({"preferred_username": "alice", "groups": ["north-leads"]}, "unmapped"),
        ({"preferred_username": "alice", "groups": []}, "unmapped"),
    ],
)
async def test_unknown_and_unmapped_accounts_are_refused_with_a_clear_page(
    client: TestClient,
    user: UserInfo,
    store: Store,
    provider: TestProvider,
    claims: dict[str, object],
    why: str,
) -> None:
    provider.next_claims = claims
    refused = await client.get(path_of(await to_provider(client)), allow_redirects=False)
    assert refused.status == 403
    assert REFUSALS[why] in await refused.text()
    await assert_not_signed_in(client)
    assert oidc_refusals(store) == [why]


async def test_a_deactivated_account_is_refused(
    client: TestClient, user: UserInfo, store: Store, provider: TestProvider
) -> None:
    store.users.deactivate_user("alice")
    refused = await client.get(path_of(await to_provider(client)), allow_redirects=False)
    assert REFUSALS["deactivated"] in await refused.text()
    await assert_not_signed_in(client)
    assert oidc_refusals(store) == ["deactivated"]


async def test_without_oidc_the_routes_are_404_and_the_page_offers_passwords_only(
    tmp_path: Path, database_url: str, engine: FakeEngine, store: Store
) -> None:
    from web_helpers import make_settings

    plain = make_settings(tmp_path, database_url, engine.port)
    async with TestClient(TestServer(create_app(plain, store))) as plain_client:
        assert (await plain_client.get("/sign-in/oidc", allow_redirects=False)).status == 404
        assert "/sign-in/oidc" not in await (await plain_client.get("/sign-in")).text()
