"""A practitioner's own assessments (PractitionerService), on SQLite and PostgreSQL.

Opening a new assessment (audited, and adding only to one's own submitted ones), the home page's list in
its order with what each row shows, finding one by reference (never someone else's), the assessment last
used on any channel, and the list read in the same number of statements however many assessments there are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.assessment_summary import AssessmentSummary
from bot.domain.errors import ConflictError, NotFoundError, NotPermittedError, ValidationError
from bot.domain.records import Actor, ChatMessage, UserInfo
from bot.questions import load_bank
from bot.review.forms import DecisionIn
from bot.review.pathway_records import PathwayIn
from bot.review.services import ReviewService
from bot.store.models import AuditEvent, User
from bot.store.practitioner import PractitionerService
from bot.store.services import Store
from tests.builders import give_answer, move, report_danger
from tests.store.conftest import PASSWORD, Clock, make_answer

BANK = "2026.1"
FEEDBACK = '  Thank you: early help will "call" the family <soon> & keep you posted.\n\nRing me. '
TABLES = ("conversations", "assessments", "audit_events")


@pytest.fixture
def practitioners(sessions: sessionmaker[Session], clock: Clock) -> PractitionerService:
    return PractitionerService(sessions, clock=clock)


@pytest.fixture
def colleague(service: Store) -> UserInfo:
    return service.users.create_user("sam.jones", PASSWORD, "practitioner", "North Team")


@pytest.fixture
def trainer(service: Store) -> UserInfo:
    return service.users.create_user("tess.trainer", PASSWORD, "trainer", "North Team")


def test_a_runs_mode_is_fixed_by_how_it_starts_and_practice_runs_start_from_a_scenario(
    practitioners: PractitionerService,
    service: Store,
    practitioner: UserInfo,
    trainer: UserInfo,
    count_rows: Callable[[str], int],
) -> None:
    """Issue #26: "Start a new screening" and the danger control open live runs. Issue #13: a practice run
    starts only from a scenario (recorded with it), for trainers and trainees (practitioners); admins and
    coordinators raise no concerns at all."""
    assert practitioners.open_assessment(practitioner.id, "web", BANK).mode == "live"
    assert practitioners.open_assessment(trainer.id, "web", BANK).mode == "live"
    run = practitioners.open_assessment(
        trainer.id, "web", BANK, mode="rehearsal", scenario_id="a_plan_for_friday"
    )
    assert (run.mode, run.scenario_id) == ("rehearsal", "a_plan_for_friday")
    trainee = practitioners.open_assessment(practitioner.id, "web", BANK, mode="rehearsal", scenario_id="x_y")
    assert (trainee.mode, trainee.scenario_id) == ("rehearsal", "x_y")
    admin = service.users.create_user("ada.admin", PASSWORD, "admin", "North Team")
    coordinator = service.users.create_user("cora.coordinator", PASSWORD, "coordinator", "North Team")
    before = {table: count_rows(table) for table in TABLES}
    refusals = [
        (admin.id, "live", "role", "cannot start a screening"),
        (coordinator.id, "live", "role", "cannot start a screening"),
        (coordinator.id, "rehearsal", "mode", "cannot start a practice run"),
    ]
    for user_id, mode, field, message in refusals:
        scenario = "a_plan_for_friday" if mode == "rehearsal" else None
        with pytest.raises(NotPermittedError) as caught:
            practitioners.open_assessment(user_id, "web", BANK, mode=mode, scenario_id=scenario)
        assert message in caught.value.fields[field]
    with pytest.raises(ValidationError):
        practitioners.open_assessment(trainer.id, "web", BANK, mode="practice")
    # Without a scenario there is no practice run, and a live run has none (bad input changes nothing).
    for mode, scenario in (("rehearsal", None), ("live", "a_plan_for_friday"), ("rehearsal", "Not An Id")):
        with pytest.raises(ValidationError) as refused:
            practitioners.open_assessment(trainer.id, "web", BANK, mode=mode, scenario_id=scenario)
        assert "scenario_id" in refused.value.fields
    # Nothing opened; each refusal is in the trail, and nothing else is.
    assert count_rows("conversations") == before["conversations"]
    assert count_rows("assessments") == before["assessments"]
    assert count_rows("audit_events") == before["audit_events"] + len(refusals)


def said(service: Store, held: AssessmentSummary, *texts: str) -> None:
    """Lines in the assessment's chat display log, as the chat pages append them."""
    service.conversations.append_chat_messages(
        held.conversation_id, [ChatMessage(direction="out", text=t) for t in texts]
    )


