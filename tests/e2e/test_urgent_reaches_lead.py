"""Danger reaches a lead at once, whatever the practitioner does next (real engine, app and mail server).

A practitioner answers four questions, uses "Someone is in danger now" at the fifth and closes the browser
without submitting. Within ten seconds the team's lead list shows the case first, as urgent and not yet
submitted, and a real SMTP server (aiosmtpd, started here on 127.0.0.1) has one message for each lead of the
team, holding no case content. With the mail server down the flag is still visible at once, and the messages
are delivered after the server comes back.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import aiohttp
from sqlalchemy import select

from bot.store.urgent_models import Notification
from tests.e2e.conftest import Product, _service
from tests.e2e.mail_server import MailServer
from tests.e2e.outbox_barrier import not_markers, outbox_went_round
from tests.e2e.web_practitioner import WebPractitioner
from tests.web.web_helpers import sign_in

WITHIN_SECONDS = 10
URGENT_LABEL = "Urgent - not yet submitted"


def a_team(product: Product, name: str) -> tuple[tuple[str, str, int], list[tuple[str, str, int, str]]]:
    """A practitioner and two leads with email in a team of their own, and a lead of another team."""
    slug = name.lower().replace(" ", "-")
    practitioner = product.new_user("practitioner", name)
    leads = []
    for number in (1, 2):
        address = f"lead{number}-{slug}@example.invalid"
        leads.append((*product.new_user("lead", name, email=address), address))
    product.new_user("lead", f"{name} elsewhere", email=f"other-{slug}@example.invalid")
    return practitioner, leads


async def report_danger_at_question_five(product: Product, username: str, password: str) -> tuple[str, float]:
    """Sign in, answer four questions, use the danger control, then close the browser. Returns the reference
    and when the report was made."""
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, username, password)).status == 303
        me = WebPractitioner(client)
        reference = await me.start_new()
        for _ in range(4):
            await me.answer(reference)
        reported = await me.danger(reference)
        assert reported.status == 303, await reported.text()
        at = time.monotonic()
        after = await me.get(f"/chat/{reference}")
        assert "call 999" in after
    return reference, at


async def lead_list(product: Product, username: str, password: str) -> str:
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, username, password)).status == 303
        async with client.get("/cases") as response:
            assert response.status == 200
            return await response.text()


def case_rows(listing: str) -> list[str]:
    """The case list's table rows that name a case, in the order shown."""
    rows = re.findall(r"<tr\b.*?</tr>", listing, flags=re.DOTALL)
    return [row for row in rows if re.search(r"A-[0-9A-Z]{6}", row)]


def assessment_id_of(product: Product, reference: str) -> int:
    record = _service(product.settings).assessments.get_assessment(assessment_id=reference)
    assert record is not None, reference
    return record.id


def attempts_of(product: Product, reference: str) -> list[int]:
    """How many delivery attempts each notice about the case has had so far."""
    with _service(product.settings).session_factory() as session:
        return list(
            session.scalars(
                select(Notification.attempts).where(
                    Notification.assessment_id == assessment_id_of(product, reference)
                )
            )
        )


async def wait_for(predicate: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await predicate():
            return True
        await asyncio.sleep(0.25)
    return bool(await predicate())


async def test_a_danger_report_reaches_every_lead_before_anything_is_submitted(
    product: Product, mail: MailServer
) -> None:
    mail.start()
    (username, password, _), leads = a_team(product, "Urgent North")
    reference, reported_at = await report_danger_at_question_five(product, username, password)

    async def delivered() -> bool:
        return all(len(mail.inbox.to(address)) >= 1 for *_, address in leads)

    assert await wait_for(delivered, WITHIN_SECONDS - (time.monotonic() - reported_at))
    listing = await lead_list(product, leads[0][0], leads[0][1])
    first_row = case_rows(listing)[0]
    assert reference in first_row and URGENT_LABEL in first_row, "first in the list, labelled"

    # A whole outbox pass after every lead's message: a duplicate, were the outbox to send one, is in by then.
    await outbox_went_round(product, mail, assessment_id_of(product, reference))
    for *_, address in leads:
        received = mail.inbox.to(address)
        assert len(received) == 1, (address, len(received))
        body = received[0].get_payload(decode=True).decode()  # type: ignore[union-attr]
        assert reference in body and reference in received[0]["Subject"]
        assert "answer" not in body.lower().replace("answered", "")  # no case content
        assert "not again" not in body
    assert not [m for rcpt, m in not_markers(mail) if any("elsewhere" in r or "other-" in r for r in rcpt)]
    export = product.export_reference(reference)
    assert export["assessment"]["status"] == "in_progress"
    assert export["assessment"]["urgent"] is True


async def test_with_the_mail_server_down_the_flag_still_shows_and_mail_follows(
    product: Product, mail: MailServer
) -> None:
    (username, password, _), leads = a_team(product, "Urgent South")
    reference, _ = await report_danger_at_question_five(product, username, password)

    listing = await lead_list(product, leads[1][0], leads[1][1])
    first_row = case_rows(listing)[0]
    assert reference in first_row and URGENT_LABEL in first_row

    async def tried_a_few_times() -> bool:  # the outbox's own record of failed attempts, for every lead
        return min(attempts_of(product, reference) or [0]) >= 2

    assert await wait_for(tried_a_few_times, 20)
    assert not mail.inbox.messages

    mail.start()

    async def delivered() -> bool:
        return all(len(mail.inbox.to(address)) == 1 for *_, address in leads)

    assert await wait_for(delivered, 20)
