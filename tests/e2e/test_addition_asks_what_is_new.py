"""Follow-ups and transcript links (issue #26 item 9), through the real engine, action server and app.

A practitioner walks a whole assessment on the web chat, answering "Not sure", "Not sure" at two questions
in a row and "Yes" where a follow-up opens, going back once to a section's first question, and submits.
Every section introduction was shown once; each section's counter ("question N of M") kept its M and never
went backwards. "Add to this assessment" then starts a linked addition that asks the danger question, then
what is new, then whether to send it now (not the whole bank again), and it is submitted. In Chromium, the
lead's case list and case pages link the two assessments both ways, and the "See in transcript" links of
the two "Not sure" answers lead to two different turns, each holding its own answer.

The introduction belongs to reaching a section, so a question asked again because its answer could not be
read (an age typed as "he's in year 9, I think") does not show it a second time either.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator

import aiohttp
import pytest
from playwright.async_api import Browser, Page, expect

from bot.questions import Question
from tests.e2e.browser import Shots, new_context
from tests.e2e.chat_page import ChatPage
from tests.e2e.conftest import Product, failed
from tests.e2e.screening import CARRY_ON, bank, is_route_choice
from tests.e2e.web_practitioner import REFERENCE, WebPractitioner
from tests.web.web_helpers import field_value, sign_in

# Consecutive, and "Not sure" to the first opens nothing (issue #18: a concern question's "Not sure" now opens
# what, when and how known, so these are two questions that raise no concern).
UNSURE_IN_A_ROW = ("aware_of_sharing", "consent")
OPENS_A_FOLLOW_UP = "is_a_change"  # "Yes" opens change_from_what
GO_BACK_TO = "concern_summary"  # the first question of the screening section
AGE = "young_person_age"  # the first question of its section, and one a marked text can't answer
WHAT_IS_NEW = '  His sister rang: he has been "skipping" school since Monday 😟\r\nand sleeps at Jo\'s.  '
COUNTER = re.compile(r"^(?P<section>.+), question (?P<n>\d+) of (?P<m>\d+)(?P<follow>, follow-up)?;", re.M)
MAX_TURNS = 400  # a loop guard well above the whole bank, not a target


def asked(chat: ChatPage) -> Question | None:
    """The bank question the page asks now, by its wording (the longest match: "How do you know this?" is
    also part of longer wordings)."""
    text = chat.latest_bot_text
    found = [q for q in bank().questions if q.text in text]
    return max(found, key=lambda q: len(q.text)) if found else None


def counter(chat: ChatPage) -> tuple[str, int, int, bool] | None:
    found = COUNTER.search(chat.latest_bot_text)
    if not found:
        return None
    return found["section"].strip(), int(found["n"]), int(found["m"]), bool(found["follow"])


async def walk_with_unsure_twice_and_a_follow_up(me: WebPractitioner, reference: str) -> list[tuple]:
    """Answer everything up to "Check your answers"; returns each question's counter as it was asked."""
    counters: list[tuple] = []
    went_back = False
    for _ in range(MAX_TURNS):
        chat = await me.page(reference)
        if any(title == "Submit to my lead" for _, title in chat.buttons):
            return counters
        if is_route_choice(chat.latest_bot_text):  # the end of the screening: this walk goes on (issue #12)
            response = await me.press(reference, CARRY_ON)
            assert response.status == 303, await response.text()
            continue
        question = asked(chat)
        assert question is not None, chat.latest_bot_text
        shown = counter(chat)
        assert shown is not None, f"no counter with {question.id}: {chat.latest_bot_text}"
        counters.append((question.id, *shown))
        if question.id in UNSURE_IN_A_ROW:
            response = await me.press(reference, "Not sure")
        elif question.id == OPENS_A_FOLLOW_UP:
            response = await me.press(reference, "Yes")
        elif question.id == AGE:
            response = await me.type(reference, "14")  # read at once: see the test of a question asked again
        elif question.id == bank().sections[1].question_ids[1] and not went_back:
            went_back = True  # back to the section's first question, answered by then
            response = await me.press(reference, "Back")
        else:
            await me.answer(reference)
            continue
        assert response.status == 303, await response.text()
    raise AssertionError("the assessment should reach its summary")


