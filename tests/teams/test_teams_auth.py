"""Every forged, foreign or stale token is refused with 401 before anything reaches the engine or store."""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from teams_helpers import FOREIGN_TENANT, KID, Authority, Connector, Minter, Post, jwk, message, new_key
from web_helpers import FakeClock, FakeEngine, make_settings

from bot.domain.records import UserInfo
from bot.settings import Settings
from bot.store.services import Store
from bot.web.app import create_app

HOUR = 3600


async def started(post: Post, connector: Connector, engine: FakeEngine) -> None:
    """A screening under way, so a forged message would have somewhere to go; set-up traffic forgotten."""
    response = await post(message(connector.url, value={"action": "start"}))
    assert response.status == 200
    assert engine.messages() == ["/start_assessment"]
    engine.received.clear()
    connector.replies.clear()


@functools.cache
def another_key() -> Any:
    """A key nobody published, made once: a 2048-bit RSA key costs about 0.1 s of CPU, and each of the
    forgery cases asked for a new one."""
    return new_key()


def forgeries(minter: Minter) -> dict[str, Any]:
    other = another_key()
    return {
        "wrong audience": (minter.token(aud="someone-else"), "token audience is not this bot"),
        "wrong issuer": (minter.token(iss="https://sts.windows.net/evil/"), "token issuer not accepted"),
        "expired": (minter.token(exp=1_000_000, nbf=900_000), "token expired"),
        "not yet valid": (minter.token(nbf=2_000_000_000 + HOUR), "token not yet valid"),
        "no expiry": (minter.token(exp=None), "invalid token"),
        "alg none": (minter.unsigned(), "token algorithm not accepted"),
        "HS256": (minter.hs256(b"k" * 64), "token algorithm not accepted"),
        "unknown kid": (minter.token(kid="not-published"), "unknown signing key"),
        "signed by another key": (minter.token(key=other), "invalid token"),
        "serviceUrl mismatch": (
            minter.token(serviceurl="https://smba.example.net/emea/"),
            "token serviceUrl does not match the activity",
        ),
        "no serviceUrl claim": (
            minter.token(serviceurl=None),
            "token serviceUrl does not match the activity",
        ),
        "garbage": ("not.a.token", "malformed token"),
    }


FORGERY_NAMES = [
    "wrong audience",
    "wrong issuer",
    "expired",
    "not yet valid",
    "no expiry",
    "alg none",
    "HS256",
    "unknown kid",
    "signed by another key",
    "serviceUrl mismatch",
    "no serviceUrl claim",
    "garbage",
]


@pytest.mark.parametrize("name", FORGERY_NAMES)
async def test_forged_tokens_are_refused_and_nothing_reaches_the_engine(
    name: str,
    post: Post,
    minter: Minter,
    connector: Connector,
    engine: FakeEngine,
    store: Store,
    user: UserInfo,
) -> None:
    await started(post, connector, engine)
    conversation = store.conversations.latest_conversation(user.id)
    assert conversation is not None
    before = store.conversations.chat_messages(conversation)
    token, reason = forgeries(minter)[name]

    response = await post(message(connector.url, "My answer"), token=token)

    assert response.status == 401
    assert (await response.json()) == {"error": reason}
    assert engine.received == []
    assert connector.replies == []
    assert store.conversations.chat_messages(conversation) == before


