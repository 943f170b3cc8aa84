"""A turn with `start_again`: clears by adding withdrawn revisions, idempotent, refused once submitted,
audited; the withdrawn revisions never come back as current answers."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.store.models import AuditEvent
from bot.store.services import Store
from tests.api.test_routes import ANSWER, start


def answered(question_id: str, revision: int = 1, **changes: Any) -> dict[str, Any]:
    return {"answer": {**ANSWER, "question_id": question_id, "revision": revision, **changes}}


async def test_start_again_withdraws_each_answer_once(
    client: TestClient, auth: dict[str, str], conversation: str, service: Store
) -> None:
    await start(client, auth, conversation)
    base = f"/api/v1/conversations/{conversation}"
    url = f"{base}/turn"
    for question in ("q1", "q2"):
        assert (await client.post(url, json=answered(question), headers=auth)).status == 200
    await client.post(url, json={**answered("q2", 2, text="changed"), "move_to": "q3"}, headers=auth)

    response = await client.post(url, json={"start_again": True}, headers=auth)

    assert response.status == 200
    record = await response.json()
    assert (record["answers"], record["current_question_id"]) == ([], None)
    assert record["latest_revisions"] == {"q1": 2, "q2": 3}

    again = await client.post(url, json={"start_again": True}, headers=auth)
    assert (await again.json())["latest_revisions"] == {"q1": 2, "q2": 3}, "a retry changes nothing"

    revisions = {
        a["question_id"]: a["revisions"]
        for a in service.assessments.export(conversation_id=conversation)["answers"]
    }
    assert [r["status"] for r in revisions["q2"]] == ["answered", "answered", "withdrawn"]
    assert revisions["q1"][0]["text"] == ANSWER["text"]
    with service.session_factory() as session:
        trail = list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == "assessment.started_again"))
        )
    assert [event.detail["answers_withdrawn"] for event in trail] == [2]

    # A new answer after starting again must use the next revision; reusing a withdrawn one is a conflict.
    reused = await client.post(url, json=answered("q1", 2), headers=auth)
    assert reused.status == 409
    fresh = await client.post(url, json=answered("q1", 3), headers=auth)
    assert fresh.status == 200
    current = await (await client.get(f"{base}/assessment", headers=auth)).json()
    assert [(a["question_id"], a["revision"]) for a in current["answers"]] == [("q1", 3)]


async def test_start_again_is_refused_once_submitted_and_for_unknown_conversations(
    client: TestClient, auth: dict[str, str], conversation: str
) -> None:
    await start(client, auth, conversation)
    base = f"/api/v1/conversations/{conversation}"
    await client.post(f"{base}/turn", json={**answered("q1"), "submit": True}, headers=auth)

    refused = await client.post(f"{base}/turn", json={"start_again": True}, headers=auth)
    assert refused.status == 409
    assert "submitted" in (await refused.json())["errors"]["status"]
    kept = await (await client.get(f"{base}/assessment", headers=auth)).json()
    assert [a["text"] for a in kept["answers"]] == [ANSWER["text"]]

    unknown = await client.post(
        "/api/v1/conversations/nobody-opened-this/turn", json={"start_again": True}, headers=auth
    )
    assert unknown.status == 404
    unauthenticated = await client.post(f"{base}/turn", json={"start_again": True})
    assert unauthenticated.status == 401