@pytest.fixture
async def lead_page(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[tuple[Page, Shots]]:
    context = await new_context(browser)
    page, shots = await context.new_page(), Shots(request)
    yield page, shots
    if failed(request):
        await shots.take(page, "failed-here")
    await context.close()


async def test_an_addition_asks_what_is_new_and_the_lead_sees_both_linked_with_their_own_turns(
    product: Product, lead_page: tuple[Page, Shots]
) -> None:
    page, shots = lead_page
    team = f"Additions team {secrets.token_hex(3)}"
    username, password, _ = product.new_user("practitioner", team)
    lead, lead_password, _ = product.new_user("lead", team)

    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, username, password)).status == 303
        me = WebPractitioner(client)
        first = await me.start_new()
        counters = await walk_with_unsure_twice_and_a_follow_up(me, first)
        conversation = await me.page(first)
        await me.submit(first)

        # "Add to this assessment", from the submitted assessment's page, with the page's own form.
        submitted = await me.get(f"/chat/{first}")
        assert "Add to this assessment" in submitted
        added = await me.post(f"/chat/{first}/add", known=field_value(submitted, "known"))
        assert added.status == 303, await added.text()
        found = REFERENCE.search(added.headers["Location"])
        assert found and found.group(1) != first, added.headers["Location"]
        later = found.group(1)
        addition: list[str] = []
        chat = await me.page(later)
        addition.append(getattr(asked(chat), "id", chat.latest_bot_text))
        assert (await me.press(later, "No")).status == 303
        chat = await me.page(later)
        addition.append(getattr(asked(chat), "id", chat.latest_bot_text))
        assert "Skip" not in [title for _, title in chat.buttons], "what is new can't be skipped"
        assert (await me.type(later, WHAT_IS_NEW)).status == 303
        chat = await me.page(later)
        addition.append(getattr(asked(chat), "id", chat.latest_bot_text))
        assert (await me.press(later, "Yes")).status == 303
        chat = await me.page(later)
        assert any(title == "Submit to my lead" for _, title in chat.buttons), chat.latest_bot_text
        await me.submit(later)

    # The addition asked about danger first, then what is new, then whether to send it: nothing else.
    assert addition == ["immediate_danger", "what_is_new", "send_addition_now"]
    earlier_export, later_export = product.export_reference(first), product.export_reference(later)
    assert later_export["assessment"]["linked_from"] == first
    assert later_export["assessment"]["status"] == "submitted"
    assert [a["question_id"] for a in later_export["answers"]] == addition
    what_is_new = next(a for a in later_export["answers"] if a["question_id"] == "what_is_new")
    assert what_is_new["revisions"][-1]["text"] == WHAT_IS_NEW

    # "Not sure", "Not sure": two questions in a row, both stored as such.
    answers = {a["question_id"]: a["revisions"][-1] for a in earlier_export["answers"]}
    assert [answers[q]["text"] for q in UNSURE_IN_A_ROW] == ["Not sure", "Not sure"]
    asked_ids = [c[0] for c in counters]
    at = asked_ids.index(UNSURE_IN_A_ROW[0])
    assert asked_ids[at : at + 2] == list(UNSURE_IN_A_ROW), asked_ids

    # The counter: within a section "of M" never changes and N never goes down (going back aside), and a
    # follow-up takes the number of the question before it.
    assert any(follow for *_, follow in counters), "a follow-up was asked"
    back_at = asked_ids.index(GO_BACK_TO, asked_ids.index(GO_BACK_TO) + 1)
    for section in {c[1] for c in counters}:
        walk = [c for i, c in enumerate(counters) if c[1] == section and i != back_at]
        assert len({m for _, _, _, m, _ in walk}) == 1, walk
        numbers = [n for _, _, n, _, _ in walk]
        assert numbers == sorted(numbers), walk
    follow_ups = [i for i, c in enumerate(counters) if c[4]]
    for i in follow_ups:
        assert counters[i][1:4] == counters[i - 1][1:4] or counters[i - 1][4], (counters[i - 1], counters[i])

    # Each section's introduction shown once: on reaching it, not again on going back to its first question.
    bot_said = "\n".join(text for speaker, text in conversation.turns if speaker == "bot")
    for section in bank().sections:
        if section.intro and any(q in asked_ids for q in section.question_ids):
            assert bot_said.count(section.intro) == 1, (section.id, bot_said.count(section.intro))

    # The lead, in Chromium: the list and both case pages link the two assessments both ways.
    base = product.settings.app_url
    await page.goto(f"{base}/sign-in")
    await page.get_by_label("Username").fill(lead)
    await page.get_by_label("Password").fill(lead_password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    await page.goto(f"{base}/cases")
    # This team's list holds just the two: the later row says what it adds to, the earlier what added to it.
    later_row = page.get_by_role("row").filter(has_text=f"Adds to {first}")
    earlier_row = page.get_by_role("row").filter(has_text=f"Added to by {later}")
    await expect(later_row).to_have_count(1)
    await expect(earlier_row).to_have_count(1)
    await expect(later_row.get_by_role("link", name=later, exact=True)).to_be_visible()
    await expect(later_row.get_by_role("link", name=first, exact=True)).to_have_attribute(
        "href", f"/cases/{earlier_export['assessment']['id']}"
    )
    await expect(earlier_row.get_by_role("link", name=first, exact=True)).to_be_visible()
    await expect(earlier_row.get_by_role("link", name=later, exact=True)).to_have_attribute(
        "href", f"/cases/{later_export['assessment']['id']}"
    )
    await shots.take(page, "case-list")

    await page.get_by_role("link", name=later, exact=True).first.click()
    await expect(page.get_by_role("heading", name=f"Case {later}")).to_be_visible()
    await expect(page.get_by_text(WHAT_IS_NEW.strip().split("\r\n")[0], exact=False)).to_be_visible()
    await shots.take(page, "the-addition")
    await page.locator("#case-adds-to").get_by_role("link", name=first, exact=True).click()
    await expect(page.get_by_role("heading", name=f"Case {first}")).to_be_visible()
    await shots.take(page, "the-earlier-case")
    await page.locator("#case-added-to-by").get_by_role("link", name=later, exact=True).click()
    await expect(page.get_by_role("heading", name=f"Case {later}")).to_be_visible()

    # "See in transcript" of the two "Not sure" answers: two turns, each holding its own answer.
    await page.goto(f"{base}/cases/{earlier_export['assessment']['id']}")
    turns = []
    for question_id in UNSURE_IN_A_ROW:
        wording = answers[question_id]["wording"]
        link = page.get_by_role("link", name=f"See in transcript (the answer to: {wording})")
        turns.append(await link.get_attribute("href"))
    assert len(set(turns)) == 2, f"each answer links to its own turn: {turns}"
    for href, question_id in zip(turns, UNSURE_IN_A_ROW, strict=True):
        await page.goto(f"{base}{href}")
        targeted = page.locator(":target")
        await expect(targeted).to_contain_text("Practitioner")
        await expect(targeted).to_contain_text("Not sure")
        before = targeted.locator("xpath=preceding-sibling::li[1]")
        await expect(before).to_contain_text(bank().question(question_id).text)
        await shots.take(page, f"transcript-{question_id}", full_page=False)


async def test_a_question_asked_again_does_not_show_its_section_introduction_again(product: Product) -> None:
    """The introduction belongs to reaching the section: an answer the question cannot read is asked about
    again, without the introduction a second time."""
    username, password, _ = product.new_user("practitioner", f"Intro team {secrets.token_hex(3)}")
    section = next(s for s in bank().sections if AGE in s.question_ids)
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, username, password)).status == 303
        me = WebPractitioner(client)
        reference = await me.start_new()
        for _ in range(MAX_TURNS):
            chat = await me.page(reference)
            if getattr(asked(chat), "id", None) == AGE:
                break
            await me.answer(reference)
        assert section.intro in chat.latest_bot_text, "shown on reaching the section"
        assert (await me.type(reference, "he's in year 9, I think")).status == 303
        again = await me.page(reference)
        assert getattr(asked(again), "id", None) == AGE, again.latest_bot_text
        assert (await me.type(reference, "14")).status == 303
        after = await me.page(reference)
    assert getattr(asked(after), "id", None) != AGE, after.latest_bot_text
    bot_said = "\n".join(text for speaker, text in after.turns if speaker == "bot")
    assert bot_said.count(section.intro) == 1, after.turns[-6:]
