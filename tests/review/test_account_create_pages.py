"""The admin's "Create an account" (issue #32) through the real app and a real store: the form, check your
answers (with the warning `bot user add` would print), Confirm, and a confirmation with a one-time link the
new person sets their password with; each bad answer gets the error summary and makes nothing; a second
Confirm makes nothing. North and South people come from the review fixtures (tests/review/conftest.py)."""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient
from review_helpers import csrf_from, page
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.store.account_models import AccountChange
from bot.store.models import AuditEvent, User
from tests.review.test_review_access_matrix import AsUser

NEW_PASSWORD = "violet kettle marching orbit"
REASON = "Joined the North team on 1 May.\n  Agreed with their manager."
NEW = "/admin/users/new"
ANSWERS = {
    "username": "pat.new",
    "email": "pat@example.org",
    "role": "practitioner",
    "team": "North team",
    "reason": REASON,
}


async def _post(client: TestClient, path: str, data: dict[str, str]) -> tuple[int, str]:
    token = csrf_from(await page(client, NEW))
    response = await client.post(path, data={"csrf_token": token, **data}, allow_redirects=False)
    return response.status, await response.text()


def _counts(sessions: sessionmaker[Session]) -> tuple[int, ...]:
    with sessions() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (User, AccountChange, AuditEvent)
        )


async def test_an_admin_creates_an_account_and_the_person_sets_their_password_by_the_link(
    as_user: AsUser, client: TestClient, people: dict[str, UserInfo], sessions: sessionmaker[Session]
) -> None:
    admin = await as_user("north-admin")
    assert 'href="/admin/users/new"' in await page(admin, "/admin/users")
    form = await page(admin, NEW)
    assert "Create an account" in form and "South team" in form and 'name="password"' not in form
    before = _counts(sessions)
    status, check = await _post(admin, NEW, ANSWERS)
    assert status == 200 and "Check your answers" in check and "pat@example.org" in check
    assert "Joined the North team on 1 May.\n  Agreed with their manager." in check  # verbatim
    assert _counts(sessions) == before  # nothing written before Confirm
    status, edit = await _post(admin, NEW, {**ANSWERS, "edit": "1"})
    assert status == 200 and 'value="pat.new"' in edit and "Check your answers" not in edit
    status, done = await _post(admin, NEW + "/confirm", ANSWERS)
    assert status == 200 and "govuk-panel--confirmation" in done and "Account created" in done
    link = re.search(r'id="reset-link">([^<]+)<', done)
    assert link is not None
    with sessions() as session:
        made = session.scalars(select(User).where(User.username == "pat.new")).one()
        assert (made.role, made.team.name, made.email) == ("practitioner", "North team", "pat@example.org")
        reason = session.scalars(select(AccountChange.reason).where(AccountChange.user_id == made.id)).one()
        assert reason == REASON
    history = await page(admin, f"/admin/users/{made.id}")
    assert "Created an account" in history and link.group(1) not in history  # the link is shown once

    # A refresh or a second click of Confirm makes nothing more.
    counts = _counts(sessions)
    status, again = await _post(admin, NEW + "/confirm", ANSWERS)
    assert status == 400 and "There is already an account called pat.new." in again
    assert _counts(sessions) == counts

    await as_user(None)
    reset_path = "/password-reset/" + link.group(1).rsplit("/password-reset/", 1)[1]
    token = csrf_from(await page(client, reset_path))
    fields = {"csrf_token": token, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    response = await client.post(reset_path, data=fields)
    assert response.status == 200 and "Password changed" in await response.text()
    sign_in = await client.post(
        "/sign-in",
        data={"username": "pat.new", "password": NEW_PASSWORD, "csrf_token": token},
        allow_redirects=False,
    )
    assert sign_in.status == 303


async def test_each_bad_answer_gets_the_error_summary_and_makes_nothing(
    as_user: AsUser, people: dict[str, UserInfo], sessions: sessionmaker[Session]
) -> None:
    admin = await as_user("north-admin")
    before = _counts(sessions)
    for change, message in (
        ({"username": "north-lead"}, "There is already an account called north-lead."),
        ({"username": ""}, "sign-in name"),
        ({"email": "not-an-address"}, "email address"),
        ({"role": "superuser"}, "Choose the role."),
        ({"role": ""}, "Choose the role."),
        ({"team": "Nowhere team"}, "Choose the team."),
        ({"reason": "   "}, "Give the reason for this account."),
    ):
        for step in (NEW, NEW + "/confirm"):
            status, body = await _post(admin, step, {**ANSWERS, **change})
            assert status == 400, (step, change)
            assert "There is a problem" in body and message.lower() in body.lower(), (step, change)
            assert 'id="error-summary"' in body
    assert _counts(sessions) == before


async def test_check_answers_warns_as_bot_user_add_does_of_a_lead_nobody_can_reach(
    as_user: AsUser, people: dict[str, UserInfo], sessions: sessionmaker[Session]
) -> None:
    admin = await as_user("north-admin")
    # The North team's leads lose their addresses: one more lead without an address leaves reports
    # reaching nobody, as `bot user add` would then print; one with an address mends it.
    with sessions() as session:
        for lead in session.scalars(select(User).where(User.role == "lead")):
            lead.email = None
        session.commit()
    status, check = await _post(admin, NEW, {**ANSWERS, "role": "lead", "email": ""})
    assert status == 200 and "app-lead-gap" in check and "would reach nobody" in check
    status, check = await _post(admin, NEW, {**ANSWERS, "role": "lead"})
    assert status == 200 and "app-lead-gap" not in check  # this lead can be reached


async def test_only_admins_reach_the_create_pages(
    as_user: AsUser, people: dict[str, UserInfo], sessions: sessionmaker[Session]
) -> None:
    """Also in the access matrix (every route by role); here by name, with the answers filled in."""
    before = _counts(sessions)
    for name in ("north-practitioner", "north-lead", "north-trainer", "north-coordinator"):
        client = await as_user(name)
        assert (await client.get(NEW, allow_redirects=False)).status == 403, name
        token = csrf_from(await page(client, "/account/password"))
        for step in (NEW, NEW + "/confirm"):
            response = await client.post(step, data={"csrf_token": token, **ANSWERS}, allow_redirects=False)
            assert response.status == 403, (name, step)
    anonymous = await as_user(None)
    response = await anonymous.get(NEW, allow_redirects=False)
    assert response.status in (302, 303) and "/sign-in" in response.headers["Location"]
    assert _counts(sessions)[:2] == before[:2]  # no account, no change (each refusal is audited)
