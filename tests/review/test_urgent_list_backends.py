"""The lead's scope and case list with urgent unsubmitted cases, on SQLite and on a real PostgreSQL server.

The list's SQL is where the two backends differ (how NULL dates sort, booleans, CASE in a filter), and an
urgent case that is not yet submitted has no submission date at all. Test ids end in `[sqlite]` or
`[postgresql]`; `-k sqlite` never starts PostgreSQL (the run's server: tests/fixtures/postgres.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from review_helpers import Case, make_case
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import NotFoundError
from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.forms import DecisionIn
from bot.review.pathway_records import PathwayIn
from bot.review.records import CaseFilters, CaseSummary
from bot.review.services import ReviewService
from bot.store.review_reminders import queue_due_review_reminders
from bot.store.services import Store
from tests.builders import report_danger

ADDRESS = "192.0.2.8"


@pytest.fixture
def database_url(database_url_on_each_backend: str) -> str:
    """Both backends (tests/fixtures/databases.py)."""
    return database_url_on_each_backend


@pytest.fixture
def review(sessions: sessionmaker[Session], bank: QuestionBank) -> ReviewService:
    return ReviewService(sessions, bank)


def ids(cases: tuple[CaseSummary, ...]) -> list[int]:
    return [case.id for case in cases]


def test_urgent_unsubmitted_cases_come_first_whatever_the_sort_and_filters_still_work(
    review: ReviewService, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    lead, north = people["north-lead"], people["north-practitioner"]
    older = make_case(store, bank, north)
    first_flag = make_case(store, bank, north, submit=False, urgent=True)
    newer = make_case(store, bank, north, urgent=True)
    second_flag = make_case(store, bank, north, submit=False, urgent=True)
    quiet = make_case(store, bank, north, submit=False)
    rehearsal = make_case(store, bank, north, mode="rehearsal", submit=False, urgent=True)
    other_team = make_case(store, bank, people["south-practitioner"], submit=False, urgent=True)

    pinned = [second_flag.id, first_flag.id]  # most recently flagged first
    newest = review.list_cases(lead.id, ADDRESS, CaseFilters())
    assert ids(newest.cases) == [*pinned, newer.id, older.id]
    oldest = review.list_cases(lead.id, ADDRESS, CaseFilters(newest_first=False))
    assert ids(oldest.cases) == [*pinned, older.id, newer.id]
    assert [c.status for c in newest.cases] == ["urgent_unsubmitted"] * 2 + ["submitted"] * 2
    assert (newest.total, newest.pinned, newest.urgent_unsubmitted, newest.hidden_urgent) == (4, 2, 2, 0)

    only = review.list_cases(lead.id, ADDRESS, CaseFilters(status="urgent_unsubmitted"))
    assert ids(only.cases) == pinned and only.total == 2
    submitted = review.list_cases(lead.id, ADDRESS, CaseFilters(status="submitted"))
    assert ids(submitted.cases) == [newer.id, older.id] and submitted.hidden_urgent == 2
    urgent = review.list_cases(lead.id, ADDRESS, CaseFilters(urgent=True))
    assert ids(urgent.cases) == [*pinned, newer.id]
    by_reference = review.list_cases(lead.id, ADDRESS, CaseFilters(reference=first_flag.reference))
    assert ids(by_reference.cases) == [first_flag.id] and by_reference.hidden_urgent == 1

    for hidden in (quiet, rehearsal, other_team):
        with pytest.raises(NotFoundError):
            review.open_case(lead.id, ADDRESS, hidden.id)
    view = review.open_case(lead.id, ADDRESS, first_flag.id)
    assert (view.status, view.submitted, view.can_decide, view.can_respond) == (
        "urgent_unsubmitted",
        False,
        False,
        True,
    )


def test_trainers_and_practitioners_see_submitted_cases_only(
    review: ReviewService, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    north = people["north-practitioner"]
    live: Case = make_case(store, bank, north)
    drill: Case = make_case(store, bank, north, mode="rehearsal")
    make_case(store, bank, north, submit=False, urgent=True)
    make_case(store, bank, north, mode="rehearsal", submit=False, urgent=True)
    trainer = review.list_cases(people["north-trainer"].id, ADDRESS, CaseFilters())
    assert ids(trainer.cases) == [drill.id] and trainer.urgent_unsubmitted == 0
    own = review.list_cases(north.id, ADDRESS, CaseFilters())
    assert ids(own.cases) == [drill.id, live.id] and own.urgent_unsubmitted == 0


def test_a_stood_down_flag_leaves_the_urgent_list_until_a_new_danger_report(
    review: ReviewService, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    """Issue #26: the one definition of urgent (bot.store.repository.urgent_now) on both backends."""
    lead, north = people["north-lead"], people["north-practitioner"]
    unsubmitted = make_case(store, bank, north, submit=False, urgent=True)
    submitted = make_case(store, bank, north, urgent=True)
    for case in (unsubmitted, submitted):
        review.stand_down_urgent_flag(lead.id, ADDRESS, case.id, "Not an emergency.")
    listed = review.list_cases(lead.id, ADDRESS, CaseFilters())
    assert ids(listed.cases) == [submitted.id] and not listed.cases[0].urgent
    assert (listed.pinned, listed.urgent_unsubmitted) == (0, 0)
    assert review.list_cases(lead.id, ADDRESS, CaseFilters(urgent=True)).cases == ()

    report_danger(store, unsubmitted.conversation_id, "He is back, with the knife.")
    again = review.list_cases(lead.id, ADDRESS, CaseFilters(urgent=True))
    assert ids(again.cases) == [unsubmitted.id] and again.pinned == 1 and again.cases[0].urgent


def test_the_review_filter_sort_and_reminder_run_on_both_backends(
    review: ReviewService,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    """Issue #12: the next review date is one SQL expression (a CASE over two correlated subqueries)."""
    lead, north = people["north-lead"], people["north-practitioner"]
    store.users.set_user_email("north-lead", "lead@example.invalid")
    by_lead, by_decision, without = (make_case(store, bank, north) for _ in range(3))
    today = datetime.now(UTC).date()
    review.set_review(lead.id, ADDRESS, by_lead.id, (today + timedelta(days=40)).strftime("%d/%m/%Y"))
    decision = DecisionIn(
        pathways=(PathwayIn("early_help", "Family asked.", "Contacts.", "DSL"),),
        lawful_bases=("art6_public_task",),
        consent="given",
        review_date=(today + timedelta(days=3)).strftime("%d/%m/%Y"),
    )
    review.record_decision(lead.id, ADDRESS, by_decision.id, decision)
    due = review.list_cases(lead.id, ADDRESS, CaseFilters(review_before=today + timedelta(days=15)))
    assert ids(due.cases) == [by_decision.id]
    ordered = review.list_cases(lead.id, ADDRESS, CaseFilters(by_review=True))
    assert ids(ordered.cases)[:2] == [by_decision.id, by_lead.id] and without.id in ids(ordered.cases)
    assert [c.next_review for c in ordered.cases[:2]] == [
        today + timedelta(days=3),
        today + timedelta(days=40),
    ]
    at = datetime.combine(today + timedelta(days=3), datetime.min.time(), UTC)
    assert queue_due_review_reminders(sessions, at - timedelta(hours=1)) == 0
    assert queue_due_review_reminders(sessions, at) == 1
    assert queue_due_review_reminders(sessions, at + timedelta(days=1)) == 0
    assert isinstance(ordered.cases[0].next_review, date)
