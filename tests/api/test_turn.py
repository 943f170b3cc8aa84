"""POST /conversations/{cid}/turn: one message's changes in one transaction, or none of them.

The urgent flag is the one exception, on purpose: it is committed first so that a refusal of the rest
never loses a danger report.
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.store.services import Store
from tests.api.test_routes import ANSWER, start

ANSWERED = {"question_id": "q1", "revision": 1, **ANSWER}


async def turn(client: TestClient, auth: dict[str, str], cid: str, body: Any) -> Any:
    return await client.post(f"/api/v1/conversations/{cid}/turn", json=body, headers=auth)


async def test_answer_and_move_land_together_and_a_replay_changes_nothing(
    client: TestClient, auth: dict[str, str], conversation: str, service: Store
) -> None:
    await start(client, auth, conversation)
    body = {"answer": ANSWERED, "move_to": "q2"}

    response = await turn(client, auth, conversation, body)

    assert response.status == 200, await response.text()
    record = await response.json()
    assert (record["mode"], record["current_question_id"]) == ("live", "q2")
    assert [a["text"] for a in record["answers"]] == [ANSWER["text"]]
    replay = await turn(client, auth, conversation, body)
    assert (await replay.json())["answers"] == record["answers"]
    assert len(service.assessments.export(conversation_id=conversation)["answers"][0]["revisions"]) == 1


async def test_move_to_null_means_the_first_question_and_absent_means_stay(
    client: TestClient, auth: dict[str, str], conversation: str
) -> None:
    await start(client, auth, conversation)
    await turn(client, auth, conversation, {"move_to": "q5"})
    stayed = await (await turn(client, auth, conversation, {"answer": ANSWERED})).json()
    assert stayed["current_question_id"] == "q5"
    moved = await (await turn(client, auth, conversation, {"move_to": None})).json()
    assert moved["current_question_id"] is None


async def test_a_refused_answer_leaves_everything_unchanged_but_keeps_the_danger_flag(
    client: TestClient, auth: dict[str, str], conversation: str
) -> None:
    await start(client, auth, conversation)
    await turn(client, auth, conversation, {"answer": ANSWERED, "move_to": "q2"})

    conflicting = {
        "answer": {**ANSWERED, "text": "something else"},
        "move_to": "q9",
        "urgent_message": "He has a knife and is outside the school now",
        "submit": True,
    }
    response = await turn(client, auth, conversation, conflicting)

    assert response.status == 409
    record = await (await client.get(f"/api/v1/conversations/{conversation}/assessment", headers=auth)).json()
    assert (record["mode"], record["current_question_id"], record["status"]) == ("live", "q2", "in_progress")
    assert [a["text"] for a in record["answers"]] == [ANSWER["text"]]
    assert record["urgent"] is True
    assert [m["text"] for m in record["urgent_messages"]] == [conflicting["urgent_message"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answer": "yes"}, "answer"),
        ({"answer": {**ANSWERED, "revision": "1"}}, "answer.revision"),
        ({"answer": {**ANSWERED, "revision": True}}, "answer.revision"),
        ({"answer": {k: v for k, v in ANSWERED.items() if k != "text"}}, "answer.text"),
        ({"answer": {**ANSWERED, "colour": "red"}}, "answer.colour"),
        ({"answer": {**ANSWERED, "fact_date": "last Tuesday"}}, "answer.fact_date"),
        ({"answer": {**ANSWERED, "text": "x" * 10_001}}, "answer.text"),
        ({"mode": "rehearsal"}, "mode"),  # issue #26: no turn changes a run's mode
        ({"move_to": "../etc"}, "move_to"),
        ({"move_to": 3}, "move_to"),
        ({"submit": "yes"}, "submit"),
        ({"start_again": 1}, "start_again"),
        ({"urgent_message": ""}, "urgent_message"),
        ({"jump": "q9"}, "jump"),
        ({"move": True}, "move"),  # moving is said by sending move_to
    ],
)
async def test_bad_fields_are_named_and_change_nothing(
    client: TestClient, auth: dict[str, str], conversation: str, body: dict[str, Any], field: str
) -> None:
    await start(client, auth, conversation)

    response = await turn(
        client, auth, conversation, {**body, "move_to": "q3"} if "move_to" not in body else body
    )

    assert response.status == 422, await response.text()
    assert field in (await response.json())["errors"]
    record = await (await client.get(f"/api/v1/conversations/{conversation}/assessment", headers=auth)).json()
    assert (record["answers"], record["current_question_id"], record["urgent"]) == ([], None, False)


async def test_submit_in_a_turn_then_nothing_more_is_accepted(
    client: TestClient, auth: dict[str, str], conversation: str
) -> None:
    await start(client, auth, conversation)
    done = await (await turn(client, auth, conversation, {"answer": ANSWERED, "submit": True})).json()
    assert done["status"] == "submitted"

    late = await turn(client, auth, conversation, {"answer": {**ANSWERED, "question_id": "q2"}})
    assert late.status == 409
    unknown = await turn(client, auth, "nobody-opened-this", {"move_to": "q1"})
    assert unknown.status == 404
