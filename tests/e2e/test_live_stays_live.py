"""Issue #26, item 1, following its steps with the real engine, action server and app: a live danger report
can never be turned into practice. "Yes" to danger (or "Someone is in danger now" from the home page),
"Carry on with the assessment", then `back` twice: the chat offers no "A practice run" (the run's mode was
fixed when it started), the case stays live, urgent and on the leads' list, and the link the leads were
sent opens it."""

from __future__ import annotations

import aiohttp
import pytest

from bot.dialogue.danger_followups import load_followups
from tests.e2e.conftest import Product
from tests.e2e.mail_server import MailServer
from tests.e2e.test_urgent_reaches_lead import URGENT_LABEL, a_team, case_rows, lead_list, wait_for
from tests.e2e.web_practitioner import REFERENCE, WebPractitioner
from tests.web.web_helpers import sign_in

CARRY_ON = load_followups().leave_label


@pytest.mark.parametrize("how", ["answer yes", "home page button"])
async def test_back_twice_after_a_danger_report_never_makes_it_practice(
    product: Product, mail: MailServer, how: str
) -> None:
    mail.start()
    (username, password, _), leads = a_team(product, f"Live {how.split()[0].title()}")
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, username, password)).status == 303
        me = WebPractitioner(client)
        if how == "answer yes":
            reference = await me.start_new()
            assert (await me.press(reference, "Yes")).status == 303
        else:
            reported = await me.post("/chat/danger")
            assert reported.status == 303, await reported.text()
            found = REFERENCE.search(reported.headers["Location"])
            assert found, reported.headers["Location"]
            reference = found.group(1)
        assert (await me.press(reference, CARRY_ON)).status == 303
        for _ in range(2):
            assert (await me.type(reference, "back")).status == 303

        page = await me.get(f"/chat/{reference}")
        assert "practice run" not in page.lower()  # no "real or practice?" question to answer
        chat = await me.page(reference)
        assert not [title for _, title in chat.buttons if "practice" in title.lower()]

    export = product.export_reference(reference)
    assert (export["assessment"]["mode"], export["assessment"]["urgent"]) == ("live", True)
    listing = await lead_list(product, leads[0][0], leads[0][1])
    assert [row for row in case_rows(listing) if reference in row and URGENT_LABEL in row]

    async def told() -> bool:
        return all(mail.inbox.to(address) for *_, address in leads)

    assert await wait_for(told, 30)
    link = next(
        line.strip()
        for line in mail.inbox.to(leads[0][3])[-1].get_payload(decode=True).decode().splitlines()  # type: ignore[union-attr]
        if "/cases/" in line
    )
    path = link[link.index("/cases/") :]
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, leads[0][0], leads[0][1])).status == 303
        async with client.get(path) as response:
            assert response.status == 200 and reference in await response.text()