def decide(
    sessions: sessionmaker[Session],
    clock: Clock,
    lead: UserInfo,
    held: AssessmentSummary,
    service: Store,
) -> None:
    """A lead's decision with feedback for the practitioner, through the review service."""
    record = service.assessments.get_assessment(held.conversation_id)
    assert record is not None
    ReviewService(sessions, load_bank(), clock=clock).record_decision(
        lead.id,
        "127.0.0.1",
        record.id,
        DecisionIn(
            pathways=(
                PathwayIn(
                    "early_help",
                    rationale="Repeated statements over three weeks.",
                    shared="The concern, to the team named.",
                    owner="Safeguarding lead",
                ),
            ),
            lawful_bases=("art6_public_task",),
            consent="not_sought",
            consent_reason="Seeking it would alert the person of concern.",
            review_date="1/9/2099",
            feedback=FEEDBACK,
            feedback_given_on="1/3/2026",
        ),
    )


def started_events(sessions: sessionmaker[Session]) -> list[AuditEvent]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "assessment.started")))


# -- opening -------------------------------------------------------------------------------------------------


def test_open_assessment_makes_a_draft_with_its_own_conversation_and_audits_it(
    practitioners: PractitionerService,
    service: Store,
    sessions: sessionmaker[Session],
    practitioner: UserInfo,
    clock: Clock,
) -> None:
    mine = practitioners.for_actor(Actor.user(practitioner.id))
    first = mine.open_assessment(practitioner.id, "web", BANK)
    second = mine.open_assessment(practitioner.id, "teams", BANK)

    assert first.reference != second.reference and first.conversation_id != second.conversation_id
    assert (first.status, first.mode, first.channel, first.messages, first.urgent) == (
        "in_progress",
        "live",
        "web",
        0,
        False,
    )
    assert (first.created_at, first.last_used_at, first.submitted_at) == (clock.now, clock.now, None)
    assert (first.review_status, first.feedback, first.linked_from, first.answer_values) == (
        None,
        None,
        None,
        {},
    )
    assert second.channel == "teams"
    record = service.assessments.get_assessment(first.conversation_id)
    assert record is not None
    assert (record.reference, record.practitioner_id, record.team, record.bank_version) == (
        first.reference,
        practitioner.id,
        "North Team",
        BANK,
    )
    assert service.conversations.latest_conversation(practitioner.id) == second.conversation_id

    [event_one, event_two] = started_events(sessions)
    assert (event_one.actor_kind, event_one.actor_id) == ("user", str(practitioner.id))
    assert event_one.conversation_id == first.conversation_id and event_one.assessment_id == record.id
    assert event_one.detail == {
        "reference": first.reference,
        "mode": "live",
        "bank_version": BANK,
        "channel": "web",
        "linked_from_id": None,
    }
    assert event_two.detail["channel"] == "teams"


def test_a_new_assessment_may_add_to_an_own_submitted_one(
    practitioners: PractitionerService,
    service: Store,
    sessions: sessionmaker[Session],
    trainer: UserInfo,
) -> None:
    earlier = practitioners.open_assessment(trainer.id, "web", BANK, mode="rehearsal", scenario_id="a_b")
    service.assessments.submit(earlier.conversation_id)
    earlier_id = service.assessments.get_assessment(earlier.conversation_id).id  # type: ignore[union-attr]

    added = practitioners.open_assessment(trainer.id, "web", BANK, linked_from=earlier.reference)
    again = practitioners.open_assessment(trainer.id, "web", BANK, linked_from=earlier.reference.lower())

    assert (added.linked_from, again.linked_from) == (earlier.reference, earlier.reference)
    assert added.mode == "rehearsal"  # a practice run's addition is practice too, never a live record
    assert added.scenario_id == "a_b"
    assert started_events(sessions)[-1].detail["linked_from_id"] == earlier_id


