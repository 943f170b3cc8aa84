"""The same path as a practitioner takes it: sign in on the web chat page, start, answer, and read it back.

Real app, real engine, real action server; the page is driven over HTTP with the page's own form fields
(the browser tests in tests/web drive the same page in Chromium).
"""

from __future__ import annotations

import re

import aiohttp

from tests.e2e.conftest import Product
from tests.web.web_helpers import page, post_chat, sign_in, start_screening

TYPED = 'Mum rang at 08:10 🙁\r\nShe said he\'d "gone quiet" since the summer.  '


async def test_a_practitioner_answers_on_the_web_page_and_it_is_stored_verbatim(product: Product) -> None:
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        signed_in = await sign_in(client, product.practitioner, product.password)
        assert signed_in.status == 303
        await start_screening(client)
        body = await page(client, "/chat")
        assert "question 1 of" in body

        empty = await post_chat(client, "/chat/send", text="  \r\n ")
        assert "Type an answer or choose one of the options" in await empty.text()
        oversize = await post_chat(client, "/chat/send", text="y" * 20_000)
        assert "20,000" in await oversize.text()

        # Press choice buttons (never "Yes" to the danger gate) until a question takes typed text.
        for _ in range(15):
            body = await page(client, "/chat")
            choices = re.findall(r'name="button" value="(\d+)"[^>]*>([^<]+)<', body)
            choices = [
                (i, t.strip())
                for i, t in choices
                if t.strip() not in {"Back", "Skip", "Why are you asking?", "Pause", "Keep my answer"}
            ]
            if not choices:
                break
            index = next((i for i, t in choices if t == "No"), choices[0][0])
            response = await post_chat(client, "/chat/send", button=index)
            assert response.status == 303, await response.text()
        sent = await post_chat(client, "/chat/send", text=TYPED)
        assert sent.status == 303, await sent.text()

    conversation = product.latest_conversation()
    assert conversation
    export = product.export(conversation)
    texts = [a["revisions"][-1]["text"] for a in export["answers"]]
    assert TYPED in texts
    assert export["assessment"]["practitioner"] == product.practitioner
