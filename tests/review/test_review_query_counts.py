"""The case list and the case page read the store in a fixed number of statements, however big the case.

One query per row, answer, decision or tag (N+1) is what makes these pages slow at 10,000 assessments of 80
answers; counting statements catches it without measuring time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from review_helpers import Case, add_danger_details, add_notice, make_case
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import AnswerIn, UserInfo
from bot.questions import QuestionBank
from bot.review.case_json import to_json
from bot.review.forms import ActionIn, DecisionIn, TagIn
from bot.review.pathway_records import PathwayIn
from bot.review.records import CaseFilters
from bot.review.services import ReviewService
from bot.store.services import Store
from tests.builders import give_answer, report_danger

ADDRESS = "192.0.2.9"


@pytest.fixture
def review(sessions: sessionmaker[Session], bank: QuestionBank) -> ReviewService:
    return ReviewService(sessions, bank)


@contextmanager
def counting(sessions: sessionmaker[Session]) -> Iterator[Callable[[], int]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = sessions.kw["bind"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield lambda: len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)


def big_case(store: Store, bank: QuestionBank, practitioner: UserInfo, answers: int) -> Case:
    conversation = store.conversations.open_conversation(practitioner.id, "web")
    store.assessments.start_or_resume(conversation, bank.version, "live")
    questions = [q for q in bank.authored_questions if q.answer_type == "free_text"][:answers]
    assert len(questions) == answers
    for question in questions:
        give_answer(
            store,
            conversation,
            AnswerIn(
                question_id=question.id,
                revision=1,
                wording=question.text,
                text="Words.",
                value="Words.",
                status="answered",
            ),
        )
    record = store.assessments.submit(conversation)
    return Case(record.id, record.reference, conversation)


def reviewed(review: ReviewService, store: Store, lead: UserInfo, case: Case, decisions: int) -> None:
    """Every answer tagged with every dimension, and `decisions` decisions of three actions each."""
    record = store.assessments.get_assessment(case.conversation_id)
    assert record is not None
    for answer in record.answers.values():
        form = TagIn(answer.question_id, str(answer.revision), ("engagement", "intent", "capability"), "n")
        review.tag_evidence(lead.id, ADDRESS, case.id, form)
    actions = tuple(ActionIn(f"Action {n}", "Lead", "1/1/2099") for n in range(3))
    # Two pathways, so that reading a decision's pathways is seen to take one statement however many.
    pathways = tuple(
        PathwayIn(key, "Because.", "Nothing yet.", "Lead") for key in ("early_help", "s17_assessment")
    )
    form = DecisionIn(pathways, ("art6_public_task",), "given", actions=actions)
    for number in range(decisions):
        if number:
            review.reopen_case(lead.id, ADDRESS, case.id, "Again.")
        review.record_decision(lead.id, ADDRESS, case.id, form)


def test_the_case_page_reads_in_the_same_number_of_statements_for_a_small_and_a_big_case(
    review: ReviewService, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    lead, practitioner = people["north-lead"], people["north-practitioner"]
    small = big_case(store, bank, practitioner, answers=1)
    big = big_case(store, bank, practitioner, answers=12)
    reviewed(review, store, lead, small, decisions=1)
    reviewed(review, store, lead, big, decisions=4)
    sessions = store.session_factory

    counts = []
    for case in (small, big):
        with counting(sessions) as statements:
            view = review.open_case(lead.id, ADDRESS, case.id)
        counts.append(statements())
    assert counts[0] == counts[1]
    assert sum(len(a.tags) for s in view.sections for a in s.answers) == 36
    assert [len(d.actions) for d in view.decisions] == [3, 3, 3, 3]

    counts = []
    for case in (small, big):
        with counting(sessions) as statements:
            export = to_json(review.export_case(lead.id, ADDRESS, case.id, "json"))
        counts.append(statements())
    assert counts[0] == counts[1]
    assert len(export["evidence_tags"]) == 36 and len(export["decisions"]) == 4


def test_the_case_list_reads_in_the_same_number_of_statements_for_few_and_many_cases(
    review: ReviewService, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    lead = people["north-lead"]
    practitioners = [people["north-practitioner"], people["north-colleague"]]
    make_case(store, bank, practitioners[0])
    with counting(store.session_factory) as statements:
        few = review.list_cases(lead.id, ADDRESS, CaseFilters())
    few_count = statements()
    for number in range(20):
        make_case(store, bank, practitioners[number % 2])
    # Urgent cases not yet submitted head the list: still no statement per case.
    for number in range(5):
        make_case(store, bank, practitioners[number % 2], submit=False, urgent=True)
    with counting(store.session_factory) as statements:
        many = review.list_cases(lead.id, ADDRESS, CaseFilters())
    assert statements() == few_count
    assert len(few.cases) == 1 and len(many.cases) == 26 and many.pinned == 5
    with counting(store.session_factory) as statements:
        filtered = review.list_cases(lead.id, ADDRESS, CaseFilters(status="submitted", page=2))
    assert statements() == few_count
    assert filtered.cases == () and filtered.hidden_urgent == 5


def test_an_urgent_case_page_reads_in_the_same_number_of_statements_however_much_it_holds(
    review: ReviewService, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    """Danger reports, follow-up answers, notices and responses are read a table at a time, not a row."""
    lead, practitioner = people["north-lead"], people["north-practitioner"]
    sessions = store.session_factory
    at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    small = make_case(store, bank, practitioner, submit=False, urgent=True)
    big = make_case(store, bank, practitioner, submit=False, urgent=True)
    for number in range(4):
        report_danger(store, big.conversation_id, f"Danger report {number}.")
    add_danger_details(sessions, big, at)
    leads = [lead, *(make_user_lead(store, f"north-lead-{n}") for n in range(3))]
    for recipient in leads:
        for channel in ("email", "teams"):
            add_notice(sessions, big, recipient, channel=channel, status="sent", at=at, sent_at=at)
    for recipient in leads:
        review.record_urgent_response(recipient.id, ADDRESS, big.id, f"Rang them ({recipient.username}).")

    counts = []
    for case in (small, big):
        with counting(sessions) as statements:
            view = review.open_case(lead.id, ADDRESS, case.id)
        counts.append(statements())
    assert counts[0] == counts[1]
    assert len(view.urgent_messages) == 5 and len(view.danger_details) == 2
    assert len(view.notices) >= 8 and len(view.responses) == 4
    assert {r.by for r in view.responses} == {u.username for u in leads}


def make_user_lead(store: Store, name: str) -> UserInfo:
    return store.users.create_user(name, "correct horse battery staple", "lead", "North team")
