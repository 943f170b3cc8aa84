"""Issue #30: a session ends for good when its account is deactivated (by `bot user deactivate`, another
process), when it has lasted the absolute lifetime however active, and when it is signed out (a copy of its
cookie can do nothing, not even hold a message). Real app, real SQLite store, the real `bot` command; the
app's clock is moved by hand."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select
from test_web_held_messages import chat_form, held_rows, send, started
from web_helpers import PASSWORD, FakeClock, FakeEngine, page, sign_in

from bot.domain.audit_actions import AuditAction
from bot.domain.records import UserInfo
from bot.settings import Settings
from bot.store.ended_sessions import EndedSessionService, id_hash
from bot.store.models import AuditEvent
from bot.store.services import Store
from bot.store.session_models import EndedSessionRow
from bot.web.app import SESSION_COOKIE, create_app
from bot.web.auth import NOT_RIGHT_MESSAGE

BOT = Path(sys.executable).parent / "bot"
IDLE_SECONDS = 30 * 60
LIFETIME_SECONDS = 12 * 3600


def audited(store: Store, action: AuditAction) -> int:
    with store.session_factory() as session:
        return session.scalar(select(func.count()).where(AuditEvent.action == action.value)) or 0


async def deactivate(settings: Settings, name: str) -> subprocess.CompletedProcess[str]:
    """`bot user deactivate NAME`, run as an administrator would: its own process, the same database."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("BOT_")}
    env.update(
        BOT_DATA_DIR=str(settings.data_dir),
        BOT_DATABASE_URL=settings.database_url,
        BOT_SERVICE_TOKEN="cli-test-token",
        BOT_ENGINE_TOKEN="cli-engine-token",
        BOT_ACTIONS_TOKEN="cli-actions-token",
        BOT_SESSION_SECRET="ef" * 32,
        BOT_DATA_KEYS=os.environ["BOT_DATA_KEYS"],  # the suite's data key (tests/conftest.py)
    )
    command = [str(BOT), "user", "deactivate", name]
    return await asyncio.to_thread(
        subprocess.run, command, capture_output=True, text=True, env=env, timeout=120, check=False
    )


async def test_a_deactivated_users_open_session_is_refused_at_once_and_nothing_it_sends_is_kept(
    client: TestClient, settings: Settings, user: UserInfo, engine: FakeEngine, store: Store
) -> None:
    path, form = await started(client)
    reached_engine = len(engine.received)
    log_before = store.conversations.chat_messages(store.conversations.latest_conversation(user.id))

    done = await deactivate(settings, "alice")
    assert done.returncode == 0, done.stderr
    assert "deactivated 'alice'" in done.stdout
    assert audited(store, AuditAction.USER_DEACTIVATED) == 1

    # The very next request, page or chat post, with no restart and no wait.
    page_after = await client.get(path, allow_redirects=False)
    assert page_after.status == 303 and page_after.headers["Location"].startswith("/sign-in")
    refused = await send(client, path, form, text="typed after the account was deactivated")
    assert refused.status == 303 and refused.headers["Location"].startswith("/sign-in")
    assert refused.headers["Location"] != "/sign-in?reason=held"
    danger = await client.post(f"{path}/danger", data=form, allow_redirects=False)
    assert danger.status == 303 and danger.headers["Location"].startswith("/sign-in")

    assert len(engine.received) == reached_engine  # nothing reached the engine
    assert held_rows(store) == []  # nothing held for later either
    conversation = store.conversations.latest_conversation(user.id)
    assert store.conversations.chat_messages(conversation) == log_before

    # And the right password no longer signs in, with the same message as any refusal.
    again = await sign_in(client, "alice", PASSWORD)
    assert again.status == 400 and NOT_RIGHT_MESSAGE in await again.text()

    # Deactivating twice changes nothing and audits nothing more; an unknown name is one clear line.
    assert (await deactivate(settings, "alice")).returncode == 0
    assert audited(store, AuditAction.USER_DEACTIVATED) == 1
    unknown = await deactivate(settings, "nobody")
    assert unknown.returncode != 0 and "no user called 'nobody'" in unknown.stderr


async def test_a_session_ends_at_its_absolute_lifetime_however_active(
    client: TestClient, user: UserInfo, clock: FakeClock
) -> None:
    await sign_in(client, "alice", PASSWORD)
    kept_busy = 0.0
    while kept_busy + IDLE_SECONDS - 60 <= LIFETIME_SECONDS:
        clock.advance(IDLE_SECONDS - 60)  # never idle for long
        kept_busy += IDLE_SECONDS - 60
        assert (await client.get("/chat", allow_redirects=False)).status == 200
    clock.advance(LIFETIME_SECONDS - kept_busy + 1)
    ended = await client.get("/chat", allow_redirects=False)
    assert ended.status == 303
    assert ended.headers["Location"] == "/sign-in?reason=lifetime&next=/chat"
    notice = await page(client, "/sign-in?reason=lifetime")
    assert "signed in for 12 hours, the longest a session lasts" in notice
    assert (await sign_in(client, "alice", PASSWORD)).status == 303  # a new session starts a new lifetime


