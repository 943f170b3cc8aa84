"""A lead stands an urgent flag down with a reason (issue #26, item 5): an ordinary answer ("he is angry and
hurt about dad leaving") raised a flag nobody could undo.

The lead's reason is kept verbatim with who and when, audited, and shown on the page, in the JSON export and
in the PDF; the flag messages stay. The case then stops counting as urgent (the top of the leads' list, the
"urgent" filter, the suggested next steps) until a new danger report raises the flag again. Only the case's
team's leads may do it. Cases are made through the store's own service; pages are read through the real app,
signed in through the real sign-in form.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from markupsafe import escape
from review_helpers import URGENT_MESSAGE, Case, case_document, make_case, page, post_form, seeded_layer
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from test_exports import pdf_text

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.case_json import to_json
from bot.review.errors import LeadsOnlyError
from bot.review.pdf import print_html
from bot.review.records import CaseFilters
from bot.review.services import ReviewService
from bot.review.short_forms import MISSING_STAND_DOWN
from bot.store.models import AuditEvent, UrgentFlag
from bot.store.services import Store
from bot.store.urgent_models import UrgentStandDown
from tests.builders import report_danger

AsUser = Callable[[str | None], Awaitable[TestClient]]
ADDRESS = "192.0.2.8"
# What a lead types: spaces, a blank line and characters HTML must escape, kept exactly.
REASON = "  Rang the practitioner: he is <angry> & hurt about dad leaving.\n\nNo danger; not an emergency. "
PATH = "/cases/{}/urgent-stand-down"
DANGER_REASON = "You reported immediate danger during the assessment."


@pytest.fixture
def flagged(
    store: Store, bank: QuestionBank, people: dict[str, UserInfo], request: pytest.FixtureRequest
) -> dict[str, Case]:
    """North's urgent cases: one still being written, one submitted; and South's submitted urgent case
    (seeded: tests/review/conftest.py)."""
    return seeded_layer("flagged", store, bank, people, request)


@pytest.fixture
def review(sessions: sessionmaker[Session], bank: QuestionBank) -> ReviewService:
    return ReviewService(sessions, bank)


def audit(sessions: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with sessions() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return list(session.scalars(query))


def stand_downs(sessions: sessionmaker[Session]) -> list[UrgentStandDown]:
    with sessions() as session:
        return list(session.scalars(select(UrgentStandDown).order_by(UrgentStandDown.id)))


def flag_count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(UrgentFlag)) or 0


def reasons(review: ReviewService, lead: UserInfo, case: Case) -> list[str]:
    view = review.open_case(lead.id, ADDRESS, case.id)
    return [reason for suggestion in view.suggestions for reason in suggestion.reasons]


async def stand_down(client: TestClient, case: Case, reason: str = REASON) -> web.StreamResponse:
    return await post_form(client, PATH.format(case.id), {"stand_down_reason": reason})


@pytest.mark.parametrize("which", ["unsubmitted", "submitted"])
async def test_a_lead_stands_a_flag_down_with_a_reason_kept_verbatim_audited_and_shown(
    which: str,
    as_user: AsUser,
    app: web.Application,
    flagged: dict[str, Case],
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    case, lead = flagged[which], people["north-lead"]
    flags_before = flag_count(sessions)
    client = await as_user("north-lead")
    before = await page(client, f"/cases/{case.id}")
    assert 'id="stand-down-form"' in before and "Stand down the urgent flag" in before

    response = await stand_down(client, case)
    assert (response.status, response.headers["Location"]) == (303, f"/cases/{case.id}?done=stood-down")
    [row] = stand_downs(sessions)
    assert (row.assessment_id, row.stood_down_by, row.reason) == (case.id, lead.id, REASON)
    [event] = audit(sessions, "urgent.stood_down")
    assert (event.assessment_id, event.actor_id, event.detail["stand_down_id"]) == (
        case.id,
        str(lead.id),
        row.id,
    )
    assert event.detail["submitted"] is (which == "submitted")
    assert REASON not in str(event.detail)  # the trail holds ids and labels, never the free text
    assert flag_count(sessions) == flags_before  # the flag messages are never deleted

    body = await page(client, f"/cases/{case.id}?done=stood-down")
    assert "The urgent flag has been stood down." in body
    banner = body[body.index('id="urgent"') : body.index("</h1>")]
    assert "Urgent flag stood down" in banner and "app-urgent" not in banner
    assert escape(URGENT_MESSAGE) in banner  # what the practitioner wrote stays on the case
    listed = body[body.index('id="stand-down-list"') :].split("</ul>")[0]
    assert "Stood down by north-lead on " in listed
    assert f">{escape(REASON)}</p>" in listed  # verbatim: spaces, blank line and markup as typed
    assert 'id="stand-down-form"' not in body  # nothing left to stand down
    assert "Stood down the urgent flag, with a reason" in body  # the case's history

    document = case_document(app, lead, case)
    [exported] = to_json(document)["urgent_stand_downs"]
    assert (exported["stood_down_by"], exported["reason"]) == ("north-lead", REASON)
    assert exported["stood_down_at"] == row.stood_down_at.isoformat()
    summary = to_json(document)["assessment"]
    assert summary["urgent"] is False and summary["urgent_messages"]
    text = " ".join(pdf_text(print_html(document)))
    assert "Urgent flag stood down" in text and "Stood down by north-lead" in text
    assert "not an emergency" in text


async def test_an_empty_reason_is_refused_with_the_error_summary_and_nothing_changes(
    as_user: AsUser, flagged: dict[str, Case], sessions: sessionmaker[Session]
) -> None:
    case = flagged["submitted"]
    client = await as_user("north-lead")
    for empty in ("", "   \n  "):
        response = await stand_down(client, case, empty)
        body = await response.text()
        assert response.status == 400
        summary = body[body.index("govuk-error-summary") :].split("</ul>")[0]
        assert f'href="#stand_down_reason">{MISSING_STAND_DOWN}</a>' in summary
        assert 'id="stand_down_reason-error"' in body
    assert stand_downs(sessions) == [] and audit(sessions, "urgent.stood_down") == []
    assert "Immediate danger was reported" in await page(client, f"/cases/{case.id}")


@pytest.mark.parametrize(
    ("who", "which", "status"),
    [
        ("north-practitioner", "submitted", 403),  # not a reviewer: refused at the door
        ("north-trainer", "submitted", 404),  # a trainer never sees a live case
        ("south-lead", "submitted", 404),  # another team's case is not found
        ("south-lead", "unsubmitted", 404),
        ("north-lead", "south", 404),
    ],
)
async def test_practitioners_trainers_and_other_teams_leads_are_refused(
    who: str,
    which: str,
    status: int,
    as_user: AsUser,
    flagged: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    client = await as_user(who)
    response = await stand_down(client, flagged[which])
    assert response.status == status
    assert stand_downs(sessions) == []
    if status == 404:
        [refused] = audit(sessions, "case.stand_down_refused")
        assert refused.assessment_id == flagged[which].id


def test_the_service_refuses_a_trainer_on_a_case_they_review_and_audits_it(
    review: ReviewService, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    """A trainer reviews their team's rehearsal cases but may not stand a flag down (leads only: 403)."""
    rehearsal = make_case(store, bank, people["north-trainer"], mode="rehearsal", urgent=True)
    with pytest.raises(LeadsOnlyError):
        review.stand_down_urgent_flag(people["north-trainer"].id, ADDRESS, rehearsal.id, REASON)
    [refused] = audit(store.session_factory, "case.stand_down_refused")
    assert refused.detail["reason"] == "role"
    assert stand_downs(store.session_factory) == []


