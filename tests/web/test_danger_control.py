"""The "Someone is in danger now" control: on the home page and every chat page, a plain form that needs
nothing typed and no JavaScript, and a report that reaches the store even when the assistant is down.

On a draft it sends the engine's danger intent into that assessment's conversation; from the home page it
opens a new assessment for the report; on a submitted assessment, a new one linked to it. With the engine
stopped the flag is raised in the store directly and the page says to call 999 (503). The real app over HTTP
on a real SQLite store with the stand-in engine (which, unlike the real one, never flags anything itself:
so a flag in the store here is the app's own), and a real browser with JavaScript on and off.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace

import pytest
from aiohttp.test_utils import TestClient, TestServer
from playwright.async_api import Browser, expect
from sqlalchemy import func, select
from web_helpers import (
    PASSWORD,
    START_REPLIES,
    FakeClock,
    FakeEngine,
    conversation_of,
    messages_on,
    page,
    post_chat,
    practitioners,
    reference_from,
    sign_in,
    start_screening,
)

from bot.chat.messages import DANGER_BUTTON_FLAG, DANGER_TITLE, DANGER_WITHOUT_ENGINE_MESSAGE
from bot.domain.limits import DANGER_PRESS_ENGINE_WAIT_SECONDS, ENGINE_REPLY_TIMEOUT_SECONDS
from bot.domain.records import UserInfo
from bot.settings import Settings
from bot.store.services import Store
from bot.store.urgent_models import Notification
from bot.web.app import create_app

DANGER = "/report_danger"
# The press's wait for a stuck engine in the test that waits it out (production's is 10 s).
SHORT_PRESS_WAIT_SECONDS = 0.5


@pytest.fixture(autouse=True)
def reachable_lead(store: Store, user: UserInfo) -> UserInfo:
    """A lead of the practitioner's team with an address, so a report reaches someone: without one the page
    tells the practitioner to phone their lead at once instead (tested in tests/notify/test_escalation.py)."""
    return store.users.create_user("lena-lead", PASSWORD, "lead", user.team, email="lena@example.invalid")


def danger_form(body: str) -> str:
    match = re.search(r'<form [^>]*id="danger-control"[^>]*>.*?</form>', body, re.DOTALL)
    assert match, "the page has no danger control"
    return match.group(0)


def assert_plain_danger_form(body: str, action: str) -> None:
    """A form of its own that posts to `action` with nothing but the form token: no script, nothing typed."""
    form = danger_form(body)
    assert body.count('id="danger-control"') == 1
    assert f'<form method="post" action="{action}"' in form
    assert "data-enhance" not in form  # chat.js leaves it alone: an ordinary post with or without script
    assert re.findall(r'name="([^"]+)"', form) == ["csrf_token"]
    assert re.search(r'<button type="submit"[^>]*>Someone is in danger now</button>', form)
    assert "call 999" in form


def lead_notices(store: Store) -> int:
    with store.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(Notification)) or 0)


def flags(store: Store, conversation: str) -> list[str]:
    record = store.assessments.get_assessment(conversation)
    assert record is not None
    return [m.text for m in record.urgent_messages]


async def test_every_chat_page_has_the_control(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    assert_plain_danger_form(await page(signed_in, "/chat"), "/chat/danger")
    started = await start_screening(signed_in)
    not_started = f"/chat/{practitioners(store).open_assessment(user.id, 'web', 'test-bank').reference}"
    submitted = await start_screening(signed_in)
    store.assessments.submit(conversation_of(store, user.id, submitted))
    for path in (started, not_started, submitted):
        assert_plain_danger_form(await page(signed_in, path), f"{path}/danger")
    # After a refused answer, too: the page shown again with the message still has it.
    refused = await post_chat(signed_in, f"{started}/send", text="/submit")
    assert refused.status == 400
    assert_plain_danger_form(await refused.text(), f"{started}/danger")
    # And on the home page shown with a message (an assessment that is not yours).
    missing = await signed_in.get("/chat/A-ZZZZZZ")
    assert missing.status == 404
    assert_plain_danger_form(await missing.text(), "/chat/danger")


async def test_on_a_draft_the_report_goes_into_its_conversation(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    path = await start_screening(signed_in)
    other = await start_screening(signed_in)
    conversation = conversation_of(store, user.id, path)

    response = await post_chat(signed_in, f"{path}/danger")

    assert reference_from(response) == path.removeprefix("/chat/")
    assert engine.received[-1] == {"sender": conversation, "message": DANGER}
    assert flags(store, conversation) == [DANGER_BUTTON_FLAG]
    assert flags(store, conversation_of(store, user.id, other)) == []
    assert len(practitioners(store).assessments_of(user.id)) == 2  # no new assessment for it
    body = await page(signed_in, path)
    assert messages_on(body)[-3:] == [DANGER_TITLE, f"Echo: {DANGER}", "Anything else?"]
    assert 'id="urgent-banner"' in body


async def test_a_report_the_action_server_raised_is_not_raised_again_and_its_lead_is_told_once(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    """Issue #29: the action server raises the report from the record it read, then the app makes the same
    store call (keyed by the count of reports before the press), which finds it in and writes nothing."""
    path = await start_screening(signed_in)
    conversation = conversation_of(store, user.id, path)

    def as_the_action_server(sender: str, message: str) -> None:
        record = store.assessments.get_assessment(sender)
        if message == DANGER and record is not None:
            store.assessments.report_danger(sender, "By the action server", known=record.danger_reports)

    engine.on_message = as_the_action_server
    await post_chat(signed_in, f"{path}/danger")

    assert flags(store, conversation) == ["By the action server"]
    assert lead_notices(store) == 1


async def test_a_second_report_on_an_urgent_draft_is_raised_even_if_the_action_server_saved_nothing(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    """The stand-in engine stores nothing: each press is raised by the app, the second one too, though the
    assessment was urgent already (the store call is keyed by the count, not by "urgent or not")."""
    path = await start_screening(signed_in)
    conversation = conversation_of(store, user.id, path)

    await post_chat(signed_in, f"{path}/danger")
    await post_chat(signed_in, f"{path}/danger")

    assert flags(store, conversation) == [DANGER_BUTTON_FLAG, DANGER_BUTTON_FLAG]
    assert lead_notices(store) == 2


async def test_on_a_draft_not_yet_started_the_engine_begins_it_first(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    draft = practitioners(store).open_assessment(user.id, "web", "test-bank")
    response = await post_chat(signed_in, f"/chat/{draft.reference}/danger")
    assert reference_from(response) == draft.reference
    assert engine.received == [
        {"sender": draft.conversation_id, "message": "/start_assessment"},
        {"sender": draft.conversation_id, "message": DANGER},
    ]
    assert flags(store, draft.conversation_id) == [DANGER_BUTTON_FLAG]


async def test_from_the_home_page_a_new_assessment_holds_the_report(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    existing = await start_screening(signed_in)
    response = await post_chat(signed_in, "/chat/danger")
    reference = reference_from(response)
    assert f"/chat/{reference}" != existing
    held = practitioners(store).own_assessment(user.id, reference)
    assert held is not None and held.urgent and held.linked_from is None
    assert engine.received[-2:] == [
        {"sender": held.conversation_id, "message": "/start_assessment"},
        {"sender": held.conversation_id, "message": DANGER},
    ]
    assert flags(store, conversation_of(store, user.id, existing)) == []
    body = await page(signed_in, f"/chat/{reference}")
    assert DANGER_TITLE in messages_on(body) and 'id="urgent-banner"' in body


async def test_in_a_team_no_lead_can_be_reached_the_page_says_phone_at_once(
    client: TestClient, store: Store, engine: FakeEngine
) -> None:
    """Issue #26 item 8: a report in a team with no reachable lead tells the practitioner at once to phone,
    rather than after the deadline (the lead of the other fixtures is in another team)."""
    store.users.create_user("solo", PASSWORD, "practitioner", "Lonely team")
    await sign_in(client, "solo", PASSWORD)
    response = await post_chat(client, "/chat/danger")
    body = await page(client, f"/chat/{reference_from(response)}")
    assert 'id="lead-unreached-banner"' in body and "Phone your safeguarding lead now" in body
    assert 'id="lead-unreached-banner"' in await page(client, "/chat")


async def test_on_a_submitted_assessment_a_new_linked_one_holds_the_report(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    path = await start_screening(signed_in)
    submitted = path.removeprefix("/chat/")
    conversation = conversation_of(store, user.id, path)
    store.assessments.submit(conversation)
    log = store.conversations.chat_messages(conversation)

    reference = reference_from(await post_chat(signed_in, f"{path}/danger"))

    assert reference != submitted
    held = practitioners(store).own_assessment(user.id, reference)
    assert held is not None and held.urgent and held.linked_from == submitted and not held.submitted
    assert engine.received[-1] == {"sender": held.conversation_id, "message": DANGER}
    # The submitted record is as it was sent: nothing added, no flag.
    assert store.conversations.chat_messages(conversation) == log and flags(store, conversation) == []
    home = await page(signed_in, "/chat")
    assert f"Adds to {submitted}" in home


@pytest.mark.parametrize("where", ["draft", "not-started", "home", "submitted"])
async def test_with_the_engine_stopped_the_flag_is_raised_and_999_said(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine, where: str
) -> None:
    started = await start_screening(signed_in)
    paths = {
        "draft": started,
        "not-started": f"/chat/{practitioners(store).open_assessment(user.id, 'web', 'test-bank').reference}",
        "home": "/chat",
    }
    if where == "submitted":
        store.assessments.submit(conversation_of(store, user.id, started))
        paths["submitted"] = started
    path = paths[where]
    before = {a.reference for a in practitioners(store).assessments_of(user.id)}
    await engine.stop()

    response = await post_chat(signed_in, f"{path}/danger", on=path)

    assert response.status == 503
    body = await response.text()
    assert DANGER_WITHOUT_ENGINE_MESSAGE.replace("'", "&#39;") in body and "call 999 now" in body
    mine = practitioners(store).assessments_of(user.id)
    urgent = [a for a in mine if a.urgent]
    assert len(urgent) == 1
    [held] = urgent
    if where in ("draft", "not-started"):
        assert f"/chat/{held.reference}" == path and {a.reference for a in mine} == before
    else:  # a new assessment holds it (linked to the submitted one)
        assert held.reference not in before
        assert held.linked_from == (started.removeprefix("/chat/") if where == "submitted" else None)
    assert flags(store, held.conversation_id) == [DANGER_BUTTON_FLAG]
    # The page shown is the assessment holding the report, flagged, with its danger control still there.
    assert f'Screening <span class="app-reference">{held.reference}</span>' in body
    assert 'id="urgent-banner"' in body
    assert_plain_danger_form(body, f"/chat/{held.reference}/danger")


async def test_with_the_engine_stuck_the_press_does_not_wait_out_the_engines_own_timeout(
    settings: Settings, store: Store, user: UserInfo, engine: FakeEngine, clock: FakeClock
) -> None:
    """An engine that takes messages and never answers (its action server waiting on a database that is
    down): the press raises the report itself and says 999 after the press's own wait, not the 45 s an
    ordinary message may wait for the engine (bot.domain.limits). The press's wait is a setting, shortened
    here so that the test does not sit out production's 10 s; the next test holds production to its value."""
    quick = replace(settings, danger_press_engine_wait_seconds=SHORT_PRESS_WAIT_SECONDS)
    async with TestClient(TestServer(create_app(quick, store, clock=clock))) as client:
        await sign_in(client, "alice", PASSWORD)
        started = await start_screening(client)
        engine.held_until = asyncio.Event()
        try:
            # The ordinary wait outlasts the test's own: were the press to use it, this would not return in
            # time.
            response = await asyncio.wait_for(
                post_chat(client, f"{started}/danger", on=started),
                timeout=ENGINE_REPLY_TIMEOUT_SECONDS - 5,
            )
            assert response.status == 503
            assert "call 999 now" in await response.text()
            [held] = [a for a in practitioners(store).assessments_of(user.id) if a.urgent]
            assert f"/chat/{held.reference}" == started
            assert flags(store, held.conversation_id) == [DANGER_BUTTON_FLAG]
            assert engine.received[-1]["message"] == DANGER, "the engine was asked first"
        finally:
            engine.held_until.set()


