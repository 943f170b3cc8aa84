"""An urgent case before it is submitted (issue #9): its team's leads see it at once, first in their list,
with the danger reports, the follow-up answers, everything answered so far and the notices sent; they record
what they did. It is not a referral yet: no decision, tags or status change until the practitioner submits.

Cases are made through the store's own service; the follow-up answers and the notices are rows written as
their owners (the dialogue's `urgent_detail`, the notifier) write them. Pages are read through the real app.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient
from markupsafe import escape
from review_helpers import (
    DANGER_DETAILS,
    URGENT_MESSAGE,
    VERBATIM,
    Case,
    add_danger_details,
    add_notice,
    make_case,
    page,
    post_form,
    seeded_layer,
    tagged_answer,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import ConflictError
from bot.domain.limits import MAX_ANSWER_CHARS
from bot.domain.local_time import LOCAL_ZONE
from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.forms import DecisionIn, TagIn
from bot.review.records import CaseFilters
from bot.review.services import NOT_SUBMITTED, PAGE_SIZE, ReviewService
from bot.store.models import AuditEvent
from bot.store.review_models import Referral
from bot.store.services import Store
from bot.store.urgent_models import UrgentResponse

AsUser = Callable[[str | None], Awaitable[TestClient]]
ADDRESS = "192.0.2.7"
DETAILS_AT = datetime(2026, 3, 2, 9, 41, tzinfo=UTC)  # 09:41 in London (GMT in March before the change)
NOTICE_AT = datetime(2026, 3, 2, 9, 40, tzinfo=UTC)
SENT_AT = datetime(2026, 3, 2, 9, 40, 30, tzinfo=UTC)
# What a lead types: spaces, a blank line and characters HTML must escape, kept exactly.
DID = "  Rang the practitioner at 09:45; police already there <ref 4412>.\n\nSpoke to DSL & head. "


@pytest.fixture
def urgent(
    store: Store, bank: QuestionBank, people: dict[str, UserInfo], request: pytest.FixtureRequest
) -> dict[str, Case]:
    """Urgent and in progress on both teams, plus in-progress cases that must never reach a lead (seeded:
    tests/review/conftest.py)."""
    return seeded_layer("urgent", store, bank, people, request)


@pytest.fixture
def review(sessions: sessionmaker[Session], bank: QuestionBank) -> ReviewService:
    return ReviewService(sessions, bank)


def listed(body: str, cases: dict[str, Case]) -> list[str]:
    """The cases on the page, in the order they appear."""
    found = [(body.find(f">{case.reference}</a>"), name) for name, case in cases.items()]
    return [name for position, name in sorted(found) if position >= 0]


def audit(sessions: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with sessions() as session:
        return list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        )


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def local(value: datetime) -> str:
    when = value.astimezone(LOCAL_ZONE)
    return f"{when.day} {when:%B %Y}, {when:%H:%M}"


# -- who sees it ------------------------------------------------------------------------------------------


async def test_a_lead_sees_their_teams_urgent_unsubmitted_case_first_labelled_with_its_flag_time(
    as_user: AsUser, cases: dict[str, Case], urgent: dict[str, Case], store: Store
) -> None:
    everything = cases | urgent
    client = await as_user("north-lead")
    for sort in ("newest", "oldest"):
        body = await page(client, f"/cases?sort={sort}")
        assert listed(body, everything)[0] == "north-urgent", sort
        assert set(listed(body, everything)) == {"north-urgent", "north-live", "north-colleague-live"}
    row = body[body.index(f">{urgent['north-urgent'].reference}</a>") :].split("</tr>")[0]
    assert "Urgent - not yet submitted" in row and "govuk-tag--red" in row
    record = store.assessments.get_assessment(urgent["north-urgent"].conversation_id)
    assert record is not None and record.urgent_first_at is not None
    assert f"Flag raised {local(record.urgent_first_at)}" in row
    assert "Not yet submitted" in row
    assert "3 cases" in body


async def test_trainers_practitioners_and_other_teams_never_see_an_unsubmitted_case(
    as_user: AsUser, cases: dict[str, Case], urgent: dict[str, Case]
) -> None:
    for who, own in (
        ("north-trainer", {"north-rehearsal"}),
        ("north-practitioner", {"north-live", "north-rehearsal"}),
        ("south-lead", {"south-urgent", "south-live"}),
    ):
        client = await as_user(who)
        body = await page(client, "/cases")
        assert set(listed(body, cases | urgent)) == own, who
        if who != "south-lead":
            assert "Urgent - not yet submitted</strong>" not in body, who
        await page(client, f"/cases/{urgent['north-urgent'].id}", status=404)
    # A lead never sees a quiet draft, nor an urgent rehearsal, by list or by id.
    client = await as_user("north-lead")
    for name in ("north-quiet", "north-urgent-rehearsal", "south-urgent"):
        await page(client, f"/cases/{urgent[name].id}", status=404)


async def test_the_status_filter_finds_them_and_no_filter_hides_them_unsaid(
    as_user: AsUser, cases: dict[str, Case], urgent: dict[str, Case]
) -> None:
    everything = cases | urgent
    client = await as_user("north-lead")
    body = await page(client, "/cases?status=urgent_unsubmitted")
    assert listed(body, everything) == ["north-urgent"]
    assert '<option value="urgent_unsubmitted" selected>Urgent - not yet submitted</option>' in body
    assert 'id="hidden-urgent"' not in body
    for query in ("status=submitted", "urgent=no", "submitted_from=1/1/2000", "reference=B-"):
        body = await page(client, f"/cases?{query}")
        assert "north-urgent" not in listed(body, everything), query
        banner = body[body.index('id="hidden-urgent"') :]
        assert "1 urgent case not yet submitted is not shown with these filters" in banner, query
        assert 'href="/cases?status=urgent_unsubmitted"' in banner
    body = await page(client, "/cases?urgent=yes")
    assert listed(body, everything) == ["north-urgent", "north-live"]
    # Trainers are not offered the filter (they never have such cases).
    trainer = await as_user("north-trainer")
    assert 'value="urgent_unsubmitted"' not in await page(trainer, "/cases")


def test_they_head_every_page_whatever_the_sort(
    review: ReviewService, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    lead, practitioner = people["north-lead"], people["north-practitioner"]
    flagged = make_case(store, bank, practitioner, submit=False, urgent=True)
    for _ in range(PAGE_SIZE + 1):
        make_case(store, bank, practitioner)
    for newest_first in (True, False):
        first = review.list_cases(lead.id, ADDRESS, CaseFilters(newest_first=newest_first))
        second = review.list_cases(lead.id, ADDRESS, CaseFilters(newest_first=newest_first, page=2))
        assert (first.total, first.pages, first.pinned) == (PAGE_SIZE + 2, 2, 1)
        assert first.cases[0].id == second.cases[0].id == flagged.id
        assert first.cases[0].status == "urgent_unsubmitted" and first.cases[0].submitted_at is None
        assert len(first.cases) == PAGE_SIZE + 1 and len(second.cases) == 2
        paged = [c.id for c in first.cases[1:]] + [c.id for c in second.cases[1:]]
        assert len(set(paged)) == PAGE_SIZE + 1 and flagged.id not in paged
    [event, *_] = reversed(audit(store.session_factory, "case_list.viewed"))
    assert event.detail["urgent_unsubmitted"] == 1


# -- the case page ----------------------------------------------------------------------------------------


async def test_the_case_page_shows_the_danger_the_answers_so_far_who_to_contact_and_the_notices(
    as_user: AsUser,
    urgent: dict[str, Case],
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
    bank: QuestionBank,
) -> None:
    case = urgent["north-urgent"]
    add_danger_details(sessions, case, DETAILS_AT)
    add_notice(
        sessions, case, people["north-lead"], channel="email", status="sent", at=NOTICE_AT, sent_at=SENT_AT
    )
    add_notice(
        sessions, case, people["north-lead"], channel="teams", status="pending", at=NOTICE_AT, attempts=2
    )
    add_notice(
        sessions, case, people["north-trainer"], channel="email", status="failed", at=NOTICE_AT, attempts=5
    )
    client = await as_user("north-lead")
    body = await page(client, f"/cases/{case.id}")

    banner = body[body.index('id="urgent"') : body.index("</h1>")]
    assert "Urgent - not yet submitted" in banner and "has not submitted this assessment yet" in banner
    assert escape(URGENT_MESSAGE) in banner
    details = banner[banner.index('id="danger-details"') :]
    for _, wording, text in DANGER_DETAILS:
        assert f"{escape(wording)}</dt>" in details
        assert f">{escape(text)}</p>" in details  # verbatim: spaces, blank line and markup as typed
        assert details.index(escape(wording)) < details.index(escape(text))
    assert local(DETAILS_AT) in details
    assert "north-practitioner" in banner  # who to contact
    # Everything answered so far, as the case page shows answers.
    free_text = next(q for q in bank.authored_questions if q.answer_type == "free_text")
    answers = body[body.index('id="answers"') :]
    assert escape(free_text.text) in answers and escape(VERBATIM) in answers
    # Which notices went to whom, by which channel, and how delivery went.
    notices = body[body.index('id="notice-list"') :].split("</table>")[0]
    rows = notices.split('<tr class="govuk-table__row">')[2:]
    assert len(rows) == 3
    assert "north-lead" in rows[0] and "Email" in rows[0] and "Sent" in rows[0] and local(SENT_AT) in rows[0]
    assert "Microsoft Teams" in rows[1] and "Pending" in rows[1] and "2 failed attempts so far" in rows[1]
    assert "north-trainer" in rows[2] and "Failed" in rows[2] and "after 5 attempts" in rows[2]
    # Not a referral yet: nothing to decide, tag, close or reopen, and no next steps shown to anyone yet.
    assert 'id="case-status"' in body and "Urgent - not yet submitted</strong>" in body
    for absent in ('id="decision-form"', "/close", "/reopen", "/tags", 'id="next-steps"', 'id="evidence-'):
        assert absent not in body, absent
    assert "A decision can be recorded once the practitioner submits this assessment." in body
    assert f'action="/cases/{case.id}/urgent-responses"' in body
    assert count(sessions, Referral) == 0
    [viewed] = audit(sessions, "case.viewed")
    assert (viewed.assessment_id, viewed.actor_id, viewed.detail["submitted"]) == (
        case.id,
        str(people["north-lead"].id),
        False,
    )


async def test_a_lead_records_what_they_did_verbatim_and_sees_it_listed(
    as_user: AsUser, urgent: dict[str, Case], people: dict[str, UserInfo], sessions: sessionmaker[Session]
) -> None:
    case = urgent["north-urgent"]
    client = await as_user("north-lead")
    response = await post_form(client, f"/cases/{case.id}/urgent-responses", {"response": DID})
    assert (response.status, response.headers["Location"]) == (303, f"/cases/{case.id}?done=responded")
    with sessions() as session:
        [row] = session.scalars(select(UrgentResponse))
        assert (row.assessment_id, row.responded_by, row.note) == (case.id, people["north-lead"].id, DID)
        recorded_at = row.recorded_at
    [event] = audit(sessions, "urgent.response_recorded")
    assert (event.assessment_id, event.actor_id, event.detail["submitted"]) == (
        case.id,
        str(people["north-lead"].id),
        False,
    )
    assert "Rang" not in str(event.detail)  # the trail holds ids, never the words
    body = await page(client, f"/cases/{case.id}?done=responded")
    assert "What you did has been recorded." in body
    listed_ = body[body.index('id="response-list"') :].split("</ul>")[0]
    assert f">{escape(DID)}</p>" in listed_
    assert f"{local(recorded_at)}, north-lead" in listed_
    assert count(sessions, Referral) == 0


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter what you did"),
        ("   \n  ", "Enter what you did"),
        ("x" * (MAX_ANSWER_CHARS + 1), f"What you did is {MAX_ANSWER_CHARS + 1:,} characters long"),
        ("Rang \x00 them", "What you did contains a NUL character at position 6"),
    ],
    ids=["empty", "spaces", "too-long", "unstorable"],
)
async def test_bad_text_is_named_and_nothing_is_saved(
    as_user: AsUser, urgent: dict[str, Case], sessions: sessionmaker[Session], typed: str, message: str
) -> None:
    case = urgent["north-urgent"]
    client = await as_user("north-lead")
    response = await post_form(client, f"/cases/{case.id}/urgent-responses", {"response": typed})
    body = await response.text()
    assert response.status == 400, body[:300]
    assert 'href="#response"' in body and message in body
    assert 'id="response-error"' in body
    assert count(sessions, UrgentResponse) == 0 and audit(sessions, "urgent.response_recorded") == []


async def test_only_the_teams_leads_may_record_and_every_refusal_is_audited(
    as_user: AsUser,
    cases: dict[str, Case],
    urgent: dict[str, Case],
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    case = urgent["north-urgent"]
    path = f"/cases/{case.id}/urgent-responses"
    south = await as_user("south-lead")
    response = await post_form(south, path, {"response": DID})
    assert response.status == 404 and case.reference not in await response.text()
    unknown = await post_form(south, "/cases/999999/urgent-responses", {"response": DID})
    assert unknown.status == 404
    # A trainer reaches the form's address for a case they can open (their team's rehearsal one): refused.
    trainer = await as_user("north-trainer")
    rehearsal = cases["north-rehearsal"]
    response = await post_form(trainer, f"/cases/{rehearsal.id}/urgent-responses", {"response": DID})
    assert response.status == 403 and "Only a safeguarding lead" in await response.text()
    practitioner = await as_user("north-practitioner")
    assert (await post_form(practitioner, path, {"response": DID})).status == 403
    # No form token: refused before anything is read.
    lead = await as_user("north-lead")
    no_token = await lead.post(path, data={"response": DID}, allow_redirects=False)
    assert no_token.status == 403
    # A case with no urgent flag has nothing to respond to.
    quiet = cases["north-colleague-live"]
    response = await post_form(lead, f"/cases/{quiet.id}/urgent-responses", {"response": DID})
    assert response.status == 409 and "no urgent flag" in await response.text()
    assert count(sessions, UrgentResponse) == 0
    refused = [
        (e.assessment_id, e.actor_id, e.detail.get("reason"))
        for e in audit(sessions, "case.urgent_response_refused")
    ]
    assert refused == [
        (case.id, str(people["south-lead"].id), None),
        (999999, str(people["south-lead"].id), None),
        (rehearsal.id, str(people["north-trainer"].id), "role"),
        (quiet.id, str(people["north-lead"].id), "not_urgent"),
    ]


async def test_decisions_tags_and_status_changes_wait_for_submission_and_make_no_referral(
    as_user: AsUser,
    urgent: dict[str, Case],
    store: Store,
    review: ReviewService,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    case = urgent["north-urgent"]
    question_id, revision = tagged_answer(store, case)
    client = await as_user("north-lead")
    attempts = [
        (
            f"/cases/{case.id}/decision",
            {"pathways": "early_help", "pathway-early_help-rationale": "Because."},
        ),
        (f"/cases/{case.id}/close", {}),
        (f"/cases/{case.id}/reopen", {"reason": "Again."}),
        (
            f"/cases/{case.id}/tags",
            {"question_id": question_id, "revision": str(revision), "dimensions": "intent"},
        ),
        (f"/cases/{case.id}/tags/1/remove", {"question_id": question_id}),
    ]
    for path, data in attempts:
        response = await post_form(client, path, data)
        body = await response.text()
        assert response.status == 409, (path, body[:300])
        assert escape(NOT_SUBMITTED) in body and 'href="#decision"' in body, path
    lead = people["north-lead"]
    with pytest.raises(ConflictError):
        review.record_decision(lead.id, ADDRESS, case.id, DecisionIn())
    with pytest.raises(ConflictError):
        review.tag_evidence(lead.id, ADDRESS, case.id, TagIn(question_id, str(revision), ("intent",)))
    assert count(sessions, Referral) == 0
    attempted = [e.detail["attempted"] for e in audit(sessions, "case.not_submitted_refused")]
    assert attempted == ["decision", "closed", "in_review", "tags", "tags", "decision", "tags"]


async def test_once_submitted_it_is_an_ordinary_case_that_keeps_its_urgent_history(
    as_user: AsUser,
    urgent: dict[str, Case],
    store: Store,
    sessions: sessionmaker[Session],
) -> None:
    case = urgent["north-urgent"]
    add_danger_details(sessions, case, DETAILS_AT)
    client = await as_user("north-lead")
    assert (await post_form(client, f"/cases/{case.id}/urgent-responses", {"response": DID})).status == 303
    store.assessments.submit(case.conversation_id)

    body = await page(client, "/cases")
    row = body[body.index(f">{case.reference}</a>") :].split("</tr>")[0]
    assert "Urgent - not yet submitted" not in row and "Submitted" in row
    body = await page(client, f"/cases/{case.id}")
    assert "In review" in body and 'id="decision-form"' in body  # the referral is made on this first view
    assert "Immediate danger was reported" in body and "has not submitted" not in body
    assert escape(URGENT_MESSAGE) in body and escape(DANGER_DETAILS[0][2]) in body
    assert f">{escape(DID)}</p>" in body
    with sessions() as session:
        referral = session.scalar(select(Referral).where(Referral.assessment_id == case.id))
        assert referral is not None and referral.status == "in_review"
    # Still a lead's to add to while the case is open.
    again = await post_form(client, f"/cases/{case.id}/urgent-responses", {"response": "Called back."})
    assert again.status == 303
    assert count(sessions, UrgentResponse) == 2
    listed_ = (await page(client, f"/cases/{case.id}")).split('id="response-list"')[1].split("</ul>")[0]
    assert listed_.index(escape(DID)) < listed_.index("Called back.")


async def test_the_export_of_an_unsubmitted_case_says_so_and_carries_the_responses(
    as_user: AsUser, urgent: dict[str, Case]
) -> None:
    case = urgent["north-urgent"]
    client = await as_user("north-lead")
    assert (await post_form(client, f"/cases/{case.id}/urgent-responses", {"response": DID})).status == 303
    response = await client.get(f"/cases/{case.id}/export.json")
    data = await response.json()
    assert data["referral_status"] == "urgent_unsubmitted"
    assert [(r["responded_by"], r["note"]) for r in data["urgent_responses"]] == [("north-lead", DID)]
    assert data["decisions"] == []


async def test_the_trainer_and_the_practitioner_pages_are_unchanged(
    as_user: AsUser, cases: dict[str, Case], urgent: dict[str, Case]
) -> None:
    """The submitted urgent case, as its practitioner reads it: no notices, no responses, no form."""
    client = await as_user("north-practitioner")
    body = await page(client, f"/cases/{cases['north-live'].id}")
    assert "Immediate danger was reported" in body and escape(URGENT_MESSAGE) in body
    for absent in ('id="urgent-follow-up"', "urgent-responses", 'id="notice-list"'):
        assert absent not in body, absent
    assert not re.search(r"Urgent - not yet submitted", body)
