"""The debrief names exactly what a practice run left out (issue #13), through the real engine, action server
and app.

A trainee starts "A plan for Friday" from its case card and walks the whole assessment on the web chat. They
record the post (time, place, words; someone else told them, yesterday) and what Casey says about violence
(heard it themselves, since September), and write other explanations; they deliberately leave out two known
facts (the new group at breaks: "No" to changed friendships; the eviction and mum's drug use: "None of these"
at other needs) and never take the danger path: every "is anyone in danger now?" is answered "No". The
debrief then names exactly those omissions (the two facts, the danger path not taken) and nothing else: no
source or date missing, no follow-up left empty. A trainer of the team reads the same debrief.
"""

from __future__ import annotations

import html
import re
import secrets

import aiohttp

from tests.e2e.conftest import Product
from tests.e2e.screening import CARRY_ON, is_route_choice
from tests.e2e.test_addition_asks_what_is_new import asked
from tests.e2e.web_practitioner import REFERENCE, WebPractitioner
from tests.web.web_helpers import field_value, sign_in

SCENARIO = "a_plan_for_friday"
PRESS = {
    "threats": "Yes",
    "threats_detail__source": "Someone else told me",
    "supports_violence": "Yes",
    "supports_violence_detail__source": "I saw or heard it myself",
    "friendship_changes": "No",  # left out: the new group at breaks (fact new_group)
    "other_needs": "None of these that I know of",  # left out: the eviction, mum's drug use (fact evicted)
}
TYPE = {
    "threats_detail": "Yesterday a student showed me Casey's post: Friday 3pm, the gates, they'll see.",
    "threats_detail__source_role": "A student in Casey's tutor group",
    "supports_violence_detail": "Since September Casey says people who look down on us get what's coming.",
    "other_explanations": "It may be bravado in front of friends, or anger about something else going on.",
}
MISSED = ["new_group", "evicted"]
MAX_TURNS = 400  # a loop guard well above the whole bank, not a target


async def walk(me: WebPractitioner, reference: str) -> None:
    for _ in range(MAX_TURNS):
        chat = await me.page(reference)
        if any(title == "Submit to my lead" for _, title in chat.buttons):
            return
        if is_route_choice(chat.latest_bot_text):  # the end of the screening: carry on to the full assessment
            response = await me.press(reference, CARRY_ON)
        elif (question := asked(chat)) is not None and question.id in PRESS:
            response = await me.press(reference, PRESS[question.id])
        elif question is not None and question.id in TYPE:
            response = await me.type(reference, TYPE[question.id])
        else:
            await me.answer(reference)  # "No" wherever offered (never the danger path), else a marked text
            continue
        assert response.status == 303, await response.text()
    raise AssertionError("the assessment should reach its summary")


def fact_card(body: str, fact_id: str) -> str:
    start = body.index(f'id="fact-{fact_id}"')
    end = body.find('class="govuk-summary-card app-debrief-fact"', start + 1)
    return body[start : end if end > 0 else len(body)]


async def test_the_debrief_names_the_two_facts_left_out_and_the_danger_path_not_taken(
    product: Product,
) -> None:
    team = f"Practice team {secrets.token_hex(3)}"
    username, password, _ = product.new_user("practitioner", team)
    trainer, trainer_password, _ = product.new_user("trainer", team)
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, username, password)).status == 303
        me = WebPractitioner(client)
        card = await me.get(f"/practice/{SCENARIO}")
        started = await me.post(f"/practice/{SCENARIO}", known=field_value(card, "known"))
        assert started.status == 303, await started.text()
        found = REFERENCE.search(started.headers["Location"])
        assert found, started.headers["Location"]
        reference = found.group(1)
        await walk(me, reference)
        await me.submit(reference)

        submitted = await me.get(f"/chat/{reference}")
        link = f'href="/practice/runs/{reference}/debrief"'
        assert link in submitted  # the link shown once the run is submitted
        body = await me.get(f"/practice/runs/{reference}/debrief")

    facts = re.findall(r'id="fact-([a-z_]+)"', body)
    assert facts == ["post_time_place", "deserve_whats_coming", "new_group", "evicted"]
    not_captured = [fact for fact in facts if "Not captured</strong>" in fact_card(body, fact)]
    assert not_captured == MISSED
    assert '"they\'ll see" in your answer to' in html.unescape(body)  # what matched, and where
    assert "Danger path not taken" in body and "Danger path taken" not in body
    assert "Missing:" not in body  # no source or date missing for the facts captured
    assert "None: every follow-up the run opened was answered." in body
    assert "Not considered" not in body
    assert f">{me.turns}<" in body  # every message the trainee sent, counted by the store

    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, trainer, trainer_password)).status == 303
        async with client.get(f"/practice/runs/{reference}/debrief") as response:
            assert response.status == 200
            assert f"by {username}" in await response.text()
