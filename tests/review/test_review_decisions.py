"""Recording a decision: what is stored, what is refused (a message per field), and the status workflow."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp.test_utils import TestClient
from review_helpers import Case, page, post_form
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.review_models import Decision, DecisionAction, DecisionPathway, Referral

AsUser = Callable[[str | None], Awaitable[TestClient]]
RATIONALE = "  Repeated statements over three weeks;\nfamily engaged.  "
COMPLETE = [
    ("pathways", "early_help"),
    ("pathway-early_help-rationale", RATIONALE),
    ("pathway-early_help-shared", "The concern and the family's details, to the early help team."),
    ("pathway-early_help-owner", "Early help coordinator"),
    ("lawful_bases", "art6_public_task"),
    ("lawful_bases", "art9_sch1_para18"),
    ("consent", "not_sought"),
    ("consent_reason", "Seeking it would alert the person of concern."),
    ("action-1-description", "Arrange a team around the family meeting"),
    ("action-1-owner", "Early help coordinator"),
    ("action-1-due", "30/6/2099"),
    ("review_date", "1/9/2099"),
    ("feedback", "Thank you: early help will contact the family."),
]


def status_of(sessions: sessionmaker[Session], case: Case) -> str | None:
    with sessions() as session:
        return session.scalar(select(Referral.status).where(Referral.assessment_id == case.id))


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


async def test_a_decision_is_stored_with_pathway_rationale_and_lawful_basis(
    as_user: AsUser, cases: dict[str, Case], sessions: sessionmaker[Session]
) -> None:
    case = cases["north-live"]
    client = await as_user("north-lead")
    response = await post_form(client, f"/cases/{case.id}/decision", COMPLETE)
    assert response.status == 303, await response.text()
    with sessions() as session:
        decision = session.scalars(select(Decision)).one()
        [chosen] = session.scalars(select(DecisionPathway)).all()
        assert (chosen.decision_id, chosen.pathway) == (decision.id, "early_help")
        assert chosen.rationale == RATIONALE  # byte for byte, never trimmed
        assert chosen.owner == "Early help coordinator" and chosen.partner is None
        assert decision.pathway is None and decision.rationale is None  # the old single-pathway columns
        assert decision.lawful_bases == ["art6_public_task", "art9_sch1_para18"]
        assert (decision.consent, decision.consent_reason) == ("not_sought", dict(COMPLETE)["consent_reason"])
        action = session.scalars(select(DecisionAction)).one()
        assert (action.owner, action.due_date.isoformat()) == ("Early help coordinator", "2099-06-30")
    assert status_of(sessions, case) == "decided"
    body = await page(client, f"/cases/{case.id}?done=decision")
    assert "The decision has been recorded." in body and "Early help" in body
    assert 'id="decision-form"' not in body  # decided: a new decision needs the case reopened first
    # The practitioner sees the feedback, not the rationale.
    practitioner = await as_user("north-practitioner")
    own = await page(practitioner, f"/cases/{case.id}")
    assert "early help will contact the family" in own and "Repeated statements" not in own


async def test_a_decision_without_rationale_or_lawful_basis_is_refused_and_stores_nothing(
    as_user: AsUser, cases: dict[str, Case], sessions: sessionmaker[Session]
) -> None:
    case = cases["north-live"]
    client = await as_user("north-lead")
    incomplete = [
        (name, "   " if name.endswith("-rationale") else value)
        for name, value in COMPLETE
        if name != "lawful_bases"
    ]
    response = await post_form(client, f"/cases/{case.id}/decision", incomplete)
    body = await response.text()
    assert response.status == 400
    summary = body[body.index('id="error-summary"') : body.index("</ul>", body.index('id="error-summary"'))]
    assert '<a href="#pathway-early_help-rationale">Enter the rationale for Early help</a>' in summary
    assert '<a href="#lawful_bases">Select the lawful basis' in summary
    assert 'id="pathway-early_help-rationale-error"' in body and 'id="lawful_bases-error"' in body
    assert "Arrange a team around the family meeting" in body  # what was typed is kept for correcting
    assert count(sessions, Decision) == 0 and count(sessions, DecisionAction) == 0
    assert count(sessions, DecisionPathway) == 0
    assert status_of(sessions, case) == "in_review"


async def test_each_missing_field_gets_its_own_message(as_user: AsUser, cases: dict[str, Case]) -> None:
    client = await as_user("north-lead")
    response = await post_form(
        client, f"/cases/{cases['north-live'].id}/decision", [("action-1-description", "Call the school")]
    )
    body = await response.text()
    assert response.status == 400
    for field in ("pathways", "lawful_bases", "consent", "action-1-owner", "action-1-due"):
        assert f'id="{field}-error"' in body, field


async def test_close_and_reopen_with_a_reason(
    as_user: AsUser, cases: dict[str, Case], sessions: sessionmaker[Session]
) -> None:
    case = cases["north-live"]
    client = await as_user("north-lead")
    assert (await post_form(client, f"/cases/{case.id}/close", [])).status == 409  # nothing decided yet
    assert (await post_form(client, f"/cases/{case.id}/decision", COMPLETE)).status == 303
    assert (await post_form(client, f"/cases/{case.id}/close", [])).status == 303
    assert status_of(sessions, case) == "closed"
    refused = await post_form(client, f"/cases/{case.id}/reopen", [("reason", " ")])
    assert refused.status == 400 and "Enter the reason for reopening" in await refused.text()
    assert status_of(sessions, case) == "closed"
    reason = "New information from the school."
    assert (await post_form(client, f"/cases/{case.id}/reopen", [("reason", reason)])).status == 303
    assert status_of(sessions, case) == "in_review"
    body = await page(client, f"/cases/{case.id}")
    assert reason in body and 'id="decision-form"' in body


async def test_a_decision_on_another_teams_case_is_refused_whatever_the_form(
    as_user: AsUser, cases: dict[str, Case], sessions: sessionmaker[Session]
) -> None:
    client = await as_user("north-lead")
    for form in (COMPLETE, []):
        response = await post_form(client, f"/cases/{cases['south-live'].id}/decision", form)
        assert response.status == 404
    assert count(sessions, Decision) == 0 and count(sessions, Referral) == 0


async def test_a_decision_without_the_form_token_is_refused(
    as_user: AsUser, cases: dict[str, Case], sessions: sessionmaker[Session]
) -> None:
    client = await as_user("north-lead")
    response = await client.post(
        f"/cases/{cases['north-live'].id}/decision", data=COMPLETE, allow_redirects=False
    )
    assert response.status == 403
    assert count(sessions, Decision) == 0
