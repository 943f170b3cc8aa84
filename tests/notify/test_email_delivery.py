"""Urgent notices by email, through a real SMTP server: one message to each active lead of the team, no case
content in it, nothing lost while the mail server is down, nothing sent twice by two workers, and a
restarted worker carrying on from the table."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from bot.store.db import make_session_factory
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
    notify_settings,
    report_danger,
    rows,
    whole,
    worker,
)


async def test_every_active_lead_of_the_team_gets_one_message_with_no_case_content(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    north: North,
) -> None:
    _, assessment_id, reference = report_danger(store, north.practitioner)

    assert await worker(settings, sessions, clock).run_once() == 2
    assert await worker(settings, sessions, clock).run_once() == 0  # nothing twice

    assert mail.inbox.recipients() == sorted(lead.email or "" for lead in north.leads)
    for lead in north.leads:
        [message] = mail.inbox.to(lead.email or "")
        text = whole(message)
        assert message["Subject"] == f"Urgent: safeguarding concern {reference} needs a lead now"
        assert message["To"] == lead.email
        assert "not yet submitted" in text and "Urgent" in text
        assert f"{PUBLIC_URL}/cases/{assessment_id}" in text.split()  # the link, whole
        for secret in (DANGER, ANSWER, "knife", "cousin", north.practitioner.username, "North team"):
            assert secret not in text, secret
    assert {(n.status, n.attempts, n.sent_at) for n in rows(sessions)} == {("sent", 1, clock.now)}


async def test_with_the_mail_server_down_the_notice_waits_and_is_delivered_when_it_is_back(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    north: North,
) -> None:
    mail.stop()
    _, _, reference = report_danger(store, north.practitioner)
    first = worker(settings, sessions, clock)

    assert await first.run_once() == 0
    clock.advance(seconds=settings.notify_retry_seconds)
    assert await first.run_once() == 0
    pending = rows(sessions)
    assert {(n.status, n.attempts) for n in pending} == {("pending", 2)}
    assert all(f"127.0.0.1:{mail.port}" in (n.last_error or "") for n in pending)
    assert all(n.next_attempt_at > clock.now for n in pending)  # backing off

    mail.start()  # the same port, as a mail server coming back would
    clock.advance(seconds=settings.notify_retry_seconds * 2)
    restarted = worker(settings, sessions, clock)  # the app restarted: nothing but the table carries over
    assert await restarted.run_once() == 2

    assert mail.inbox.recipients() == sorted(lead.email or "" for lead in north.leads)
    for lead in north.leads:
        assert reference in mail.inbox.to(lead.email or "")[0]["Subject"]
    assert {(n.status, n.attempts) for n in rows(sessions)} == {("sent", 3)}
    with sessions() as session:
        actions = list(session.scalars(select(AuditEvent.action)))
    assert actions.count("notification.retry") == 4 and actions.count("notification.sent") == 2


async def test_two_workers_on_one_database_send_each_notice_once(
    settings: Settings,
    store: Store,
    database_url: str,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    north: North,
) -> None:
    for number in range(6):
        store.users.create_user(f"lead.{number}", PASSWORD, "lead", "North team", email=f"l{number}@x.org")
    report_danger(store, north.practitioner)
    other_process = make_session_factory(database_url)  # its own engine and connections, as another app has
    try:
        one, two = worker(settings, sessions, clock), worker(settings, other_process, clock)
        for _ in range(3):
            await asyncio.gather(one.run_once(), two.run_once())
    finally:
        other_process.kw["bind"].dispose()

    expected = sorted([*(lead.email or "" for lead in north.leads), *(f"l{n}@x.org" for n in range(6))])
    assert mail.inbox.recipients() == expected  # each exactly once
    assert {n.status for n in rows(sessions)} == {"sent"}


async def test_without_a_mail_server_configured_the_reason_is_recorded_and_it_keeps_trying(
    tmp_path: Path,
    database_url: str,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    north: North,
) -> None:
    unset = notify_settings(tmp_path, database_url, None)
    report_danger(store, north.practitioner)
    assert await worker(unset, sessions, clock).run_once() == 0
    assert {(n.status, n.attempts, n.last_error) for n in rows(sessions)} == {
        ("pending", 1, "no mail server is configured (BOT_SMTP_URL unset)")
    }


async def test_after_the_last_attempt_a_notice_is_marked_failed(
    tmp_path: Path,
    database_url: str,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    north: North,
) -> None:
    mail.stop()
    few = notify_settings(
        tmp_path, database_url, mail.url, BOT_NOTIFY_MAX_ATTEMPTS="2", BOT_URGENT_LEAD_DEADLINE_SECONDS="3600"
    )
    report_danger(store, north.practitioner)
    for _ in range(3):
        await worker(few, sessions, clock).run_once()
        clock.advance(seconds=few.notify_retry_max_seconds)
    assert {(n.status, n.attempts) for n in rows(sessions)} == {("failed", 2)}
    with sessions() as session:
        failed = session.scalars(select(AuditEvent).where(AuditEvent.action == "notification.failed")).all()
    assert len(failed) == 2 and {e.detail["error"] for e in failed} == {"smtp_unreachable"}


async def test_rehearsal_reaches_nobody(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    north: North,
) -> None:
    report_danger(store, north.practitioner, mode="rehearsal")
    clock.advance(minutes=10)  # past the escalation deadline too
    assert await worker(settings, sessions, clock).run_once() == 0
    assert mail.inbox.messages == [] and rows(sessions) == []
