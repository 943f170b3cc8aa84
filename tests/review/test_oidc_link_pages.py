"""The admin's account page shows an account's organisation sign-in links (issue #32) and links or unlinks
one in the GOV.UK pattern: the question with a reason, check answers, then a confirmation; through the real
app and a real SQLite store, with bad input refused by a clear message that changes nothing."""

from __future__ import annotations

from aiohttp.test_utils import TestClient
from review_helpers import csrf_from, page
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.store.models import AuditEvent
from bot.store.oidc_link_models import OidcLink
from tests.review.test_review_access_matrix import AsUser

ISSUER = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"
SUBJECT = "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ"
REASON = "Joined the council's Entra ID in May.\n  Checked with IT."


async def _post(client: TestClient, path: str, data: dict[str, str]) -> tuple[int, str]:
    token = csrf_from(await page(client, "/account/password"))
    response = await client.post(path, data={"csrf_token": token, **data}, allow_redirects=False)
    return response.status, await response.text()


def _links(sessions: sessionmaker[Session]) -> list[tuple[str, str, int]]:
    with sessions() as session:
        return [(r.issuer, r.subject, r.user_id) for r in session.scalars(select(OidcLink))]


def _actions(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


async def test_an_admin_links_and_unlinks_an_organisation_account_through_check_answers(
    as_user: AsUser, people: dict[str, UserInfo], sessions: sessionmaker[Session]
) -> None:
    client = await as_user("north-admin")
    target = people["north-practitioner"]
    summary = await page(client, f"/admin/users/{target.id}")
    assert "Organisation sign-in" in summary and "None linked" in summary
    assert f"/admin/users/{target.id}/unlink-oidc" not in summary  # nothing to unlink yet

    path = f"/admin/users/{target.id}/link-oidc"
    assert 'name="issuer"' in await page(client, path)
    answers = {"issuer": ISSUER, "subject": SUBJECT, "reason": REASON}
    status, check = await _post(client, path, answers)
    assert status == 200 and "Check your answers" in check and SUBJECT in check
    assert _links(sessions) == []  # nothing written before Confirm
    status, done = await _post(client, path + "/confirm", answers)
    assert status == 200 and "Organisation account linked" in done
    assert _links(sessions) == [(ISSUER, SUBJECT, target.id)]

    summary = await page(client, f"/admin/users/{target.id}")
    table = summary.split('id="oidc-links"', 1)[1].split("</table>", 1)[0]
    assert ISSUER in table and SUBJECT in table and "Linked since (UTC)" in summary
    assert "Linked an organisation sign-in account" in summary and "Checked with IT." in summary

    path = f"/admin/users/{target.id}/unlink-oidc"
    assert f'value="{ISSUER}"' in await page(client, path)
    status, check = await _post(client, path, {"oidc_link": ISSUER, "reason": "Linked the wrong person"})
    assert status == 200 and f"{SUBJECT} at {ISSUER}" in check
    status, done = await _post(
        client, path + "/confirm", {"oidc_link": ISSUER, "reason": "Linked the wrong person"}
    )
    assert status == 200 and "Organisation account unlinked" in done
    assert _links(sessions) == []
    assert _actions(sessions)[-2:] == ["oidc.linked", "oidc.unlinked"]


async def test_bad_input_gets_a_clear_message_and_changes_nothing(
    as_user: AsUser, people: dict[str, UserInfo], sessions: sessionmaker[Session]
) -> None:
    client = await as_user("north-admin")
    target = people["north-lead"]
    trail = _actions(sessions)
    link = f"/admin/users/{target.id}/link-oidc"
    for form, message in (
        ({"issuer": "login.example.org", "subject": SUBJECT, "reason": "x"}, "issuer address"),
        ({"issuer": ISSUER, "subject": "two words", "reason": "x"}, "no spaces"),
        ({"issuer": ISSUER, "subject": SUBJECT, "reason": "  "}, "Give the reason for this change."),
    ):
        for step in (link, link + "/confirm"):
            status, body = await _post(client, step, form)
            assert status == 400 and "There is a problem" in body and message in body, (step, form)
    unlink = f"/admin/users/{target.id}/unlink-oidc"
    status, body = await _post(client, unlink + "/confirm", {"oidc_link": ISSUER, "reason": "x"})
    assert status == 400 and "Choose the organisation account to unlink." in body
    # A subject already linked to someone else, reached past the check page: the service's own refusal.
    other = people["north-practitioner"]
    status, _ = await _post(
        client,
        f"/admin/users/{other.id}/link-oidc/confirm",
        {"issuer": ISSUER, "subject": SUBJECT, "reason": "x"},
    )
    assert status == 200
    status, body = await _post(
        client, link + "/confirm", {"issuer": ISSUER, "subject": SUBJECT, "reason": "x"}
    )
    assert status == 400 and "already linked to another user" in body
    assert _links(sessions) == [(ISSUER, SUBJECT, other.id)]
    assert _actions(sessions) == [*trail, "oidc.linked"]


async def test_only_account_admins_reach_the_link_pages(as_user: AsUser, people: dict[str, UserInfo]) -> None:
    target = people["north-practitioner"]
    client = await as_user("north-lead")
    for kind in ("link-oidc", "unlink-oidc"):
        response = await client.get(f"/admin/users/{target.id}/{kind}", allow_redirects=False)
        assert response.status in (403, 404), kind
