"""Free text stays sacred (issue #11), with the real engine, action server and app: "I'll come back to this
tomorrow" typed at a free-text question is neither taken as a pause nor stored without asking; the bot asks
which was meant, and "Save it as my answer" stores it exactly as typed. A reply the question cannot read
is answered with the question again, without its section's introduction a second time (issue #26 item 9)."""

from __future__ import annotations

import aiohttp

from bot.dialogue.clarify import ASKED, KEEP_LABEL
from tests.e2e.conftest import Product
from tests.e2e.test_typed_danger_check import type_at_the_first_free_text_question
from tests.e2e.test_urgent_reaches_lead import a_team
from tests.e2e.web_practitioner import WebPractitioner
from tests.web.web_helpers import sign_in

TYPED = "I'll come back to this tomorrow"


async def test_asked_which_then_saved_verbatim(product: Product) -> None:
    (username, password, _), _leads = a_team(product, "Clarify North")
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, username, password)).status == 303
        me = WebPractitioner(client)
        reference = await me.start_new()
        await type_at_the_first_free_text_question(me, reference, TYPED)

        asked = await me.page(reference)
        assert asked.latest_bot_text.startswith(ASKED), asked.latest_bot_text
        assert [title for _, title in asked.buttons][:2] == [KEEP_LABEL, "Pause"]
        export = product.export_reference(reference)
        assert TYPED not in [a["revisions"][-1]["text"] for a in export["answers"]]  # nothing stored yet

        response = await me.press(reference, KEEP_LABEL)
        assert response.status == 303, await response.text()

    export = product.export_reference(reference)
    assert TYPED in [a["revisions"][-1]["text"] for a in export["answers"]]
    assert export["assessment"]["status"] == "in_progress"
