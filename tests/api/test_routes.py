"""The JSON API over HTTP: happy paths, and a clear 4xx (never a 5xx) for every kind of bad input."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.store.services import Store

ANSWER = {
    "wording": "What did they say?",
    "text": "  “I’ll show them” 😠\r\nsaid twice  ",
    "value": "  “I’ll show them” 😠\r\nsaid twice  ",
    "status": "answered",
    "source": "told by a teacher",
    "fact_date": "2026-02-27",
}
ANSWERED = {"question_id": "q1", "revision": 1, **ANSWER}


async def start(client: TestClient, auth: dict[str, str], conversation: str, **extra: Any) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/assessments",
        json={"conversation_id": conversation, "bank_version": "2026.1", **extra},
        headers=auth,
    )
    assert response.status == 200, await response.text()
    return await response.json()


async def test_health_needs_no_token(client: TestClient) -> None:
    response = await client.get("/api/v1/health")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    "header",
    [None, "Bearer wrong", "Basic dGVzdA==", "Bearer", "Bearer tøken-with-non-ascii"],
)
async def test_every_other_route_needs_the_service_token(
    client: TestClient, conversation: str, header: str | None
) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = await client.post(
        "/api/v1/assessments", json={"conversation_id": conversation, "bank_version": "1"}, headers=headers
    )
    assert response.status == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "service token" in (await response.json())["errors"]["authorization"]


async def test_a_whole_assessment(
    client: TestClient, auth: dict[str, str], conversation: str, service: Store
) -> None:
    started = await start(client, auth, conversation, mode="rehearsal")
    assert (started["mode"], started["status"], started["answers"]) == ("rehearsal", "in_progress", [])
    assert (await start(client, auth, conversation))["reference"] == started["reference"]

    cid_url = f"/api/v1/conversations/{conversation}"
    url = f"{cid_url}/turn"
    response = await client.post(url, json={"answer": ANSWERED}, headers=auth)
    assert response.status == 200
    body = await response.json()
    assert {k: body["answers"][0][k] for k in ANSWER} == ANSWER

    replay = await client.post(url, json={"answer": ANSWERED}, headers=auth)
    assert replay.status == 200
    assert (await replay.json())["answers"] == body["answers"]

    conflict = await client.post(url, json={"answer": {**ANSWERED, "text": "different"}}, headers=auth)
    assert conflict.status == 409
    assert "new revision" in (await conflict.json())["errors"]["revision"]

    moved = await client.post(url, json={"move_to": "q2"}, headers=auth)
    assert (await moved.json())["current_question_id"] == "q2"
    urgent = await client.post(url, json={"urgent_message": "He has a knife"}, headers=auth)
    assert (await urgent.json())["urgent_messages"][0]["text"] == "He has a knife"
    # Issue #26: a run's mode is fixed when it starts; there is no way to switch it.
    assert (await client.put(f"{cid_url}/mode", json={"mode": "live"}, headers=auth)).status == 404
    again = await client.post(
        "/api/v1/assessments",
        json={"conversation_id": conversation, "bank_version": "1", "mode": "live"},
        headers=auth,
    )
    assert again.status == 409 and "mode never changes" in (await again.json())["errors"]["mode"]
    submitted = await client.post(url, json={"submit": True}, headers=auth)
    assert (await submitted.json())["status"] == "submitted"

    fetched = await client.get(f"{cid_url}/assessment", headers=auth)
    record = await fetched.json()
    assert record["answers"] == body["answers"]
    assert (record["urgent"], record["current_question_id"]) == (True, "q2")
    stored = service.assessments.get_assessment(conversation_id=conversation)
    assert stored is not None
    assert stored.answers["q1"].text == ANSWER["text"]


async def test_position_can_be_cleared(client: TestClient, auth: dict[str, str], conversation: str) -> None:
    await start(client, auth, conversation)
    cleared = await client.post(
        f"/api/v1/conversations/{conversation}/turn", json={"move_to": None}, headers=auth
    )
    assert (await cleared.json())["current_question_id"] is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "a JSON object is required"),
        (b"{not json", "not valid JSON"),
        (b'{"text": "unterminated', "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'"just a string"', "must be a JSON object"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"value": NaN}', "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
        (b'{"value": ' + b"9" * 5000 + b"}", "not valid JSON"),
    ],
)
async def test_malformed_bodies_get_400(
    client: TestClient, auth: dict[str, str], conversation: str, raw: bytes, message: str
) -> None:
    await start(client, auth, conversation)
    response = await client.post(
        f"/api/v1/conversations/{conversation}/turn",
        data=raw,
        headers={**auth, "Content-Type": "application/json"},
    )
    assert response.status == 400
    assert message in (await response.json())["errors"]["body"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, {"question_id", "revision", "wording", "text", "value", "status"}),
        ({**ANSWERED, "text": 42}, {"text"}),
        ({**ANSWERED, "text": None}, {"text"}),
        ({**ANSWERED, "wording": ["list"]}, {"wording"}),
        ({**ANSWERED, "status": "maybe"}, {"status"}),
        ({**ANSWERED, "fact_date": "27/02/2026"}, {"fact_date"}),
        ({**ANSWERED, "fact_date": "2026-02-30"}, {"fact_date"}),
        ({**ANSWERED, "fact_date": 20260227}, {"fact_date"}),
        ({**ANSWERED, "fact_data": "2026-02-27"}, {"fact_data"}),
        ({**ANSWERED, "revision": 0}, {"revision"}),
        ({**ANSWERED, "revision": "1"}, {"revision"}),
        ({**ANSWERED, "revision": 1.5}, {"revision"}),
        ({**ANSWERED, "question_id": "q one"}, {"question_id"}),
        ({**ANSWERED, "text": "x" * 10_001}, {"text"}),
        ({**ANSWERED, "text": "half \ud83d"}, {"text"}),
        ({**ANSWERED, "value": {"a": "\udc00"}}, {"value"}),
        ({**ANSWERED, "source": 3}, {"source"}),
    ],
)
async def test_invalid_fields_get_422_naming_each_field(
    client: TestClient,
    auth: dict[str, str],
    conversation: str,
    service: Store,
    body: dict[str, Any],
    expected: set[str],
) -> None:
    await start(client, auth, conversation)
    response = await client.post(
        f"/api/v1/conversations/{conversation}/turn", json={"answer": body}, headers=auth
    )
    assert response.status == 422
    errors = (await response.json())["errors"]
    assert set(errors) == {f"answer.{field}" for field in expected}
    assert all(isinstance(message, str) and message for message in errors.values())
    assert service.assessments.get_assessment(conversation_id=conversation).answers == {}  # type: ignore[union-attr]


async def test_oversize_text_says_what_the_limit_is(
    client: TestClient, auth: dict[str, str], conversation: str
) -> None:
    await start(client, auth, conversation)
    response = await client.post(
        f"/api/v1/conversations/{conversation}/turn",
        json={"answer": {**ANSWERED, "text": "é" * 10_001}},
        headers=auth,
    )
    assert response.status == 422
    assert (await response.json())["errors"]["answer.text"] == (
        "is 10,001 characters long; the limit is 10,000. Nothing was saved"
    )


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/assessment", None),
        ("POST", "/turn", {"answer": ANSWERED}),
        ("POST", "/turn", {"move_to": "q1"}),
        ("POST", "/turn", {"submit": True}),
    ],
)
async def test_unknown_conversation_gets_404(
    client: TestClient, auth: dict[str, str], method: str, path: str, body: dict[str, Any] | None
) -> None:
    response = await client.request(method, f"/api/v1/conversations/nobody{path}", json=body, headers=auth)
    assert response.status == 404
    assert "conversation_id" in (await response.json())["errors"]


async def test_conversation_without_assessment_gets_404(
    client: TestClient, auth: dict[str, str], conversation: str
) -> None:
    response = await client.get(f"/api/v1/conversations/{conversation}/assessment", headers=auth)
    assert response.status == 404
    response = await client.post(
        "/api/v1/assessments", json={"conversation_id": "nobody", "bank_version": "1"}, headers=auth
    )
    assert response.status == 404


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        ("/api/v1/assessments", {"bank_version": "1"}, {"conversation_id"}),
        (
            "/api/v1/assessments",
            {"conversation_id": 5, "bank_version": None},
            {"conversation_id", "bank_version"},
        ),
        ("/api/v1/assessments", {"conversation_id": "c", "bank_version": "1", "mode": "play"}, {"mode"}),
    ],
)
async def test_start_with_bad_fields(
    client: TestClient, auth: dict[str, str], path: str, body: dict[str, Any], expected: set[str]
) -> None:
    response = await client.post(path, json=body, headers=auth)
    assert response.status == 422
    assert set((await response.json())["errors"]) == expected


async def test_other_bodies_with_bad_fields(
    client: TestClient, auth: dict[str, str], conversation: str
) -> None:
    await start(client, auth, conversation)
    base = f"/api/v1/conversations/{conversation}"
    cases = [
        ("POST", "/turn", {"move_to": 3}, "move_to"),
        ("POST", "/turn", {"move": True}, "move"),  # said by whether move_to is present
        ("POST", "/turn", {"urgent_message": ""}, "urgent_message"),
        ("POST", "/turn", {"urgent_message": "x" * 10_001}, "urgent_message"),
        ("POST", "/turn", {"message": "wrong field"}, "message"),
    ]
    for method, path, body, field in cases:
        response = await client.request(method, base + path, json=body, headers=auth)
        assert response.status == 422, (path, body)
        assert field in (await response.json())["errors"], (path, body)


async def test_a_body_over_the_size_limit_gets_413_json(
    client: TestClient, auth: dict[str, str], conversation: str
) -> None:
    await start(client, auth, conversation)
    response = await client.post(
        f"/api/v1/conversations/{conversation}/turn",
        data=io.BytesIO(json.dumps({"answer": {**ANSWERED, "text": "x" * 2_000_000}}).encode()),
        headers={**auth, "Content-Type": "application/json"},
    )
    assert response.status == 413
    assert "too large" in (await response.json())["errors"]["body"]


@pytest.mark.parametrize("role", ["coordinator", "admin"])
async def test_a_role_that_may_not_raise_concerns_is_refused_with_403_and_nothing_is_written(
    client: TestClient, auth: dict[str, str], service: Store, role: str
) -> None:
    user = service.users.create_user("casey", "correct horse battery staple", role, "North Team")
    conversation = service.conversations.open_conversation(user.id, "web")
    response = await client.post(
        "/api/v1/assessments", json={"conversation_id": conversation, "bank_version": "2026.1"}, headers=auth
    )
    assert response.status == 403
    errors = (await response.json())["errors"]
    assert errors["role"].startswith(f"a {role} account cannot start a screening")
    assert service.assessments.get_assessment(conversation) is None


# The single-field writes the action server never makes (issue #29): every change is one turn.
REMOVED = [
    ("PUT", "/answers/q1/1", ANSWER),
    ("PUT", "/position", {"question_id": "q1"}),
    ("POST", "/urgent", {"message": "x"}),
    ("POST", "/start-again", None),
    ("POST", "/submit", None),
]


@pytest.mark.parametrize(("method", "path", "body"), REMOVED)
async def test_the_store_api_has_no_single_field_writes(
    client: TestClient,
    auth: dict[str, str],
    conversation: str,
    service: Store,
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    before = await start(client, auth, conversation)
    response = await client.request(
        method, f"/api/v1/conversations/{conversation}{path}", json=body, headers=auth
    )
    assert response.status in (404, 405)
    record = service.assessments.get_assessment(conversation_id=conversation)
    assert record is not None and record.to_json() == before
