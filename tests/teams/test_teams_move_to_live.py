"""A practice run about a real child moves to live from Teams (issue #13), as from the web's confirm page.

The real app on a real SQLite store, Microsoft's side played by the stand-in Bot Connector: the practice
run's card offers the move, pressing it shows what the web page says (the same words, checked against the
web page itself), the reason is typed in the card's box, and the move is the store's PracticeMoveService:
one audited move, the reason kept verbatim, the conversation carrying on in the same record, now live. Each
refusal (live already, purged, not yours, not a role that moves runs, an empty reason) says what the web says
and changes nothing.
"""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select
from teams_helpers import AAD_OBJECT_ID, TENANT, Connector, Post, message
from web_helpers import (
    PASSWORD,
    FakeEngine,
    conversation_of,
    page,
    sign_in,
    start_practice_run,
    start_screening,
)

from bot.chat.move_to_live import move_words
from bot.domain.audit_actions import AuditAction
from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.store.models import Assessment, AuditEvent
from bot.store.practice_move import EMPTY_REASON, NO_RUN, NOT_ALLOWED, PURGED
from bot.store.practice_move_models import PracticeMove
from bot.store.services import Store
from bot.store.urgent_models import Notification
from tests.builders import report_danger

WORDS = move_words()
REASON = "  Alice says this is Sam from year 10:\nthe post is real.  "


