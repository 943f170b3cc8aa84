"""A practice run moved to live part-way through (issue #13), through the real engine, action server and app.

A practitioner starts "A plan for Friday" in the web chat, answers the first questions, then says it is about
a real child and moves it to live on the confirm page. The conversation carries on at the same question in
the same record: the next answers are stored on the same assessment, now live (the actions read the mode
from the store every turn, so the engine is told nothing), the scenario's fictional update no longer comes,
and once submitted the team's lead sees the case on their list.
"""

from __future__ import annotations

import html
import secrets

import aiohttp

from bot.store.models import Answer, Assessment
from bot.store.practice_move_models import PracticeMove
from tests.e2e.conftest import Product
from tests.e2e.test_practice_danger_moment import MARK, rows, walk_to
from tests.e2e.test_practice_debrief import SCENARIO, TYPE, walk
from tests.e2e.web_practitioner import REFERENCE, WebPractitioner
from tests.web.web_helpers import field_value, sign_in

REASON = "  Casey is a real pupil here:\nthe post is real.  "


async def test_a_run_moved_to_live_mid_way_carries_on_in_the_same_record_and_reaches_the_lead(
    product: Product,
) -> None:
    team = f"Moved mid-run {secrets.token_hex(3)}"
    username, password, _ = product.new_user("practitioner", team)
    lead, lead_password, _ = product.new_user("lead", team)
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

        await walk_to(me, reference, "threats_detail")  # a few answers in rehearsal
        [run] = rows(product, Assessment, reference=reference)
        before = {answer.id for answer in rows(product, Answer, assessment_id=run.id)}
        assert run.mode == "rehearsal" and before

        confirm = html.unescape(await me.get(f"/practice/runs/{reference}/move-to-live"))
        assert "become a live assessment under your name" in confirm
        moved = await me.post(f"/practice/runs/{reference}/move-to-live", reason=REASON)
        assert moved.status == 303, await moved.text()
        assert moved.headers["Location"] == f"/chat/{reference}?moved=live#latest"
        assert "This is now a live assessment in your team" in await me.get(moved.headers["Location"])

        # The same question, answered now: stored on the same assessment, which is live.
        assert (await me.type(reference, TYPE["threats_detail"])).status == 303
        after = rows(product, Answer, assessment_id=run.id)
        assert [a.text for a in after if a.id not in before and a.question_id == "threats_detail"] == [
            TYPE["threats_detail"]
        ]
        chat = await me.page(reference)
        assert not any(html.unescape(text).startswith(MARK) for _, text in chat.turns)  # no fictional update
        await walk(me, reference)
        await me.submit(reference)

    [run] = rows(product, Assessment, reference=reference)
    assert (run.mode, run.scenario_id, run.status) == ("live", None, "submitted")
    assert len(rows(product, Answer, assessment_id=run.id)) > len(before) + 1  # the rest of the run, here
    [move] = rows(product, PracticeMove, assessment_id=run.id)
    assert (move.reason, move.scenario_id) == (REASON, SCENARIO)
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, lead, lead_password)).status == 303
        async with client.get("/cases") as response:
            assert response.status == 200
            assert reference in await response.text()
