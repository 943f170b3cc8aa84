"""The same path as a practitioner takes it: sign in on the web chat page, start, answer, and read it back.

Real app, real engine, real action server; the page is driven over HTTP with the page's own form fields
(the browser tests in tests/web drive the same page in Chromium).
"""

from __future__ import annotations

import aiohttp

from tests.e2e.conftest import Product
from tests.e2e.web_practitioner import CONTROLS, WebPractitioner
from tests.web.web_helpers import sign_in

TYPED = 'Mum rang at 08:10 🙁\r\nShe said he\'d "gone quiet" since the summer.  '


async def test_a_practitioner_answers_on_the_web_page_and_it_is_stored_verbatim(product: Product) -> None:
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        signed_in = await sign_in(client, product.practitioner, product.password)
        assert signed_in.status == 303
        me = WebPractitioner(client)
        reference = await me.start_new()
        body = await me.get(f"/chat/{reference}")
        assert "question 1 of" in body

        empty = await me.type(reference, "  \r\n ")
        assert "Type an answer or choose one of the options" in await empty.text()
        oversize = await me.type(reference, "y" * 20_000)
        assert "20,000" in await oversize.text()

        # Press choice buttons (never "Yes" to the danger gate) until a question takes typed text.
        for _ in range(15):
            chat = await me.page(reference)
            if not [title for _, title in chat.buttons if title not in CONTROLS]:
                break
            await me.answer(reference)
        sent = await me.type(reference, TYPED)
        assert sent.status == 303, await sent.text()

    export = product.export_reference(reference)
    texts = [a["revisions"][-1]["text"] for a in export["answers"]]
    assert TYPED in texts
    assert export["assessment"]["practitioner"] == product.practitioner
