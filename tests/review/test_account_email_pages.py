"""Change an account's email address from the admin pages: the address a lead's urgent notices go to, which
until now only `bot user set-email` could set, so an admin told by the check-answers warning that a team's
reports would reach nobody could not mend it in the pages. Through the real app and a real SQLite store: form,
check your answers, confirm; the reason kept verbatim; the audit event names the change, never the address;
bad input gets a clear message and changes nothing. North and South people come from the review fixtures
(tests/review/conftest.py)."""

from __future__ import annotations

import json

from aiohttp.test_utils import TestClient
from review_helpers import csrf_from, page
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.store.account_models import AccountChange
from bot.store.models import AuditEvent, User
from tests.review.test_review_access_matrix import AsUser

REASON = "New council address from 1 June.\n  Old one stops then."
NEW_ADDRESS = "north.lead.safeguarding@example.org"


async def _post(client: TestClient, path: str, data: dict[str, str]) -> tuple[int, str]:
    token = csrf_from(await page(client, "/account/password"))
    response = await client.post(path, data={"csrf_token": token, **data}, allow_redirects=False)
    return response.status, await response.text()


def _email(sessions: sessionmaker[Session], user_id: int) -> str | None:
    with sessions() as session:
        user = session.get(User, user_id)
        assert user is not None
        return user.email


def _trail(sessions: sessionmaker[Session]) -> list[tuple[str, str]]:
    with sessions() as session:
        return [
            (row.action, row.detail or "")
            for row in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


async def test_an_admin_changes_a_leads_address_through_check_answers(
    as_user: AsUser, people: dict[str, UserInfo], sessions: sessionmaker[Session]
) -> None:
    client = await as_user("north-admin")
    lead = people["north-lead"]
    old = _email(sessions, lead.id)
    summary = await page(client, f"/admin/users/{lead.id}")
    assert f'href="/admin/users/{lead.id}/email"' in summary and "Change email address" in summary
    path = f"/admin/users/{lead.id}/email"
    form = await page(client, path)
    assert 'type="email"' in form and "Where their urgent notices go" in form
    status, check = await _post(client, path, {"email": NEW_ADDRESS, "reason": REASON})
    assert status == 200 and "Check your answers" in check and f"to {NEW_ADDRESS}" in check
    assert _email(sessions, lead.id) == old  # nothing written before Confirm
    status, done = await _post(client, path + "/confirm", {"email": NEW_ADDRESS, "reason": REASON})
    assert status == 200 and "govuk-panel--confirmation" in done and "Email address changed" in done
    assert _email(sessions, lead.id) == NEW_ADDRESS
    action, detail = _trail(sessions)[-1]
    assert action == "user.email_set" and "change_id" in detail and NEW_ADDRESS not in json.dumps(detail)
    with sessions() as session:
        kept = session.scalars(select(AccountChange).where(AccountChange.user_id == lead.id)).all()
    assert [change.reason for change in kept][-1] == REASON  # verbatim
    history = await page(client, f"/admin/users/{lead.id}")
    assert "Set the email address for notices" in history and NEW_ADDRESS in history


async def test_a_bad_missing_or_unchanged_address_is_refused_and_changes_nothing(
    as_user: AsUser, people: dict[str, UserInfo], sessions: sessionmaker[Session]
) -> None:
    client = await as_user("north-admin")
    lead = people["north-lead"]
    with sessions() as session:
        row = session.get(User, lead.id)
        assert row is not None
        row.email = "north.lead@example.org"
        session.commit()
    before, trail = _email(sessions, lead.id), _trail(sessions)
    path = f"/admin/users/{lead.id}/email"
    for form, message in (
        ({"email": "", "reason": "New address"}, "Enter the new email address."),
        ({"email": "not an address", "reason": "New address"}, "email"),
        ({"email": NEW_ADDRESS, "reason": "  "}, "Give the reason for this change."),
    ):
        for step in (path, path + "/confirm"):
            status, body = await _post(client, step, form)
            assert status == 400 and "There is a problem" in body and message in body, (step, form)
    assert before is not None
    status, body = await _post(client, path + "/confirm", {"email": before, "reason": "Again"})
    assert status == 400 and "already has this email address" in body
    assert _email(sessions, lead.id) == before and _trail(sessions) == trail


async def test_the_create_pages_warning_names_the_fix_in_the_pages(
    as_user: AsUser, people: dict[str, UserInfo], sessions: sessionmaker[Session]
) -> None:
    """The check-answers warning that a team's reports would reach nobody says what to do in the pages (where
    the admin is), not the command line's `bot user set-email`."""
    client = await as_user("north-admin")
    with sessions() as session:
        for lead in session.scalars(select(User).where(User.role == "lead")):
            lead.email = None
        session.commit()
    answers = {"username": "pat.lead", "email": "", "role": "lead", "team": "North team", "reason": "Joined"}
    status, check = await _post(client, "/admin/users/new", answers)
    assert status == 200 and "would reach nobody" in check
    assert "Change email address" in check and "bot user set-email" not in check