@pytest.mark.parametrize("case", ["other user's", "draft", "missing", "garbage", "too long"])
def test_linking_to_anything_but_an_own_submitted_assessment_is_refused_and_writes_nothing(
    practitioners: PractitionerService,
    service: Store,
    practitioner: UserInfo,
    colleague: UserInfo,
    count_rows: Callable[[str], int],
    case: str,
) -> None:
    theirs = practitioners.open_assessment(colleague.id, "web", BANK)
    service.assessments.submit(theirs.conversation_id)
    draft = practitioners.open_assessment(practitioner.id, "web", BANK)
    linked_from, error = {
        "other user's": (theirs.reference, NotFoundError),
        "draft": (draft.reference, ConflictError),
        "missing": ("A-ZZZZZZ", NotFoundError),
        "garbage": ("A-' OR '1'='1", NotFoundError),
        "too long": ("A-" + "Z" * 20_000, NotFoundError),
    }[case]
    before = {table: count_rows(table) for table in TABLES}

    with pytest.raises(error):
        practitioners.open_assessment(practitioner.id, "web", BANK, linked_from=linked_from)

    assert {table: count_rows(table) for table in TABLES} == before


def test_opening_for_an_unknown_or_inactive_user_or_a_bad_channel_is_refused(
    practitioners: PractitionerService,
    sessions: sessionmaker[Session],
    practitioner: UserInfo,
    count_rows: Callable[[str], int],
) -> None:
    before = {table: count_rows(table) for table in TABLES}
    with pytest.raises(NotFoundError):
        practitioners.open_assessment(999_999, "web", BANK)
    with pytest.raises(ValidationError):
        practitioners.open_assessment(practitioner.id, "web chat; drop", BANK)
    with sessions.begin() as session:
        session.execute(update(User).where(User.id == practitioner.id).values(active=False))
    with pytest.raises(NotFoundError):
        practitioners.open_assessment(practitioner.id, "web", BANK)
    assert {table: count_rows(table) for table in TABLES} == before


# -- listing and finding ---------------------------------------------------------------------------------


def test_assessments_of_lists_drafts_by_last_use_then_submitted_newest_first(
    practitioners: PractitionerService,
    service: Store,
    sessions: sessionmaker[Session],
    practitioner: UserInfo,
    colleague: UserInfo,
    clock: Clock,
) -> None:
    lead = service.users.create_user("lee.lead", PASSWORD, "lead", "North Team")
    answered = practitioners.open_assessment(practitioner.id, "web", BANK)
    said(service, answered, "Question one", "Question two")
    give_answer(service, answered.conversation_id, make_answer("q1", 1, "first words"))
    give_answer(service, answered.conversation_id, make_answer("q2", 1, "cleared later"))
    # both withdrawn (a revision each), then q1 again
    service.assessments.start_again(answered.conversation_id)
    give_answer(service, answered.conversation_id, make_answer("q1", 3, "second words"))
    move(service, answered.conversation_id, "q3")
    clock.advance(minutes=1)
    untouched = practitioners.open_assessment(practitioner.id, "web", BANK)
    clock.advance(minutes=1)
    older = practitioners.open_assessment(practitioner.id, "web", BANK)
    said(service, older, "Asked")
    service.assessments.submit(older.conversation_id)
    newer_sent = clock.advance(minutes=1)
    newer = practitioners.open_assessment(practitioner.id, "teams", BANK)
    report_danger(service, newer.conversation_id, "He has a knife.")
    service.assessments.submit(newer.conversation_id)
    clock.advance(minutes=1)
    decide(sessions, clock, lead, newer, service)
    later = clock.advance(minutes=1)
    said(service, answered, "Question three")  # the first draft is the one used last
    theirs = practitioners.open_assessment(colleague.id, "web", BANK)  # someone else's: never listed

    listed = practitioners.assessments_of(practitioner.id)

    order = [answered.reference, untouched.reference, newer.reference, older.reference]
    assert [a.reference for a in listed] == order
    first, second, third, fourth = listed
    assert first.answer_values == {"q1": "second words"}  # current values only: withdrawn ones left out
    assert (first.current_question_id, first.messages, first.last_used_at) == ("q3", 3, later)
    assert (second.messages, second.answer_values, second.review_status) == (0, {}, None)
    assert (third.status, third.channel, third.urgent, third.submitted_at) == (
        "submitted",
        "teams",
        True,
        newer_sent,
    )
    assert (third.review_status, third.feedback, third.feedback_given_on) == (
        "decided",
        FEEDBACK,
        date(2026, 3, 1),
    )
    assert third.answer_values == {}  # filled for drafts only
    assert (fourth.review_status, fourth.feedback, fourth.messages) == ("submitted", None, 1)
    assert theirs.reference not in {a.reference for a in listed}
    assert practitioners.assessments_of(999_999) == []


