"""The case page lists every notice about a case, the review notices of issue #26 too, on a case that was
never urgent: who was told, by which channel, about what, and how delivery went."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp.test_utils import TestClient
from review_helpers import PASSWORD, make_case, page, post_form

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.store.services import Store

AsUser = Callable[[str | None], Awaitable[TestClient]]
DECISION = [
    ("pathways", "early_help"),
    ("pathway-early_help-rationale", "Family engaged."),
    ("pathway-early_help-shared", "The concern and the family's details, to the early help team."),
    ("pathway-early_help-owner", "Early help coordinator"),
    ("lawful_bases", "art6_public_task"),
    ("consent", "given"),
    ("feedback", "Thank you for raising this."),
]


async def test_a_lead_sees_the_submission_and_feedback_notices_of_a_case_never_urgent(
    as_user: AsUser, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    store.users.create_user("mailed-lead", PASSWORD, "lead", "North team", email="mailed@example.invalid")
    store.users.set_user_email(people["north-practitioner"].username, "pat@example.invalid")
    case = make_case(store, bank, people["north-practitioner"])
    client = await as_user("north-lead")

    body = await page(client, f"/cases/{case.id}")
    assert 'id="urgent-follow-up"' not in body
    notices = body.split('id="notice-list"', 1)[1].split("</table>", 1)[0]
    assert "mailed-lead" in notices and "Submitted for review" in notices and "Pending" in notices
    assert "Queued notices: Submitted for review" in body  # the case's history names what it was about

    response = await post_form(client, f"/cases/{case.id}/decision", DECISION)
    assert response.status == 303, await response.text()
    body = await page(client, f"/cases/{case.id}")
    notices = body.split('id="notice-list"', 1)[1].split("</table>", 1)[0]
    assert "north-practitioner" in notices and "Feedback from your lead" in notices


async def test_a_practitioner_sees_no_notice_list(
    as_user: AsUser, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    store.users.create_user("mailed-lead", PASSWORD, "lead", "North team", email="mailed@example.invalid")
    case = make_case(store, bank, people["north-practitioner"])
    client = await as_user("north-practitioner")
    body = await page(client, f"/cases/{case.id}")
    assert 'id="notice-list"' not in body and "mailed-lead" not in body