def test_a_stood_down_case_leaves_the_urgent_top_of_the_list_and_the_urgent_filter(
    review: ReviewService, flagged: dict[str, Case], people: dict[str, UserInfo]
) -> None:
    lead = people["north-lead"]
    before = review.list_cases(lead.id, ADDRESS, CaseFilters())
    assert before.cases[0].id == flagged["unsubmitted"].id and before.pinned == 1
    assert before.urgent_unsubmitted == 1
    urgent_only = review.list_cases(lead.id, ADDRESS, CaseFilters(urgent=True))
    assert {c.id for c in urgent_only.cases} == {flagged["unsubmitted"].id, flagged["submitted"].id}

    review.stand_down_urgent_flag(lead.id, ADDRESS, flagged["unsubmitted"].id, REASON)
    review.stand_down_urgent_flag(lead.id, ADDRESS, flagged["submitted"].id, REASON)

    after = review.list_cases(lead.id, ADDRESS, CaseFilters())
    assert (after.pinned, after.pinned_total, after.urgent_unsubmitted) == (0, 0, 0)
    shown = {c.id: c for c in after.cases}
    assert flagged["unsubmitted"].id not in shown  # in progress and no longer urgent: not listed
    assert not shown[flagged["submitted"].id].urgent  # submitted: still listed, no longer marked urgent
    assert review.list_cases(lead.id, ADDRESS, CaseFilters(urgent=True)).cases == ()
    not_urgent = review.list_cases(lead.id, ADDRESS, CaseFilters(urgent=False))
    assert flagged["submitted"].id in {c.id for c in not_urgent.cases}
    # The lead can still open the unsubmitted case by its link, to read the stand-down.
    view = review.open_case(lead.id, ADDRESS, flagged["unsubmitted"].id)
    assert not view.urgent and view.flagged and [s.reason for s in view.stand_downs] == [REASON]


