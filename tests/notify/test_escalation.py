"""When no lead has been reached in time, the practitioner is told to phone their lead (by a real SMTP
server here), once, with the event audited and the assessment marked for the chat page's banner; when the
team has no lead who can be reached at all, they are told at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.notify.outbox_worker import OutboxWorker
from bot.settings import Settings
from bot.store.models import AuditEvent
from bot.store.services import Store
from tests.notify.conftest import (
    ANSWER,
    DANGER,
    PASSWORD,
    PUBLIC_URL,
    Clock,
    MailServer,
    North,
    report_danger,
)

TENANT = "11111111-2222-4333-8444-555555555555"


def escalations(sessions: sessionmaker[Session]) -> list[AuditEvent]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "urgent.lead_unreached")))


def told_at_once(sessions: sessionmaker[Session]) -> list[AuditEvent]:
    with sessions() as session:
        return list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == "urgent.no_reachable_lead"))
        )


@pytest.mark.parametrize("lead", ["none", "no_address"])
async def test_a_team_with_no_reachable_lead_has_the_practitioner_told_to_phone_at_once(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    lead: str,
) -> None:
    practitioner = store.users.create_user("pat", PASSWORD, "practitioner", "East team", email="pat@x.org")
    if lead == "no_address":
        store.users.create_user("no.email.lead", PASSWORD, "lead", "East team")  # a lead nobody can reach
    store.users.create_user("sam.lead", PASSWORD, "lead", "South team", email="sam@x.org")  # another team's
    conversation, assessment_id, reference = report_danger(store, practitioner)
    worker = OutboxWorker.from_settings(settings, sessions, clock=clock)

    assert await worker.run_once() == 1  # no waiting for the deadline: the practitioner's notice goes now
    [message] = mail.inbox.to("pat@x.org")
    body = (message.get_payload(decode=True) or b"").decode()  # type: ignore[union-attr]
    assert message["Subject"] == f"Urgent: phone your safeguarding lead now about {reference}"
    assert "Phone your safeguarding lead now" in body and "safeguarding route" in body and "999" in body
    assert f"{PUBLIC_URL}/chat/{reference}" in body.split()
    assert DANGER not in body and ANSWER not in body
    assert mail.inbox.recipients() == ["pat@x.org"]  # South's lead hears nothing of East's case
    record = store.assessments.get_assessment(conversation)
    assert record is not None and record.lead_unreached_at == clock.now  # the chat page's banner
    [event] = told_at_once(sessions)
    assert event.assessment_id == assessment_id
    assert event.detail["notices"] == 1 and event.detail["leads"] == (1 if lead == "no_address" else 0)

    clock.advance(seconds=settings.urgent_lead_deadline_seconds + 1)
    assert await worker.run_once() == 0  # told once: the deadline's escalation does not tell them again
    assert escalations(sessions) == [] and len(mail.inbox.to("pat@x.org")) == 1


async def test_a_lead_reachable_only_in_teams_means_no_immediate_escalation(
    settings: Settings, store: Store, sessions: sessionmaker[Session], clock: Clock, mail: MailServer
) -> None:
    practitioner = store.users.create_user("pat", PASSWORD, "practitioner", "East team", email="pat@x.org")
    lead = store.users.create_user("kim.lead", PASSWORD, "lead", "East team")  # Teams only: no address
    store.teams.link_teams_user(lead.id, TENANT, "aaaaaaaa-bbbb-4ccc-8ddd-000000000001")
    store.teams.remember_teams_chat(lead.id, "https://smba.trafficmanager.net/uk/", "a:kim", "28:bot")
    conversation, _, _ = report_danger(store, practitioner)
    assert told_at_once(sessions) == []
    record = store.assessments.get_assessment(conversation)
    assert record is not None and record.lead_unreached_at is None
    assert mail.inbox.recipients() == []


async def test_leads_who_got_the_notice_in_time_mean_no_escalation(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    north: North,
) -> None:
    conversation, _, _ = report_danger(store, north.practitioner)
    worker = OutboxWorker.from_settings(settings, sessions, clock=clock)
    assert await worker.run_once() == 2
    clock.advance(minutes=30)
    assert await worker.run_once() == 0
    assert escalations(sessions) == []
    assert north.practitioner.email not in mail.inbox.recipients()
    record = store.assessments.get_assessment(conversation)
    assert record is not None and record.lead_unreached_at is None


async def test_with_the_mail_server_down_past_the_deadline_the_practitioner_is_told_when_it_is_back(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    north: North,
) -> None:
    mail.stop()
    report_danger(store, north.practitioner)
    worker = OutboxWorker.from_settings(settings, sessions, clock=clock)
    assert await worker.run_once() == 0
    clock.advance(seconds=settings.urgent_lead_deadline_seconds + 1)
    assert await worker.run_once() == 0
    assert len(escalations(sessions)) == 1

    mail.start()
    clock.advance(seconds=settings.notify_retry_max_seconds)
    assert await worker.run_once() == 3  # the two leads' notices, and the practitioner's
    everyone_told = [north.practitioner.email or "", *(lead.email or "" for lead in north.leads)]
    assert mail.inbox.recipients() == sorted(everyone_told)
