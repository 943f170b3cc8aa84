"""A practice run about a real child moves to live (issue #13), on SQLite and PostgreSQL, through the store's
service and the real pages: the trainee (their own run) or a trainer of their team moves it in one step; the
answers stay verbatim, the scenario link and practice marking go, the reason is kept verbatim and the move
is one audit event; leads see it (at once if submitted, else once submitted); the practice purge leaves it.
Anyone else, an empty reason, a live run and a purged run are refused with a message and nothing changes."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from debrief_helpers import practice_run
from review_helpers import csrf_from, make_case, page
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import NotFoundError, NotPermittedError, ValidationError
from bot.domain.records import Actor, AssessmentRecord, UserInfo
from bot.questions import QuestionBank
from bot.review.records import CaseFilters
from bot.store.models import Assessment, AuditEvent
from bot.store.practice_move import EMPTY_REASON, NO_RUN, PURGED, PracticeMoveService
from bot.store.practice_move_models import PracticeMove
from bot.store.services import Store
from bot.web.review import REVIEW

AsUser = Callable[[str | None], Awaitable[TestClient]]
ADDRESS = "127.0.0.1"
REASON = "  The trainee says this is Sam from year 10:\nthe post is real.  "


@pytest.fixture
def database_url(database_url_on_each_backend: str) -> str:
    """Both backends (tests/fixtures/databases.py)."""
    return database_url_on_each_backend


def moves(store: Store, user: UserInfo) -> PracticeMoveService:
    return store.practice_moves.for_actor(Actor.user(user.id))


def lead_sees(app: web.Application, lead: UserInfo, reference: str) -> bool:
    listed = app[REVIEW].list_cases(lead.id, ADDRESS, CaseFilters(mode="live"))
    return reference in {case.reference for case in listed.cases}


def events(sessions: sessionmaker[Session], action: AuditAction) -> list[AuditEvent]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def row_of(sessions: sessionmaker[Session], reference: str) -> Assessment:
    with sessions() as session:
        found = session.scalar(select(Assessment).where(Assessment.reference == reference))
        assert found is not None
        session.expunge(found)
        return found


def test_the_trainee_moves_a_submitted_run_and_leads_see_it_at_once_with_its_answers_verbatim(
    app: web.Application,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    trainee, lead = people["north-practitioner"], people["north-lead"]
    run = practice_run(store, bank, trainee)
    assert not lead_sees(app, lead, run.reference)

    moved = moves(store, trainee).move_to_live(trainee.id, run.reference, REASON)

    assert moved.own and moved.reference == run.reference
    after = row_of(sessions, run.reference)
    assert (after.mode, after.scenario_id, after.practitioner_id) == ("live", None, trainee.id)
    record = store.assessments.get_assessment(run.conversation_id)
    assert record is not None
    assert {q: a.text for q, a in record.answers.items()} == {q: a.text for q, a in run.answers.items()}
    assert lead_sees(app, lead, run.reference)
    with sessions() as session:
        (row,) = session.scalars(select(PracticeMove)).all()
        assert (row.reason, row.scenario_id, row.moved_by) == (REASON, "a_plan_for_friday", trainee.id)
    (event,) = events(sessions, AuditAction.PRACTICE_MOVED_TO_LIVE)
    assert event.actor_id == str(trainee.id) and event.assessment_id == after.id
    assert event.detail["move_id"] == row.id and REASON.strip() not in str(event.detail)
    # No longer a practice run: the practice purge leaves it, and it cannot be moved again.
    store.practice.purge_practice_runs(timedelta(microseconds=1))
    assert row_of(sessions, run.reference).mode == "live"
    with pytest.raises(NotFoundError):
        moves(store, trainee).move_to_live(trainee.id, run.reference, REASON)


def test_a_trainer_of_the_team_moves_a_run_in_progress_and_leads_see_it_once_submitted(
    app: web.Application,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
) -> None:
    trainee, trainer, lead = people["north-practitioner"], people["north-trainer"], people["north-lead"]
    run = practice_run(store, bank, trainee, submit=False)
    preview = moves(store, trainer).movable_run(trainer.id, run.reference)
    assert (preview.trainee, preview.submitted, preview.own) == ("north-practitioner", False, False)

    moved = moves(store, trainer).move_to_live(trainer.id, run.reference, "It is real.")

    assert not moved.own
    assert not lead_sees(app, lead, run.reference)  # in progress, no urgent flag
    store.assessments.submit(run.conversation_id)
    assert lead_sees(app, lead, run.reference)
    assert not lead_sees(app, people["south-lead"], run.reference)


@pytest.mark.parametrize("who", ["north-colleague", "south-trainer", "south-practitioner"])
def test_anyone_but_the_trainee_or_a_trainer_of_their_team_does_not_find_the_run(
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
    who: str,
) -> None:
    run = practice_run(store, bank, people["north-practitioner"])
    user = people[who]
    with pytest.raises(NotFoundError) as refused:
        moves(store, user).move_to_live(user.id, run.reference, REASON)
    assert refused.value.message == NO_RUN
    unchanged(sessions, run)
    assert len(events(sessions, AuditAction.PRACTICE_MOVE_REFUSED)) == 1


@pytest.mark.parametrize("who", ["north-lead", "north-admin", "north-coordinator"])
def test_other_roles_are_refused_and_audited(
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
    who: str,
) -> None:
    run = practice_run(store, bank, people["north-practitioner"])
    user = people[who]
    with pytest.raises(NotPermittedError):
        moves(store, user).move_to_live(user.id, run.reference, REASON)
    unchanged(sessions, run)
    assert len(events(sessions, AuditAction.PRACTICE_MOVE_REFUSED)) == 1


def test_an_empty_reason_or_a_live_run_is_refused_and_nothing_changes(
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    trainee = people["north-practitioner"]
    run = practice_run(store, bank, trainee)
    with pytest.raises(ValidationError) as refused:
        moves(store, trainee).move_to_live(trainee.id, run.reference, " \n ")
    assert refused.value.message == EMPTY_REASON
    unchanged(sessions, run)
    live = make_case(store, bank, trainee)  # live never becomes practice, and is never "moved"
    with pytest.raises(NotFoundError):
        moves(store, trainee).move_to_live(trainee.id, live.reference, REASON)
    assert events(sessions, AuditAction.PRACTICE_MOVED_TO_LIVE) == []


def test_a_purged_run_is_refused_with_a_message_saying_so(
    store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    trainee = people["north-practitioner"]
    run = practice_run(store, bank, trainee)
    store.practice.purge_practice_runs(timedelta(microseconds=1))
    with pytest.raises(NotFoundError) as refused:
        moves(store, trainee).move_to_live(trainee.id, run.reference, REASON)
    assert refused.value.message == PURGED
    with pytest.raises(NotFoundError) as shown:
        moves(store, trainee).movable_run(trainee.id, run.reference)
    assert shown.value.message == PURGED


async def test_the_pages_say_what_happens_and_move_the_run(
    as_user: AsUser,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    run = practice_run(store, bank, people["north-practitioner"], submit=False)
    address = f"/practice/runs/{run.reference}/move-to-live"
    client = await as_user("north-practitioner")
    chat = await page(client, f"/chat/{run.reference}")
    assert address in chat
    confirm = await page(client, address)
    for said in ("kept exactly as typed", "your name", "once it is submitted", "cannot be undone"):
        assert said in confirm
    empty = await client.post(address, data={"csrf_token": csrf_from(confirm), "reason": ""})
    assert empty.status == 400 and EMPTY_REASON in await empty.text()
    unchanged(sessions, run)
    done = await client.post(
        address, data={"csrf_token": csrf_from(confirm), "reason": REASON}, allow_redirects=False
    )
    assert done.status == 303 and done.headers["Location"] == f"/chat/{run.reference}?moved=live#latest"
    moved_page = await page(client, done.headers["Location"])
    assert "This is now a live assessment in your team" in moved_page
    assert "Rehearsal - fictional case" not in moved_page
    assert row_of(sessions, run.reference).mode == "live"
    gone = await client.get(address)
    assert gone.status == 404 and NO_RUN in await gone.text()


async def test_a_trainer_moves_from_the_trainer_pages_and_is_sent_back_there(
    as_user: AsUser, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    run = practice_run(store, bank, people["north-practitioner"])
    address = f"/practice/runs/{run.reference}/move-to-live"
    client = await as_user("north-trainer")
    assert address in await page(client, "/training")
    confirm = await page(client, address)
    assert "north-practitioner's name" in html.unescape(confirm)  # the words are data, escaped as any text
    assert "leads see it at once" in confirm
    done = await client.post(
        address, data={"csrf_token": csrf_from(confirm), "reason": "Real."}, allow_redirects=False
    )
    assert done.status == 303 and done.headers["Location"] == "/training?moved=1"
    back = await page(client, done.headers["Location"])
    assert "moved to live" in back and f'id="run-{run.reference}"' not in back


def unchanged(sessions: sessionmaker[Session], run: AssessmentRecord) -> None:
    after = row_of(sessions, run.reference)
    assert (after.mode, after.scenario_id) == ("rehearsal", "a_plan_for_friday")
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(PracticeMove)) == 0