def test_the_next_steps_no_longer_give_the_danger_report_as_a_reason(
    review: ReviewService, flagged: dict[str, Case], people: dict[str, UserInfo]
) -> None:
    lead, case = people["north-lead"], flagged["submitted"]
    assert DANGER_REASON in reasons(review, lead, case)
    review.stand_down_urgent_flag(lead.id, ADDRESS, case.id, REASON)
    assert DANGER_REASON not in reasons(review, lead, case)


async def test_a_new_danger_report_after_the_stand_down_makes_the_case_urgent_again(
    as_user: AsUser,
    review: ReviewService,
    store: Store,
    flagged: dict[str, Case],
    people: dict[str, UserInfo],
) -> None:
    lead, case = people["north-lead"], flagged["unsubmitted"]
    review.stand_down_urgent_flag(lead.id, ADDRESS, case.id, REASON)
    assert review.list_cases(lead.id, ADDRESS, CaseFilters()).pinned == 0
    assert store.practitioners.own_assessment(people["north-practitioner"].id, case.reference).urgent is False

    report_danger(store, case.conversation_id, "He has just run off with the knife.")

    listed = review.list_cases(lead.id, ADDRESS, CaseFilters())
    assert listed.pinned == 1 and listed.cases[0].id == case.id and listed.cases[0].urgent
    assert store.practitioners.own_assessment(people["north-practitioner"].id, case.reference).urgent is True
    assert DANGER_REASON in reasons(review, lead, case)
    client = await as_user("north-lead")
    body = await page(client, f"/cases/{case.id}")
    assert "Urgent - not yet submitted" in body and 'id="stand-down-form"' in body
    assert "Stood down by north-lead on " in body  # the earlier stand-down stays in the history
    # A second stand-down covers the new report too.
    assert (await stand_down(client, case, "Spoke to police: a film prop.")).status == 303
    assert review.list_cases(lead.id, ADDRESS, CaseFilters()).pinned == 0
    # Standing down a case that is not urgent is refused, and saves nothing.
    response = await stand_down(client, case, "Again.")
    assert response.status == 409
    assert len(stand_downs(store.session_factory)) == 2
