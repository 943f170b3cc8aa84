"""Danger read in typed text is checked with the practitioner (issue #26, item 5), with the real engine,
action server, app and mail server.

A practitioner types an account that reads as danger at a free-text question. The 999 advice comes at once,
then "Is anyone in immediate danger now?". Answered "No", the account is kept as the answer, the case is not
urgent on the lead's list, and no notice ever reaches a lead. Answered "Yes", both leads are told. The check
time is set far beyond these tests (tests/e2e/conftest.py), so a notice that arrives came from the answer,
not from the time running out; the no-answer side is tests/notify/test_typed_danger_check.py, with a clock.
"""

from __future__ import annotations

import aiohttp
from sqlalchemy import select

from bot.dialogue.danger_followups import load_followups
from bot.store.urgent_models import Notification
from tests.e2e.conftest import Product, _service
from tests.e2e.mail_server import MailServer
from tests.e2e.outbox_barrier import not_markers, outbox_went_round
from tests.e2e.test_urgent_reaches_lead import (
    URGENT_LABEL,
    a_team,
    assessment_id_of,
    case_rows,
    lead_list,
    wait_for,
)
from tests.e2e.web_practitioner import CONTROLS, WebPractitioner
from tests.web.web_helpers import sign_in

CHECK = load_followups().check
# Read as danger by the trained model and its cues (the danger story's own words), typed as an answer.
ACCOUNT = "he has a knife in his bag right now and says he will use it at lunch"


async def type_at_the_first_free_text_question(
    me: WebPractitioner, reference: str, text: str = ACCOUNT
) -> None:
    """Answer the screening ("No" to danger) until a question with no answer buttons is open, then type."""
    for _ in range(20):
        chat = await me.page(reference)
        if not [title for _, title in (*chat.ticks, *chat.buttons) if title not in CONTROLS]:
            response = await me.type(reference, text)
            assert response.status == 303, await response.text()
            return
        await me.answer(reference)
    raise AssertionError("no free-text question in the screening")


async def checked(product: Product, username: str, password: str, reply: str) -> tuple[str, str]:
    """Type the account, see the check, press `reply`: (reference, the page's text after)."""
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, username, password)).status == 303
        me = WebPractitioner(client)
        reference = await me.start_new()
        await type_at_the_first_free_text_question(me, reference)
        asked = await me.get(f"/chat/{reference}")
        assert "call 999" in asked and CHECK.text.split(".")[0] in asked
        response = await me.press(reference, reply)
        assert response.status == 303, await response.text()
        return reference, await me.get(f"/chat/{reference}")


async def test_no_keeps_the_account_and_no_lead_is_told(product: Product, mail: MailServer) -> None:
    mail.start()
    (username, password, _), leads = a_team(product, "Check North")

    reference, after = await checked(product, username, password, CHECK.no)

    assert CHECK.stood_down.split(".")[0] in after
    export = product.export_reference(reference)
    assert export["assessment"]["urgent"] is False
    typed = [a["revisions"][-1]["text"] for a in export["answers"] if a["revisions"][-1]["text"] == ACCOUNT]
    assert typed == [ACCOUNT]  # the ordinary account, kept verbatim as the answer
    listing = await lead_list(product, leads[0][0], leads[0][1])
    assert not [row for row in case_rows(listing) if URGENT_LABEL in row and reference in row]
    # A whole outbox pass after the answer: a notice, were one to go, is in by then.
    await outbox_went_round(product, mail, assessment_id_of(product, reference))
    assert not_markers(mail) == []
    # The notices waited the time this run configured, not a default: the app had it (the flake of stop 40).
    assert waits_of(product, reference) == [product.settings.typed_danger_check_seconds] * len(leads)


def waits_of(product: Product, reference: str) -> list[float]:
    """How long each lead notice about the case was set to wait for the practitioner's check (seconds)."""
    with _service(product.settings).session_factory() as session:
        notices = session.scalars(
            select(Notification).where(
                Notification.assessment_id == assessment_id_of(product, reference),
                Notification.purpose == "urgent_flag",
            )
        )
        return [(n.next_attempt_at - n.created_at).total_seconds() for n in notices]


async def test_yes_tells_every_lead_at_once(product: Product, mail: MailServer) -> None:
    mail.start()
    (username, password, _), leads = a_team(product, "Check South")

    reference, after = await checked(product, username, password, CHECK.yes)

    assert CHECK.told.split(":")[0] in after
    assert load_followups().first.text in after  # then what a lead needs to know

    async def delivered() -> bool:
        return all(len(mail.inbox.to(address)) == 1 for *_, address in leads)

    assert await wait_for(delivered, 30)
    listing = await lead_list(product, leads[0][0], leads[0][1])
    assert reference in case_rows(listing)[0] and URGENT_LABEL in case_rows(listing)[0]
