"""Issue #30: a turn under way when its practitioner's account is deactivated stores nothing.

The account's sessions end at its next request (tests/web/test_session_ends.py), but a message already on
its way through the engine reaches the store's turn API afterwards: the store refuses it there, in the same
transaction that would have written it, with a clear 403, and audits the refusal (ids only).
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.domain.audit_actions import AuditAction
from bot.store.models import Answer, AuditEvent, UrgentFlag
from bot.store.services import Store
from bot.store.urgent_models import Notification
from tests.api.test_routes import ANSWER, start
from tests.api.test_turn import ANSWERED, turn


@pytest.fixture
def pat_conversation(service: Store) -> str:
    """A practitioner's conversation in a team with a lead, so that a danger report would notify someone."""
    pat = service.users.create_user("pat.smith", "correct horse battery staple", "practitioner", "North")
    service.users.create_user(
        "lee.lead", "correct horse battery staple", "lead", "North", email="lee@example.invalid"
    )
    return service.conversations.open_conversation(pat.id, "web")


def rows(service: Store) -> tuple[int, int, int]:
    with service.session_factory() as session:
        counted = [
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (Answer, UrgentFlag, Notification)
        ]
        return counted[0], counted[1], counted[2]


def refusals(service: Store) -> list[AuditEvent]:
    with service.session_factory() as session:
        action = AuditAction.TURN_REFUSED_DEACTIVATED.value
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.mark.parametrize(
    "body",
    [
        {"answer": ANSWERED, "move_to": "q2"},
        {"urgent_message": "He has a knife and is outside the school now", "move_to": "q2"},
        {"submit": True},
        {"start_again": True},
    ],
    ids=["answer", "danger-report", "submit", "start-again"],
)
async def test_a_turn_for_a_deactivated_practitioner_is_refused_and_stores_nothing(
    client: TestClient, auth: dict[str, str], pat_conversation: str, service: Store, body: dict[str, Any]
) -> None:
    await start(client, auth, pat_conversation)
    before_record = await (await turn(client, auth, pat_conversation, {"move_to": "q1"})).json()
    before = rows(service)

    service.users.deactivate_user("pat.smith")
    response = await turn(client, auth, pat_conversation, body)

    assert response.status == 403, await response.text()
    errors = (await response.json())["errors"]
    assert "deactivated" in errors["practitioner"] and "nothing" in errors["practitioner"]
    assert rows(service) == before  # no answer, no flag, no notice
    after = await client.get(f"/api/v1/conversations/{pat_conversation}/assessment", headers=auth)
    record = await after.json()
    for field in ("answers", "current_question_id", "status", "urgent", "urgent_messages"):
        assert record[field] == before_record[field], field
    [refused] = refusals(service)
    assert refused.conversation_id == pat_conversation
    assert ANSWER["text"] not in str(refused.detail)


async def test_an_active_practitioners_turn_is_stored_as_before(
    client: TestClient, auth: dict[str, str], pat_conversation: str, service: Store
) -> None:
    await start(client, auth, pat_conversation)
    response = await turn(client, auth, pat_conversation, {"answer": ANSWERED, "move_to": "q2"})
    assert response.status == 200, await response.text()
    assert [a["text"] for a in (await response.json())["answers"]] == [ANSWER["text"]]
    assert refusals(service) == []
