"""What happened next on a case (issue #12), through the real ReviewService on a migrated store: the
information-sharing log, outcomes per pathway (data in pathways.yaml), review dates, and the review reminder
with a moved clock (due, sent once, not before)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from review_helpers import Case
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import NotFoundError, ValidationError
from bot.domain.pathways import PATHWAY_BY_KEY, load_pathways
from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.case_json import to_json
from bot.review.filters import parse_filters
from bot.review.forms import DecisionIn
from bot.review.next_records import OutcomeIn, SharingIn
from bot.review.pathway_records import PathwayIn
from bot.review.pdf import print_html
from bot.review.records import CaseFilters
from bot.review.review_dates import add_months
from bot.review.services import ReviewService
from bot.store.models import AuditEvent
from bot.store.outcome_models import CaseReview, PathwayOutcome, SharingEntry
from bot.store.review_models import DecisionPathway
from bot.store.review_reminders import queue_due_review_reminders
from bot.store.services import Store
from bot.store.urgent_models import Notification

ADDRESS = "192.0.2.9"
NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
PREVENT = PathwayIn("prevent_referral", "Police screening needed.", "The referral form.", "DSL")
HELP = PathwayIn("early_help", "Family asked.", "Contacts.", "Ms Khan")
WHAT = "  Referral form and\nschool contacts.  "


@pytest.fixture
def review(sessions: sessionmaker[Session], bank: QuestionBank) -> ReviewService:
    return ReviewService(sessions, bank, clock=lambda: NOW)


def decided(review: ReviewService, lead: UserInfo, case: Case) -> dict[str, int]:
    """Record a Prevent + early help decision; the decision_pathways ids by pathway key."""
    form = DecisionIn(pathways=(PREVENT, HELP), lawful_bases=("art6_public_task",), consent="given")
    review.record_decision(lead.id, ADDRESS, case.id, form)
    with review._sessions() as session:
        return {row.pathway: row.id for row in session.scalars(select(DecisionPathway))}


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def share(pathway: str = "", **changes: str) -> SharingIn:
    fields = {
        "shared_what": WHAT,
        "recipient": "Police Prevent team",
        "shared_on": "1/12/2026",
        "method": "secure_email",
        "lawful_basis": "art6_public_task",
        "pathway": pathway,
    }
    return SharingIn(**{**fields, **changes})


def test_every_pathway_has_outcomes_as_data_and_channel_ended_sets_6_and_12_month_reviews() -> None:
    prevent = PATHWAY_BY_KEY["prevent_referral"]
    ended = prevent.outcome("channel_support_ended")
    assert ended is not None and ended.reviews_after_months == (6, 12)
    assert prevent.outcome("police_adopted_channel") is not None
    assert {o.key for o in PATHWAY_BY_KEY["s17_assessment"].outcomes} == {
        "no_further_action",
        "early_help",
        "child_in_need",
        "child_protection",
    }
    assert PATHWAY_BY_KEY["community_partner"].outcome("partner_support_started") is not None


@pytest.mark.parametrize(
    ("outcomes", "message"),
    [
        ("", "needs an 'outcomes' list"),
        ("\n    outcomes: [{key: a}]", "needs a key and a label"),
        ("\n    outcomes: [{key: a, label: A}, {key: a, label: B}]", "appears twice"),
        ("\n    outcomes: [{key: a, label: A, reviews_after_months: [0]}]", "from 1 to 120"),
    ],
)
def test_a_bad_outcomes_list_fails_at_load(tmp_path: Path, outcomes: str, message: str) -> None:
    path = tmp_path / "pathways.yaml"
    path.write_text(f"pathways:\n  - key: k\n    label: L\n    description: D{outcomes}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_pathways(path)


def test_a_share_is_stored_verbatim_audited_and_shown_in_date_order_with_a_correction(
    review: ReviewService,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    ids = decided(review, lead, case)
    first = review.record_sharing(lead.id, ADDRESS, case.id, share(str(ids["prevent_referral"])))
    review.record_sharing(
        lead.id,
        ADDRESS,
        case.id,
        share(recipient="", partner="example_mentoring", shared_on="20/11/2026", method="meeting"),
    )
    fix = review.record_sharing(
        lead.id, ADDRESS, case.id, share(shared_what="Only the form.", corrects=str(first))
    )
    with sessions() as session:
        stored = session.get_one(SharingEntry, first)
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "sharing.recorded")).all()
    assert stored.shared_what == WHAT and stored.decision_pathway_id == ids["prevent_referral"]
    assert [e.detail["sharing_id"] for e in events] == [first, first + 1, fix]
    assert all(WHAT not in str(e.detail) for e in events)  # what was shared stays in the log, not the trail
    document = review.export_case(lead.id, ADDRESS, case.id, "json")
    assert document.what_next is not None
    log = document.what_next.sharing
    assert [s.shared_on for s in log] == [date(2026, 11, 20), date(2026, 12, 1), date(2026, 12, 1)]
    assert log[1].pathway == "prevent_referral" and log[2].corrects_id == first
    data = to_json(document)["what_happened_next"]
    assert data["sharing"][1]["shared_what"] == WHAT and data["sharing"][0]["partner"] == "example_mentoring"
    html = print_html(document)
    assert "Referral form and\nschool contacts." in html and "Secure email" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"shared_what": "   "}, "shared_what", "Enter what was shared"),
        ({"recipient": ""}, "recipient", "who it was shared with"),
        ({"partner": "nobody"}, "partner", "from the directory"),
        ({"shared_on": "8/12/2026"}, "shared_on", "cannot be in the future"),
        ({"shared_on": "31/2/2026"}, "shared_on", "real date"),
        ({"method": "pigeon"}, "method", "how it was shared"),
        ({"lawful_basis": "hunch"}, "lawful_basis", "lawful basis"),
        ({"pathway": "99999"}, "sharing_pathway", "current decision"),
        ({"corrects": "99999"}, "corrects", "earlier entry"),
    ],
)
def test_a_bad_share_is_refused_with_a_message_and_nothing_is_saved(
    review: ReviewService,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
    changes: dict[str, str],
    field: str,
    message: str,
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    with pytest.raises(ValidationError) as refused:
        review.record_sharing(lead.id, ADDRESS, case.id, share(**changes))
    assert message in refused.value.fields[field]
    assert count(sessions, SharingEntry) == 0


@pytest.mark.parametrize("who", ["north-practitioner", "south-lead", "north-admin", "north-coordinator"])
def test_only_the_case_teams_reviewers_may_add_and_a_refusal_is_audited(
    review: ReviewService,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
    who: str,
) -> None:
    case = cases["north-live"]
    for attempt in (
        lambda: review.record_sharing(people[who].id, ADDRESS, case.id, share()),
        lambda: review.record_outcome(
            people[who].id, ADDRESS, case.id, OutcomeIn("1", "plan_updated", "1/12/2026")
        ),
        lambda: review.set_review(people[who].id, ADDRESS, case.id, "1/3/2027"),
    ):
        with pytest.raises(NotFoundError):
            attempt()
    assert count(sessions, SharingEntry) + count(sessions, PathwayOutcome) + count(sessions, CaseReview) == 0
    with sessions() as session:
        refused = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.next_refused")).all()
    assert len(refused) == 3


def test_channel_support_ended_sets_the_6_and_12_month_reviews_once(
    review: ReviewService,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    ids = decided(review, lead, case)
    prevent = str(ids["prevent_referral"])
    review.set_review(lead.id, ADDRESS, case.id, "30/5/2027")  # the same date as the 6-month review
    review.record_outcome(lead.id, ADDRESS, case.id, OutcomeIn(prevent, "police_adopted_channel", "1/9/2026"))
    ended = review.record_outcome(
        lead.id, ADDRESS, case.id, OutcomeIn(prevent, "channel_support_ended", "30/11/2026", "  Said: done. ")
    )
    with sessions() as session:
        reviews = session.execute(
            select(CaseReview.due_on, CaseReview.source).order_by(CaseReview.due_on)
        ).all()
        note = session.get_one(PathwayOutcome, ended).note
    assert [tuple(r) for r in reviews] == [(date(2027, 5, 30), "lead"), (date(2027, 11, 30), "outcome")]
    assert note == "  Said: done. "
    document = review.export_case(lead.id, ADDRESS, case.id, "json")
    assert document.what_next is not None
    assert [o.outcome for o in document.what_next.outcomes] == [
        "police_adopted_channel",
        "channel_support_ended",
    ]
    assert to_json(document)["what_happened_next"]["outcomes"][1]["note"] == "  Said: done. "


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (OutcomeIn("", "plan_updated", "1/12/2026"), "outcome"),
        (OutcomeIn("PREVENT", "child_in_need", "1/12/2026"), "outcome"),  # not an outcome of Prevent
        (OutcomeIn("PREVENT", "channel_support_ended", "25/12/2026"), "outcome_on"),
        (OutcomeIn("PREVENT", "channel_support_ended", ""), "outcome_on"),
    ],
)
def test_a_bad_outcome_is_refused_and_nothing_is_saved(
    review: ReviewService,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
    form: OutcomeIn,
    field: str,
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    ids = decided(review, lead, case)
    if form.pathway == "PREVENT":
        form = OutcomeIn(str(ids["prevent_referral"]), form.outcome, form.outcome_on)
    with pytest.raises(ValidationError) as refused:
        review.record_outcome(lead.id, ADDRESS, case.id, form)
    assert field in refused.value.fields
    assert count(sessions, PathwayOutcome) == 0 and count(sessions, CaseReview) == 0


def test_a_review_reminder_goes_to_the_teams_leads_when_due_once_and_not_before(
    review: ReviewService,
    store: Store,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    store.users.set_user_email("north-lead", "lead@example.invalid")
    store.users.set_user_email("south-lead", "south@example.invalid")
    review.set_review(lead.id, ADDRESS, case.id, "1/1/2027")
    day_before = datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    assert queue_due_review_reminders(sessions, day_before) == 0
    assert queue_due_review_reminders(sessions, day_before + timedelta(hours=2)) == 1
    assert queue_due_review_reminders(sessions, day_before + timedelta(days=3)) == 0  # sent once
    with sessions() as session:
        [notice] = session.scalars(select(Notification)).all()
        [reviewed] = session.scalars(select(CaseReview)).all()
    assert (notice.purpose, notice.recipient_id, notice.assessment_id) == ("review_due", lead.id, case.id)
    assert reviewed.reminded_at is not None


def test_the_decisions_own_review_date_is_reminded_once_and_shows_on_the_case(
    review: ReviewService,
    store: Store,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    store.users.set_user_email("north-lead", "lead@example.invalid")
    form = DecisionIn(
        pathways=(HELP,), lawful_bases=("art6_public_task",), consent="given", review_date="10/12/2026"
    )
    review.record_decision(lead.id, ADDRESS, case.id, form)
    document = review.export_case(lead.id, ADDRESS, case.id, "json")
    assert document.what_next is not None
    [shown] = document.what_next.reviews
    assert (shown.due_on, shown.source, shown.state) == (date(2026, 12, 10), "decision", "due")
    assert document.what_next.review_flag == "due"
    assert queue_due_review_reminders(sessions, NOW) == 0  # not before its date
    later = datetime(2026, 12, 10, 8, 0, tzinfo=UTC)
    assert queue_due_review_reminders(sessions, later) == 1
    assert queue_due_review_reminders(sessions, later + timedelta(days=1)) == 0
    assert count(sessions, CaseReview) == 1


def test_months_are_added_to_the_last_day_of_a_short_month() -> None:
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 30), 12) == date(2027, 11, 30)


def test_the_case_list_tags_filters_and_sorts_by_the_next_review(
    review: ReviewService, people: dict[str, UserInfo], cases: dict[str, Case]
) -> None:
    lead = people["north-lead"]
    soon, later = cases["north-live"], cases["north-colleague-live"]
    review.set_review(lead.id, ADDRESS, soon.id, "10/12/2026")
    review.set_review(lead.id, ADDRESS, later.id, "1/6/2027")
    due = review.list_cases(lead.id, ADDRESS, CaseFilters(review_before=NOW.date() + timedelta(days=15)))
    assert [c.id for c in due.cases] == [soon.id]
    assert due.cases[0].next_review == date(2026, 12, 10)
    overdue = review.list_cases(lead.id, ADDRESS, CaseFilters(review_before=NOW.date()))
    assert overdue.cases == ()
    ordered = review.list_cases(lead.id, ADDRESS, CaseFilters(by_review=True))
    assert [c.id for c in ordered.cases] == [soon.id, later.id]  # the lead's two cases, soonest review first


def test_review_filters_are_read_from_the_address_and_a_bad_one_is_named() -> None:
    filters, problems = parse_filters({"review": "overdue", "sort": "review"}, today=date(2026, 12, 6))
    assert filters.review_before == date(2026, 12, 6) and filters.by_review and not problems
    filters, problems = parse_filters({"review": "someday"}, today=date(2026, 12, 6))
    assert filters.review_before is None and "review" in problems
