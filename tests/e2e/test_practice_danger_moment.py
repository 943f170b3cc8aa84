"""The danger moment of a practice run (issue #13), through the real engine, action server and app.

A trainee starts "A plan for Friday" (its danger moment follows the question about the threat's details).
Once they answer that question, the chat says "Scenario update (fictional): ..." once, before the bot's next
question, and never again however far the run goes. The trainee then takes the danger path ("Someone is in
danger now"): the bot gives the 999 advice in its practice wording, the run is flagged, and nothing reaches a
lead: no notice in the outbox (the team's lead has an email address, so a live flag would queue one), not on
the lead's list of cases, and not in the team's live figures once the run is submitted.
"""

from __future__ import annotations

import html
import secrets
from datetime import UTC, datetime, timedelta

import aiohttp
from sqlalchemy import select

from bot.store.db import make_session_factory
from bot.store.models import Assessment, Team, UrgentFlag
from bot.store.report_queries import Scope, concern_counts
from bot.store.urgent_models import Notification
from tests.e2e.conftest import Product
from tests.e2e.screening import CARRY_ON, is_route_choice
from tests.e2e.test_addition_asks_what_is_new import asked
from tests.e2e.test_practice_debrief import MAX_TURNS, PRESS, SCENARIO, TYPE, walk
from tests.e2e.web_practitioner import REFERENCE, WebPractitioner
from tests.web.web_helpers import field_value, sign_in

MARK = "Scenario update (fictional): "
PRACTICE_DANGER = "This is a practice run, so the urgent flag stays with this practice case"


def rows(product: Product, model: type, **where: object) -> list:
    sessions = make_session_factory(product.settings.database_url)
    try:
        with sessions() as session:
            return list(session.scalars(select(model).filter_by(**where)))
    finally:
        sessions.kw["bind"].dispose()


def live_concerns(product: Product, team: str) -> int:
    """The team's concerns in the live figures (bot.store.report_queries), over a period around now."""
    sessions = make_session_factory(product.settings.database_url)
    try:
        with sessions() as session:
            team_id = session.scalar(select(Team.id).where(Team.name == team))
            now = datetime.now(UTC)
            scope = Scope(team_id, now - timedelta(days=1), now + timedelta(days=1))
            return sum(count.count for count in concern_counts(session, scope, [], "other_needs"))
    finally:
        sessions.kw["bind"].dispose()


async def walk_to(me: WebPractitioner, reference: str, question_id: str) -> None:
    """Answer as the debrief's walk does until the run asks `question_id`."""
    for _ in range(MAX_TURNS):
        chat = await me.page(reference)
        question = asked(chat)
        if question is not None and question.id == question_id:
            return
        if is_route_choice(chat.latest_bot_text):
            response = await me.press(reference, CARRY_ON)
        elif question is not None and question.id in PRESS:
            response = await me.press(reference, PRESS[question.id])
        elif question is not None and question.id in TYPE:
            response = await me.type(reference, TYPE[question.id])
        else:
            await me.answer(reference)
            continue
        assert response.status == 303, await response.text()
    raise AssertionError(f"the run should ask {question_id}")


async def said(me: WebPractitioner, reference: str) -> int:
    """How many times the bot's messages on the run's page carry the scenario update."""
    chat = await me.page(reference)
    return sum(1 for speaker, text in chat.turns if speaker == "bot" and html.unescape(text).startswith(MARK))


async def test_the_danger_moment_is_said_once_and_the_danger_path_reaches_no_lead(product: Product) -> None:
    team = f"Practice danger {secrets.token_hex(3)}"
    username, password, _ = product.new_user("practitioner", team)
    email = f"lead-{secrets.token_hex(3)}@example.invalid"  # a live flag would queue this lead a notice
    lead, lead_password, _ = product.new_user("lead", team, email=email)
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, username, password)).status == 303
        me = WebPractitioner(client)
        card = await me.get(f"/practice/{SCENARIO}")
        started = await me.post(f"/practice/{SCENARIO}", known=field_value(card, "known"))
        assert started.status == 303, await started.text()
        found = REFERENCE.search(started.headers["Location"])
        assert found, started.headers["Location"]
        reference = found.group(1)

        await walk_to(me, reference, "threats_detail")
        assert await said(me, reference) == 0  # not before its question is answered
        assert (await me.type(reference, TYPE["threats_detail"])).status == 303
        assert await said(me, reference) == 1
        chat = await me.page(reference)
        assert not html.unescape(chat.latest_bot_text).startswith(MARK)  # the next question follows it

        reported = await me.danger(reference)
        assert reported.status == 303, await reported.text()
        assert PRACTICE_DANGER in html.unescape(await me.get(f"/chat/{reference}"))
        await walk(me, reference)  # the danger follow-ups, then the rest of the run
        assert await said(me, reference) == 1  # once, however far the run goes
        await me.submit(reference)

    [run] = rows(product, Assessment, reference=reference)
    assert (run.mode, run.urgent) == ("rehearsal", True)
    assert rows(product, UrgentFlag, assessment_id=run.id)
    assert rows(product, Notification, assessment_id=run.id) == []  # no notice to any lead
    assert live_concerns(product, team) == 0
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, lead, lead_password)).status == 303
        async with client.get("/cases") as response:
            assert response.status == 200
            assert reference not in await response.text()
