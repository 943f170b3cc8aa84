"""Issue #18 with the real engine: two of the family's other needs ticked ("3, 6" typed at `other_needs`)
are each followed by who in the family, what (verbatim, with how it is known), since when and which
service, answered through the engine's channel as the web chat sends them. The store holds each need as its
own answers; once submitted, the lead's case page shows each need with its own member and service, and the
chronology lists the dated need as its range and the other under "Not dated".

The walk starts at the young person's age (a school year in a rough date needs it) and then moves to
`other_needs` and to the first need's follow-ups by setting the position in the store, as the other
real-engine walks do, so that the screening between them is not walked again here."""

from __future__ import annotations

import html
import secrets
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp

from bot.questions import load_bank
from bot.questions.rough_dates import read_rough_date
from bot.review.formats import day, day_range
from bot.store.db import make_session_factory
from bot.store.services import Store
from tests.builders import move
from tests.e2e.conftest import Product, _service
from tests.e2e.test_thin_path import choice_buttons, current, last_text, start
from tests.web.web_helpers import page, sign_in

AGE = "15"
# Distinctive words, with the spaces, line break and quotes a practitioner may type: kept exactly.
MUM = (
    "  Mum drinks wine most evenings and has missed three school meetings.\n"
    "Her sister said «it began after the move».  "
)
BROTHER = "His older brother has an EHCP for autism; his reviews are kept in the SEN file."
SINCE = "since Year 9"
DONT_KNOW = "don't know"
MUM_SERVICE = "Adult drug and alcohol service"
BROTHER_SERVICE = "SEND team at the council"
SUBSTANCE, SEND = "need__substance_misuse", "need__send"


def _press(product: Product, sender: str, replies: list[dict[str, Any]], title: str) -> list[dict[str, Any]]:
    button = next((b for b in choice_buttons(replies) if b["title"] == title), None)
    assert button is not None, replies
    return product.press(sender, button["payload"])


def _go_to(product: Product, sender: str, question_id: str) -> list[dict[str, Any]]:
    move(_service(product.settings), sender, question_id)  # through the turn, as production moves
    return product.press(sender, "/resume")


