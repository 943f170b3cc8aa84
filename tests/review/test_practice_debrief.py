"""The debrief page of a submitted practice run (issue #13), on a real store and the real app: what the
trainee reads, who may read it (the trainee and the trainers of their team; nobody else, and only once it
is submitted), each view or refusal audited, and the link on the run's own page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp.test_utils import TestClient
from debrief_helpers import practice_run
from review_helpers import Case, page
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.store.models import AuditEvent
from bot.store.services import Store

AsUser = Callable[[str | None], Awaitable[TestClient]]


def address(reference: str) -> str:
    return f"/practice/runs/{reference}/debrief"


def section(body: str, element_id: str) -> str:
    start = body.index(f'id="{element_id}"')
    return body[start : body.index("</div>", start)]


async def test_the_trainee_reads_what_was_captured_missed_and_how_the_run_went(
    as_user: AsUser, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    run = practice_run(store, bank, people["north-practitioner"])
    client = await as_user("north-practitioner")
    body = await page(client, address(run.reference))
    assert "Debrief: A plan for Friday" in body
    assert "Captured</strong>" in section(body, "fact-post_time_place")
    assert "&#34;3pm&#34; in your answer to" in body or '"3pm" in your answer to' in body
    for missed in ("fact-new_group", "fact-evicted"):
        assert "Not captured</strong>" in section(body, missed), missed
    assert "Danger path not taken" in section(body, "danger")
    assert "Considered" in section(body, "other-explanations")
    assert "None: every follow-up" in section(body, "empty-follow-ups")
    assert ">10<" in section(body, "turns")
    assert "2 of 4" in section(body, "facts-count")
    lowered = body.lower()
    assert "score:" not in lowered and "risk level:" not in lowered and "%" not in lowered


async def test_a_trainer_of_the_team_reads_it_and_nobody_else_does(
    as_user: AsUser,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    run = practice_run(store, bank, people["north-practitioner"], danger=True)
    client = await as_user("north-trainer")
    body = await page(client, address(run.reference))
    assert "by north-practitioner" in body and "Danger path taken" in body
    for username, status in (
        ("south-trainer", 404),  # another team's run
        ("north-colleague", 404),  # a colleague's run
        ("north-lead", 403),  # practice never reaches a lead
        ("north-coordinator", 403),
        ("north-admin", 403),
    ):
        await page(await as_user(username), address(run.reference), status)
    owner = await as_user("north-practitioner")
    await page(owner, address(cases["north-live"].reference), 404)  # a live case has no debrief
    await page(owner, address("A-NOSUCH"), 404)
    with sessions() as session:
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count(AuditAction.DEBRIEF_VIEWED) == 1
    assert actions.count(AuditAction.DEBRIEF_VIEW_REFUSED) == 4  # both 404s of others, and the owner's two


async def test_no_debrief_until_the_run_is_submitted(
    as_user: AsUser, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    run = practice_run(store, bank, people["north-practitioner"], submit=False)
    body = await page(await as_user("north-practitioner"), address(run.reference), 404)
    assert "ready once the run is submitted" in body


async def test_the_submitted_run_links_to_its_debrief(
    as_user: AsUser, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    run = practice_run(store, bank, people["north-practitioner"])
    body = await page(await as_user("north-practitioner"), f"/chat/{run.reference}")
    assert f'href="{address(run.reference)}"' in body


async def test_a_typed_danger_report_the_trainee_stood_down_is_no_danger_path(
    as_user: AsUser, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    """Danger read in what they typed, then "no" to "is anyone in danger now?": they said no one was, so
    the run took no 999 path. A later report by the button is one."""
    trainee = people["north-practitioner"]
    stood_down = practice_run(store, bank, trainee, typed_danger_stood_down=True)
    client = await as_user("north-practitioner")
    assert "Danger path not taken" in await page(client, address(stood_down.reference))
    both = practice_run(store, bank, trainee, typed_danger_stood_down=True, danger=True)
    assert "Danger path taken" in await page(client, address(both.reference))
