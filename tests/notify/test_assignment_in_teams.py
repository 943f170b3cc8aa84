"""Issue #12: the notice of a case assigned to a lead reaches that lead in Teams, as urgent notices do
(tests/notify/test_teams_delivery.py): a proactive message in their stored one-to-one chat, through a real
Bot Connector client talking to the fake Bot Connector (a real aiohttp server recording what was posted),
holding the reference and a link and nothing of the case."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.questions import load_bank
from bot.review.services import ReviewService
from bot.settings import Settings
from bot.store.services import Store
from bot.teams.connector import Http
from tests.notify.conftest import ANSWER, PASSWORD, PUBLIC_URL, Clock, rows, submit
from tests.notify.test_teams_delivery import bot_connector, connector_for, http, teams_worker
from tests.teams.teams_helpers import BOT_ID, TENANT
from tests.teams.teams_helpers import Connector as FakeBotConnector

__all__ = ["bot_connector", "http"]  # the fixtures, shared with the urgent notices' Teams tests

ASSIGNEE_CHAT = "a:1assignee-personal-chat;messageid=1"
ADDRESS = "127.0.0.1"


async def test_a_case_assigned_to_a_lead_linked_in_teams_reaches_their_chat_with_no_case_content(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    bot_connector: FakeBotConnector,
    http: Http,
) -> None:
    practitioner = store.users.create_user("pat.practitioner", PASSWORD, "practitioner", "North team")
    assigner = store.users.create_user("ash.lead", PASSWORD, "lead", "North team")  # no email, no Teams
    assignee = store.users.create_user("kim.lead", PASSWORD, "lead", "North team")
    case_id, reference = submit(store, practitioner)
    store.teams.link_teams_user(assignee.id, TENANT, "aaaaaaaa-bbbb-4ccc-8ddd-000000000002")
    store.teams.remember_teams_chat(assignee.id, bot_connector.url, ASSIGNEE_CHAT, BOT_ID)
    review = ReviewService(sessions, load_bank(), clock=clock)
    review.link_case_record(assigner.id, ADDRESS, case_id, "CR-654321")

    review.assign_case(assigner.id, ADDRESS, case_id, str(assignee.id))

    [queued] = [n for n in rows(sessions) if n.purpose == "case_assigned"]
    assert (queued.recipient_id, queued.channel) == (assignee.id, "teams")
    worker = teams_worker(settings, sessions, clock, connector_for(bot_connector, http))
    assert await worker.run_once() == 1
    [posted] = [reply for reply in bot_connector.replies if reference in reply.body.get("text", "")]
    assert posted.conversation_id == ASSIGNEE_CHAT and posted.body["from"] == {"id": BOT_ID}
    text = posted.body["text"]
    assert "assigned to you" in text and f"{PUBLIC_URL}/cases/{case_id}" in text
    for secret in (ANSWER, "CR-654321", practitioner.username, assigner.username, "North team"):
        assert secret not in str(posted.body), secret
    assert [(n.channel, n.status) for n in rows(sessions) if n.purpose == "case_assigned"] == [
        ("teams", "sent")
    ]