async def test_two_family_needs_ticked_are_each_recorded_and_shown_with_their_own_member_and_service(
    product: Product,
) -> None:
    bank = load_bank()
    store = Store(make_session_factory(product.settings.database_url))
    sender, _ = start(product)

    replies = _go_to(product, sender, "young_person_age")
    assert bank.question("young_person_age").text in last_text(replies), replies
    product.say(sender, AGE)

    replies = _go_to(product, sender, "other_needs")
    assert "Choose all that apply" in last_text(replies), replies
    # Ticked by number, as the chat's numbered options invite: 3 and 6 are drug or alcohol misuse and SEND.
    product.say(sender, "3, 6")
    assert current(product.export(sender))["other_needs"]["value"] == ["substance_misuse", "send"]

    replies = _go_to(product, sender, SUBSTANCE)
    # The first need: its member typed as a word the choice knows, its words, who told, since when, service.
    assert bank.question(SUBSTANCE).text in last_text(replies), replies
    replies = product.say(sender, "mum")
    assert bank.question(f"{SUBSTANCE}__what").text in last_text(replies), replies
    replies = product.say(sender, MUM)
    assert "How do you know this?" in last_text(replies), replies
    replies = _press(product, sender, replies, "Someone else told me")
    assert "role or relationship" in last_text(replies), replies
    replies = product.say(sender, "aunt")
    assert bank.question(f"{SUBSTANCE}__when").text in last_text(replies), replies
    replies = product.say(sender, SINCE)
    assert bank.question(f"{SUBSTANCE}__service").text in last_text(replies), replies
    replies = product.say(sender, MUM_SERVICE)

    # The second need: its member typed as the label, records as the source, "don't know" since when.
    assert bank.question(SEND).text in last_text(replies), replies
    replies = product.say(sender, "A brother or sister")
    assert bank.question(f"{SEND}__what").text in last_text(replies), replies
    replies = product.say(sender, BROTHER)
    assert "How do you know this?" in last_text(replies), replies
    replies = _press(product, sender, replies, "From records or case notes")
    assert bank.question(f"{SEND}__when").text in last_text(replies), replies
    replies = product.say(sender, DONT_KNOW)
    assert bank.question(f"{SEND}__service").text in last_text(replies), replies
    replies = product.say(sender, BROTHER_SERVICE)
    # Both needs done, the family section goes on.
    assert bank.question("carers_aware").text in last_text(replies), replies

    today = datetime.now(ZoneInfo("Europe/London")).date()
    since = read_rough_date(SINCE, today=today, age=int(AGE))
    assert since is not None and since.has_range and since.earliest and since.latest
    stored = current(product.export(sender))
    assert stored[SUBSTANCE]["value"] == ["parent_or_carer"]
    assert stored[f"{SUBSTANCE}__what"]["text"] == MUM and stored[f"{SUBSTANCE}__what"]["value"] == MUM
    assert stored[f"{SUBSTANCE}__what__source"]["value"] == "someone_else_told_me"
    assert stored[f"{SUBSTANCE}__what__source_role"]["value"] == "aunt"
    assert stored[f"{SUBSTANCE}__when"]["value"] == since.to_value()
    assert stored[f"{SUBSTANCE}__when"]["value"]["as_typed"] == SINCE
    assert stored[f"{SUBSTANCE}__service"]["value"] == MUM_SERVICE
    assert stored[SEND]["value"] == ["sibling"]
    assert stored[f"{SEND}__what"]["text"] == BROTHER and stored[f"{SEND}__what"]["value"] == BROTHER
    assert stored[f"{SEND}__what__source"]["value"] == "records"
    assert stored[f"{SEND}__when"]["status"] == "unsure" and stored[f"{SEND}__when"]["text"] == DONT_KNOW
    assert stored[f"{SEND}__service"]["value"] == BROTHER_SERVICE

    record = store.assessments.submit(sender)
    password = secrets.token_urlsafe(16)
    lead = store.users.create_user(f"e2e-lead-{secrets.token_hex(3)}", password, "lead", "E2E team")
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, lead.username, password)).status == 303
        body = html.unescape(await page(client, f"/cases/{record.id}"))

    # Each need its own record, in the order ticked, each with its own member, words, date and service.
    block = body[body.index('id="family-needs"') : body.index('id="chronology"')]
    first, second = block.index('id="need-substance_misuse"'), block.index('id="need-send"')
    assert first < second
    mum, brother = block[first:second], block[second:]
    for words in (
        "A parent or carer",
        MUM,
        "Someone else told me",
        "aunt",
        SINCE,
        f"Between {day(since.earliest)} and {day(since.latest)}",
        MUM_SERVICE,
    ):
        assert words in mum, words
    for words in ("A brother or sister", BROTHER, "From records or case notes", DONT_KNOW, BROTHER_SERVICE):
        assert words in brother, words
    for other in ("A brother or sister", BROTHER, BROTHER_SERVICE):
        assert other not in mum, other
    for other in ("A parent or carer", MUM, MUM_SERVICE, "Between "):
        assert other not in brother, other

    # The chronology: the dated need as the range its rough date means, the other under "Not dated".
    chronology = body[body.index('id="chronology"') : body.index('id="chronology-undated"')]
    row = next(r for r in chronology.split("<tr") if f'href="#answer-{SUBSTANCE}__when"' in r)
    assert day_range(since.earliest, since.latest) in row and SINCE in row, row
    assert f'href="#answer-{SEND}__when"' not in chronology
    undated = body[body.index('id="chronology-undated"') : body.index('id="answers"')]
    item = next(i for i in undated.split("<li") if f'href="#answer-{SEND}__when"' in i)
    assert DONT_KNOW in item, item
    assert f'href="#answer-{SUBSTANCE}__when"' not in undated
