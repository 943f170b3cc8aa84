"""A message sent after the sign-in session ended is kept for its author, and only for them (issue 17).

Over real HTTP against the app, with a real SQLite store and the stand-in engine. The idle clock is the
test's own (FakeClock), so "past the time-out" is exact. The browser tests (JavaScript on and off) are in
test_session_timeout.py; the real engine's in tests/e2e/test_nothing_typed_is_lost.py.
"""

from __future__ import annotations

import json
import re

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select
from web_helpers import (
    OTHER_PASSWORD,
    PASSWORD,
    FakeClock,
    FakeEngine,
    csrf_from,
    field_value,
    page,
    sign_in,
    start_screening,
    textarea_text,
)

from bot.chat.gateway import WEBHOOK_PATH
from bot.domain.records import UserInfo
from bot.settings import Settings
from bot.store.held_models import HeldMessage
from bot.store.models import AuditEvent
from bot.store.services import Store
from bot.web import chat, held
from bot.web.app import SESSION_COOKIE, create_app

IDLE_SECONDS = 30 * 60
# What must come back byte for byte: CRLF line breaks (as a browser posts them), a leading line break,
# quotes, an en dash, emoji, a tab and trailing spaces; a few thousand characters in all.
ACCOUNT = (
    '\r\nOn Tuesday he told the coach "you lot will see" – then left 😟.\r\n\tHe was shaking.  \r\n' * 60
).rstrip("\r\n") + "   "
KEPT_LINE = "We kept the message you were sending when you were signed out. Check it, then choose Send."


async def chat_form(client: TestClient, path: str) -> dict[str, str]:
    """The send form's hidden fields, as the assessment's page carries them."""
    body = await page(client, path)
    return {"csrf_token": csrf_from(body), "seen": field_value(body, "seen")}


async def send(client: TestClient, path: str, form: dict[str, str], **fields: str):
    return await client.post(f"{path}/send", data={**form, **fields}, allow_redirects=False)


async def started(client: TestClient) -> tuple[str, dict[str, str]]:
    """Signed in as alice with a screening begun: its page, and its send form's fields."""
    response = await sign_in(client, "alice", PASSWORD)
    assert response.status == 303
    path = await start_screening(client)
    return path, await chat_form(client, path)


def held_rows(store: Store) -> list[HeldMessage]:
    with store.session_factory() as session:
        return list(session.scalars(select(HeldMessage)))


def test_the_send_route_is_the_one_held_messages_watch() -> None:
    assert held.SEND_PATH == chat.CHAT_PATH + "/send"


async def test_a_message_sent_after_the_idle_limit_comes_back_in_the_box_after_sign_in(
    client: TestClient, user: UserInfo, engine: FakeEngine, clock: FakeClock, store: Store
) -> None:
    path, form = await started(client)
    reached = len(engine.received)
    clock.advance(IDLE_SECONDS + 1)

    response = await send(client, path, form, text=ACCOUNT)

    assert response.status == 303
    assert response.headers["Location"] == "/sign-in?reason=held"
    assert len(engine.received) == reached, "nothing reached the engine"
    notice = await page(client, response.headers["Location"])
    assert "We have kept it for you: sign in again, check it, then choose Send." in notice
    rows = held_rows(store)
    assert len(rows) == 1 and ACCOUNT.encode() not in rows[0].ciphertext

    signed_in = await sign_in(client, "alice", PASSWORD)
    assert signed_in.headers["Location"] == f"{path}#{held.KEPT_ANCHOR}"
    body = await page(client, path)
    assert textarea_text(body) == ACCOUNT, "back in the box exactly as posted"
    assert KEPT_LINE in body
    assert 'id="kept-message"' in body
    assert held_rows(store) == [], "shown once: it is in the box now"
    again = await page(client, path)
    assert textarea_text(again) == "" and KEPT_LINE not in again
    assert len(engine.received) == reached, "not an answer until Send is pressed"

    sent = await send(client, path, await chat_form(client, path), text=ACCOUNT)
    assert sent.status == 303
    assert engine.messages()[reached:] == [ACCOUNT]


async def test_after_sign_in_the_newest_held_message_leads(
    client: TestClient, user: UserInfo, engine: FakeEngine, clock: FakeClock
) -> None:
    first, first_form = await started(client)
    second = await start_screening(client)
    second_form = await chat_form(client, second)
    clock.advance(IDLE_SECONDS + 1)
    await send(client, first, first_form, text="for the first")
    # Signed in again (and straight to the first, though not looking at it yet), then away once more.
    await sign_in(client, "alice", PASSWORD)
    token = csrf_from(await page(client, "/chat"))
    clock.advance(IDLE_SECONDS + 1)
    await send(client, second, second_form | {"csrf_token": token}, text="for the second")
    signed_in = await sign_in(client, "alice", PASSWORD)
    assert signed_in.headers["Location"] == f"{second}#{held.KEPT_ANCHOR}"


