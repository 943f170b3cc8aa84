"""Urgent notices in Teams: a proactive message into the lead's stored one-to-one chat, through a real Bot
Connector client talking to the fake Bot Connector (a real aiohttp server recording what was posted)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.notify.outbox_worker import OutboxWorker
from bot.settings import Settings
from bot.store.services import Store
from bot.store.urgent_models import Notification
from bot.teams.connector import AppToken, Connector, Http
from tests.notify.conftest import ANSWER, DANGER, PASSWORD, PUBLIC_URL, Clock, report_danger
from tests.teams.teams_helpers import APP_ID, BOT_ID, CONNECTOR_TOKEN, TENANT
from tests.teams.teams_helpers import Connector as FakeBotConnector

LEAD_CHAT = "a:1lead-personal-chat;messageid=1"


@pytest.fixture
async def bot_connector() -> AsyncIterator[FakeBotConnector]:
    fake = FakeBotConnector()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def http() -> AsyncIterator[Http]:
    client = Http()
    yield client
    await client.close()


def connector_for(fake: FakeBotConnector, http: Http) -> Connector:
    token_url = f"{fake.url}/{TENANT}/oauth2/v2.0/token"
    return Connector(http, AppToken(http, token_url, APP_ID, "test-client-secret"))


def teams_worker(
    settings: Settings, sessions: sessionmaker[Session], clock: Clock, connector: Connector | None
) -> OutboxWorker:
    return OutboxWorker.from_settings(settings, sessions, connector, clock=clock)


def statuses(sessions: sessionmaker[Session]) -> set[tuple[str, str, int]]:
    with sessions() as session:
        return {(n.channel, n.status, n.attempts) for n in session.scalars(select(Notification))}


async def test_a_lead_linked_in_teams_gets_a_message_in_their_chat_with_no_case_content(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    bot_connector: FakeBotConnector,
    http: Http,
) -> None:
    practitioner = store.users.create_user("pat.practitioner", PASSWORD, "practitioner", "North team")
    lead = store.users.create_user("kim.lead", PASSWORD, "lead", "North team")  # Teams only: no email
    store.teams.link_teams_user(lead.id, TENANT, "aaaaaaaa-bbbb-4ccc-8ddd-000000000001")
    store.teams.remember_teams_chat(lead.id, bot_connector.url, LEAD_CHAT, BOT_ID)
    _, assessment_id, reference = report_danger(store, practitioner)

    sent = await teams_worker(settings, sessions, clock, connector_for(bot_connector, http)).run_once()

    assert sent == 1
    [posted] = bot_connector.replies
    assert posted.conversation_id == LEAD_CHAT and posted.activity_id == ""  # a new message, not a reply
    assert posted.authorization == f"Bearer {CONNECTOR_TOKEN}"
    assert posted.body["type"] == "message" and posted.body["from"] == {"id": BOT_ID}
    text = posted.body["text"]
    assert reference in text and "Urgent" in text and f"{PUBLIC_URL}/cases/{assessment_id}" in text
    for secret in (DANGER, ANSWER, practitioner.username, "North team"):
        assert secret not in str(posted.body), secret
    assert statuses(sessions) == {("teams", "sent", 1)}


async def test_when_the_chat_cannot_be_reached_the_notice_is_retried_to_the_latest_chat(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    bot_connector: FakeBotConnector,
    http: Http,
) -> None:
    gone = FakeBotConnector()  # a Bot Connector address that no longer answers
    await gone.start()
    gone_url = gone.url
    await gone.stop()
    practitioner = store.users.create_user("pat.practitioner", PASSWORD, "practitioner", "North team")
    lead = store.users.create_user("kim.lead", PASSWORD, "lead", "North team")
    store.teams.link_teams_user(lead.id, TENANT, "aaaaaaaa-bbbb-4ccc-8ddd-000000000001")
    store.teams.remember_teams_chat(lead.id, gone_url, LEAD_CHAT, BOT_ID)
    report_danger(store, practitioner)
    connector = connector_for(bot_connector, http)

    assert await teams_worker(settings, sessions, clock, connector).run_once() == 0
    assert statuses(sessions) == {("teams", "pending", 1)}
    with sessions() as session:
        last_error = session.scalars(select(Notification.last_error)).one() or ""
    assert "could not reach the Bot Connector" in last_error

    store.teams.remember_teams_chat(lead.id, bot_connector.url, LEAD_CHAT, BOT_ID)  # the lead wrote again
    clock.advance(seconds=settings.notify_retry_seconds)
    assert await teams_worker(settings, sessions, clock, connector).run_once() == 1
    assert [r.conversation_id for r in bot_connector.replies] == [LEAD_CHAT]
    assert statuses(sessions) == {("teams", "sent", 2)}


async def test_without_the_teams_channel_configured_the_reason_is_recorded(
    settings: Settings, store: Store, sessions: sessionmaker[Session], clock: Clock
) -> None:
    practitioner = store.users.create_user("pat.practitioner", PASSWORD, "practitioner", "North team")
    lead = store.users.create_user("kim.lead", PASSWORD, "lead", "North team")
    store.teams.link_teams_user(lead.id, TENANT, "aaaaaaaa-bbbb-4ccc-8ddd-000000000001")
    store.teams.remember_teams_chat(lead.id, "https://smba.trafficmanager.net/uk/", LEAD_CHAT, BOT_ID)
    report_danger(store, practitioner)

    assert await teams_worker(settings, sessions, clock, None).run_once() == 0
    with sessions() as session:
        [row] = session.scalars(select(Notification)).all()
    assert (row.status, row.last_error) == ("pending", "the Teams channel is not configured on this server")
