"""A practitioner's ordinary week on the web: many assessments, each its own page, record and conversation.

Real app, engine and action server, driven over HTTP with the pages' own forms. One practitioner submits an
assessment, starts a second, pauses it, starts a third, goes back to the second and submits it; the home page
lists each where it is, and the exports hold three assessments with every typed answer, verbatim, in the one
it was given in and in no other.
"""

from __future__ import annotations

import aiohttp

from tests.e2e.conftest import Product
from tests.e2e.web_practitioner import WebPractitioner
from tests.web.web_helpers import sign_in


async def test_submit_one_start_another_pause_start_a_third_resume_and_submit(product: Product) -> None:
    username, password, _ = product.new_user("practitioner", "Week team")
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, username, password)).status == 303
        me = WebPractitioner(client)

        first = await me.start_new()
        await me.answer_until_summary(first)
        await me.submit(first)
        assert "Submitted" in await me.get("/chat/" + first)

        second = await me.start_new()
        assert second != first
        for _ in range(9):
            await me.answer(second)
        paused = await me.press(second, "Pause")
        assert paused.status == 303
        assert "Carry on where I left off" in [t for _, t in (await me.page(second)).buttons]

        third = await me.start_new()
        assert third not in {first, second}
        for _ in range(4):
            await me.answer(third)

        home = await me.get("/chat")
        for reference in (first, second, third):
            assert reference in home
        drafts, submitted = home.split('id="submitted"', 1) if 'id="submitted"' in home else (home, "")
        assert second in drafts and third in drafts and first in submitted

        # The second page shows only the second's conversation, and carries on where it was paused.
        second_page = await me.page(second)
        assert not any(f"[{first}]" in text or f"[{third}]" in text for _, text in second_page.turns)
        resumed = await me.press(second, "Carry on where I left off")
        assert resumed.status == 303
        await me.answer_until_summary(second)
        await me.submit(second)

        # A submitted assessment is read-only: nothing typed reaches it.
        refused = await me.type(first, "one more thing")
        assert refused.status in {404, 409}, refused.status

    exports = {ref: product.export_reference(ref) for ref in (first, second, third)}
    assert exports[first]["assessment"]["status"] == "submitted"
    assert exports[second]["assessment"]["status"] == "submitted"
    assert exports[third]["assessment"]["status"] == "in_progress"
    assert len({e["assessment"]["conversation_id"] for e in exports.values()}) == 3
    for reference, export in exports.items():
        stored = [r["text"] for answer in export["answers"] for r in answer["revisions"]]
        typed_here = me.typed.get(reference, [])
        assert typed_here, f"nothing typed in {reference}"
        missing = [t for t in typed_here if t not in stored]
        assert not missing, (reference, missing)
        strays = [t for t in stored if t.startswith("[") and not t.startswith(f"[{reference}]")]
        assert not strays, (reference, strays)
        assert export["assessment"]["practitioner"] == username