async def test_foreign_tenant_is_refused(
    post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    activity = message(
        connector.url,
        value={"action": "start"},
        conversation={"id": "a:1", "conversationType": "personal", "tenantId": FOREIGN_TENANT},
        channelData={"tenant": {"id": FOREIGN_TENANT}},
    )
    response = await post(activity)
    assert response.status == 401
    assert (await response.json()) == {"error": "tenant not allowed"}
    assert engine.received == [] and connector.replies == []


async def test_two_different_tenants_in_one_activity_are_refused(
    post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    activity = message(
        connector.url, value={"action": "start"}, channelData={"tenant": {"id": FOREIGN_TENANT}}
    )
    response = await post(activity)
    assert response.status == 401
    assert engine.received == []


async def test_a_key_without_the_channels_endorsement_is_refused(
    post: Post, connector: Connector, engine: FakeEngine, authority: Authority, user: UserInfo
) -> None:
    authority.keys = [{**authority.keys[0], "endorsements": ["webchat"]}]
    response = await post(message(connector.url, value={"action": "start"}))
    assert response.status == 401
    assert (await response.json()) == {"error": "signing key does not endorse this channel"}
    assert engine.received == []


async def test_a_token_for_another_channel_is_refused(
    post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    response = await post(message(connector.url, value={"action": "start"}, channelId="webchat"))
    assert response.status == 401
    assert engine.received == []


@pytest.mark.parametrize("header", [None, "", "Basic dXNlcjpwYXNz", "Bearer ", "Bearer\tabc"])
async def test_missing_or_wrong_authorization_is_refused(
    header: str | None, client: TestClient, connector: Connector, engine: FakeEngine
) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = await client.post(
        "/api/messages", json=message(connector.url, value={"action": "start"}), headers=headers
    )
    assert response.status == 401
    assert engine.received == []


async def test_an_unauthenticated_body_is_not_even_parsed(client: TestClient) -> None:
    response = await client.post("/api/messages", data=b"{not json", headers={"Content-Type": "text/plain"})
    assert response.status == 401


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[]", b'"text"', b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000, b"{}"],
    ids=["broken", "list", "string", "not utf-8", "deeply nested", "empty object"],
)
async def test_a_malformed_body_with_a_good_token_is_400(
    body: bytes, client: TestClient, minter: Minter, engine: FakeEngine
) -> None:
    response = await client.post(
        "/api/messages", data=body, headers={"Authorization": f"Bearer {minter.token()}"}
    )
    assert response.status == 400
    assert "error" in await response.json()
    assert engine.received == []


@pytest.mark.parametrize(
    "change",
    [
        {"conversation": None},
        {"conversation": {"conversationType": "personal"}},
        {"serviceUrl": None},
        {"serviceUrl": 42},
        {"text": ["a list"]},
        {"from": "a string"},
        {"type": None},
        {"channelId": {}},
        {"membersAdded": [{"name": "no id"}]},
        {"serviceUrl": "http://smba.example.net/"},
        {"serviceUrl": "file:///etc/passwd"},
    ],
)
async def test_activities_with_wrong_fields_are_400(
    change: dict[str, Any], post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    activity = {k: v for k, v in {**message(connector.url, "hello"), **change}.items() if v is not None}
    response = await post(activity)
    assert response.status == 400
    assert engine.received == [] and connector.replies == []


async def test_the_channel_is_off_without_an_app_id(tmp_path: Any, database_url: str, store: Store) -> None:
    settings = make_settings(tmp_path, database_url, 9)
    async with TestClient(TestServer(create_app(settings, store, clock=FakeClock()))) as client:
        response = await client.post("/api/messages", data=json.dumps({}), allow_redirects=False)
        assert response.status == 404
        assert (await response.json()) == {"error": "The Teams channel is not enabled on this server."}


def test_half_configured_teams_settings_stop_start_up(tmp_path: Any) -> None:
    base = {"BOT_DATA_DIR": str(tmp_path), "BOT_TEAMS_APP_ID": "x"}
    with pytest.raises(SystemExit, match="BOT_TEAMS_APP_PASSWORD"):
        Settings.from_env(base)
    with pytest.raises(SystemExit, match="BOT_TEAMS_TENANT_IDS"):
        Settings.from_env({**base, "BOT_TEAMS_APP_PASSWORD": "s"})
    secret = tmp_path / "teams-secret"
    secret.write_text("from-a-file\n")
    secret.chmod(0o600)  # a secret file open to group or others is refused (bot.production)
    settings = Settings.from_env(
        {**base, "BOT_TEAMS_APP_PASSWORD_FILE": str(secret), "BOT_TEAMS_TENANT_IDS": "T1,T2"}
    )
    assert settings.teams_app_password == "from-a-file"
    assert settings.teams_tenant_ids == ("t1", "t2") and settings.teams_app_tenant_id == "t1"
    assert "from-a-file" not in repr(settings)


async def test_keys_are_fetched_lazily_once_and_cached(
    client: TestClient, post: Post, authority: Authority, connector: Connector, user: UserInfo
) -> None:
    assert authority.fetches == []  # the app started without asking Microsoft for anything
    await post(message(connector.url, value={"action": "start"}))
    await post(message(connector.url, "an answer"))
    assert authority.fetches == ["openid", "keys"]


async def test_keys_authority_down_is_503_and_nothing_reaches_the_engine(
    post: Post, authority: Authority, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    await authority.stop()
    response = await post(message(connector.url, value={"action": "start"}))
    assert response.status == 503
    assert engine.received == []


def test_forgery_list_is_complete(minter: Minter) -> None:
    assert sorted(forgeries(minter)) == sorted(FORGERY_NAMES)


def test_a_new_key_for_the_test(signing_key: Any) -> None:
    """The published key is the session's own test key, never a real Microsoft one."""
    assert jwk(signing_key, KID)["kid"] == KID
