"""Issue #18 with the real engine: "Not sure" to the weapons question still asks what was seen, when and how
it is known; "last March" is kept as typed with the month it means; once submitted, the lead's case page
shows the concern with its words, its date as typed and its range, and its source, together.

A knife named in the words is plain danger (bot.dialogue.danger_cues), so the typed-danger check (issue #26)
always comes between the "what" and the "when": answered "No", the words stay the answer, stored once, and the
evidence pattern carries on where it was."""

from __future__ import annotations

import html
import secrets
from datetime import date, datetime
from zoneinfo import ZoneInfo

import aiohttp

from bot.dialogue.danger_followups import load_followups
from bot.questions import load_bank
from bot.questions.rough_dates import read_rough_date
from bot.store.db import make_session_factory
from bot.store.services import Store
from tests.builders import move
from tests.e2e.conftest import Product, _service
from tests.e2e.test_thin_path import choice_buttons, current, last_text, start
from tests.web.web_helpers import page, sign_in

WHAT = "  A kitchen knife in his bag, wrapped in a T-shirt.\nHe said «it's for protection».  "
SEEN = "I saw or heard it myself"
CHECK = load_followups().check


def _press(product: Product, sender: str, replies: list[dict], title: str) -> list[dict]:
    button = next((b for b in choice_buttons(replies) if b["title"] == title), None)
    assert button is not None, replies
    return product.press(sender, button["payload"])


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


async def test_not_sure_to_weapons_then_what_when_and_how_reach_the_lead_together(product: Product) -> None:
    bank = load_bank()
    store = Store(make_session_factory(product.settings.database_url))
    sender, _ = start(product)
    move(_service(product.settings), sender, "weapons_or_materials")
    replies = product.press(sender, "/resume")
    assert "weapons or materials" in last_text(replies), replies

    replies = _press(product, sender, replies, "Not sure")
    assert bank.question("weapons_or_materials_detail").text in last_text(replies), replies
    replies = product.say(sender, WHAT)
    # A knife in the words brings the typed-danger check first (issue #26); no one is in danger now.
    assert CHECK.text in last_text(replies), replies
    replies = _press(product, sender, replies, CHECK.no)
    assert CHECK.stood_down in last_text(replies), replies
    assert bank.question("weapons_or_materials__when").text in last_text(replies), replies
    replies = product.say(sender, "last March")
    assert "How do you know this?" in last_text(replies), replies
    _press(product, sender, replies, SEEN)

    today = datetime.now(ZoneInfo("Europe/London")).date()
    expected = read_rough_date("last March", today=today)
    assert expected is not None and expected.has_range
    export = product.export(sender)
    stored = current(export)
    assert stored["weapons_or_materials"]["status"] == "unsure"
    [what] = [a for a in export["answers"] if a["question_id"] == "weapons_or_materials_detail"]
    assert [r["text"] for r in what["revisions"]] == [WHAT]  # verbatim, and once: "No" stored nothing more
    assert export["assessment"]["urgent"] is False  # stood down by the practitioner's "No"
    assert stored["weapons_or_materials__when"]["value"] == expected.to_value()

    record = store.assessments.submit(sender)
    password = secrets.token_urlsafe(16)
    lead = store.users.create_user(f"e2e-lead-{secrets.token_hex(3)}", password, "lead", "E2E team")
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, lead.username, password)).status == 303
        body = html.unescape(await page(client, f"/cases/{record.id}"))
    block = body[body.index('id="concern-weapons_or_materials"') : body.index('id="chronology"')]
    assert expected.earliest is not None and expected.latest is not None
    for words in (WHAT, "last March", f"Between {_day(expected.earliest)} and {_day(expected.latest)}", SEEN):
        assert words in block, words
    # The same answer is a row of the chronology ("Must show" of #18): its date as typed, linked to the answer
    # and to the transcript turn that gave it.
    chronology = body[body.index('id="chronology"') : body.index('id="answers"')]
    row = next(r for r in chronology.split("<tr") if 'href="#answer-weapons_or_materials__when"' in r)
    assert "last March" in row and f'href="/cases/{record.id}/transcript#turn-' in row, row
