"""`bot run --scaled` (issue #34) under faults during real conversations: an action server killed with
SIGKILL, and the private PostgreSQL restarted by an operator (`pg_ctl restart -m fast`) and stopped
(`pg_ctl stop -m fast`) with a message in flight.

Two practitioners walk screenings at once through HAProxy with the pages' own forms. Whatever happens,
every typed answer is stored once, verbatim, no question's answer twice, and each walk carries on at the
question it had reached. A message sent while the database is down gets an answer that is not a server
error, and is then either stored once or not at all (and the question is asked again).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
from pathlib import Path

import aiohttp

from bot.runtime.scaled_servers import postgres_binaries
from tests.e2e.bot_run_process import children
from tests.e2e.chat_page import ChatPage
from tests.e2e.scaled_fixture import (
    Scaled,
    assert_stored_once_verbatim,
    scaled_product,  # noqa: F401  # the `scaled` fixture
    signed_in,
)
from tests.e2e.web_practitioner import CONTROLS, WebPractitioner
from tests.web.web_helpers import csrf_from


async def two_walks_begun(
    scaled: Scaled, clients: list[aiohttp.ClientSession]
) -> list[tuple[WebPractitioner, str]]:
    """Two practitioners of the test's own, each with a screening three answers in."""
    accounts = [scaled.practitioner(f"scaled-practitioner-{n}") for n in (1, 2)]
    people = [await signed_in(client, *account) for client, account in zip(clients, accounts, strict=True)]
    for me in people:
        me.patient = True  # a database restart may answer 503, "try again in a minute"
    walks = [(me, await me.start_new()) for me in people]
    for _ in range(3):
        await asyncio.gather(*(me.answer(reference) for me, reference in walks))
    return walks


async def asked_now(walks: list[tuple[WebPractitioner, str]]) -> list[str]:
    return [(await me.page(reference)).latest_bot_text for me, reference in walks]


async def carry_on(walks: list[tuple[WebPractitioner, str]]) -> None:
    await asyncio.gather(*(me.answer_until_summary(reference) for me, reference in walks))


def clients(scaled: Scaled) -> list[aiohttp.ClientSession]:
    # One browser each (its own cookies), whichever app process answers.
    return [
        aiohttp.ClientSession(base_url=scaled.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True))
        for _ in range(2)
    ]


def test_an_action_server_killed_mid_walk_loses_nothing(scaled: Scaled) -> None:
    async def walk() -> list[tuple[WebPractitioner, str]]:
        sessions = clients(scaled)
        try:
            walks = await two_walks_begun(scaled, sessions)
            asked = await asked_now(walks)
            running = children(scaled.pid)
            victim = next(pid for pid, cmd in running.items() if "actions.server" in cmd)
            os.killpg(victim, signal.SIGKILL)
            scaled.log_says("was killed by signal SIGKILL", 30)
            # Each walk is where it was, and carries on through the surviving action server.
            assert await asked_now(walks) == asked
            await carry_on(walks)
            scaled.log_says("is answering again", 300)
            return walks
        finally:
            await asyncio.gather(*(session.close() for session in sessions))

    walks = asyncio.run(walk())
    assert re.search(r"actions-\d was killed by signal SIGKILL", scaled.said())
    for me, reference in walks:
        assert_stored_once_verbatim(scaled, reference, me.typed.get(reference, []))


def pg_ctl(scaled: Scaled, *args: str) -> None:
    """What an operator would run on the cluster the command owns (as the account its server runs as)."""
    running = children(scaled.pid)
    command = next(cmd for cmd in running.values() if "bot.runtime.postgres_follow" in cmd)
    data = re.search(r"--data (\S+)", command)
    assert data, command
    user = "postgres" if os.geteuid() == 0 else None
    log = Path(data.group(1)).parent / "pg_ctl.log"  # the cluster's folder, writable by its account
    result = subprocess.run(
        [str(postgres_binaries() / "pg_ctl"), *args, "-D", data.group(1), "-l", str(log), "-w", "-t", "60"],
        user=user, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


async def send_while_down(me: WebPractitioner, reference: str, token: str, seen: str, text: str) -> int:
    """Type `text` with the form as it was before the database went (no page is fetched meanwhile)."""
    me.turns += 1
    async with me.client.post(
        f"/chat/{reference}/send",
        data={"csrf_token": token, "text": text, "seen": seen},
        allow_redirects=False,
    ) as response:
        await response.read()
        return response.status


def wants_words(page: ChatPage) -> bool:
    return not [title for _, title in (*page.ticks, *page.buttons) if title not in CONTROLS]


def test_postgresql_restarted_and_stopped_mid_walk_loses_and_doubles_nothing(scaled: Scaled) -> None:
    postgresql_log = Path(scaled.env["BOT_DATA_DIR"]) / "logs" / "postgresql.log"

    async def walk() -> tuple[list[tuple[WebPractitioner, str]], list[str]]:
        sessions = clients(scaled)
        try:
            walks = await two_walks_begun(scaled, sessions)
            # An operator restarts the server the usual way while both practitioners answer.
            restart = asyncio.to_thread(pg_ctl, scaled, "restart", "-m", "fast")
            await asyncio.gather(restart, *(me.answer(reference) for me, reference in walks))
            assert "following pid" in scaled.said(postgresql_log), scaled.said(postgresql_log)[-2000:]
            for _ in range(2):
                await asyncio.gather(*(me.answer(reference) for me, reference in walks))

            # Then stops it, with a typed answer sent by each while it is down.
            for me, reference in walks:  # each at a question answered in words
                while not wants_words(await me.page(reference)):
                    await me.answer(reference)
            pages = [await me.page(reference) for me, reference in walks]
            tokens = [csrf_from(await me.get("/chat")) for me, _ in walks]
            sent = [f"[{reference}] sent while the database was down" for _, reference in walks]
            pg_ctl(scaled, "stop", "-m", "fast")
            statuses = await asyncio.gather(
                *(
                    send_while_down(me, reference, token, page.seen or "", text)
                    for (me, reference), token, page, text in zip(walks, tokens, pages, sent, strict=True)
                )
            )
            # Not a server error: the reply after the message, or 503 "not saved, try again".
            assert all(status in (303, 503) for status in statuses), statuses
            scaled.log_says("postgresql is answering again", 120)
            for (me, reference), text in zip(walks, sent, strict=True):
                stored = stored_texts(scaled, reference)
                assert stored.count(text) <= 1, (text, stored)  # saved whole once, or not at all
                if text in stored:
                    me.typed.setdefault(reference, []).append(text)
            await carry_on(walks)
            return walks, sent
        finally:
            await asyncio.gather(*(session.close() for session in sessions))

    walks, sent = asyncio.run(walk())
    for (me, reference), text in zip(walks, sent, strict=True):
        assert_stored_once_verbatim(scaled, reference, me.typed.get(reference, []))
        assert stored_texts(scaled, reference).count(text) == (1 if text in me.typed[reference] else 0)


def stored_texts(scaled: Scaled, reference: str) -> list[str]:
    exported = scaled.export(reference)
    return [revision["text"] for answer in exported["answers"] for revision in answer["revisions"]]
