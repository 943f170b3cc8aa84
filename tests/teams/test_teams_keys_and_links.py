"""The key cache (lazy, TTL, one refresh on an unknown key id) and linking Teams identities to accounts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from teams_helpers import AAD_OBJECT_ID, KID, TENANT, Authority, jwk, new_key
from web_helpers import PASSWORD, FakeClock

from bot import cli
from bot.domain.errors import ConflictError, ValidationError
from bot.domain.records import UserInfo
from bot.store.services import Store
from bot.teams.connector import Http
from bot.teams.keys import KeysUnavailable, SigningKeys


@pytest.fixture
async def http() -> AsyncIterator[Http]:
    client = Http()
    yield client
    await client.close()


async def test_an_unknown_key_id_refreshes_once_then_waits(authority: Authority, http: Http) -> None:
    clock = FakeClock()
    keys = SigningKeys(f"{authority.url}/openid", http.get_json, ttl=86_400, min_refresh=300, clock=clock)
    assert (await keys.get(KID)) is not None
    rotated = new_key()
    authority.keys.append(jwk(rotated, "rotated", ["msteams"]))

    assert (await keys.get("rotated")) is None  # fetched moments ago: a made-up kid must not refetch
    assert authority.fetches == ["openid", "keys"]
    clock.advance(301)
    found = await keys.get("rotated")
    assert found is not None and found.endorsements == frozenset({"msteams"})
    assert (await keys.get("never-published")) is None
    assert authority.fetches == ["openid", "keys"] * 2


async def test_keys_expire_after_their_ttl_and_stale_keys_survive_an_outage(
    authority: Authority, http: Http
) -> None:
    clock = FakeClock()
    keys = SigningKeys(f"{authority.url}/openid", http.get_json, ttl=100, min_refresh=10, clock=clock)
    await keys.get(KID)
    clock.advance(101)
    await keys.get(KID)
    assert authority.fetches == ["openid", "keys"] * 2
    await authority.stop()
    clock.advance(101)
    assert (await keys.get(KID)) is not None


async def test_no_keys_at_all_is_unavailable(http: Http) -> None:
    keys = SigningKeys("http://127.0.0.1:9/openid", http.get_json)
    with pytest.raises(KeysUnavailable):
        await keys.get(KID)


def test_linking_is_idempotent_and_never_moves_an_identity(store: Store, user: UserInfo) -> None:
    bob = store.users.create_user("bob", PASSWORD, "practitioner", "North team")
    # same identity, other case: no change
    store.teams.link_teams_user(user.id, TENANT.upper(), AAD_OBJECT_ID)
    assert store.teams.user_for_teams(TENANT, AAD_OBJECT_ID.upper()) == user
    with pytest.raises(ConflictError):
        store.teams.link_teams_user(bob.id, TENANT, AAD_OBJECT_ID)
    with pytest.raises(ValidationError):
        store.teams.link_teams_user(bob.id, "not-a-guid", AAD_OBJECT_ID)
    assert store.teams.user_for_teams("not-a-guid", AAD_OBJECT_ID) is None
    assert store.teams.user_for_teams(TENANT, "aaaaaaaa-0000-4ccc-8ddd-eeeeeeeeeeee") is None


def test_cli_links_a_teams_identity(
    store: Store, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    store.users.create_user("carol", PASSWORD, "practitioner", "North team")
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "cli"))
    monkeypatch.setenv("BOT_DATABASE_URL", database_url)
    other = "bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee"

    assert cli.main(["user", "link-teams", "carol", "--tenant", TENANT, "--aad-object-id", other]) == 0
    assert store.teams.user_for_teams(TENANT, other).username == "carol"
    assert cli.main(["user", "link-teams", "nobody", "--tenant", TENANT, "--aad-object-id", other]) == 1
    assert "no user called 'nobody'" in capsys.readouterr().err