def test_the_press_waits_production_s_limit_unless_a_test_shortens_it(settings: Settings) -> None:
    """What every deployment uses: no variable sets it, and it is well inside the engine's own wait."""
    assert settings.danger_press_engine_wait_seconds == DANGER_PRESS_ENGINE_WAIT_SECONDS == 10.0
    assert (
        Settings.from_env(
            {"BOT_DATA_DIR": str(settings.data_dir), "BOT_DANGER_PRESS_ENGINE_WAIT_SECONDS": "1"}
        ).danger_press_engine_wait_seconds
        == DANGER_PRESS_ENGINE_WAIT_SECONDS
    )
    assert SHORT_PRESS_WAIT_SECONDS < DANGER_PRESS_ENGINE_WAIT_SECONDS < ENGINE_REPLY_TIMEOUT_SECONDS - 5


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
async def test_the_control_in_a_browser(
    browser: Browser,
    base_url: str,
    store: Store,
    user: UserInfo,
    engine: FakeEngine,
    javascript: bool,
) -> None:
    page_ = await (await browser.new_context(java_script_enabled=javascript)).new_page()
    await page_.goto(f"{base_url}/sign-in")
    await page_.get_by_label("Username").fill("alice")
    await page_.get_by_label("Password").fill(PASSWORD)
    await page_.get_by_role("button", name="Sign in").click()

    # From the home page: a new assessment's page, with the report in its conversation.
    await page_.get_by_role("button", name="Someone is in danger now").click()
    await expect(page_.locator("#urgent-banner")).to_be_visible()
    await expect(page_.locator("#messages")).to_contain_text(DANGER_TITLE)
    first = page_.url.split("/chat/")[1].split("#")[0]

    # On a draft: into that draft's conversation.
    await page_.goto(f"{base_url}/chat")
    await page_.get_by_role("button", name="Start a new screening").click()
    await expect(page_.get_by_text(START_REPLIES[1])).to_be_visible()
    second = page_.url.split("/chat/")[1].split("#")[0]
    await page_.get_by_role("button", name="Someone is in danger now").click()
    await expect(page_.locator("#urgent-banner")).to_be_visible()
    assert page_.url.split("/chat/")[1].split("#")[0] == second

    held = {a.reference: a for a in practitioners(store).assessments_of(user.id)}
    assert set(held) == {first, second} and all(a.urgent for a in held.values())
    assert [r["message"] for r in engine.received if r["sender"] == held[second].conversation_id] == [
        "/start_assessment",
        DANGER,
    ]
