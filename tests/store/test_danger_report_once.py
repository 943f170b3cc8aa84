"""A danger report is raised by one idempotent store call (issue #29, point 7), on SQLite and PostgreSQL.

`AssessmentService.report_danger(conversation, message, known=N)` raises the report that takes the
assessment past N reports: the first call raises one urgent flag and queues one notice per lead and channel;
a second call with the same N (a retry, or the chat's own call after the action server raised it) writes
nothing and does not fail; two calls at once (threads released together by a barrier, each with its own
connection) still raise one. A later report (N+1) is a new one, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import ValidationError
from bot.domain.records import AssessmentRecord, TurnIn, UserInfo
from bot.store.services import Store
from tests.builders import report_danger
from tests.store.conftest import PASSWORD

DANGER = "Immediate danger reported with the 'Someone is in danger now' button."
ROUNDS = 4  # a new assessment each round: the race is made likely by the barrier, not certain


@pytest.fixture
def lead_by_email(service: Store) -> None:
    service.users.create_user("lee.lead", PASSWORD, "lead", "North Team", email="lee@example.org")


def flags_and_notices(count_rows: Callable[[str], int]) -> tuple[int, int]:
    return count_rows("urgent_flags"), count_rows("notifications")


def test_two_calls_with_the_same_count_raise_one_flag_and_one_notice(
    service: Store,
    started: str,
    lead_by_email: None,
    count_rows: Callable[[str], int],
    audit_actions: Callable[[], list[str]],
) -> None:
    first = service.assessments.report_danger(started, DANGER, known=0)
    second = service.assessments.report_danger(started, DANGER, known=0)

    assert flags_and_notices(count_rows) == (1, 1)
    assert audit_actions().count("assessment.flagged_urgent") == 1
    assert first.danger_reports == second.danger_reports == 1
    assert second.urgent and second.urgent_first_at == first.urgent_first_at


def test_a_later_report_with_the_new_count_is_raised_as_a_new_one(
    service: Store, started: str, lead_by_email: None, count_rows: Callable[[str], int]
) -> None:
    service.assessments.report_danger(started, DANGER, known=0)
    again = service.assessments.report_danger(started, DANGER, known=1)

    assert again.danger_reports == 2
    assert flags_and_notices(count_rows) == (2, 2)


def test_follow_up_answers_do_not_count_as_reports(
    service: Store, started: str, count_rows: Callable[[str], int]
) -> None:
    """The key counts danger reports only: an answer to a follow-up question adds to a report."""
    service.assessments.report_danger(started, DANGER, known=0)
    detail = {"question_id": "danger_what", "wording": "What is happening now?", "text": "He has a knife"}
    service.assessments.apply_turn(started, TurnIn.model_validate({"urgent_detail": detail}))

    record = service.assessments.report_danger(started, DANGER, known=1)

    assert (record.danger_reports, len(record.urgent_messages)) == (2, 3)


def test_a_turn_sent_twice_raises_its_report_once(
    service: Store, started: str, lead_by_email: None, count_rows: Callable[[str], int]
) -> None:
    """The action server's path: the turn carries the count of the record it was planned from."""
    turn = TurnIn(urgent_message="He has a knife and says he will use it tonight", urgent_known=0)

    service.assessments.apply_turn(started, turn)
    service.assessments.apply_turn(started, turn)

    assert flags_and_notices(count_rows) == (1, 1)


def test_without_a_count_each_call_is_a_new_report(
    service: Store, started: str, count_rows: Callable[[str], int]
) -> None:
    """The single-field API route (and a turn without `urgent_known`) raise one every time, as before."""
    report_danger(service, started, DANGER)
    service.assessments.report_danger(started, DANGER, known=None)

    assert count_rows("urgent_flags") == 2


@pytest.mark.parametrize("known", [-1, True, "0"])
def test_a_bad_count_is_refused_and_changes_nothing(
    service: Store, started: str, count_rows: Callable[[str], int], known: object
) -> None:
    with pytest.raises(ValidationError) as refused:
        service.assessments.report_danger(started, DANGER, known=known)  # type: ignore[arg-type]

    assert "known" in str(refused.value)
    assert count_rows("urgent_flags") == 0


def test_two_calls_at_once_raise_one_flag_and_one_notice(
    service: Store,
    sessions: sessionmaker[Session],
    practitioner: UserInfo,
    lead_by_email: None,
    count_rows: Callable[[str], int],
) -> None:
    """Two callers (the action server's turn and the chat's own call, say) released together, each through
    its own store and connections: one report each round, never two, and neither call fails."""
    stores = [Store(sessions), Store(sessions)]
    for done in range(ROUNDS):
        conversation = service.conversations.open_conversation(practitioner.id, "web")
        service.assessments.start_or_resume(conversation, "2026.1")
        barrier = threading.Barrier(len(stores))

        def report(index: int, conversation: str = conversation, barrier: threading.Barrier = barrier) -> int:
            barrier.wait()
            record: AssessmentRecord = stores[index].assessments.report_danger(conversation, DANGER, known=0)
            return record.danger_reports

        with ThreadPoolExecutor(len(stores)) as pool:
            seen = list(pool.map(report, range(len(stores))))

        assert seen == [1, 1]
        assert flags_and_notices(count_rows) == (done + 1, done + 1)
