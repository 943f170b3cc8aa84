"""Two app processes on one store and one Redis (issue #34, scaled mode): any process serves any request.

Both are extra app processes of the end-to-end product (same engine, store and data folder) started with
BOT_SHARED_STATE_URL naming a private Redis on loopback, as two processes behind a load balancer that is
not sticky would run. A session begun on one is valid on the other and ends on both; a sign-in limit reached
on one holds on the other; one person's two messages sent at once to both are handled one after the other (the
second, finding its question answered, is told so: nothing is answered twice or silently dropped);
and a Teams activity retried to the other process is answered once.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator

import aiohttp
import pytest

from bot.chat.messages import STALE_PAGE_MESSAGE
from bot.web.auth import NOT_RIGHT_MESSAGE
from bot.web.sign_in_limits import MAX_FAILURES
from tests.e2e.conftest import Product, _service
from tests.e2e.test_teams_real_engine import TeamsClient, add_linked_practitioner
from tests.fixtures.redis_server import redis_server
from tests.web.web_helpers import csrf_from, sign_in


@pytest.fixture(scope="module")
def two_apps(product: Product) -> Iterator[tuple[str, str]]:
    password = secrets.token_urlsafe(18)  # the Redis asks for one: BOT_REDIS_PASSWORD (or its _FILE)
    with redis_server(password) as port:
        shared = {"BOT_SHARED_STATE_URL": f"redis://127.0.0.1:{port}/1", "BOT_REDIS_PASSWORD": password}
        with product.extra_app(**shared) as first, product.extra_app(**shared) as second:
            yield first, second


async def test_a_session_begun_on_one_process_is_valid_and_ended_on_the_other(
    product: Product, two_apps: tuple[str, str]
) -> None:
    first, second = two_apps
    jar = aiohttp.CookieJar(unsafe=True)  # one browser: its cookie goes to whichever process is chosen
    async with (
        aiohttp.ClientSession(base_url=first, cookie_jar=jar) as a,
        aiohttp.ClientSession(base_url=second, cookie_jar=jar) as b,
    ):
        assert (await sign_in(a, product.practitioner, product.password)).status == 303
        async with b.get("/chat", allow_redirects=False) as response:
            assert response.status == 200, "signed in on the first process, served by the second"
            token = csrf_from(await response.text())
        async with b.post("/sign-out", data={"csrf_token": token}, allow_redirects=False) as response:
            assert response.status in (302, 303), await response.text()
        async with a.get("/chat", allow_redirects=False) as response:
            assert response.status in (302, 303), "signed out on the second, so refused on the first"
            assert "/sign-in" in response.headers["Location"]


async def test_a_sign_in_limit_reached_on_one_process_holds_on_the_other(two_apps: tuple[str, str]) -> None:
    first, second = two_apps
    guessed = "someone-guessed-at"
    async with aiohttp.ClientSession(base_url=first, cookie_jar=aiohttp.CookieJar(unsafe=True)) as a:
        for _ in range(MAX_FAILURES):
            response = await sign_in(a, guessed, "not-the-password")
            assert response.status == 400 and NOT_RIGHT_MESSAGE in await response.text()
    async with aiohttp.ClientSession(base_url=second, cookie_jar=aiohttp.CookieJar(unsafe=True)) as b:
        assert (await sign_in(b, guessed, "not-the-password")).status == 429


async def test_one_persons_messages_to_both_processes_are_handled_in_turn_and_a_retry_once(
    product: Product, two_apps: tuple[str, str]
) -> None:
    first, second = two_apps
    who = add_linked_practitioner(product)
    store = _service(product.settings)
    async with aiohttp.ClientSession() as http:
        on_a, on_b = TeamsClient(http, product, who), TeamsClient(http, product, who)
        on_a.url, on_b.url = f"{first}/api/messages", f"{second}/api/messages"
        assert await on_a.send(on_a.activity(value={"action": "start"}))
        conversation = store.conversations.latest_conversation(who.user_id)
        assert conversation is not None
        before = len(store.conversations.chat_messages(conversation))
        # The same answer sent twice at once, to each process (a double tap, as two retried requests). The
        # second must wait for the first: then it finds the question answered and is told so, in words. Were
        # it not to wait, both would answer the question both had seen.
        one, two = on_a.activity("No"), on_b.activity("No")
        said_before = len(product.teams.connector.replies) if product.teams else 0
        statuses = await asyncio.gather(on_a.post(one), on_b.post(two))
        assert statuses == [200, 200]
        replies = [r.body for r in product.teams.connector.replies[said_before:]] if product.teams else []
        texts = [str(r.get("text")) + str(r.get("attachments")) for r in replies]
        log = store.conversations.chat_messages(conversation)[before:]
        assert [m.text for m in log if m.direction == "in"] == ["No"], texts
        assert [m.direction for m in log] == ["in", "out"], "answered once, nothing interleaved"
        # Which was handled first is the stored log's order (above). Each process posts its reply to the Bot
        # Framework after it lets go of the person's lock, so on a loaded machine the second's reply can reach
        # the connector first (seen once in CI): the replies are checked as a pair, not by arrival.
        assert any("question 2 of" in text for text in texts), "one is answered: the next question"
        assert sum(STALE_PAGE_MESSAGE in text for text in texts) == 1, "the other is told it moved on"

        replies = len(product.teams.connector.replies) if product.teams else 0
        retried = on_a.activity("Through my work with the family")
        assert await on_a.send(retried), "answered on the first delivery"
        after_first = len(product.teams.connector.replies) if product.teams else 0
        assert after_first > replies
        assert await on_b.post(retried) == 200  # the Bot Framework's retry, to the other process
        assert (len(product.teams.connector.replies) if product.teams else 0) == after_first, "answered once"
        logged = store.conversations.chat_messages(conversation)
        assert sum(m.text == "Through my work with the family" for m in logged) <= 1, "never handled twice"
