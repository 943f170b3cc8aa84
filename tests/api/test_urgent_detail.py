"""POST /conversations/{cid}/turn with `urgent_detail`: an answer to a danger follow-up question, kept
verbatim with the urgent flag in the turn's one transaction, refused whole when any field is bad, and never
a notice to a lead (only a danger report is)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.store.models import UrgentFlag
from bot.store.services import Store
from bot.store.urgent_models import Notification
from tests.api.test_routes import start
from tests.api.test_turn import turn

WORDING = "What is happening now? Tell me what the young person or anyone else is saying or doing."
TYPED = "  He is in the car park, shouting 😡\r\n“I’ll do it”  "
DETAIL = {"question_id": "happening_now", "wording": WORDING, "text": TYPED}
MOVE = "__danger__.emergency_call.q2"


@pytest.fixture
def team_conversation(service: Store) -> str:
    """A practitioner's conversation in a team with a lead: if anything notified, it would be that lead."""
    practitioner = service.users.create_user(
        "pat.smith", "correct horse battery staple", "practitioner", "North"
    )
    service.users.create_user(
        "lee.lead", "correct horse battery staple", "lead", "North", email="lee@example.invalid"
    )
    return service.conversations.open_conversation(practitioner.id, "web")


async def assessment(client: TestClient, auth: dict[str, str], cid: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/conversations/{cid}/assessment", headers=auth)
    assert response.status == 200
    return await response.json()


def counts(service: Store) -> tuple[int, int]:
    with service.session_factory() as session:
        flags = session.scalar(select(func.count()).select_from(UrgentFlag))
        notices = session.scalar(select(func.count()).select_from(Notification))
        return int(flags or 0), int(notices or 0)


async def test_a_detail_is_stored_verbatim_with_the_flag_and_the_move_in_one_turn(
    client: TestClient, auth: dict[str, str], team_conversation: str, service: Store
) -> None:
    await start(client, auth, team_conversation)
    await turn(client, auth, team_conversation, {"urgent_message": "He has a knife", "move_to": "q1"})
    flagged = counts(service)
    assert flagged[1] >= 1  # the report itself notified the lead, so "no notice for a detail" means something

    response = await turn(client, auth, team_conversation, {"urgent_detail": DETAIL, "move_to": MOVE})

    assert response.status == 200, await response.text()
    record = await response.json()
    assert record["current_question_id"] == MOVE
    messages = [(m["text"], m["question_id"], m["wording"]) for m in record["urgent_messages"]]
    assert messages == [("He has a knife", None, None), (TYPED, "happening_now", WORDING)]
    assert messages[1][0].encode("utf-8") == TYPED.encode("utf-8")
    assert record["urgent_first_at"] is not None
    assert counts(service) == (flagged[0] + 1, flagged[1])  # one more flag row, no notice for it
    with service.session_factory() as session:
        detail_ids = session.scalars(select(UrgentFlag.id).where(UrgentFlag.question_id.is_not(None))).all()
        noticed = session.scalars(select(Notification.urgent_flag_id)).all()
    assert detail_ids and not set(detail_ids) & set(noticed)


async def test_a_detail_and_a_new_report_in_one_turn_are_both_kept(
    client: TestClient, auth: dict[str, str], conversation: str
) -> None:
    await start(client, auth, conversation)

    response = await turn(
        client, auth, conversation, {"urgent_message": "again", "urgent_detail": DETAIL, "move_to": MOVE}
    )

    assert response.status == 200, await response.text()
    record = await response.json()
    assert [(m["text"], m["question_id"]) for m in record["urgent_messages"]] == [
        ("again", None),
        (TYPED, "happening_now"),
    ]


async def test_a_detail_needs_a_flag_to_add_to(
    client: TestClient, auth: dict[str, str], conversation: str
) -> None:
    await start(client, auth, conversation)

    response = await turn(client, auth, conversation, {"urgent_detail": DETAIL, "move_to": MOVE})

    assert response.status == 409
    assert "urgent_detail" in (await response.json())["errors"]
    record = await assessment(client, auth, conversation)
    assert (record["urgent_messages"], record["current_question_id"]) == ([], None)


async def test_a_submitted_assessment_takes_no_detail(
    client: TestClient, auth: dict[str, str], conversation: str
) -> None:
    await start(client, auth, conversation)
    await turn(client, auth, conversation, {"urgent_message": "He has a knife", "submit": True})

    response = await turn(client, auth, conversation, {"urgent_detail": DETAIL})

    assert response.status == 409
    record = await assessment(client, auth, conversation)
    assert [m["text"] for m in record["urgent_messages"]] == ["He has a knife"]


@pytest.mark.parametrize(
    ("detail", "field"),
    [
        ("he is outside", "urgent_detail"),
        ({**DETAIL, "text": ""}, "urgent_detail.text"),
        ({**DETAIL, "text": 5}, "urgent_detail.text"),
        ({**DETAIL, "text": "x" * 10_001}, "urgent_detail.text"),
        ({**DETAIL, "text": "bad \ud800 surrogate"}, "urgent_detail.text"),
        ({k: v for k, v in DETAIL.items() if k != "text"}, "urgent_detail.text"),
        ({**DETAIL, "wording": ""}, "urgent_detail.wording"),
        ({**DETAIL, "wording": None}, "urgent_detail.wording"),
        ({**DETAIL, "question_id": "has space"}, "urgent_detail.question_id"),
        ({**DETAIL, "question_id": ""}, "urgent_detail.question_id"),
        ({**DETAIL, "colour": "red"}, "urgent_detail.colour"),
    ],
)
async def test_a_bad_detail_is_named_and_nothing_of_the_turn_is_saved(
    client: TestClient,
    auth: dict[str, str],
    conversation: str,
    service: Store,
    detail: Any,
    field: str,
) -> None:
    await start(client, auth, conversation)
    before = counts(service)

    body = {"urgent_detail": detail, "urgent_message": "He has a knife", "move_to": MOVE}
    response = await client.post(
        f"/api/v1/conversations/{conversation}/turn",
        data=_json(body),
        headers={**auth, "Content-Type": "application/json"},
    )

    assert response.status == 422, await response.text()
    assert field in (await response.json())["errors"]
    record = await assessment(client, auth, conversation)
    assert (record["urgent"], record["urgent_messages"], record["current_question_id"]) == (False, [], None)
    assert counts(service) == before


def _json(body: dict[str, Any]) -> bytes:
    """JSON with lone surrogates written as escapes, as a client in another language could send them."""
    return json.dumps(body, ensure_ascii=True).encode("ascii")
