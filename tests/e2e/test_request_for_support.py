"""From screening to support (issue #12), through the real channel: a trained engine, the real action server
and the real app with its store. A practitioner answers the screening as planned in tests/e2e/screening.py,
chooses "send now" when asked, checks the screening answers and sends them; the store then holds a submitted
Request for Support (stage screening), every typed answer verbatim, in under 20 questions. Then, on the web
pages, a lead asks for the full assessment and the practitioner carries on in the same record."""

from __future__ import annotations

import secrets
from typing import Any

import aiohttp
from sqlalchemy import select

from bot.dialogue.danger_followups import load_followups
from bot.store.models import Assessment
from tests.e2e.conftest import Product, _service
from tests.e2e.screening import (
    BY_ID,
    ROUTE_QUESTION,
    SEND_NOW,
    SEND_REQUEST,
    first_assessment_question,
    is_route_choice,
    plan_for,
    screening_ids,
)
from tests.e2e.web_practitioner import WebPractitioner
from tests.web.web_helpers import csrf_from, sign_in

CHECK = load_followups().check


def text_of(replies: list[dict[str, Any]]) -> str:
    return "\n".join(reply.get("text") or "" for reply in replies)


def titles(replies: list[dict[str, Any]]) -> list[str]:
    return [b["title"] for reply in replies for b in reply.get("buttons") or []]


def test_the_screening_sent_now_is_a_request_for_support_in_the_store(product: Product) -> None:
    sender = product.open_conversation()
    replies = product.press(sender, "/start_assessment")
    asked = 0
    while not is_route_choice(text_of(replies)):
        assert asked < 20, f"the screening should end in under 20 questions; last: {text_of(replies)}"
        if CHECK.text in " ".join(text_of(replies).split()):
            # Danger first: what was typed sounded like danger; it is not, and the screening carries on.
            replies = product.press(sender, CHECK.no)
            continue
        planned = plan_for(text_of(replies))
        replies = (
            product.press(sender, planned.button)
            if planned.button is not None
            else product.say(sender, planned.typed or "")
        )
        asked += 1
    assert ROUTE_QUESTION in text_of(replies)
    assert SEND_NOW in titles(replies)

    summary = product.say(sender, "send now")  # typed, read as the choice it names
    shown = text_of(summary)
    assert "Check your answers" in shown and "Request for Support" in shown
    assert SEND_REQUEST in titles(summary), summary
    assert "own account, in your own words" not in shown  # the fuller questions are not listed

    sent = product.press(sender, "/submit")
    assert "Request for Support" in text_of(sent), sent

    export = product.export(sender)
    assessment = export["assessment"]
    assert (assessment["status"], assessment["submitted_stage"]) == ("submitted", "screening")
    stored = {a["question_id"]: a["revisions"][-1]["text"] for a in export["answers"]}
    assert set(stored) <= set(screening_ids()) | {f"{q}__source" for q in screening_ids()}
    for question_id, planned in BY_ID.items():
        if planned.typed is not None and question_id in stored:
            assert stored[question_id] == planned.typed, question_id
    assert asked < 20


async def send_screening_on_the_web(me: WebPractitioner) -> str:
    """Start a screening on the web chat, answer it, choose "send now" and send the Request for Support."""
    reference = await me.start_new()
    for _ in range(60):
        chat = await me.page(reference)
        offered = [title for _, title in (*chat.ticks, *chat.buttons)]
        if SEND_REQUEST in offered:
            response = await me.press(reference, SEND_REQUEST)
            assert response.status == 303, await response.text()
            return reference
        if SEND_NOW in offered:
            response = await me.press(reference, SEND_NOW)
            assert response.status == 303, await response.text()
            continue
        await me.answer(reference)
    raise AssertionError("the screening should end in a Request for Support")


async def test_a_lead_asks_for_the_full_assessment_and_the_practitioner_carries_on_in_the_same_record(
    product: Product,
) -> None:
    """Issue #12: the lead reads the Request for Support and asks for the full assessment with a message;
    the practitioner's home page says so, "Carry on" resumes at the first exploratory question, and the
    full submission reaches the lead in the same record, the screening answers kept."""
    team = f"Full assessment {secrets.token_hex(3)}"
    practitioner, practitioner_password, _ = product.new_user("practitioner", team)
    lead, lead_password, _ = product.new_user("lead", team)
    message = "Please do the family section: <who> else is at home?"
    url = product.settings.app_url
    async with (
        aiohttp.ClientSession(base_url=url, cookie_jar=aiohttp.CookieJar(unsafe=True)) as them,
        aiohttp.ClientSession(base_url=url, cookie_jar=aiohttp.CookieJar(unsafe=True)) as lead_client,
    ):
        assert (await sign_in(them, practitioner, practitioner_password)).status == 303
        me = WebPractitioner(them)
        reference = await send_screening_on_the_web(me)
        sent = product.export_reference(reference)["assessment"]
        assert (sent["status"], sent["submitted_stage"]) == ("submitted", "screening")
        screening_answers = {a["question_id"] for a in product.export_reference(reference)["answers"]}

        with _service(product.settings).session_factory() as session:
            case_id = session.scalar(select(Assessment.id).where(Assessment.reference == reference))
        assert (await sign_in(lead_client, lead, lead_password)).status == 303
        case_page = await (await lead_client.get(f"/cases/{case_id}")).text()
        assert "Ask for the full assessment" in case_page
        asked = await lead_client.post(
            f"/cases/{case_id}/ask-full",
            data={"csrf_token": csrf_from(case_page), "message": message},
            allow_redirects=False,
        )
        assert asked.status == 303, await asked.text()

        home = await me.get("/chat")
        assert "Your lead asked for the full assessment" in home
        assert "Please do the family section: &lt;who&gt; else is at home?" in home
        carried = await me.post(f"/chat/{reference}/start")
        assert carried.status == 303, await carried.text()
        chat = await me.page(reference)
        assert first_assessment_question().text in chat.latest_bot_text, chat.latest_bot_text

        for _ in range(3):  # a few answers from where the screening ended, then the rest, then submit
            await me.answer(reference)
        await me.answer_until_summary(reference)
        await me.submit(reference)

        export = product.export_reference(reference)
        assert export["assessment"]["id"] == sent["id"]  # the same record
        assert (export["assessment"]["status"], export["assessment"]["submitted_stage"]) == (
            "submitted",
            "full",
        )
        stored = {a["question_id"]: a["revisions"][-1]["text"] for a in export["answers"]}
        assert screening_answers <= set(stored) and first_assessment_question().id in stored
        for typed in me.typed.get(reference, []):
            assert typed.replace("\r\n", "\n") in stored.values() or typed in stored.values()

        case_page = await (await lead_client.get(f"/cases/{case_id}")).text()
        assert "Request for Support (screening only)" not in case_page
        assert "Ask for the full assessment" not in case_page
        assert first_assessment_question().text in case_page