def actions(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {action["title"]: action for action in card["actions"]}


def texts(card: dict[str, Any]) -> list[str]:
    return [block["text"] for block in card["body"] if block["type"] == "TextBlock"]


def row(store: Store, reference: str) -> Assessment:
    with store.session_factory() as session:
        found = session.scalar(select(Assessment).where(Assessment.reference == reference))
        assert found is not None
        session.expunge(found)
        return found


def moves_made(store: Store) -> int:
    with store.session_factory() as session:
        return session.scalar(select(func.count()).select_from(PracticeMove)) or 0


def audited(store: Store, action: AuditAction) -> list[AuditEvent]:
    with store.session_factory() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


async def practice_run_in_teams(client: TestClient, post: Post, connector: Connector) -> str:
    """Alice starts a practice run on the web (runs start from a scenario's card) and carries on in Teams."""
    await sign_in(client, "alice", PASSWORD)
    reference = (await start_practice_run(client)).removeprefix("/chat/")
    await post(message(connector.url, "typed in Teams"))  # answers the draft last used: the practice run
    return reference


async def test_the_practice_runs_card_moves_it_to_live_and_the_conversation_carries_on(
    client: TestClient, post: Post, connector: Connector, engine: FakeEngine, store: Store, user: UserInfo
) -> None:
    reference = await practice_run_in_teams(client, post, connector)
    offer = actions(connector.cards()[-1])[WORDS.title]
    assert offer["data"] == {"action": "move-offer", "reference": reference}

    await post(message(connector.url, value=offer["data"]))
    confirm = connector.cards()[-1]
    # What the web's confirm page says, line by line: the same words from the same place.
    web_page = html.unescape(await page(client, f"/practice/runs/{reference}/move-to-live"))
    said = texts(confirm)
    for line in [WORDS.title, WORDS.intro, *(f"• {line}" for line in WORDS_FOR_ALICE), WORDS.warning]:
        assert any(line in text for text in said), line
        assert line.removeprefix("• ") in web_page
    [box] = [block for block in confirm["body"] if block["type"] == "Input.Text"]
    assert (box["id"], box["label"], box["isMultiline"]) == ("reason", WORDS.reason_label, True)
    assert WORDS.reason_label in web_page and WORDS.hint() in web_page
    buttons = actions(confirm)
    assert buttons[WORDS.cancel]["data"] == {"action": "resume", "reference": reference}
    assert buttons[WORDS.cancel]["associatedInputs"] == "none"  # the reason goes nowhere but the move

    # An empty reason: the card again with the web's message, and nothing changes.
    move = buttons[WORDS.confirm]["data"]
    await post(message(connector.url, value={**move, "reason": " \n "}))
    assert f"Error: {EMPTY_REASON}" in texts(connector.cards()[-1])
    assert (row(store, reference).mode, moves_made(store)) == ("rehearsal", 0)

    await post(message(connector.url, value={**move, "reason": REASON}))

    assert WORDS.moved(submitted=False) in connector.texts()
    moved = row(store, reference)
    assert (moved.mode, moved.scenario_id, moved.practitioner_id) == ("live", None, user.id)
    with store.session_factory() as session:
        kept = session.scalars(select(PracticeMove)).one()
        assert (kept.reason, kept.moved_by, kept.scenario_id) == (REASON, user.id, "a_plan_for_friday")
    [event] = audited(store, AuditAction.PRACTICE_MOVED_TO_LIVE)
    assert event.detail["move_id"] == kept.id and (event.actor_kind, event.actor_id) == ("user", str(user.id))
    # Live now: the next card has no move, and the next answer goes to the same conversation and record.
    assert WORDS.title not in actions(connector.cards()[-1])
    await post(message(connector.url, "after the move"))
    conversation = conversation_of(store, user.id, f"/chat/{reference}")
    assert engine.received[-1]["sender"] == conversation
    assert [a.reference for a in store.practitioners.assessments_of(user.id)] == [reference]
    assert "Rehearsal - fictional case" not in await page(client, f"/chat/{reference}")


WORDS_FOR_ALICE = [
    "the answers, kept exactly as typed, become a live assessment under your name in North team",
    WORDS.leads_once_submitted,
    WORDS.not_practice,
    WORDS.not_deleted,
]


async def test_a_run_with_a_danger_report_sends_the_leads_the_urgent_notice_on_the_move(
    client: TestClient, post: Post, connector: Connector, store: Store, user: UserInfo
) -> None:
    lead = store.users.create_user("north-lead", PASSWORD, "lead", "North team", email="l@example.invalid")
    reference = await practice_run_in_teams(client, post, connector)
    report_danger(store, conversation_of(store, user.id, f"/chat/{reference}"), "He has a knife")

    await post(message(connector.url, value={"action": "move-offer", "reference": reference}))
    assert f"• {WORDS.urgent_notice}" in texts(connector.cards()[-1])
    await post(message(connector.url, value={"action": "move", "reference": reference, "reason": "Real."}))

    with store.session_factory() as session:
        sent = session.scalars(select(Notification).where(Notification.purpose == "urgent_flag")).all()
        assert [(n.recipient_id, n.channel) for n in sent] == [(lead.id, "email")]


@pytest.mark.parametrize("case", ["live already", "purged", "not yours"])
async def test_a_run_that_cannot_be_moved_is_refused_as_on_the_web_and_nothing_changes(
    case: str,
    client: TestClient,
    post: Post,
    connector: Connector,
    store: Store,
    bank: QuestionBank,
    user: UserInfo,
) -> None:
    if case == "live already":
        await sign_in(client, "alice", PASSWORD)
        reference = (await start_screening(client)).removeprefix("/chat/")
    elif case == "purged":
        reference = await practice_run_in_teams(client, post, connector)
        store.practice.purge_practice_runs(timedelta(microseconds=1))
    else:
        bob = store.users.create_user("bob", PASSWORD, "practitioner", "North team")
        reference = store.practitioners.open_assessment(
            bob.id, "web", bank.version, mode="rehearsal", scenario_id="a_plan_for_friday"
        ).reference
        await sign_in(client, "alice", PASSWORD)  # the web page below, as alice sees it
    expected = PURGED if case == "purged" else NO_RUN
    web_says = html.unescape(await (await client.get(f"/practice/runs/{reference}/move-to-live")).text())
    before = moves_made(store), len(audited(store, AuditAction.PRACTICE_MOVED_TO_LIVE))

    await post(message(connector.url, value={"action": "move-offer", "reference": reference}))
    await post(message(connector.url, value={"action": "move", "reference": reference, "reason": REASON}))

    assert connector.texts()[-2:] == [f"{expected} {WORDS.nothing_changed}"] * 2
    assert expected in web_says
    assert (moves_made(store), len(audited(store, AuditAction.PRACTICE_MOVED_TO_LIVE))) == before
    if case != "purged":
        assert row(store, reference).mode == ("live" if case == "live already" else "rehearsal")
    assert audited(store, AuditAction.PRACTICE_MOVE_REFUSED)  # the refused move is on the trail


async def test_a_role_that_moves_no_runs_is_refused_with_the_webs_message(
    client: TestClient, post: Post, connector: Connector, store: Store, user: UserInfo
) -> None:
    reference = await practice_run_in_teams(client, post, connector)
    lead = store.users.create_user("north-lead", PASSWORD, "lead", "North team")
    lead_aad = "bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee"
    store.teams.link_teams_user(lead.id, TENANT, lead_aad)
    as_lead = {"from": {"id": "29:lead-id", "name": "A Lead", "aadObjectId": lead_aad}}
    assert lead_aad != AAD_OBJECT_ID
    move = {"action": "move", "reference": reference, "reason": REASON}

    await post(message(connector.url, value=move, **as_lead))

    assert connector.texts()[-1] == f"{NOT_ALLOWED} {WORDS.nothing_changed}"
    assert (row(store, reference).mode, moves_made(store)) == ("rehearsal", 0)
    assert audited(store, AuditAction.PRACTICE_MOVE_REFUSED)
