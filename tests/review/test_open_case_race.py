"""Two leads opening the same new case at once both get it: one referral, no error (issue #29).

The first view of a submitted case makes its referral, whose assessment id is unique. On PostgreSQL the two
transactions really run at once, so the second insert loses the race; the store's one unit of work
(bot.store.unit_of_work.write) runs the loser again, and it finds the winner's referral. Test ids end in
`[sqlite]` or `[postgresql]` (tests/fixtures/databases.py).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from review_helpers import make_case, make_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.records import UserInfo
from bot.domain.referral import ReferralStatus
from bot.questions import QuestionBank
from bot.review.records import CaseView
from bot.review.services import ReviewService
from bot.store.models import AuditEvent
from bot.store.review_models import Referral
from bot.store.services import Store

ROUNDS = 6  # a new case each round: the race is made likely by the barrier, not certain


@pytest.fixture
def database_url(database_url_on_each_backend: str) -> str:
    """Both backends (tests/fixtures/databases.py)."""
    return database_url_on_each_backend


def test_two_leads_opening_a_new_case_at_once_both_get_it_and_one_referral_is_made(
    sessions: sessionmaker[Session], store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    leads = [people["north-lead"], make_user(store, "north-second-lead", "lead", "North team")]
    # One service each, as two web workers would hold: each with its own connections from the pool.
    services = [ReviewService(sessions, bank) for _ in leads]
    for _ in range(ROUNDS):
        case = make_case(store, bank, people["north-practitioner"])
        barrier = threading.Barrier(len(leads))

        def open_(turn: int, case_id: int = case.id, barrier: threading.Barrier = barrier) -> CaseView:
            barrier.wait()
            return services[turn].open_case(leads[turn].id, "192.0.2.9", case_id)

        with ThreadPoolExecutor(len(leads)) as pool:
            views = list(pool.map(open_, range(len(leads))))

        assert [view.record.reference for view in views] == [case.reference, case.reference]
        assert {view.status for view in views} == {ReferralStatus.IN_REVIEW}
        with sessions() as session:
            referrals = session.scalar(
                select(func.count()).select_from(Referral).where(Referral.assessment_id == case.id)
            )
            # The loser's first try rolled back whole, its audit event with it: the trail names one maker.
            made = session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(
                    AuditEvent.assessment_id == case.id,
                    AuditEvent.action == AuditAction.REFERRAL_CREATED.value,
                )
            )
        assert referrals == 1
        assert made == 1
