"""Signing in and out, the sign-in limit, form tokens and the idle timeout."""

from __future__ import annotations

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from web_helpers import (
    OTHER_PASSWORD,
    PASSWORD,
    FakeClock,
    FakeEngine,
    csrf_from,
    page,
    post_chat,
    practitioners,
    sign_in,
)

from bot.domain.records import UserInfo
from bot.store.services import Store
from bot.web.app import SESSION_COOKIE
from bot.web.auth import LOCKED_MESSAGE, NOT_RIGHT_MESSAGE
from bot.web.sign_in_limits import FAILURE_WINDOW_SECONDS, MAX_FAILURES

IDLE_SECONDS = 30 * 60


def session_cookie(client: TestClient) -> str:
    return client.session.cookie_jar.filter_cookies(client.make_url("/"))[SESSION_COOKIE].value


async def get_chat_with_only(client: TestClient, cookie: str) -> ClientResponse:
    """GET /chat carrying just this session cookie, as someone who copied it would."""
    client.session.cookie_jar.clear()
    return await client.get("/chat", headers={"Cookie": f"{SESSION_COOKIE}={cookie}"}, allow_redirects=False)


async def is_signed_in(client: TestClient) -> bool:
    response = await client.get("/chat", allow_redirects=False)
    return response.status == 200


async def test_right_password_signs_in(client: TestClient, user: UserInfo) -> None:
    response = await sign_in(client, "alice", PASSWORD)
    assert response.status == 303
    assert response.headers["Location"] == "/chat"
    assert "Signed in as alice" in await page(client, "/chat")


async def test_wrong_password_and_unknown_user_get_the_same_message(
    client: TestClient, user: UserInfo
) -> None:
    for username, password in (("alice", "not the password"), ("nobody", PASSWORD)):
        response = await sign_in(client, username, password)
        assert response.status == 400
        body = await response.text()
        assert NOT_RIGHT_MESSAGE in body
        assert 'class="govuk-error-summary"' in body
        assert f'value="{username}"' in body  # the username stays in its box
        assert PASSWORD not in body  # a password is never echoed back
        assert not await is_signed_in(client)


async def test_empty_details_ask_for_both(client: TestClient, user: UserInfo) -> None:
    response = await sign_in(client, "alice", "")
    assert response.status == 400
    assert "Enter your username and password." in await response.text()


async def test_too_many_failures_block_that_username_for_a_while(
    client: TestClient, user: UserInfo, other_user: UserInfo, clock: FakeClock
) -> None:
    for _ in range(MAX_FAILURES):
        assert (await sign_in(client, "alice", "wrong guess")).status == 400

    blocked = await sign_in(client, "alice", PASSWORD)  # even the right password waits
    assert blocked.status == 429
    assert LOCKED_MESSAGE in await blocked.text()
    assert not await is_signed_in(client)

    # Another username from the same address is not affected.
    assert (await sign_in(client, "bob", OTHER_PASSWORD)).status == 303
    await client.post("/sign-out", data={"csrf_token": csrf_from(await page(client, "/chat"))})

    clock.advance(FAILURE_WINDOW_SECONDS + 1)
    assert (await sign_in(client, "alice", PASSWORD)).status == 303


async def test_a_success_clears_earlier_failures(client: TestClient, user: UserInfo) -> None:
    for _ in range(MAX_FAILURES - 1):
        await sign_in(client, "alice", "wrong guess")
    assert (await sign_in(client, "alice", PASSWORD)).status == 303
    await client.post("/sign-out", data={"csrf_token": csrf_from(await page(client, "/chat"))})
    for _ in range(MAX_FAILURES - 1):
        assert (await sign_in(client, "alice", "wrong guess")).status == 400