async def test_another_user_on_the_same_browser_never_sees_it(
    client: TestClient,
    user: UserInfo,
    other_user: UserInfo,
    engine: FakeEngine,
    clock: FakeClock,
    store: Store,
) -> None:
    path, form = await started(client)
    clock.advance(IDLE_SECONDS + 1)
    await send(client, path, form, text=ACCOUNT)

    signed_in = await sign_in(client, "bob", OTHER_PASSWORD)
    assert signed_in.headers["Location"] == "/chat"
    assert ACCOUNT not in await page(client, "/chat")
    theirs = await client.get(path, allow_redirects=False)
    assert ACCOUNT not in await theirs.text()
    assert len(held_rows(store)) == 1, "still waiting for alice"
    await client.post("/sign-out", data={"csrf_token": csrf_from(await page(client, "/chat"))})

    await sign_in(client, "alice", PASSWORD)
    assert textarea_text(await page(client, path)) == ACCOUNT


async def test_nothing_is_held_without_the_ended_sessions_own_cookie_and_form_token(
    client: TestClient, user: UserInfo, engine: FakeEngine, clock: FakeClock, store: Store
) -> None:
    path, form = await started(client)
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/"))[SESSION_COOKIE].value
    clock.advance(IDLE_SECONDS + 1)

    wrong_token = await send(client, path, form | {"csrf_token": "not-the-token"}, text="planted")
    assert wrong_token.headers["Location"] == "/sign-in?reason=idle"
    # The same form from another site, without the cookie: the plain sign-in page.
    client.session.cookie_jar.clear()
    no_cookie = await send(client, path, form, text="planted")
    assert no_cookie.headers["Location"] == "/sign-in"
    # A cookie with no sign-in in it (the sign-in page's own), even with its form token.
    anonymous = csrf_from(await page(client, "/sign-in"))
    refused = await send(client, path, form | {"csrf_token": anonymous}, text="planted")
    assert refused.headers["Location"] == "/sign-in"
    # A button pressed after the time-out with nothing typed: nothing to keep.
    client.session.cookie_jar.clear()
    button = await client.post(
        f"{path}/send",
        data={**form, "button": "0", "text": ""},
        headers={"Cookie": f"{SESSION_COOKIE}={cookie}"},
        allow_redirects=False,
    )
    assert button.headers["Location"] == "/sign-in"  # that cookie's session ended at the first post
    assert held_rows(store) == []
    signed_in = await sign_in(client, "alice", PASSWORD)
    assert signed_in.headers["Location"] == "/chat"


async def test_signing_out_leaves_nothing_to_hold_with(
    client: TestClient, user: UserInfo, engine: FakeEngine, store: Store
) -> None:
    path, form = await started(client)
    await client.post("/sign-out", data={"csrf_token": form["csrf_token"]}, allow_redirects=False)
    response = await send(client, path, form, text="typed on a page left open")
    assert response.headers["Location"] == "/sign-in"
    assert held_rows(store) == []


async def test_a_message_sent_after_the_app_restarted_is_kept_too(
    client: TestClient, user: UserInfo, engine: FakeEngine, settings: Settings, store: Store
) -> None:
    """A restart signs everyone out (the live sessions are in memory); the cookie still names its user."""
    path, form = await started(client)
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/"))[SESSION_COOKIE].value
    async with TestClient(TestServer(create_app(settings, store, clock=FakeClock()))) as restarted:
        response = await restarted.post(
            f"{path}/send",
            data={**form, "text": ACCOUNT},
            headers={"Cookie": f"{SESSION_COOKIE}={cookie}"},
            allow_redirects=False,
        )
        assert response.headers["Location"] == "/sign-in?reason=held"
        await sign_in(restarted, "alice", PASSWORD)
        assert textarea_text(await page(restarted, path)) == ACCOUNT


async def test_holding_and_restoring_are_audited_with_ids_only(
    client: TestClient, user: UserInfo, engine: FakeEngine, clock: FakeClock, store: Store
) -> None:
    path, form = await started(client)
    clock.advance(IDLE_SECONDS + 1)
    await send(client, path, form, text="A distinctive sentence for the audit check.")
    await sign_in(client, "alice", PASSWORD)
    await page(client, path)

    with store.session_factory() as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action.like("message.%"))))
        everything = [json.dumps(e.detail) for e in session.scalars(select(AuditEvent))]
    assert [(e.action, e.actor_id, e.user_id) for e in events] == [
        ("message.held", str(user.id), user.id),
        ("message.restored", str(user.id), user.id),
    ]
    assert not any("distinctive" in detail for detail in everything)