async def test_a_cookie_copied_before_sign_out_can_do_nothing_not_even_hold_a_message(
    client: TestClient, user: UserInfo, engine: FakeEngine, store: Store
) -> None:
    path, form = await started(client)
    copied = client.session.cookie_jar.filter_cookies(client.make_url("/"))[SESSION_COOKIE].value
    reached_engine = len(engine.received)
    await client.post("/sign-out", data={"csrf_token": form["csrf_token"]}, allow_redirects=False)

    client.session.cookie_jar.clear()
    with_copy = {"Cookie": f"{SESSION_COOKIE}={copied}"}
    parked = await client.post(
        f"{path}/send", data={**form, "text": "planted"}, headers=with_copy, allow_redirects=False
    )
    assert parked.status == 303
    assert parked.headers["Location"] == "/sign-in"  # not "?reason=held": nothing was kept
    assert held_rows(store) == []
    assert len(engine.received) == reached_engine
    for action in ("start", "danger"):
        other = await client.post(f"{path}/{action}", data=form, headers=with_copy, allow_redirects=False)
        assert other.status == 303 and other.headers["Location"].startswith("/sign-in")
    looked = await client.get(path, headers=with_copy, allow_redirects=False)
    assert looked.status == 303
    assert held_rows(store) == [] and len(engine.received) == reached_engine


async def test_an_idle_session_still_holds_what_its_owner_typed(
    client: TestClient, user: UserInfo, clock: FakeClock, store: Store
) -> None:
    """The sign-out rule above must not cost the idle time-out its held message (issue 17)."""
    path, form = await started(client)
    clock.advance(IDLE_SECONDS + 1)
    response = await send(client, path, form, text="typed before lunch")
    assert response.headers["Location"] == "/sign-in?reason=held"
    assert len(held_rows(store)) == 1
    await sign_in(client, "alice", PASSWORD)
    assert "typed before lunch" in await page(client, path)
    assert await chat_form(client, path)


async def test_a_cookie_copied_before_sign_out_holds_nothing_after_a_restart_either(
    client: TestClient, user: UserInfo, engine: FakeEngine, settings: Settings, store: Store
) -> None:
    """The signed-out id is in the store (as a hash), so a new app on the same store refuses it too; the
    cookie of a session that merely went idle still holds its owner's message after the restart."""
    path, form = await started(client)
    copied = client.session.cookie_jar.filter_cookies(client.make_url("/"))[SESSION_COOKIE].value
    await client.post("/sign-out", data={"csrf_token": form["csrf_token"]}, allow_redirects=False)
    with store.session_factory() as session:
        [row] = session.scalars(select(EndedSessionRow)).all()
        assert (row.user_id, row.why) == (user.id, "signed_out")
        assert copied not in row.id_hash
    assert audited(store, AuditAction.USER_SIGNED_OUT) == 1
    reached_engine = len(engine.received)

    async with TestClient(TestServer(create_app(settings, store, clock=FakeClock()))) as restarted:
        parked = await restarted.post(
            f"{path}/send",
            data={**form, "text": "planted after the restart"},
            headers={"Cookie": f"{SESSION_COOKIE}={copied}"},
            allow_redirects=False,
        )
        assert parked.status == 303 and parked.headers["Location"] == "/sign-in"  # not "?reason=held"
        assert held_rows(store) == [] and len(engine.received) == reached_engine

    # A session that merely went idle (never signed out) still holds its owner's message after one.
    async with TestClient(TestServer(create_app(settings, store, clock=FakeClock()))) as second:
        idle_path, idle_form = await started(second)
        idle_cookie = second.session.cookie_jar.filter_cookies(second.make_url("/"))[SESSION_COOKIE].value
    async with TestClient(TestServer(create_app(settings, store, clock=FakeClock()))) as third:
        kept = await third.post(
            f"{idle_path}/send",
            data={**idle_form, "text": "typed before the restart"},
            headers={"Cookie": f"{SESSION_COOKIE}={idle_cookie}"},
            allow_redirects=False,
        )
        assert kept.headers["Location"] == "/sign-in?reason=held"
        assert len(held_rows(store)) == 1


async def test_ended_session_rows_go_once_older_than_the_absolute_lifetime(
    store: Store, user: UserInfo
) -> None:
    now = [datetime(2026, 12, 6, 9, 0, tzinfo=UTC)]
    ended = EndedSessionService(store.session_factory, lifetime=timedelta(hours=12), clock=lambda: now[0])
    ended.signed_out("first-session-id", user.id)
    assert ended.has_ended("first-session-id") and not ended.has_ended("another-id")
    first_salt = ended.draft_salt(user.id)
    assert len(first_salt) == 16

    now[0] += timedelta(hours=12, seconds=1)
    assert not ended.has_ended("first-session-id")  # past its lifetime: refused as expired anyway
    ended.deactivated("second-session-id", user.id)
    with store.session_factory() as session:
        assert [(r.why, r.id_hash) for r in session.scalars(select(EndedSessionRow))] == [
            ("deactivated", id_hash("second-session-id"))
        ]
    assert ended.draft_salt(user.id) == first_salt  # only an explicit sign-out replaces the drafts' key
    ended.signed_out("third-session-id", user.id)
    assert ended.draft_salt(user.id) != first_salt
