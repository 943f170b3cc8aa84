"""One chronology per child and assignment to a named lead (issue #12), through the review service on SQLite
and on a real PostgreSQL server: two practitioners and two leads of one team, a lead of another team, many
referrals submitted over several days by a moving clock, and a restart (a new service and session factory on
the same store) in between. Test ids end in `[sqlite]` or `[postgresql]`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from review_helpers import make_user
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import NotFoundError, ValidationError
from bot.domain.records import AssessmentRecord, UserInfo
from bot.questions import QuestionBank
from bot.review.forms import DecisionIn
from bot.review.next_records import SharingIn
from bot.review.pathway_records import PathwayIn
from bot.review.records import ASSIGNED_TO_ME, UNASSIGNED, CaseFilters
from bot.review.services import ReviewService
from bot.store.db import make_session_factory
from bot.store.models import AuditEvent
from bot.store.review_models import Referral, case_record_digest
from bot.store.services import Store
from tests.fixtures.cases import build_case
from tests.fixtures.clocks import Clock

ADDRESS = "192.0.2.12"
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
EARLY_HELP = PathwayIn("early_help", "The family asked for help.", "The concern.", "Early help lead")


@pytest.fixture
def database_url(database_url_on_each_backend: str) -> str:
    """Both backends (tests/fixtures/databases.py)."""
    return database_url_on_each_backend


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


@pytest.fixture
def clocked(sessions: sessionmaker[Session], clock: Clock) -> Store:
    return Store(sessions, clock=clock)


@pytest.fixture
def review(sessions: sessionmaker[Session], bank: QuestionBank, clock: Clock) -> ReviewService:
    return ReviewService(sessions, bank, clock=clock)


@pytest.fixture
def restarted_sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    """A second session factory on the same store, as a restarted app makes (disposed afterwards)."""
    factory = make_session_factory(database_url)
    yield factory
    factory.kw["bind"].dispose()


@pytest.fixture
def second_lead(store: Store, people: dict[str, UserInfo]) -> UserInfo:
    return make_user(store, "north-lead-two", "lead", "North team")


def submit(store: Store, bank: QuestionBank, who: UserInfo, text: str, fact: date) -> AssessmentRecord:
    return build_case(store, bank, who, text=text, fact_date=fact)


def audit_actions(sessions: sessionmaker[Session], action: str) -> list[dict[str, object]]:
    with sessions() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        return [{**(row.detail or {}), "assessment_id": row.assessment_id} for row in rows]


def test_linked_referrals_show_one_chronology_in_date_order_and_only_to_their_team(
    review: ReviewService,
    clocked: Store,
    clock: Clock,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
    restarted_sessions: sessionmaker[Session],
) -> None:
    lead, south_lead = people["north-lead"], people["south-lead"]
    first = submit(
        clocked, bank, people["north-practitioner"], "  Said 'they'll see' & left.\n", date(2026, 10, 20)
    )
    clock.now += timedelta(days=2, hours=3)
    second = submit(clocked, bank, people["north-colleague"], "Posted a video at school.", date(2026, 10, 28))
    clock.now += timedelta(days=1)
    unlinked = submit(clocked, bank, people["north-practitioner"], "Another child.", date(2026, 10, 1))
    south = submit(clocked, bank, people["south-practitioner"], "South's words.", date(2026, 10, 25))

    # Bad input is named and changes nothing, and no referral is linked.
    for bad in ("", "12", "CR-12<script>", "CR-0012345-and-more-and-more"):
        with pytest.raises(ValidationError) as refused:
            review.link_case_record(lead.id, ADDRESS, first.id, bad)
        assert "case_record_id" in refused.value.fields
    with sessions() as session:
        assert (
            session.scalars(select(Referral.case_record_id).where(Referral.case_record_id.is_not(None))).all()
            == []
        )

    assert review.link_case_record(lead.id, ADDRESS, first.id, "  cr-0012345 ") == "CR-0012345"
    assert review.link_case_record(lead.id, ADDRESS, second.id, "CR-0012345") == "CR-0012345"
    # Another team's lead typing the same ID links only their own referral, and cannot reach North's.
    review.link_case_record(south_lead.id, ADDRESS, south.id, "CR-0012345")
    with pytest.raises(NotFoundError):
        review.link_case_record(south_lead.id, ADDRESS, first.id, "CR-0012345")

    clock.now += timedelta(hours=1)
    review.record_decision(
        lead.id,
        ADDRESS,
        first.id,
        DecisionIn(pathways=(EARLY_HELP,), lawful_bases=("art6_public_task",), consent="given"),
    )
    review.record_sharing(
        lead.id,
        ADDRESS,
        first.id,
        SharingIn(
            shared_what="The screening, as sent.",
            recipient="Early help team",
            shared_on="1/11/2026",
            method="phone",
            lawful_basis="art6_public_task",
        ),
    )

    # A restart: a new session factory and a new service on the same store.
    restarted = ReviewService(restarted_sessions, bank, clock=clock)
    view = restarted.open_case(lead.id, ADDRESS, second.id)
    assert view.child is not None and view.child.chronology is not None
    chronology = view.child.chronology
    assert [case.id for case in chronology.cases] == [first.id, second.id]
    items = [(item.on, item.kind, item.case.reference, item.words) for item in chronology.items]
    assert items == sorted(items, key=lambda item: item[0])  # date order
    assert [item for item in items if item[1] == "answer"] == [
        (date(2026, 10, 20), "answer", first.reference, "  Said 'they'll see' & left.\n"),  # verbatim
        (date(2026, 10, 28), "answer", second.reference, "Posted a video at school."),
    ]
    kinds = [(item[1], item[2]) for item in items]
    assert ("sharing", first.reference) in kinds and ("decision", first.reference) in kinds
    assert kinds.count(("submitted", first.reference)) == 1 and ("submitted", second.reference) in kinds
    assert all(item.case.id != south.id for item in chronology.items)
    assert "South's words." not in {item.words for item in chronology.items}
    assert unlinked.reference not in {item.case.reference for item in chronology.items}

    south_view = restarted.open_case(south_lead.id, ADDRESS, south.id)
    assert south_view.child is not None and south_view.child.chronology is not None
    assert {item.case.id for item in south_view.child.chronology.items} == {south.id}

    # Practitioners never see the link or the chronology (it identifies the child).
    assert restarted.open_case(people["north-practitioner"].id, ADDRESS, first.id).child is None

    # Unlinking takes the referral out of the chronology; a second unlink changes nothing. Both audited.
    assert restarted.unlink_case_record(lead.id, ADDRESS, second.id) is True
    assert restarted.unlink_case_record(lead.id, ADDRESS, second.id) is False
    after = restarted.open_case(lead.id, ADDRESS, first.id).child
    assert after is not None and after.chronology is not None
    assert {item.case.id for item in after.chronology.items} == {first.id}
    linked = audit_actions(sessions, "case.record_linked")
    # The trail names the record by its lookup digest, never the ID (issue #31).
    assert [event["case_record_lookup"] for event in linked] == [case_record_digest("CR-0012345")] * 3
    assert "CR-0012345" not in repr(linked + audit_actions(sessions, "case.record_unlinked"))
    assert [event["assessment_id"] for event in audit_actions(sessions, "case.record_unlinked")] == [
        second.id
    ]
    assert audit_actions(sessions, "case.chronology_viewed")
    refused = audit_actions(sessions, "case.link_refused")
    assert [event["assessment_id"] for event in refused] == [first.id]


def test_assignment_waiting_time_filters_and_sort_over_several_days_and_a_restart(
    review: ReviewService,
    clocked: Store,
    clock: Clock,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    second_lead: UserInfo,
    sessions: sessionmaker[Session],
    restarted_sessions: sessionmaker[Session],
) -> None:
    lead = people["north-lead"]
    made = []
    for day in range(6):  # one referral a day from each practitioner, 5 hours apart
        for offset, who in ((0, "north-practitioner"), (5, "north-colleague")):
            clock.now = MONDAY + timedelta(days=day, hours=offset)
            made.append(
                submit(
                    clocked, bank, people[who], f"Day {day}, {who}.", date(2026, 10, 1) + timedelta(days=day)
                )
            )
    clock.now = MONDAY + timedelta(days=7, hours=2)  # a week on, weekend included: days are days

    oldest, newest = made[0], made[-1]
    assert review.assign_case(lead.id, ADDRESS, oldest.id, str(second_lead.id)) == second_lead.id
    assert review.assign_case(lead.id, ADDRESS, made[3].id, str(lead.id)) == lead.id
    assert review.assign_case(second_lead.id, ADDRESS, newest.id, str(second_lead.id)) == second_lead.id
    # Only a lead of the case's team: another team's lead, a practitioner and nonsense are refused.
    for wrong in (str(people["south-lead"].id), str(people["north-practitioner"].id), "x", "99999999999"):
        with pytest.raises(ValidationError):
            review.assign_case(lead.id, ADDRESS, made[4].id, wrong)
    with pytest.raises(NotFoundError):
        review.assign_case(people["south-lead"].id, ADDRESS, made[4].id, str(people["south-lead"].id))
    with pytest.raises(NotFoundError):  # a trainer never sees a live case
        review.assign_case(people["north-trainer"].id, ADDRESS, made[4].id, str(lead.id))
    review.record_decision(
        lead.id,
        ADDRESS,
        made[3].id,
        DecisionIn(pathways=(EARLY_HELP,), lawful_bases=("art6_public_task",), consent="given"),
    )

    # A restart: a new session factory and service on the same store; the clock moves on an hour.
    clock.now += timedelta(hours=1)
    restarted = ReviewService(restarted_sessions, bank, clock=clock)
    everything = restarted.list_cases(lead.id, ADDRESS, CaseFilters())
    by_id = {case.id: case for case in everything.cases}
    assert by_id[oldest.id].assigned_to == "north-lead-two"
    assert by_id[oldest.id].waiting == timedelta(days=7, hours=3)
    assert by_id[newest.id].waiting == timedelta(days=1, hours=22)
    assert by_id[made[3].id].waiting is None  # decided: no longer waiting
    assert by_id[made[5].id].assigned_to is None

    mine = restarted.list_cases(
        second_lead.id, ADDRESS, CaseFilters(assigned=ASSIGNED_TO_ME, by_waiting=True)
    )
    assert [case.id for case in mine.cases] == [oldest.id, newest.id]
    unassigned = restarted.list_cases(lead.id, ADDRESS, CaseFilters(assigned=UNASSIGNED))
    assert {case.id for case in unassigned.cases} == {case.id for case in made} - {
        oldest.id,
        made[3].id,
        newest.id,
    }
    waiting = restarted.list_cases(lead.id, ADDRESS, CaseFilters(by_waiting=True))
    order = [case.id for case in waiting.cases]
    assert order[:-1] == [case.id for case in made if case.id != made[3].id]  # longest wait first
    assert order[-1] == made[3].id  # decided cases after every waiting one

    # Taking the assignment away, and the trail of every change.
    assert restarted.assign_case(lead.id, ADDRESS, oldest.id, "") is None
    assert restarted.list_cases(second_lead.id, ADDRESS, CaseFilters(assigned=ASSIGNED_TO_ME)).total == 1
    assigned = audit_actions(sessions, "case.assigned")
    assert [(e["assessment_id"], e["assigned_to"]) for e in assigned] == [
        (oldest.id, second_lead.id),
        (made[3].id, lead.id),
        (newest.id, second_lead.id),
    ]
    assert [e["assessment_id"] for e in audit_actions(sessions, "case.unassigned")] == [oldest.id]
    assert len(audit_actions(sessions, "case.link_refused")) == 2  # the other team's lead and the trainer
