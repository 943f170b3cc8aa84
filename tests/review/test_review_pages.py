"""The review pages end to end: who sees which cases, what a case page shows, and that views are audited."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from aiohttp.test_utils import TestClient
from markupsafe import escape
from review_helpers import URGENT_MESSAGE, VERBATIM, Case, page
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.store.models import AuditEvent

AsUser = Callable[[str | None], Awaitable[TestClient]]


def audit(sessions: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with sessions() as session:
        return list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        )


def listed(body: str, cases: dict[str, Case]) -> set[str]:
    return {name for name, case in cases.items() if f">{case.reference}</a>" in body}


async def test_a_lead_sees_their_teams_submitted_live_cases_only(
    as_user: AsUser, cases: dict[str, Case]
) -> None:
    client = await as_user("north-lead")
    body = await page(client, "/cases")
    assert listed(body, cases) == {"north-live", "north-colleague-live"}


async def test_a_trainer_sees_their_teams_rehearsal_cases_only(
    as_user: AsUser, cases: dict[str, Case]
) -> None:
    client = await as_user("north-trainer")
    assert listed(await page(client, "/cases"), cases) == {"north-rehearsal"}
    await page(client, f"/cases/{cases['north-rehearsal'].id}")
    await page(client, f"/cases/{cases['north-live'].id}", status=404)


async def test_a_practitioner_sees_only_their_own_cases_read_only(
    as_user: AsUser, cases: dict[str, Case]
) -> None:
    client = await as_user("north-practitioner")
    assert listed(await page(client, "/cases"), cases) == {"north-live", "north-rehearsal"}
    body = await page(client, f"/cases/{cases['north-live'].id}")
    assert escape(VERBATIM) in body
    assert 'id="decision-form"' not in body and 'id="access-history"' not in body
    await page(client, f"/cases/{cases['north-colleague-live'].id}", status=404)


async def test_another_teams_case_is_refused_by_id_and_the_attempt_audited(
    as_user: AsUser, cases: dict[str, Case], people: dict[str, UserInfo], sessions: sessionmaker[Session]
) -> None:
    client = await as_user("north-lead")
    south = cases["south-live"]
    body = await page(client, f"/cases/{south.id}", status=404)
    assert south.reference not in body and escape(VERBATIM) not in body
    refused = audit(sessions, "case.view_refused")
    assert [(e.assessment_id, e.actor_id, e.detail["address"]) for e in refused] == [
        (south.id, str(people["north-lead"].id), "127.0.0.1")
    ]
    assert audit(sessions, "case.viewed") == []
    # The same refusal for a rehearsal case in the lead's own team, and for an id that does not exist.
    await page(client, f"/cases/{cases['north-rehearsal'].id}", status=404)
    await page(client, "/cases/999999", status=404)


async def test_an_admin_reads_no_case_content(as_user: AsUser, cases: dict[str, Case]) -> None:
    client = await as_user("north-admin")
    for path in ("/cases", f"/cases/{cases['north-live'].id}"):
        response = await client.get(path, allow_redirects=False)
        body = await response.text()
        assert response.status == 403, path
        assert cases["north-live"].reference not in body and "said" not in body


async def test_every_case_view_writes_an_audit_event(
    as_user: AsUser, cases: dict[str, Case], people: dict[str, UserInfo], sessions: sessionmaker[Session]
) -> None:
    case = cases["north-live"]
    lead = await as_user("north-lead")
    await page(lead, f"/cases/{case.id}")
    await page(lead, f"/cases/{case.id}")
    practitioner = await as_user("north-practitioner")
    await page(practitioner, f"/cases/{case.id}")
    views = audit(sessions, "case.viewed")
    assert [(e.assessment_id, e.actor_kind, e.actor_id) for e in views] == [
        (case.id, "user", str(people["north-lead"].id)),
        (case.id, "user", str(people["north-lead"].id)),
        (case.id, "user", str(people["north-practitioner"].id)),
    ]
    assert all(e.detail["address"] == "127.0.0.1" and e.detail["reference"] == case.reference for e in views)
    # The lead sees that access history on the case page, including this very view.
    lead = await as_user("north-lead")
    body = await page(lead, f"/cases/{case.id}")
    history = body[body.index('id="access-history"') :]
    assert history.count("Opened the case") == 4
    assert "north-practitioner" in history and "127.0.0.1" in history


async def test_the_case_page_shows_answers_chronology_urgent_flag_and_next_steps(
    as_user: AsUser, cases: dict[str, Case], bank: QuestionBank
) -> None:
    client = await as_user("north-lead")
    body = await page(client, f"/cases/{cases['north-live'].id}")
    free_text = next(q for q in bank.authored_questions if q.answer_type == "free_text")
    assert bank.section(free_text.section_id).title in body
    assert escape(free_text.text) in body
    assert escape(VERBATIM) in body  # verbatim, escaped, never trimmed
    chronology = body[body.index('id="chronology"') : body.index('id="answers"')]
    assert "14 February 2026" in chronology and escape(VERBATIM) in chronology
    assert "Immediate danger was reported" in body and escape(URGENT_MESSAGE) in body
    suggestions = body[body.index('id="suggestions"') : body.index('id="chronology"')]
    assert "Talk to your safeguarding lead today" in suggestions
    assert "You reported immediate danger during the assessment." in suggestions
    assert "In review" in body  # a lead's first view puts the case in review
    assert 'id="decision-form"' in body


async def test_list_filters_search_and_sort(as_user: AsUser, cases: dict[str, Case]) -> None:
    client = await as_user("north-lead")
    assert listed(await page(client, "/cases?urgent=yes"), cases) == {"north-live"}
    assert listed(await page(client, "/cases?urgent=no"), cases) == {"north-colleague-live"}
    reference = cases["north-colleague-live"].reference
    assert listed(await page(client, f"/cases?reference={reference.lower()}"), cases) == {
        "north-colleague-live"
    }
    # Another team's reference finds nothing.
    assert listed(await page(client, f"/cases?reference={cases['south-live'].reference}"), cases) == set()
    await page(client, f"/cases/{cases['north-live'].id}")
    assert listed(await page(client, "/cases?status=in_review"), cases) == {"north-live"}
    assert listed(await page(client, "/cases?status=submitted"), cases) == {"north-colleague-live"}
    newest = await page(client, "/cases?sort=newest")
    oldest = await page(client, "/cases?sort=oldest")
    first, second = cases["north-live"].reference, reference
    assert newest.index(second) < newest.index(first) and oldest.index(first) < oldest.index(second)
    assert listed(await page(client, "/cases?submitted_from=1/1/2000&submitted_to=1/1/2001"), cases) == set()
    bad = await page(client, "/cases?submitted_from=not a date&status=nonsense")
    assert "Enter a real date" in bad and "Choose a status from the list" in bad
    assert listed(bad, cases) == {"north-live", "north-colleague-live"}  # a bad filter is named, not guessed


async def test_strangers_are_sent_to_sign_in(as_user: AsUser, cases: dict[str, Case]) -> None:
    client = await as_user(None)
    for path in ("/cases", f"/cases/{cases['north-live'].id}"):
        response = await client.get(path, allow_redirects=False)
        assert (response.status, response.headers["Location"]) == (303, f"/sign-in?next={path}")


async def test_review_pages_hold_no_inline_script_or_style(as_user: AsUser, cases: dict[str, Case]) -> None:
    client = await as_user("north-lead")
    for path in ("/cases", f"/cases/{cases['north-live'].id}", f"/cases/{cases['south-live'].id}"):
        response = await client.get(path, allow_redirects=False)
        body = await response.text()
        # Scripts come only from our own static files (the page template loads govuk-frontend's); none inline.
        scripts = re.findall(r"<script\b[^>]*>", body)
        assert all(re.search(r'\bsrc="/static/[^"]+"', tag) for tag in scripts), (path, scripts)
        assert "<style" not in body and "style=" not in body, path
        assert "onclick" not in body and "onsubmit" not in body, path
