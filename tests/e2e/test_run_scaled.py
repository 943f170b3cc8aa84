"""`bot run --scaled` (`make run-scaled`, issue #34): the product as two apps, two engines and two action
servers behind HAProxy, on a private PostgreSQL and Redis, all started by the command itself.

A practitioner signs in and walks a whole screening through BOT_APP_PORT (HAProxy, round-robin, not sticky)
with the pages' own forms. Every typed answer must be stored once, verbatim, and HAProxy's statistics must
show that both apps, both engines and both action servers served requests. The session begun there is
valid on each app's own port. Killing an engine and an app with SIGKILL mid-conversation loses nothing: the
command starts them again, HAProxy passes over them meanwhile, and the walk carries on at the question it
had reached. Ctrl-C (SIGINT, as a terminal sends it) then stops everything the command
started: no process of it, no port left listening.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
from pathlib import Path

import aiohttp

from tests.e2e.bot_run_process import children
from tests.e2e.scaled_fixture import (
    Scaled,
    assert_stored_once_verbatim,
    dev_password,
    scaled_product,  # noqa: F401  # the `scaled` fixture
    signed_in,
)
from tests.e2e.web_practitioner import WebPractitioner
from tests.fixtures.redis_server import answers_ping


def test_a_screening_through_haproxy_is_served_by_both_of_each_and_stored_once_verbatim(
    scaled: Scaled,
) -> None:
    assert "scaled mode: HAProxy round-robin, not sticky" in scaled.summary
    before = scaled.served()
    assert set(before) == {"app-1", "app-2", "engine-1", "engine-2", "actions-1", "actions-2"}

    async def walk() -> tuple[str, WebPractitioner]:
        jar = aiohttp.CookieJar(unsafe=True)  # one browser, whichever process answers
        async with aiohttp.ClientSession(base_url=scaled.app_url, cookie_jar=jar) as client:
            me = await signed_in(client, "dev-practitioner", dev_password(scaled, "dev-practitioner"))
            # The session begun through HAProxy is valid on each app process's own port.
            for port in scaled.app_ports:
                async with client.get(f"http://127.0.0.1:{port}/chat", allow_redirects=False) as response:
                    assert response.status == 200, f"the session is not valid on the app at :{port}"
            reference = await me.start_new()
            await me.answer_until_summary(reference)
            return reference, me

    reference, me = asyncio.run(walk())
    served = scaled.served()
    for server in ("app-1", "app-2", "engine-1", "engine-2", "actions-1", "actions-2"):
        assert served[server] > before[server], f"{server} served nothing: {served}"

    assert_stored_once_verbatim(scaled, reference, me.typed.get(reference, []))
    assert_redis_asks_for_its_password_and_nothing_shows_it(scaled)


def assert_redis_asks_for_its_password_and_nothing_shows_it(scaled: Scaled) -> None:
    """Its Redis asks for the development password the command generated (every process above gave it), and
    neither the command's output nor any process's log shows it (all of them, from the stack's start)."""
    data = Path(scaled.env["BOT_DATA_DIR"])
    password = (data / "secrets" / "scaled-redis-password").read_text().strip()
    assert (data / "secrets" / "scaled-redis-password").stat().st_mode & 0o077 == 0
    port = re.search(r"Redis: +127\.0\.0\.1:(\d+)", scaled.summary)
    assert port and "password in secrets/scaled-redis-password" in scaled.summary, scaled.summary
    assert not answers_ping(int(port.group(1))), "Redis answered without the password"
    assert answers_ping(int(port.group(1)), password)
    shown = [scaled.output, *(data / "logs").glob("*.log")]
    assert not [path.name for path in shown if password in path.read_text(errors="replace")]


def test_an_engine_and_an_app_killed_mid_conversation_lose_nothing(scaled: Scaled) -> None:
    engine_port = re.search(r"engines: +127\.0\.0\.1:(\d+)", scaled.summary)
    assert engine_port, scaled.summary
    account = scaled.practitioner("scaled-practitioner")

    async def walk() -> tuple[str, WebPractitioner]:
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(base_url=scaled.app_url, cookie_jar=jar) as client:
            me = await signed_in(client, *account)
            reference = await me.start_new()
            for _ in range(3):
                await me.answer(reference)
            asked = (await me.page(reference)).latest_bot_text
            running = children(scaled.pid)
            engine = next(
                pid for pid, cmd in running.items() if f"--port {engine_port.group(1)} " in f"{cmd} "
            )
            app = next(pid for pid, cmd in running.items() if "bot.web" in cmd)
            os.killpg(engine, signal.SIGKILL)
            os.killpg(app, signal.SIGKILL)
            scaled.log_says("engine-1 was killed by signal SIGKILL", 30)
            # The page comes from the surviving app; the question is the one reached before the kills.
            assert (await me.page(reference)).latest_bot_text == asked
            await me.answer_until_summary(reference)
            scaled.log_says("engine-1 is answering again", 300)
            return reference, me

    reference, me = asyncio.run(walk())
    log = scaled.said()
    assert re.search(r"app-\d was killed by signal SIGKILL", log), log[-3000:]
    assert_stored_once_verbatim(scaled, reference, me.typed.get(reference, []))
