"""The trainer pages (issue #13), on a real store and the real app: a trainer sees their own team's practice
runs (submitted or not) with links to each debrief and transcript, the facts most often missed per scenario
counted from the runs' debriefs, and the runs list as CSV; nobody else reaches them, and each view and
export is audited."""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable

from aiohttp.test_utils import TestClient
from debrief_helpers import ANSWERS, practice_run
from review_helpers import page
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.store.models import AuditEvent
from bot.store.services import Store

AsUser = Callable[[str | None], Awaitable[TestClient]]


def section(body: str, element_id: str, end: str = "</tr>") -> str:
    start = body.index(f'id="{element_id}"')
    return body[start : body.index(end, start)]


async def test_a_trainer_sees_their_teams_runs_and_the_facts_most_often_missed(
    as_user: AsUser,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    trainee = people["north-practitioner"]
    # Two submitted runs miss the new group and the eviction; the second also leaves out the post.
    first = practice_run(store, bank, trainee)
    without_post = tuple(answer for answer in ANSWERS if not answer[0].startswith("threats_detail"))
    second = practice_run(store, bank, people["north-colleague"], answers=without_post)
    writing = practice_run(store, bank, trainee, submit=False)
    south = practice_run(store, bank, people["south-practitioner"])
    body = await page(await as_user("north-trainer"), "/training")

    assert "Practice runs of your team" in body
    for run in (first, second):
        row = section(body, f"run-{run.reference}")
        assert f'href="/practice/runs/{run.reference}/debrief"' in row
        assert "/transcript" in row and "A plan for Friday" in row
    unsubmitted = section(body, f"run-{writing.reference}")
    assert "Not submitted" in unsubmitted and "/debrief" not in unsubmitted
    assert "north-colleague" in section(body, f"run-{second.reference}")
    assert south.reference not in body  # another team's run

    card = section(body, "scenario-a_plan_for_friday", "</table>")
    assert "3 runs, 2 submitted" in card
    assert ">2 of 2<" in section(body, "missed-a_plan_for_friday-new_group")
    assert ">2 of 2<" in section(body, "missed-a_plan_for_friday-evicted")
    assert ">1 of 2<" in section(body, "missed-a_plan_for_friday-post_time_place")
    # Ranked: the facts both runs missed come before the one only one run missed.
    assert card.index("missed-a_plan_for_friday-evicted") < card.index("missed-a_plan_for_friday-post_time")
    lowered = body.lower()
    assert "score" not in lowered and "risk level" not in lowered and "%" not in lowered

    with sessions() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    assert actions.count(AuditAction.TRAINING_VIEWED) == 1


async def test_the_runs_list_as_csv(
    as_user: AsUser,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    done = practice_run(store, bank, people["north-practitioner"])
    writing = practice_run(store, bank, people["north-colleague"], submit=False)
    client = await as_user("north-trainer")
    response = await client.get("/training/runs.csv")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    assert rows[0] == ["reference", "scenario", "practitioner", "started_at", "submitted_at"]
    by_reference = {row[0]: row for row in rows[1:]}
    assert set(by_reference) == {done.reference, writing.reference}
    assert by_reference[done.reference][1:3] == ["A plan for Friday", "north-practitioner"]
    assert by_reference[writing.reference][4] == "Not submitted"
    with sessions() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    assert actions.count(AuditAction.TRAINING_EXPORTED) == 1


async def test_only_trainers_reach_the_trainer_pages(as_user: AsUser, people: dict[str, UserInfo]) -> None:
    for username in ("north-practitioner", "north-lead", "north-coordinator", "north-admin"):
        client = await as_user(username)
        for address in ("/training", "/training/runs.csv"):
            await page(client, address, 403)
    trainer_home = await page(await as_user("north-trainer"), "/training")
    assert 'href="/training"' in trainer_home  # the navigation names it for trainers
    assert 'href="/training"' not in await page(await as_user("north-lead"), "/cases")
