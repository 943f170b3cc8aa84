"""Only roles the permission table lets raise concerns start an assessment or report danger (issue #26):
an administrator's or a coordinator's screening or danger report is refused in the store, audited, and
nothing else is written. And the one query of teams whose urgent reports would reach no lead."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import ConflictError, NotPermittedError
from bot.domain.records import TeamLeadGap, TurnIn
from bot.store.models import AuditEvent, User
from bot.store.services import Store
from tests.builders import report_danger
from tests.store.conftest import PASSWORD

TENANT = "11111111-2222-4333-8444-555555555555"
DANGER = "He has a knife and says he will use it tonight"
TABLES = ("assessments", "urgent_flags", "notifications", "answers")


def refusals(sessions: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def set_role(sessions: sessionmaker[Session], user_id: int, role: str) -> None:
    with sessions.begin() as session:
        session.get_one(User, user_id).role = role


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_a_role_that_may_not_raise_concerns_cannot_start_a_screening(
    service: Store, sessions: sessionmaker[Session], count_rows: Callable[[str], int], role: str
) -> None:
    service.users.create_user("lee.lead", PASSWORD, "lead", "North Team", email="lee@example.org")
    user = service.users.create_user("casey", PASSWORD, role, "North Team")
    conversation = service.conversations.open_conversation(user.id, "web")

    with pytest.raises(NotPermittedError) as refused:
        service.assessments.start_or_resume(conversation, "2026.1")
    assert isinstance(refused.value, ConflictError)  # every caller that refuses a conflict refuses this
    assert f"a {role} account cannot start a screening" in refused.value.fields["role"]
    assert "practitioner accounts and trainer accounts raise concerns" in refused.value.fields["role"]
    with pytest.raises(NotPermittedError):
        service.practitioners.open_assessment(user.id, "web", "2026.1")

    assert {table: count_rows(table) for table in TABLES} == dict.fromkeys(TABLES, 0)
    attempts = refusals(sessions, "assessment.start_refused")
    assert [(e.user_id, e.detail["role"]) for e in attempts] == [(user.id, role), (user.id, role)]
    assert attempts[0].conversation_id == conversation
    assert refusals(sessions, "assessment.started") == []


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_a_role_that_may_not_raise_concerns_cannot_report_danger(
    service: Store,
    sessions: sessionmaker[Session],
    count_rows: Callable[[str], int],
    started: str,
    role: str,
) -> None:
    """An assessment begun before the account's role changed: the danger report is refused all the same."""
    service.users.create_user("lee.lead", PASSWORD, "lead", "North Team", email="lee@example.org")
    pat = service.users.find_user("pat.smith")
    assert pat is not None
    set_role(sessions, pat.id, role)

    with pytest.raises(NotPermittedError) as refused:
        report_danger(service, started, DANGER)
    assert "cannot report danger" in refused.value.fields["role"] and "999" in refused.value.fields["role"]
    with pytest.raises(NotPermittedError):
        service.assessments.apply_turn(started, TurnIn(urgent_message=DANGER))

    record = service.assessments.get_assessment(started)
    assert record is not None and not record.urgent and record.urgent_messages == ()
    assert (count_rows("urgent_flags"), count_rows("notifications")) == (0, 0)
    attempts = refusals(sessions, "assessment.urgent_refused")
    assert len(attempts) == 2 and {e.assessment_id for e in attempts} == {record.id}
    assert attempts[0].user_id == pat.id and attempts[0].detail == {"role": role}
    assert refusals(sessions, "assessment.flagged_urgent") == []


def test_practitioners_and_trainers_still_start_and_report(service: Store, started: str) -> None:
    assert report_danger(service, started, DANGER).urgent
    trainer = service.users.create_user("tia", PASSWORD, "trainer", "North Team")
    summary = service.practitioners.open_assessment(trainer.id, "web", "2026.1")
    assert report_danger(service, summary.conversation_id, DANGER).urgent


def test_teams_without_a_reachable_lead(service: Store, sessions: sessionmaker[Session]) -> None:
    def add(name: str, role: str, team: str, email: str | None = None) -> int:
        return service.users.create_user(name, PASSWORD, role, team, email=email).id

    add("a.pat", "practitioner", "A no lead")
    add("a.tia", "trainer", "A no lead")
    add("b.pat", "practitioner", "B reachable")
    add("b.lee", "lead", "B reachable", "b.lee@example.org")
    add("b.quiet", "lead", "B reachable")  # one reachable lead is enough
    add("c.pat", "practitioner", "C no address")
    add("c.lee", "lead", "C no address")
    add("c.kim", "lead", "C no address")
    add("d.pat", "practitioner", "D Teams only")
    d_lead = add("d.lee", "lead", "D Teams only")
    service.teams.link_teams_user(d_lead, TENANT, "aaaaaaaa-bbbb-4ccc-8ddd-000000000001")
    service.teams.remember_teams_chat(d_lead, "https://smba.trafficmanager.net/uk/", "a:d", "28:bot")
    e_lead = add("e.lee", "lead", "E linked, never messaged")
    service.teams.link_teams_user(e_lead, TENANT, "aaaaaaaa-bbbb-4ccc-8ddd-000000000002")
    add("f.casey", "coordinator", "F figures only")  # nobody raises concerns: nothing to reach
    add("g.pat", "practitioner", "G lead left")
    g_lead = add("g.lee", "lead", "G lead left", "g.lee@example.org")
    with sessions.begin() as session:
        session.get_one(User, g_lead).active = False

    assert service.users.teams_without_reachable_lead() == [
        TeamLeadGap(team="A no lead", raisers=2, leads=0),
        TeamLeadGap(team="C no address", raisers=1, leads=2),
        TeamLeadGap(team="E linked, never messaged", raisers=0, leads=1),
        TeamLeadGap(team="G lead left", raisers=1, leads=0),
    ]
    assert service.users.teams_without_reachable_lead("A no lead")[0].no_lead
    assert service.users.teams_without_reachable_lead("B reachable") == []
    assert service.users.teams_without_reachable_lead("No such team") == []