def test_own_assessment_finds_only_the_practitioners_own(
    practitioners: PractitionerService, practitioner: UserInfo, colleague: UserInfo
) -> None:
    mine = practitioners.open_assessment(practitioner.id, "web", BANK)
    theirs = practitioners.open_assessment(colleague.id, "web", BANK)

    found = practitioners.own_assessment(practitioner.id, mine.reference)
    assert found is not None and found.conversation_id == mine.conversation_id
    lower = practitioners.own_assessment(practitioner.id, mine.reference.lower())
    assert lower is not None and lower.reference == mine.reference  # references are read out and typed
    for reference in (
        theirs.reference,
        theirs.reference.lower(),
        "A-ZZZZZZ",
        "",
        "A-' OR '1'='1",
        f"{mine.reference}' --",
        f" {mine.reference}",
        "A-" + "Z" * 20_000,
        mine.conversation_id,
    ):
        assert practitioners.own_assessment(practitioner.id, reference) is None, reference
    assert practitioners.own_assessment(colleague.id, mine.reference) is None


def test_last_used_is_where_the_practitioner_last_said_anything_on_any_channel(
    practitioners: PractitionerService, service: Store, practitioner: UserInfo, colleague: UserInfo
) -> None:
    assert practitioners.last_used(practitioner.id) is None
    web = practitioners.open_assessment(practitioner.id, "web", BANK)
    teams = practitioners.open_assessment(practitioner.id, "teams", BANK)
    assert practitioners.last_used(practitioner.id) is None  # opened, but nothing said in either yet

    said(service, web, "web question")
    said(service, teams, "teams question")
    assert practitioners.last_used(practitioner.id).reference == teams.reference  # type: ignore[union-attr]
    said(service, web, "back on the web")
    assert practitioners.last_used(practitioner.id).reference == web.reference  # type: ignore[union-attr]

    practitioners.open_assessment(practitioner.id, "web", BANK)  # newer, but nothing said: not last used
    theirs = practitioners.open_assessment(colleague.id, "web", BANK)
    said(service, theirs, "someone else's")
    last = practitioners.last_used(practitioner.id)
    assert last is not None and last.reference == web.reference
    service.assessments.submit(web.conversation_id)
    last = practitioners.last_used(practitioner.id)
    assert last is not None and last.reference == web.reference and last.submitted  # the caller decides


# -- a fixed number of statements ------------------------------------------------------------------------


@contextmanager
def counting(sessions: sessionmaker[Session]) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = sessions.kw["bind"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def add_assessments(
    practitioners: PractitionerService,
    service: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    user: UserInfo,
    lead: UserInfo,
    rounds: int,
) -> None:
    """Of every kind the list shows: drafts with answers and messages, submitted ones with and without a
    decision, and additions linked to submitted ones."""
    for n in range(rounds):
        draft = practitioners.open_assessment(user.id, "web", BANK)
        said(service, draft, f"question {n}")
        give_answer(service, draft.conversation_id, make_answer("q1", 1, f"answer {n}"))
        plain = practitioners.open_assessment(user.id, "teams", BANK)
        service.assessments.submit(plain.conversation_id)
        reviewed = practitioners.open_assessment(user.id, "web", BANK)
        service.assessments.submit(reviewed.conversation_id)
        decide(sessions, clock, lead, reviewed, service)
        practitioners.open_assessment(user.id, "web", BANK, linked_from=reviewed.reference)
        clock.advance(minutes=1)


def test_the_list_takes_the_same_statements_for_one_assessment_or_many(
    practitioners: PractitionerService,
    service: Store,
    sessions: sessionmaker[Session],
    practitioner: UserInfo,
    colleague: UserInfo,
    clock: Clock,
) -> None:
    lead = service.users.create_user("lee.lead", PASSWORD, "lead", "North Team")
    add_assessments(practitioners, service, sessions, clock, practitioner, lead, rounds=1)
    add_assessments(practitioners, service, sessions, clock, colleague, lead, rounds=6)

    with counting(sessions) as few:
        assert len(practitioners.assessments_of(practitioner.id)) == 4
    with counting(sessions) as many:
        assert len(practitioners.assessments_of(colleague.id)) == 24
    assert len(many) == len(few), (few, many)
    assert len(few) <= 10, few
    reference = practitioners.assessments_of(colleague.id)[0].reference
    with counting(sessions) as one:
        assert practitioners.own_assessment(colleague.id, reference) is not None
    assert len(one) <= len(few) + 1
