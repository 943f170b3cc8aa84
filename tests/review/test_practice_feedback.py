"""A trainer's feedback note to the trainee on a submitted practice run (issue #13), on a real store and the
real app: written by a trainer of the trainee's team, kept verbatim, shown on the trainee's debrief newest
first, audited; an empty or over-long note is refused with a message and stores nothing; a trainee cannot
write one (403) and another team's trainer does not find the run (404)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from debrief_helpers import practice_run
from review_helpers import Case, csrf_from, page
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import NotFoundError, NotPermittedError, ValidationError
from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.practice_feedback import EMPTY, FEEDBACK_LIMIT, TOO_LONG
from bot.store.feedback_models import PracticeFeedback
from bot.store.models import AuditEvent
from bot.store.services import Store
from bot.web.review import REVIEW

AsUser = Callable[[str | None], Awaitable[TestClient]]
ADDRESS = "127.0.0.1"


def debrief(reference: str) -> str:
    return f"/practice/runs/{reference}/debrief"


def feedback(reference: str) -> str:
    return f"/practice/runs/{reference}/feedback"


def notes(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(PracticeFeedback)) or 0


def audit_actions(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_service_keeps_notes_verbatim_newest_first_and_audits_them(
    app: web.Application,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    run = practice_run(store, bank, people["north-practitioner"])
    service = app[REVIEW]
    trainer = people["north-trainer"]
    first = "  Good: you wrote what she said.\n\nNext time ask how you know it.  "
    service.write_feedback(trainer.id, ADDRESS, run.reference, first)
    service.write_feedback(trainer.id, ADDRESS, run.reference, "A second note.")
    view = service.open_debrief(people["north-practitioner"].id, ADDRESS, run.reference)
    assert [note.text for note in view.feedback] == ["A second note.", first]
    assert {note.trainer for note in view.feedback} == {"north-trainer"}
    assert audit_actions(sessions).count(AuditAction.FEEDBACK_WRITTEN) == 2


@pytest.mark.parametrize(
    ("text", "message"), [("", EMPTY), (" \n\t ", EMPTY), ("x" * (FEEDBACK_LIMIT + 1), TOO_LONG)]
)
def test_an_empty_or_over_long_note_is_refused_and_stores_nothing(
    app: web.Application,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
    text: str,
    message: str,
) -> None:
    run = practice_run(store, bank, people["north-practitioner"])
    with pytest.raises(ValidationError) as refused:
        app[REVIEW].write_feedback(people["north-trainer"].id, ADDRESS, run.reference, text)
    assert refused.value.fields == {"feedback": message}
    assert notes(sessions) == 0
    app[REVIEW].write_feedback(people["north-trainer"].id, ADDRESS, run.reference, "x" * FEEDBACK_LIMIT)
    assert notes(sessions) == 1  # the limit itself is allowed


def test_only_a_trainer_of_the_team_writes_on_a_submitted_run(
    app: web.Application,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    run = practice_run(store, bank, people["north-practitioner"])
    unsubmitted = practice_run(store, bank, people["north-practitioner"], submit=False)
    service = app[REVIEW]
    for username in ("north-practitioner", "north-lead", "north-admin"):
        with pytest.raises(NotPermittedError):
            service.write_feedback(people[username].id, ADDRESS, run.reference, "Well done.")
    for reference in (unsubmitted.reference, cases["north-rehearsal"].reference, "A-NOSUCH"):
        with pytest.raises(NotFoundError):
            service.write_feedback(people["north-trainer"].id, ADDRESS, reference, "Well done.")
    with pytest.raises(NotFoundError):
        service.write_feedback(people["south-trainer"].id, ADDRESS, run.reference, "Well done.")
    assert notes(sessions) == 0
    assert audit_actions(sessions).count(AuditAction.FEEDBACK_REFUSED) == 7


async def test_a_trainer_writes_on_the_debrief_page_and_the_trainee_reads_it(
    as_user: AsUser,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    run = practice_run(store, bank, people["north-practitioner"])
    trainer = await as_user("north-trainer")
    body = await page(trainer, debrief(run.reference))
    assert 'action="/practice/runs/' in body and "Write feedback to the trainee" in body
    token = csrf_from(body)
    said = "You missed the eviction: <ask about home>."
    response = await trainer.post(
        feedback(run.reference), data={"csrf_token": token, "feedback": said}, allow_redirects=False
    )
    assert response.status == 303
    assert response.headers["Location"].startswith(debrief(run.reference) + "?done=feedback")
    assert "Your feedback was saved." in await page(trainer, response.headers["Location"])

    trainee = await as_user("north-practitioner")
    body = await page(trainee, debrief(run.reference))
    section = body[body.index('id="feedback"') :]
    assert "You missed the eviction: &lt;ask about home&gt;." in section and "north-trainer" in section
    assert "Write feedback to the trainee" not in body  # the trainee has no form


async def test_a_bad_note_shows_the_page_again_with_the_text_and_changes_nothing(
    as_user: AsUser,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    run = practice_run(store, bank, people["north-practitioner"])
    trainer = await as_user("north-trainer")
    token = csrf_from(await page(trainer, debrief(run.reference)))
    for text, message in (("   ", EMPTY), ("y" * (FEEDBACK_LIMIT + 5), TOO_LONG)):
        response = await trainer.post(feedback(run.reference), data={"csrf_token": token, "feedback": text})
        body = await response.text()
        assert response.status == 400
        assert "There is a problem" in body and message.replace("'", "&#39;") in body
        assert text in body  # what they typed is still in the box
    assert notes(sessions) == 0


async def test_a_trainee_is_refused_and_another_team_finds_nothing(
    as_user: AsUser,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    run = practice_run(store, bank, people["north-practitioner"])
    for username, status in (("north-practitioner", 403), ("south-trainer", 404), ("north-lead", 403)):
        client = await as_user(username)
        token = csrf_from(await page(client, "/chat" if username != "north-lead" else "/cases"))
        response = await client.post(
            feedback(run.reference), data={"csrf_token": token, "feedback": "Hi"}, allow_redirects=False
        )
        assert response.status == status, username
    assert notes(sessions) == 0