async def test_stay_signed_in_keeps_the_session_and_answers_nothing_else(
    client: TestClient, user: UserInfo, engine: FakeEngine, clock: FakeClock
) -> None:
    path, form = await started(client)
    for _ in range(3):  # three keep-alives, each within the limit: longer than the limit in all
        clock.advance(IDLE_SECONDS - 60)
        kept = await client.post("/session/keep-alive", data={"csrf_token": form["csrf_token"]})
        assert kept.status == 204
    reply = await send(client, path, await chat_form(client, path), text="still signed in")
    assert reply.status == 303 and reply.headers["Location"].startswith(path)

    no_token = await client.post("/session/keep-alive", data={}, allow_redirects=False)
    assert no_token.status == 403
    clock.advance(IDLE_SECONDS + 1)
    ended = await client.post(
        "/session/keep-alive", data={"csrf_token": form["csrf_token"]}, allow_redirects=False
    )
    assert ended.status == 303
    assert ended.headers["Location"] == "/sign-in?reason=idle"


async def test_signed_in_pages_say_when_the_session_ends(
    client: TestClient, user: UserInfo, engine: FakeEngine
) -> None:
    signed_out = await page(client, "/sign-in")
    assert "data-session-idle-seconds" not in signed_out and "timeout-dialog" not in signed_out
    await sign_in(client, "alice", PASSWORD)
    body = await page(client, "/chat")
    assert re.search(r"you are signed out after 30 minutes without activity\s+\(at <span", body)
    assert re.search(r"data-session-ends-at>\d\d:\d\d</span>", body)
    assert 'data-session-idle-seconds="1800.0"' in body
    assert 'data-session-warning-seconds="120.0"' in body
    assert '<script src="/static/timeout.js" defer></script>' in body
    assert re.search(r'data-draft-key="[A-Za-z0-9+/]{43}="', body)


async def start_again_on_the_same_port(engine: FakeEngine) -> None:
    """Start the stopped stand-in engine again where the app expects it, as a restarted engine would be."""
    app = web.Application()
    app.router.add_post(WEBHOOK_PATH, engine.webhook)
    engine.server = TestServer(app, host="127.0.0.1", port=engine.port)
    await engine.server.start_server()


async def test_a_send_while_the_engine_is_down_keeps_the_text_and_one_retry_sends_it_once(
    client: TestClient, user: UserInfo, engine: FakeEngine
) -> None:
    path, form = await started(client)
    before = len(engine.received)
    await engine.stop()

    refused = await send(client, path, form, text=ACCOUNT)
    assert refused.status == 503
    body = await refused.text()
    assert "The assistant is not available right now" in body
    assert textarea_text(body) == ACCOUNT
    assert field_value(body, "seen") == form["seen"], "nothing was added: the same page can send again"

    await start_again_on_the_same_port(engine)
    again = {"csrf_token": csrf_from(body), "seen": field_value(body, "seen")}
    retried = await send(client, path, again, text=ACCOUNT)
    assert retried.status == 303
    assert engine.messages()[before:] == [ACCOUNT]


async def test_the_chat_pages_json_form_takes_no_held_text(
    client: TestClient, user: UserInfo, engine: FakeEngine, clock: FakeClock, store: Store
) -> None:
    """`bot shell` reads the page as JSON (bot.web.chat_json), which has no text box: a held message must
    wait for the page that can put it back in the box, not vanish into a terminal that cannot show it."""
    path, form = await started(client)
    clock.advance(IDLE_SECONDS + 1)
    await send(client, path, form, text=ACCOUNT)
    await sign_in(client, "alice", PASSWORD)

    response = await client.get(path, headers={"Accept": "application/json"})

    assert response.status == 200
    assert response.content_type == "application/json"
    document = await response.json()
    assert document["reference"] == path.rsplit("/", 1)[-1]
    assert ACCOUNT not in json.dumps(document, ensure_ascii=False)
    assert ACCOUNT.strip() not in [message["text"] for message in document["messages"]]
    assert len(held_rows(store)) == 1, "still held after the JSON read"
    body = await page(client, path)
    assert textarea_text(body) == ACCOUNT and KEPT_LINE in body, "the page still puts it back in the box"
    assert held_rows(store) == []
