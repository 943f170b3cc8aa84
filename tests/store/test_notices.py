"""The urgent-notice outbox in the store (SQLite and PostgreSQL): notices are written in the flag's own
transaction, to every active lead of the team through each channel they have; a claim's lease keeps two
workers from taking the same notice; each attempt is recorded with back-off; and a live danger report no
lead has been told about in time is escalated to the practitioner, once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import NotFoundError, ValidationError
from bot.domain.records import TurnIn, UrgentDetailIn, UserInfo
from bot.store.models import Assessment, AuditEvent, User
from bot.store.notices import LEASE, NoticeService
from bot.store.services import Store
from bot.store.teams_models import TeamsIdentity
from bot.store.urgent_models import Notification
from tests.builders import report_danger
from tests.store.conftest import PASSWORD, Clock

DANGER = "He has a knife and says he will use it tonight"
SERVICE_URL = "https://smba.trafficmanager.net/uk/"
BOT_ID = "28:00000000-0000-4000-8000-00000000a99d"
TENANT = "11111111-2222-4333-8444-555555555555"


def lead(service: Store, name: str, team: str = "North Team", email: str | None = None) -> UserInfo:
    return service.users.create_user(name, PASSWORD, "lead", team, email=email)


def in_teams(service: Store, user: UserInfo, object_id: str) -> None:
    """Linked in Teams, and has messaged the bot (so their chat is known)."""
    service.teams.link_teams_user(user.id, TENANT, object_id)
    service.teams.remember_teams_chat(user.id, SERVICE_URL, f"a:chat-of-{user.username}", BOT_ID)


def notices(sessions: sessionmaker[Session]) -> list[Notification]:
    with sessions() as session:
        return list(session.scalars(select(Notification).order_by(Notification.id)))


def audit(sessions: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def deactivate(sessions: sessionmaker[Session], user_id: int) -> None:
    with sessions.begin() as session:
        session.get_one(User, user_id).active = False


def outbox(sessions: sessionmaker[Session], clock: Clock, **options: Any) -> NoticeService:
    return NoticeService(sessions, clock=clock, **options)


# -- enqueue -------------------------------------------------------------------------------------------------


def test_a_danger_report_queues_each_active_lead_of_the_team_on_each_channel_they_have(
    service: Store, started: str, sessions: sessionmaker[Session], clock: Clock
) -> None:
    by_email = lead(service, "lee.lead", email="lee@example.org")
    by_both = lead(service, "kim.lead", email="kim@example.org")
    in_teams(service, by_both, "aaaaaaaa-bbbb-4ccc-8ddd-000000000001")
    teams_only = lead(service, "max.lead")
    in_teams(service, teams_only, "aaaaaaaa-bbbb-4ccc-8ddd-000000000002")
    lead(service, "no.channel")  # a lead with neither: nothing to queue
    deactivate(sessions, lead(service, "gone.lead", email="gone@example.org").id)
    lead(service, "south.lead", team="South Team", email="south@example.org")
    service.users.create_user("colleague", PASSWORD, "practitioner", "North Team", email="col@example.org")

    record = report_danger(service, started, DANGER)

    queued = {(n.recipient_id, n.channel) for n in notices(sessions)}
    assert queued == {
        (by_email.id, "email"),
        (by_both.id, "email"),
        (by_both.id, "teams"),
        (teams_only.id, "teams"),
    }
    assert {(n.status, n.attempts, n.next_attempt_at, n.purpose) for n in notices(sessions)} == {
        ("pending", 0, clock.now, "urgent_flag")
    }
    assert {n.assessment_id for n in notices(sessions)} == {record.id}
    [enqueued] = audit(sessions, "notification.enqueued")
    assert enqueued.assessment_id == record.id and enqueued.actor_kind == "service"
    assert enqueued.detail["leads"] == 4 and enqueued.detail["notices"] == 4
    assert DANGER not in str(enqueued.detail)


def test_each_danger_report_notifies_but_its_follow_up_answers_do_not(
    service: Store, started: str, sessions: sessionmaker[Session]
) -> None:
    lead(service, "lee.lead", email="lee@example.org")
    report_danger(service, started, DANGER)
    service.assessments.apply_turn(
        started,
        TurnIn(
            urgent_detail=UrgentDetailIn(
                question_id="happening_now", wording="What is happening now?", text="In the car park"
            )
        ),
    )
    assert len(notices(sessions)) == 1
    # a second report: notified too
    service.assessments.apply_turn(started, TurnIn(urgent_message="Now he has gone"))
    assert len(notices(sessions)) == 2


def test_rehearsal_notifies_nobody(
    service: Store, conversation: str, sessions: sessionmaker[Session]
) -> None:
    lead(service, "lee.lead", email="lee@example.org")
    service.assessments.start_or_resume(conversation, "2026.1", "rehearsal")
    report_danger(service, conversation, DANGER)
    assert notices(sessions) == []
    assert audit(sessions, "notification.enqueued") == []


def test_the_notices_roll_back_with_the_flag(
    service: Store,
    started: str,
    sessions: sessionmaker[Session],
    count_rows: Callable[[str], int],
) -> None:
    """A failure late in the flag's transaction (here: its own audit event cannot be written) leaves
    neither the flag nor any notice."""
    lead(service, "lee.lead", email="lee@example.org")

    def fail_on_flag_audit(session: Session, _context: Any, _instances: Any) -> None:
        if any(isinstance(o, AuditEvent) and o.action == "assessment.flagged_urgent" for o in session.new):
            raise RuntimeError("the database went away")

    event.listen(sessions, "before_flush", fail_on_flag_audit)
    try:
        with pytest.raises(RuntimeError):
            report_danger(service, started, DANGER)
    finally:
        event.remove(sessions, "before_flush", fail_on_flag_audit)
    assert (count_rows("urgent_flags"), count_rows("notifications")) == (0, 0)

    report_danger(service, started, DANGER)
    assert (count_rows("urgent_flags"), count_rows("notifications")) == (1, 1)


# -- claim, attempts, back-off ------------------------------------------------------------------------------


def test_a_claimed_notice_is_not_claimed_again_until_its_lease_runs_out(
    service: Store, started: str, sessions: sessionmaker[Session], clock: Clock
) -> None:
    lead(service, "lee.lead", email="lee@example.org")
    report_danger(service, started, DANGER)
    first, second = outbox(sessions, clock), outbox(sessions, clock)

    [job] = first.claim_due()
    assert (job.email, job.channel, job.submitted) == ("lee@example.org", "email", False)
    assert job.reference == service.assessments.get_assessment(started).reference  # type: ignore[union-attr]
    assert second.claim_due() == [] and first.claim_due() == []

    clock.advance(seconds=LEASE.total_seconds() + 1)  # the first worker died mid-send
    [again] = second.claim_due()
    assert again.id == job.id


def test_two_workers_racing_claim_each_notice_once(
    service: Store, started: str, sessions: sessionmaker[Session], clock: Clock
) -> None:
    for number in range(12):
        lead(service, f"lead.{number}", email=f"lead{number}@example.org")
    report_danger(service, started, DANGER)
    claimed: list[list[int]] = [[], []]
    barrier = threading.Barrier(2)

    def claim(index: int) -> None:
        worker = outbox(sessions, clock)
        barrier.wait()
        for _ in range(3):
            claimed[index].extend(job.id for job in worker.claim_due(limit=5))

    threads = [threading.Thread(target=claim, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = claimed[0] + claimed[1]
    assert sorted(everything) == sorted(n.id for n in notices(sessions))  # each once, none twice


def test_each_attempt_is_recorded_with_doubling_back_off_then_failed(
    service: Store, started: str, sessions: sessionmaker[Session], clock: Clock
) -> None:
    lead(service, "lee.lead", email="lee@example.org")
    report_danger(service, started, DANGER)
    worker = outbox(sessions, clock, retry_seconds=5, retry_max_seconds=12, max_attempts=4)
    waits = []
    for _ in range(3):
        [job] = worker.claim_due()
        outcome = worker.record_failure(job, "smtp_unreachable", "cannot reach the mail server (refused)")
        assert outcome.status == "pending" and outcome.next_attempt_at is not None
        waits.append((outcome.next_attempt_at - clock.now).total_seconds())
        assert worker.claim_due() == []  # not due before its back-off
        clock.now = outcome.next_attempt_at
    assert waits == [5, 10, 12]  # doubling, capped
    [job] = worker.claim_due()
    assert worker.record_failure(job, "smtp_unreachable", "refused").status == "failed"
    assert worker.claim_due() == []

    [row] = notices(sessions)
    assert (row.status, row.attempts, row.last_error, row.sent_at) == ("failed", 4, "refused", None)
    retries = audit(sessions, "notification.retry")
    assert [e.detail["attempts"] for e in retries] == [1, 2, 3]
    assert {e.detail["error"] for e in retries} == {"smtp_unreachable"}
    [failed] = audit(sessions, "notification.failed")
    assert failed.user_id == row.recipient_id and failed.assessment_id == row.assessment_id


def test_a_sent_notice_is_recorded_once(
    service: Store, started: str, sessions: sessionmaker[Session], clock: Clock
) -> None:
    lead(service, "lee.lead", email="lee@example.org")
    report_danger(service, started, DANGER)
    worker = outbox(sessions, clock)
    [job] = worker.claim_due()
    clock.advance(seconds=2)
    assert worker.record_sent(job).status == "sent"
    assert worker.record_sent(job).status == "sent"  # a repeat changes nothing
    [row] = notices(sessions)
    assert (row.status, row.attempts, row.sent_at, row.claimed_until) == ("sent", 1, clock.now, None)
    assert len(audit(sessions, "notification.sent")) == 1


# -- escalation ----------------------------------------------------------------------------------------------


def test_no_lead_reached_in_time_tells_the_practitioner_once(
    service: Store, conversation: str, sessions: sessionmaker[Session], clock: Clock
) -> None:
    pat = service.users.find_user("pat.smith")
    assert pat is not None
    service.users.set_user_email("pat.smith", "pat@example.org")
    in_teams(service, pat, "aaaaaaaa-bbbb-4ccc-8ddd-000000000009")
    lee = lead(service, "lee.lead", email="lee@example.org")  # reachable, but the notice is never sent
    service.assessments.start_or_resume(conversation, "2026.1")
    record = report_danger(service, conversation, DANGER)
    worker = outbox(sessions, clock)

    clock.advance(seconds=179)
    assert worker.escalate_unreached(180) == []
    clock.advance(seconds=2)
    assert worker.escalate_unreached(180) == [record.id]
    assert worker.escalate_unreached(180) == []  # once

    after = service.assessments.get_assessment(conversation)
    assert after is not None and after.lead_unreached_at == clock.now
    assert after.to_json()["lead_unreached_at"] == clock.now.isoformat()
    queued = {(n.recipient_id, n.channel, n.purpose) for n in notices(sessions)}
    assert queued == {
        (lee.id, "email", "urgent_flag"),
        (pat.id, "email", "lead_unreached"),
        (pat.id, "teams", "lead_unreached"),
    }
    [escalated] = audit(sessions, "urgent.lead_unreached")
    assert escalated.assessment_id == record.id and escalated.detail["notices"] == 2
    assert audit(sessions, "urgent.no_reachable_lead") == []


def test_a_team_with_no_reachable_lead_tells_the_practitioner_at_once(
    service: Store, conversation: str, sessions: sessionmaker[Session], clock: Clock
) -> None:
    pat = service.users.find_user("pat.smith")
    assert pat is not None
    service.users.set_user_email("pat.smith", "pat@example.org")
    lead(service, "no.address.lead")  # a lead, but nothing to reach them by
    lead(service, "sam.lead", team="South Team", email="sam@example.org")  # another team's
    service.assessments.start_or_resume(conversation, "2026.1")
    record = report_danger(service, conversation, DANGER)

    assert record.lead_unreached_at == clock.now  # in the flag's own transaction: no deadline to wait for
    queued = {(n.recipient_id, n.channel, n.purpose) for n in notices(sessions)}
    assert queued == {(pat.id, "email", "lead_unreached")}
    [told] = audit(sessions, "urgent.no_reachable_lead")
    assert told.assessment_id == record.id and told.detail["leads"] == 1 and told.detail["notices"] == 1
    clock.advance(seconds=181)
    assert outbox(sessions, clock).escalate_unreached(180) == []  # once: the deadline adds nothing
    assert audit(sessions, "urgent.lead_unreached") == []

    report_danger(service, conversation, DANGER)  # a second report: already told, not again
    assert len(audit(sessions, "urgent.no_reachable_lead")) == 1 and len(notices(sessions)) == 1


def test_a_practice_run_in_a_team_with_no_lead_tells_nobody_to_phone(
    service: Store, conversation: str, sessions: sessionmaker[Session]
) -> None:
    service.assessments.start_or_resume(conversation, "2026.1", "rehearsal")
    assert report_danger(service, conversation, DANGER).lead_unreached_at is None
    assert audit(sessions, "urgent.no_reachable_lead") == [] and notices(sessions) == []


def test_a_reachable_lead_means_no_immediate_escalation(
    service: Store, started: str, sessions: sessionmaker[Session]
) -> None:
    lead(service, "lee.lead", email="lee@example.org")
    record = report_danger(service, started, DANGER)
    assert record.lead_unreached_at is None
    assert audit(sessions, "urgent.no_reachable_lead") == []
    assert {n.purpose for n in notices(sessions)} == {"urgent_flag"}


def test_a_lead_told_in_time_means_no_escalation(
    service: Store, started: str, sessions: sessionmaker[Session], clock: Clock
) -> None:
    lead(service, "lee.lead", email="lee@example.org")
    report_danger(service, started, DANGER)
    worker = outbox(sessions, clock)
    [job] = worker.claim_due()
    worker.record_sent(job)
    clock.advance(minutes=10)
    assert worker.escalate_unreached(180) == []
    assert audit(sessions, "urgent.lead_unreached") == []


def test_a_lead_whose_notices_keep_failing_is_escalated(
    service: Store, started: str, sessions: sessionmaker[Session], clock: Clock
) -> None:
    lead(service, "lee.lead", email="lee@example.org")
    report_danger(service, started, DANGER)
    worker = outbox(sessions, clock)
    [job] = worker.claim_due()
    worker.record_failure(job, "smtp_not_configured", "no mail server is configured")
    clock.advance(seconds=181)
    [escalated] = worker.escalate_unreached(180)
    with sessions() as session:
        assert session.get_one(Assessment, escalated).lead_unreached_at == clock.now


def test_rehearsal_and_old_flags_are_never_escalated(
    service: Store, conversation: str, sessions: sessionmaker[Session], clock: Clock
) -> None:
    lead(service, "lee.lead", email="lee@example.org")  # reachable, never reached: only age spares them
    service.assessments.start_or_resume(conversation, "2026.1", "rehearsal")
    report_danger(service, conversation, DANGER)
    worker = outbox(sessions, clock)
    clock.advance(minutes=5)
    assert worker.escalate_unreached(180) == []

    other = service.conversations.open_conversation(service.users.find_user("pat.smith").id, "web")  # type: ignore[union-attr]
    service.assessments.start_or_resume(other, "2026.1")
    report_danger(service, other, DANGER)
    clock.advance(days=2)  # raised long ago (before this feature, or while the app was down for days)
    assert worker.escalate_unreached(180) == []


# -- addresses and Teams chats -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "",
        "no-at-sign",
        "two@@example.org",
        "a b@example.org",
        "x@example.org\r\nBcc: y@example.org",
        "é@example.org",
        "x@-example.org",
        "a" * 65 + "@example.org",
    ],
)
def test_a_bad_address_is_refused_and_nothing_is_written(
    service: Store, count_rows: Callable[[str], int], address: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        service.users.create_user("lee.lead", PASSWORD, "lead", "North Team", email=address)
    assert "email" in refused.value.fields
    assert count_rows("users") == 0


def test_an_address_can_be_set_later(service: Store, sessions: sessionmaker[Session]) -> None:
    lead(service, "lee.lead")
    assert service.users.set_user_email("lee.lead", "lee@example.org").email == "lee@example.org"
    assert service.users.find_user("lee.lead").email == "lee@example.org"  # type: ignore[union-attr]
    [changed] = audit(sessions, "user.email_set")
    assert "lee@" not in str(changed.detail)
    with pytest.raises(NotFoundError):
        service.users.set_user_email("nobody", "x@example.org")
    with pytest.raises(ValidationError):
        service.users.set_user_email("lee.lead", "not an address")


def test_a_teams_chat_is_stored_when_it_changes_only(service: Store, sessions: sessionmaker[Session]) -> None:
    kim = lead(service, "kim.lead")
    service.teams.link_teams_user(kim.id, TENANT, "aaaaaaaa-bbbb-4ccc-8ddd-000000000001")
    assert service.teams.remember_teams_chat(kim.id, SERVICE_URL, "a:chat-1", BOT_ID) is True
    # every message
    assert service.teams.remember_teams_chat(kim.id, SERVICE_URL, "a:chat-1", BOT_ID) is False
    assert service.teams.remember_teams_chat(kim.id, SERVICE_URL, "a:chat-2", BOT_ID) is True
    # too long
    assert service.teams.remember_teams_chat(kim.id, SERVICE_URL, "a:" + "x" * 1100, BOT_ID) is False
    assert len(audit(sessions, "teams.chat_remembered")) == 2
    with sessions() as session:
        row = session.scalars(select(TeamsIdentity)).one()
        assert (row.service_url, row.conversation_ref, row.bot_id) == (SERVICE_URL, "a:chat-2", BOT_ID)
