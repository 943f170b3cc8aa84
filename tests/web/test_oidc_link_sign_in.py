"""Organisation sign-in links a person by their subject, not by a name the provider can change (issue #32):
against the real test provider on 127.0.0.1 (tests/fixtures/oidc_provider.py), which keeps each person's
subject when it renames them and gives a new person a subject of their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from oidc_helpers import oidc_settings, path_of, to_provider
from sqlalchemy import select
from web_helpers import FakeClock, FakeEngine

from bot.domain.records import UserInfo
from bot.settings import Settings
from bot.store.models import AuditEvent
from bot.store.oidc_link_models import OidcLink
from bot.store.oidc_links import LINKED_ELSEWHERE
from bot.store.services import Store
from bot.web.app import create_app
from bot.web.oidc import REFUSALS
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


async def sign_in_through_provider(client: TestClient) -> int:
    """One trip through the provider, then signed out again (a new session for the next); the status."""
    arrived = await client.get(path_of(await to_provider(client)), allow_redirects=False)
    client.session.cookie_jar.clear()
    return arrived.status


def events(store: Store, action: str) -> list[AuditEvent]:
    with store.session_factory() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def links(store: Store) -> list[tuple[str, str, int]]:
    with store.session_factory() as session:
        return [(r.issuer, r.subject, r.user_id) for r in session.scalars(select(OidcLink))]


async def test_the_first_sign_in_links_the_subject_and_a_new_name_then_changes_nothing(
    client: TestClient, user: UserInfo, store: Store, provider: TestProvider
) -> None:
    assert await sign_in_through_provider(client) == 303
    assert links(store) == [(provider.issuer, provider.subject_of("alice"), user.id)]
    (linked,) = events(store, "oidc.linked")
    assert linked.user_id == user.id and linked.detail["method"] == "first-sign-in"

    provider.rename("alice", "alice.smith")  # the council renames her: same person, same subject
    assert await sign_in_through_provider(client) == 303
    assert [e.user_id for e in events(store, "user.signed_in")] == [user.id, user.id]
    assert len(events(store, "oidc.linked")) == 1  # linked once, at the first sign-in


async def test_a_linked_subject_showing_another_accounts_name_signs_in_as_its_own(
    client: TestClient, user: UserInfo, other_user: UserInfo, store: Store, provider: TestProvider
) -> None:
    assert await sign_in_through_provider(client) == 303  # alice is linked
    provider.rename("alice", "bob")  # the provider gives alice's person the name "bob" has here
    assert await sign_in_through_provider(client) == 303
    assert [e.user_id for e in events(store, "user.signed_in")] == [user.id, user.id]  # never bob
    assert all(user_id == user.id for _, _, user_id in links(store))


async def test_a_name_linked_to_another_subject_is_refused(
    client: TestClient, user: UserInfo, store: Store, provider: TestProvider
) -> None:
    assert await sign_in_through_provider(client) == 303  # alice is linked
    provider.rename("alice", "alice.old")
    provider.next_claims = dict(ALICE)  # someone new at the provider now holds the name "alice"
    refused = await client.get(path_of(await to_provider(client)), allow_redirects=False)
    assert refused.status == 403
    assert REFUSALS[LINKED_ELSEWHERE] in await refused.text()
    home = await client.get("/chat", allow_redirects=False)
    assert home.status == 303 and home.headers["Location"].startswith("/sign-in")  # no session
    (failed,) = events(store, "user.sign_in_failed")
    assert failed.user_id == user.id and failed.detail["why"] == LINKED_ELSEWHERE
    assert len(links(store)) == 1  # the newcomer was not linked


async def test_a_deactivated_linked_account_is_refused_and_a_refused_first_sign_in_links_nothing(
    client: TestClient, user: UserInfo, other_user: UserInfo, store: Store, provider: TestProvider
) -> None:
    assert await sign_in_through_provider(client) == 303
    store.users.deactivate_user("alice")
    assert await sign_in_through_provider(client) == 403
    provider.next_claims = {"preferred_username": "bob", "groups": ["someone-elses-group"]}
    assert await sign_in_through_provider(client) == 403  # unmapped: bob is not linked
    assert [e.detail["why"] for e in events(store, "user.sign_in_failed")] == ["deactivated", "unmapped"]
    assert [user_id for _, _, user_id in links(store)] == [user.id]
