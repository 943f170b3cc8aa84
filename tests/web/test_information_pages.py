"""Issue #33: /privacy, /terms and /accessibility answer anyone, signed in or not, name the council from its
settings (bracketed placeholders in development), are linked from the footer of the sign-in, chat and case
pages and from the Teams manifest, and pass axe in Chromium. The real app over a real store."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from axe import REPO, assert_accessible
from playwright.async_api import Browser, expect
from web_helpers import PASSWORD, make_settings, sign_in, start_screening

from bot.domain.records import AnswerIn, UserInfo
from bot.questions import load_bank
from bot.store.db import make_session_factory
from bot.store.services import Store
from bot.web.app import create_app
from tests.builders import give_answer

PAGES = {"/privacy": "Privacy notice", "/terms": "Terms of use", "/accessibility": "Accessibility statement"}
COUNCIL = {
    "BOT_CONTROLLER_NAME": "Example Borough Council",
    "BOT_DPO_CONTACT": "dpo@council.example",
    "BOT_ICO_REGISTRATION": "Z1234567",
    "BOT_ACCESSIBILITY_CONTACT": "access@council.example",
}


def footer_links(body: str) -> set[str]:
    footer = body.split('<footer class="govuk-footer">', 1)[1]
    return set(re.findall(r'class="govuk-footer__link" href="([^"]+)"', footer))


def submitted_case(store: Store, practitioner: UserInfo) -> int:
    """A real submitted live assessment with one typed answer."""
    bank = load_bank()
    conversation = store.conversations.open_conversation(practitioner.id, "web")
    store.assessments.start_or_resume(conversation, bank.version, "live")
    question = next(q for q in bank.authored_questions if q.answer_type == "free_text")
    answer = AnswerIn(
        question_id=question.id,
        revision=1,
        wording=question.text,
        text="Seen",
        value="Seen",
        status="answered",
    )
    give_answer(store, conversation, answer)
    return store.assessments.submit(conversation).id


@pytest.mark.parametrize(("path", "heading"), sorted(PAGES.items()))
async def test_each_page_answers_without_a_sign_in_with_the_placeholders_of_development(
    client: TestClient, path: str, heading: str
) -> None:
    response = await client.get(path, allow_redirects=False)
    body = await response.text()
    assert response.status == 200, body
    assert heading in body and "[Council name]" in body
    assert footer_links(body) == set(PAGES)


async def test_the_councils_own_details_come_from_its_settings(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url, 9, **COUNCIL)
    app = create_app(settings, Store(make_session_factory(database_url)))
    async with TestClient(TestServer(app)) as client:
        privacy = await (await client.get("/privacy")).text()
        statement = await (await client.get("/accessibility")).text()
        terms = await (await client.get("/terms")).text()
    for value in ("Example Borough Council", "dpo@council.example", "Z1234567"):
        assert value in privacy
    assert "access@council.example" in statement and "Example Borough Council" in terms
    assert "[" not in privacy.split("<main", 1)[1].split("</main>", 1)[0]  # no placeholder left


async def test_the_privacy_notice_states_the_retention_schedule_in_force(client: TestClient) -> None:
    body = await (await client.get("/privacy")).text()
    # bot/domain/retention.yaml: 2,192 days for a closed case, 365 for a draft; practice runs 30 days.
    assert "2,192 days (about 6 years)" in body and "365 days (about 1 year)" in body and "30 days" in body


async def test_the_footer_links_them_on_the_sign_in_chat_and_case_pages(
    client: TestClient, store: Store, user: UserInfo
) -> None:
    assert footer_links(await (await client.get("/sign-in")).text()) == set(PAGES)
    await sign_in(client, "alice", PASSWORD)
    chat_path = await start_screening(client)  # /chat/<reference>
    assert footer_links(await (await client.get(chat_path)).text()) == set(PAGES)
    assert footer_links(await (await client.get("/chat")).text()) == set(PAGES)

    case_id = submitted_case(store, user)
    store.users.create_user("lena", PASSWORD, "lead", "North team")
    client.session.cookie_jar.clear()  # the practitioner's browser closed; the lead signs in
    await sign_in(client, "lena", PASSWORD)
    case_page = await client.get(f"/cases/{case_id}")
    assert case_page.status == 200
    assert footer_links(await case_page.text()) == set(PAGES)
    assert footer_links(await (await client.get("/cases")).text()) == set(PAGES)


def test_the_teams_manifest_links_the_privacy_notice_and_the_terms() -> None:
    manifest = json.loads((REPO / "teams" / "manifest.template.json").read_text(encoding="utf-8"))
    assert manifest["developer"]["privacyUrl"] == "https://{{HOST}}/privacy"
    assert manifest["developer"]["termsOfUseUrl"] == "https://{{HOST}}/terms"


def test_every_test_the_accessibility_statement_cites_exists() -> None:
    template = (REPO / "bot" / "web" / "templates" / "accessibility.html").read_text(encoding="utf-8")
    cited = set(re.findall(r"tests/[\w/]+\.py", template))
    assert len(cited) > 10
    assert [path for path in sorted(cited) if not (REPO / path).is_file()] == []


async def test_the_three_pages_pass_axe_in_chromium(browser: Browser, base_url: str) -> None:
    context = await browser.new_context(bypass_csp=True)  # lets axe's script in (see test_web_accessibility)
    page = await context.new_page()
    for path, heading in sorted(PAGES.items()):
        await page.goto(f"{base_url}{path}")
        await expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        await assert_accessible(page, f"the page {path}")
    await page.goto(f"{base_url}/sign-in")
    await page.get_by_role("link", name="Accessibility statement").click()
    await expect(page).to_have_url(f"{base_url}/accessibility")
