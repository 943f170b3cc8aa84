"""No practitioner reaches another's assessment, and no made-up reference reaches anything.

Another practitioner's reference finds nothing, exactly as a reference that does not exist: the home page
with "there is no assessment of yours with this reference" (404), for the page and for every form, and
nothing reaches the engine or the store. The real app over HTTP, a real SQLite store, the stand-in engine.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from aiohttp.test_utils import TestClient
from web_helpers import (
    OTHER_PASSWORD,
    PASSWORD,
    FakeEngine,
    conversation_of,
    csrf_from,
    holdings,
    page,
    post_chat,
    sign_in,
    start_screening,
)

from bot.chat.messages import NO_SUCH_ASSESSMENT_MESSAGE
from bot.domain.records import UserInfo
from bot.store.services import Store

ACTIONS = ("send", "start", "danger", "add")


async def alices_assessments(client: TestClient, store: Store, user: UserInfo) -> tuple[str, str]:
    """Alice's draft (started, answered once) and her submitted assessment, by reference; then sign out."""
    assert (await sign_in(client, "alice", PASSWORD)).status == 303
    draft = await start_screening(client)
    assert (await post_chat(client, f"{draft}/send", text="about the child")).status == 303
    submitted = await start_screening(client)
    store.assessments.submit(conversation_of(store, user.id, submitted))
    assert (await post_chat(client, "/sign-out")).status == 303
    return draft.removeprefix("/chat/"), submitted.removeprefix("/chat/")


async def assert_not_found(client: TestClient, method: str, path: str, token: str) -> None:
    """The home page, saying there is no such assessment of yours, and nothing else."""
    data = {"csrf_token": token, "text": "an answer", "seen": "5", "button": "0", "known": "0"}
    if method == "GET":
        response = await client.get(path, allow_redirects=False)
    else:
        response = await client.post(path, data=data, allow_redirects=False)
    body = await response.text()
    assert response.status == 404, (method, path, response.status)
    assert NO_SUCH_ASSESSMENT_MESSAGE in body, (method, path)
    assert '<h1 class="govuk-heading-l">Your assessments</h1>' in body


async def test_another_practitioners_assessment_is_not_found(
    client: TestClient, store: Store, user: UserInfo, other_user: UserInfo, engine: FakeEngine
) -> None:
    draft, submitted = await alices_assessments(client, store, user)
    sent = len(engine.received)
    before = holdings(store, user.id, other_user.id)

    assert (await sign_in(client, "bob", OTHER_PASSWORD)).status == 303
    home = await page(client, "/chat")
    assert draft not in home and submitted not in home
    token = csrf_from(home)
    for reference in (draft, submitted, draft.lower()):
        await assert_not_found(client, "GET", f"/chat/{reference}", token)
        for action in ACTIONS:
            await assert_not_found(client, "POST", f"/chat/{reference}/{action}", token)

    assert len(engine.received) == sent
    assert holdings(store, user.id, other_user.id) == before  # Bob opened nothing; Alice's are untouched
    assert holdings(store, other_user.id) == []


FORGED = {
    "garbage": "not-a-reference",
    "unknown": "A-ZZZZZZ",
    "sql": "A-' OR '1'='1",
    "sql-union": "A-XXXXXX'; DROP TABLE assessments; --",
    "percent": "%00",
    "unicode": "A-ＡＢＣＤＥＦ",
    "long": "A-" + "Z" * 20_000,
}


@pytest.mark.parametrize("forged", FORGED.values(), ids=FORGED.keys())
async def test_a_forged_reference_changes_nothing(
    client: TestClient,
    store: Store,
    user: UserInfo,
    other_user: UserInfo,
    engine: FakeEngine,
    forged: str,
) -> None:
    await alices_assessments(client, store, user)
    sent = len(engine.received)
    before = holdings(store, user.id, other_user.id)
    assert (await sign_in(client, "alice", PASSWORD)).status == 303
    token = csrf_from(await page(client, "/chat"))

    segment = quote(forged, safe="")
    for method, path in [("GET", f"/chat/{segment}")] + [
        ("POST", f"/chat/{segment}/{action}") for action in ACTIONS
    ]:
        if len(path) > 8_000:
            # Longer than any request line the server reads: refused before any handler runs.
            response = await (client.get if method == "GET" else client.post)(path, allow_redirects=False)
            assert response.status in (400, 414), (method, response.status)
        else:
            await assert_not_found(client, method, path, token)

    assert len(engine.received) == sent
    assert holdings(store, user.id, other_user.id) == before
    assert "Your assessments" in await page(client, "/chat")  # and the app carries on