async def test_posts_without_the_form_token_are_refused(
    client: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    await page(client, "/sign-in")
    refused = await client.post("/sign-in", data={"username": "alice", "password": PASSWORD})
    assert refused.status == 403
    assert "This form could not be sent" in await refused.text()
    assert not await is_signed_in(client)

    await sign_in(client, "alice", PASSWORD)
    draft = f"/chat/{practitioners(store).open_assessment(user.id, 'web', 'test-bank').reference}"
    for path, data in (
        ("/chat/start", {}),
        ("/chat/start", {"csrf_token": "not-the-token"}),
        ("/chat/danger", {}),
        (f"{draft}/send", {"text": "hello", "seen": "0"}),
        (f"{draft}/start", {}),
        (f"{draft}/danger", {}),
        (f"{draft}/add", {}),
        ("/sign-out", {}),
    ):
        response = await client.post(path, data=data, allow_redirects=False)
        assert response.status == 403, path
        assert "This form could not be sent" in await response.text()
    assert engine.received == []
    [only] = practitioners(store).assessments_of(user.id)  # nothing opened, nothing flagged
    assert (f"/chat/{only.reference}", only.urgent, only.messages) == (draft, False, 0)
    assert await is_signed_in(client)  # the refused sign-out changed nothing


async def test_a_form_token_from_another_session_is_refused(client: TestClient, user: UserInfo) -> None:
    await sign_in(client, "alice", PASSWORD)
    token_before = csrf_from(await page(client, "/chat"))
    await client.post("/sign-out", data={"csrf_token": token_before})
    await sign_in(client, "alice", PASSWORD)
    response = await client.post("/chat/start", data={"csrf_token": token_before})
    assert response.status == 403


async def test_sign_out_ends_the_session_for_good(client: TestClient, user: UserInfo) -> None:
    await sign_in(client, "alice", PASSWORD)
    old_cookie = session_cookie(client)
    response = await post_chat(client, "/sign-out")
    assert response.status == 303
    assert response.headers["Location"] == "/sign-in?reason=signed-out"
    assert "You have signed out." in await page(client, "/sign-in?reason=signed-out")
    assert not await is_signed_in(client)

    # Replaying the cookie from before sign-out does not get back in.
    client.session.cookie_jar.clear()
    replay = await client.get(
        "/chat", headers={"Cookie": f"{SESSION_COOKIE}={old_cookie}"}, allow_redirects=False
    )
    assert replay.status == 303
    assert replay.headers["Location"] == "/sign-in?next=/chat"  # where the person was going, for after


async def test_a_new_session_id_is_issued_at_sign_in(client: TestClient, user: UserInfo) -> None:
    await page(client, "/sign-in")
    before = session_cookie(client)
    await sign_in(client, "alice", PASSWORD)
    after = session_cookie(client)
    assert before != after
    # The anonymous cookie from before sign-in does not carry the sign-in.
    client.session.cookie_jar.clear()
    response = await client.get(
        "/chat", headers={"Cookie": f"{SESSION_COOKIE}={before}"}, allow_redirects=False
    )
    assert response.status == 303


async def test_idle_timeout_ends_the_session(client: TestClient, user: UserInfo, clock: FakeClock) -> None:
    await sign_in(client, "alice", PASSWORD)
    old_cookie = session_cookie(client)

    # Activity keeps the session going: two gaps shorter than the limit add up to more than it.
    clock.advance(IDLE_SECONDS - 60)
    assert await is_signed_in(client)
    clock.advance(IDLE_SECONDS - 60)
    assert await is_signed_in(client)

    clock.advance(IDLE_SECONDS + 1)
    response = await client.get("/chat", allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/sign-in?reason=idle&next=/chat"
    assert "You were signed out because nothing happened for 30 minutes" in await page(
        client, "/sign-in?reason=idle"
    )

    # The session is gone, not just paused: its cookie is refused from now on.
    client.session.cookie_jar.clear()
    replay = await client.get(
        "/chat", headers={"Cookie": f"{SESSION_COOKIE}={old_cookie}"}, allow_redirects=False
    )
    assert replay.status == 303
    assert replay.headers["Location"] == "/sign-in?next=/chat"  # where the person was going, for after


async def test_signed_in_users_skip_the_sign_in_page(client: TestClient, user: UserInfo) -> None:
    await sign_in(client, "alice", PASSWORD)
    response = await client.get("/sign-in", allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/chat"
