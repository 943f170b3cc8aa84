"""A legal hold on a case from the web pages (issue #31): the case page says whether a hold is on (since when,
by whom, why) and its button leads to the hold page, where a lead of the team (or an admin, who reads no case)
sets one with a reason and lifts it with a reason. Each change is audited as `bot retention hold|lift` audits
it; bad input shows the page again with a clear message and changes nothing; another team's lead finds no
case, and the refusal is audited."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp.test_utils import TestClient
from review_helpers import Case, page, post_form
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.records import UserInfo
from bot.store.models import AuditEvent
from bot.store.retention_models import LegalHold
from bot.store.services import Store

AsUser = Callable[[str | None], Awaitable[TestClient]]
REASON = "Complaint to the council, ref C-1: keep everything until it is resolved."


def holds(sessions: sessionmaker[Session]) -> list[tuple[str, str | None]]:
    with sessions() as session:
        return [(row.reason, row.lifted_reason) for row in session.scalars(select(LegalHold))]


def audited(sessions: sessionmaker[Session], action: AuditAction) -> list[AuditEvent]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


async def test_a_lead_sets_a_hold_with_a_reason_sees_it_on_the_case_and_lifts_it_with_a_reason(
    as_user: AsUser, cases: dict[str, Case], store: Store, sessions: sessionmaker[Session]
) -> None:
    case = cases["north-live"]
    client = await as_user("north-lead")
    before = await page(client, f"/cases/{case.id}")
    assert 'id="legal-hold"' in before and "This case is not under a legal hold" in before
    assert f'href="/cases/{case.id}/legal-hold"' in before

    form = await page(client, f"/cases/{case.id}/legal-hold")
    assert "Put this case under a legal hold" in form and case.reference in form
    done = await post_form(client, f"/cases/{case.id}/legal-hold", {"reason": REASON})
    assert done.status == 303 and done.headers["Location"] == f"/cases/{case.id}?done=hold-set#legal-hold"

    after = await page(client, done.headers["Location"])
    assert "The case is under a legal hold" in after
    details = after.split('id="legal-hold-details"', 1)[1].split("</dl>", 1)[0]
    assert "north-lead" in details and REASON in details
    assert store.retention.held_references() == (case.reference,)
    (event,) = audited(sessions, AuditAction.LEGAL_HOLD_SET)
    lead_id = event.actor_id
    assert event.assessment_id == case.id and event.detail["reference"] == case.reference
    assert REASON not in str(event.detail)  # the reason is kept with the hold, not in the audit trail

    lift_page = await page(client, f"/cases/{case.id}/legal-hold")
    assert "Lift the legal hold" in lift_page and REASON in lift_page
    lifted = await post_form(client, f"/cases/{case.id}/legal-hold/lift", {"reason": "Complaint resolved."})
    assert (
        lifted.status == 303 and lifted.headers["Location"] == f"/cases/{case.id}?done=hold-lifted#legal-hold"
    )
    final = await page(client, lifted.headers["Location"])
    assert "The legal hold has been lifted" in final and "This case is not under a legal hold" in final
    assert holds(sessions) == [(REASON, "Complaint resolved.")]
    (lift_event,) = audited(sessions, AuditAction.LEGAL_HOLD_LIFTED)
    assert lift_event.actor_id == lead_id


async def test_an_empty_or_too_long_reason_shows_the_form_again_and_changes_nothing(
    as_user: AsUser,
    cases: dict[str, Case],
    store: Store,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    case = cases["north-live"]
    client = await as_user("north-lead")
    for sent, message in (
        ("  \n ", "Enter the reason for the legal hold"),
        ("x" * 2001, "The reason must be 2,000 characters or fewer"),
    ):
        response = await post_form(client, f"/cases/{case.id}/legal-hold", {"reason": sent})
        body = await response.text()
        assert response.status == 400 and "There is a problem" in body and body.count(message) == 2
        assert '<a href="#reason">' in body and "<title>Error:" in body
    assert holds(sessions) == [] and audited(sessions, AuditAction.LEGAL_HOLD_SET) == []

    store.retention.set_hold(people["north-lead"].id, case.reference, REASON)
    empty_lift = await post_form(client, f"/cases/{case.id}/legal-hold/lift", {"reason": ""})
    assert (
        empty_lift.status == 400 and "Enter the reason for lifting the legal hold" in await empty_lift.text()
    )
    assert holds(sessions) == [(REASON, None)]


async def test_a_second_hold_or_lifting_no_hold_is_refused_with_a_message(
    as_user: AsUser, cases: dict[str, Case], store: Store, sessions: sessionmaker[Session]
) -> None:
    case = cases["north-live"]
    client = await as_user("north-lead")
    not_held = await post_form(client, f"/cases/{case.id}/legal-hold/lift", {"reason": "Done."})
    assert not_held.status == 409 and f"{case.reference} is not under a legal hold" in await not_held.text()
    await post_form(client, f"/cases/{case.id}/legal-hold", {"reason": REASON})
    again = await post_form(client, f"/cases/{case.id}/legal-hold", {"reason": "Another."})
    body = await again.text()
    assert again.status == 409 and f"{case.reference} is already under a legal hold" in body
    assert "Lift the legal hold" in body  # the page as it is now
    assert holds(sessions) == [(REASON, None)]


async def test_another_teams_lead_finds_no_case_and_the_refusal_is_audited(
    as_user: AsUser, cases: dict[str, Case], sessions: sessionmaker[Session]
) -> None:
    case = cases["north-live"]
    client = await as_user("south-lead")
    await page(client, f"/cases/{case.id}/legal-hold", status=404)
    response = await post_form(client, f"/cases/{case.id}/legal-hold", {"reason": REASON})
    assert response.status == 404 and "Case not found" in await response.text()
    assert holds(sessions) == []
    assert len(audited(sessions, AuditAction.LEGAL_HOLD_REFUSED)) == 2


async def test_an_admin_holds_any_teams_case_from_the_hold_page_without_seeing_the_case(
    as_user: AsUser, cases: dict[str, Case], store: Store
) -> None:
    case = cases["north-live"]
    client = await as_user("south-admin")
    form = await page(client, f"/cases/{case.id}/legal-hold")
    assert case.reference in form and "Back to case" not in form
    done = await post_form(client, f"/cases/{case.id}/legal-hold", {"reason": REASON})
    assert done.status == 303 and done.headers["Location"] == f"/cases/{case.id}/legal-hold?done=hold-set"
    after = await page(client, done.headers["Location"])
    assert "The case is under a legal hold" in after and REASON in after and "south-admin" in after
    assert store.retention.held_references() == (case.reference,)


async def test_a_practitioner_and_a_trainer_see_no_hold_section_and_cannot_reach_the_page(
    as_user: AsUser, cases: dict[str, Case]
) -> None:
    for who, case in (
        ("north-practitioner", cases["north-live"]),
        ("north-trainer", cases["north-rehearsal"]),
    ):
        client = await as_user(who)
        assert 'id="legal-hold"' not in await page(client, f"/cases/{case.id}")
        await page(client, f"/cases/{case.id}/legal-hold", status=403)
