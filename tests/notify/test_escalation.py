"""When no lead has been reached in time, the practitioner is told to phone their lead (by a real SMTP
server here), once, with the event audited and the assessment marked for the chat page's banner."""

from __future__ import annotations

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


def escalations(sessions: sessionmaker[Session]) -> list[AuditEvent]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "urgent.lead_unreached")))


async def test_a_team_with_no_reachable_lead_has_the_practitioner_told_to_phone_after_the_deadline(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
) -> None:
    practitioner = store.users.create_user("pat", PASSWORD, "practitioner", "East team", email="pat@x.org")
    store.users.create_user("no.email.lead", PASSWORD, "lead", "East team")  # a lead nobody can reach
    conversation, assessment_id, reference = report_danger(store, practitioner)
    worker = OutboxWorker.from_settings(settings, sessions, clock=clock)

    clock.advance(seconds=settings.urgent_lead_deadline_seconds - 1)
    assert await worker.run_once() == 0 and escalations(sessions) == []
    clock.advance(seconds=2)
    assert await worker.run_once() == 1
    assert await worker.run_once() == 0  # once only

    [message] = mail.inbox.to("pat@x.org")
    body = (message.get_payload(decode=True) or b"").decode()  # type: ignore[union-attr]
    assert message["Subject"] == f"Urgent: phone your safeguarding lead now about {reference}"
    assert "Phone your safeguarding lead now" in body and "999" in body
    assert f"{PUBLIC_URL}/chat/{reference}" in body.split()
    assert DANGER not in body and ANSWER not in body
    record = store.assessments.get_assessment(conversation)
    assert record is not None and record.lead_unreached_at == clock.now
    [event] = escalations(sessions)
    assert event.assessment_id == assessment_id and event.detail["notices"] == 1


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
