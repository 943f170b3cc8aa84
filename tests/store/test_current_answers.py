"""The one "current answer" rule in bot.store.current_answers agrees with a few lines of Python saying it.

The rule: a question's current answer is its highest revision, unless that revision is withdrawn. Every
reader (a case's record, the practitioner's home, tagging in the review, the report counts) now goes through
the store's one condition; here random histories of revisions and withdrawals, written in a random order
and spread over two assessments that share question ids, are checked against the model on SQLite and
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import SKIPPED_KEY, WITHDRAWN
from bot.store import db, repository
from bot.store.current_answers import current_revision, current_values, is_current
from bot.store.models import Answer, Assessment
from bot.store.services import Store
from tests.fixtures.hypothesis_lanes import examples

if TYPE_CHECKING:
    from tests.store.conftest import Databases

QUESTIONS = ("q1", "q2", "q3")
STATUSES = ("answered", "skipped", "unsure", WITHDRAWN)
# One revision: (which of the two assessments, question id, revision, status).
Revision = tuple[int, str, int, str]


@st.composite
def histories(draw: st.DrawFn) -> list[Revision]:
    """Distinct revision numbers per (assessment, question), with gaps, each with any status, in any order."""
    rows: list[Revision] = []
    for which in (0, 1):
        for question in draw(st.lists(st.sampled_from(QUESTIONS), unique=True)):
            revisions = draw(st.sets(st.integers(1, 6), min_size=1, max_size=4))
            rows += [(which, question, revision, draw(st.sampled_from(STATUSES))) for revision in revisions]
    return draw(st.permutations(rows))


def model(rows: list[Revision], which: int) -> dict[str, tuple[int, str]]:
    """The rule in Python: question -> (revision, status) of its current answer, in the order written."""
    highest: dict[str, tuple[int, str]] = {}
    for w, question, revision, status in rows:
        if w == which and (question not in highest or revision > highest[question][0]):
            highest[question] = (revision, status)
    return {question: kept for question, kept in highest.items() if kept[1] != WITHDRAWN}


@pytest.fixture(scope="module")
def store(module_databases: Databases) -> Iterator[tuple[Store, sessionmaker[Session]]]:
    sessions = db.make_session_factory(module_databases.create())
    yield Store(sessions), sessions
    sessions.kw["bind"].dispose()


@settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=histories())
def test_every_reader_of_the_current_answer_follows_the_rule(
    store: tuple[Store, sessionmaker[Session]], rows: list[Revision]
) -> None:
    service, sessions = store
    conversations = [service.conversations.open_conversation(None, "web") for _ in (0, 1)]
    ids = [service.assessments.start_or_resume(c, "2026.1").id for c in conversations]
    # Written as rows, not through a turn: a withdrawal is never sent by a client, and the history
    # is drawn in any order (the rule must not lean on revisions arriving in sequence).
    with sessions.begin() as session:
        for which, question, revision, status in rows:
            session.add(
                Answer(
                    assessment_id=ids[which],
                    question_id=question,
                    revision=revision,
                    wording=f"Wording of {question}",
                    text=f"{question} revision {revision}",
                    value=f"{question}.{revision}",
                    status=status,
                    recorded_at=datetime(2026, 3, 1, tzinfo=UTC),
                )
            )
            session.flush()  # one insert at a time, so ids follow the drawn order

    with sessions() as session:
        values = current_values(session, ids)
        for which, assessment_id in enumerate(ids):
            expected = model(rows, which)
            record = repository.assessment_record(session, session.get_one(Assessment, assessment_id))
            # the case record the review, exports and the action server read: order first answered too
            assert [(q, a.revision, a.status) for q, a in record.answers.items()] == [
                (q, revision, status) for q, (revision, status) in expected.items()
            ]
            # the practitioner's home: the values, and the skipped questions' ids (issue #18), as the record's
            # answer_values() gives them to the bank
            home: dict[str, object] = {q: f"{q}.{revision}" for q, (revision, _) in expected.items()}
            if skipped := sorted(q for q, (_, status) in expected.items() if status == "skipped"):
                home[SKIPPED_KEY] = skipped
            assert values.get(assessment_id, {}) == home
            # tagging in the review
            for question in QUESTIONS:
                kept = expected.get(question)
                assert current_revision(session, assessment_id, question) == (kept[0] if kept else None)
            # the condition the report counts are built on
            counted = session.execute(
                select(Answer.question_id, Answer.revision).where(
                    Answer.assessment_id == assessment_id, is_current()
                )
            )
            assert {question: revision for question, revision in counted} == {
                q: revision for q, (revision, _) in expected.items()
            }
