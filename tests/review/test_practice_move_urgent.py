"""A practice run carrying an urgent flag (danger reported in rehearsal about what turns out to be a real
child) tells the team's leads when it moves to live, as a live danger report would (issue #13): the urgent
notice is queued in the outbox in the move's own transaction. Not flagged, or flagged and stood down: no
notice. Moved twice: refused, and no second notice. A refused move queues nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient
from debrief_helpers import practice_run
from review_helpers import PASSWORD, page
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import NotFoundError, ValidationError
from bot.domain.records import Actor, UserInfo
from bot.questions import QuestionBank
from bot.store.practice_move import PracticeMoveService
from bot.store.services import Store
from bot.store.urgent_models import Notification

REASON = "The trainee says this is a real pupil."


@pytest.fixture
def database_url(database_url_on_each_backend: str) -> str:
    """Both backends (tests/fixtures/databases.py)."""
    return database_url_on_each_backend


@pytest.fixture
def mailed_lead(store: Store) -> UserInfo:
    """A North lead with an email address: the one channel an urgent notice can go by in these tests."""
    return store.users.create_user("mailed-lead", PASSWORD, "lead", "North team", email="l@example.invalid")


def moves(store: Store, user: UserInfo) -> PracticeMoveService:
    return store.practice_moves.for_actor(Actor.user(user.id))


def urgent_notices(sessions: sessionmaker[Session]) -> list[tuple[int, str]]:
    with sessions() as session:
        rows = session.scalars(select(Notification).where(Notification.purpose == "urgent_flag")).all()
        return [(row.recipient_id, row.channel) for row in rows]


def test_a_flagged_run_moved_to_live_sends_the_lead_one_urgent_notice_and_a_second_move_is_refused(
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
    mailed_lead: UserInfo,
) -> None:
    trainee = people["north-practitioner"]
    run = practice_run(store, bank, trainee, danger=True)
    assert urgent_notices(sessions) == []  # rehearsal: the danger report reached no lead

    moves(store, trainee).move_to_live(trainee.id, run.reference, REASON)

    assert urgent_notices(sessions) == [(mailed_lead.id, "email")]
    with pytest.raises(NotFoundError):
        moves(store, trainee).move_to_live(trainee.id, run.reference, REASON)
    assert urgent_notices(sessions) == [(mailed_lead.id, "email")]


def test_a_flagged_run_in_progress_moved_by_a_trainer_notifies_the_lead_too(
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
    mailed_lead: UserInfo,
) -> None:
    trainee, trainer = people["north-practitioner"], people["north-trainer"]
    run = practice_run(store, bank, trainee, danger=True, submit=False)

    moves(store, trainer).move_to_live(trainer.id, run.reference, REASON)

    assert urgent_notices(sessions) == [(mailed_lead.id, "email")]


@pytest.mark.parametrize("flag", ["none", "stood_down"])
def test_a_run_without_a_standing_flag_moved_to_live_sends_no_urgent_notice(
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
    mailed_lead: UserInfo,
    flag: str,
) -> None:
    trainee = people["north-practitioner"]
    run = practice_run(store, bank, trainee, typed_danger_stood_down=flag == "stood_down")

    moves(store, trainee).move_to_live(trainee.id, run.reference, REASON)

    assert urgent_notices(sessions) == []


def test_a_refused_move_of_a_flagged_run_queues_no_notice(
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
    mailed_lead: UserInfo,
) -> None:
    trainee = people["north-practitioner"]
    run = practice_run(store, bank, trainee, danger=True)
    with pytest.raises(ValidationError):
        moves(store, trainee).move_to_live(trainee.id, run.reference, "  ")
    assert urgent_notices(sessions) == []


async def test_the_move_page_says_the_leads_are_sent_the_urgent_notice_only_for_a_standing_flag(
    as_user: Callable[[str | None], Awaitable[TestClient]],
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
) -> None:
    trainee = people["north-practitioner"]
    flagged = practice_run(store, bank, trainee, danger=True)
    stood_down = practice_run(store, bank, trainee, typed_danger_stood_down=True)
    client = await as_user("north-practitioner")
    said = "are sent the urgent notice a live danger report sends"
    assert said in await page(client, f"/practice/runs/{flagged.reference}/move-to-live")
    assert said not in await page(client, f"/practice/runs/{stood_down.reference}/move-to-live")
