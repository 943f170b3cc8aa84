"""Review notices (issue #26), through the urgent notices' outbox, the real worker and a real SMTP server:
leads hear of each live submission, the practitioner of a lead's decision or feedback; practice runs reach
nobody; no notice holds case content or the lead's words; a mail server that is down delays them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import load_bank
from bot.review.forms import DecisionIn
from bot.review.pathway_records import PathwayIn
from bot.review.services import ReviewService
from bot.settings import Settings
from bot.store.models import AuditEvent
from bot.store.services import Store
from tests.notify.conftest import (
    ANSWER,
    PASSWORD,
    PUBLIC_URL,
    Clock,
    MailServer,
    North,
    rows,
    submit,
    whole,
    worker,
)

FEEDBACK = "Thank you: early help will contact the family about the cousin's channel."
RATIONALE = "Repeated statements over three weeks; family engaged."
ADDRESS = "127.0.0.1"


def decide(
    sessions: sessionmaker[Session], clock: Clock, lead: UserInfo, case_id: int, feedback: str
) -> None:
    review = ReviewService(sessions, load_bank(), clock=clock)
    form = DecisionIn(
        pathways=(
            PathwayIn(
                "early_help",
                rationale=RATIONALE,
                shared="The concern, to the team named.",
                owner="Safeguarding lead",
            ),
        ),
        lawful_bases=("art6_public_task",),
        consent="given",
        feedback=feedback,
    )
    review.record_decision(lead.id, ADDRESS, case_id, form)


async def test_a_live_submission_tells_each_lead_with_an_address_and_holds_no_case_content(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    north: North,
) -> None:
    no_address = store.users.create_user("nomail.lead", PASSWORD, "lead", "North team")
    case_id, reference = submit(store, north.practitioner)

    queued = rows(sessions)
    assert sorted((n.recipient_id, n.channel, n.purpose) for n in queued) == sorted(
        (lead.id, "email", "submitted_for_review") for lead in north.leads
    )  # not the inactive lead, nor South's, nor the lead with no address (nor the practitioner)
    assert no_address.id not in {n.recipient_id for n in queued}

    assert await worker(settings, sessions, clock).run_once() == 2
    assert await worker(settings, sessions, clock).run_once() == 0  # nothing twice
    assert mail.inbox.recipients() == sorted(lead.email or "" for lead in north.leads)
    for lead in north.leads:
        [message] = mail.inbox.to(lead.email or "")
        text = whole(message)
        assert message["Subject"] == f"Safeguarding concern {reference} submitted for review"
        assert "submitted for review" in text and reference in text
        assert f"{PUBLIC_URL}/cases/{case_id}" in text.split()  # the link, whole
        assert "Urgent" not in text
        for secret in (ANSWER, "cousin", "What did you notice", north.practitioner.username, "North team"):
            assert secret not in text, secret
    assert {(n.status, n.attempts, n.sent_at) for n in rows(sessions)} == {("sent", 1, clock.now)}
    with sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action.like("notification.%"))).all()
    assert sorted((e.action, e.detail["purpose"]) for e in events) == [
        ("notification.enqueued", "submitted_for_review"),
        ("notification.sent", "submitted_for_review"),
        ("notification.sent", "submitted_for_review"),
    ]


async def test_a_practice_run_submission_queues_nothing(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    north: North,
) -> None:
    trainer = store.users.create_user(
        "tia.trainer", PASSWORD, "trainer", "North team", email="tia@example.invalid"
    )
    submit(store, trainer, mode="rehearsal")
    assert rows(sessions) == []
    assert await worker(settings, sessions, clock).run_once() == 0
    assert mail.inbox.messages == []


async def test_a_decision_tells_the_practitioner_and_not_the_lead(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    north: North,
) -> None:
    case_id, reference = submit(store, north.practitioner)
    await worker(settings, sessions, clock).run_once()  # the leads' submission notices
    mail.inbox.messages.clear()

    decide(sessions, clock, north.leads[0], case_id, feedback="")

    [queued] = [n for n in rows(sessions) if n.purpose != "submitted_for_review"]
    assert (queued.recipient_id, queued.channel, queued.purpose) == (
        north.practitioner.id,
        "email",
        "decision_recorded",
    )
    assert await worker(settings, sessions, clock).run_once() == 1
    assert mail.inbox.recipients() == [north.practitioner.email]
    [message] = mail.inbox.to(north.practitioner.email or "")
    text = whole(message)
    assert message["Subject"] == f"Your lead has recorded a decision on {reference}"
    assert "recorded a decision" in text and "feedback" not in text
    assert f"{PUBLIC_URL}/chat/{reference}" in text.split()
    for secret in (ANSWER, RATIONALE, "Early help", "early_help", north.leads[0].username):
        assert secret not in text, secret


async def test_feedback_tells_the_practitioner_without_the_feedback_s_words(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    north: North,
) -> None:
    case_id, reference = submit(store, north.practitioner)
    decide(sessions, clock, north.leads[1], case_id, feedback=FEEDBACK)

    assert await worker(settings, sessions, clock).run_once() == 3  # two leads' submission notices, then this
    [message] = mail.inbox.to(north.practitioner.email or "")
    assert all(len(mail.inbox.to(lead.email or "")) == 1 for lead in north.leads)  # the submission's only
    assert [n.purpose for n in rows(sessions) if n.recipient_id == north.practitioner.id] == [
        "feedback_given"
    ]
    assert {n.recipient_id for n in rows(sessions) if n.purpose == "feedback_given"} == {
        north.practitioner.id
    }
    text = whole(message)
    assert message["Subject"] == f"Feedback from your lead on {reference}"
    assert "left feedback for you" in text
    assert f"{PUBLIC_URL}/chat/{reference}" in text.split()
    for secret in (FEEDBACK, "Thank you", "early help", "cousin", RATIONALE, ANSWER):
        assert secret not in text, secret


async def test_with_the_mail_server_down_a_review_notice_waits_and_a_retry_delivers_it(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    north: North,
) -> None:
    mail.stop()
    _, reference = submit(store, north.practitioner)
    assert await worker(settings, sessions, clock).run_once() == 0
    pending = rows(sessions)
    assert {(n.purpose, n.status, n.attempts) for n in pending} == {("submitted_for_review", "pending", 1)}
    assert all(n.next_attempt_at > clock.now for n in pending)  # backing off

    mail.start()
    clock.advance(seconds=settings.notify_retry_seconds)
    assert await worker(settings, sessions, clock).run_once() == 2
    assert mail.inbox.recipients() == sorted(lead.email or "" for lead in north.leads)
    assert all(reference in mail.inbox.to(lead.email or "")[0]["Subject"] for lead in north.leads)
    assert {(n.status, n.attempts) for n in rows(sessions)} == {("sent", 2)}


async def test_assigning_a_case_tells_the_other_lead_only_with_the_reference_and_a_link(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    north: North,
) -> None:
    """Issue #12: a referral assigned to another lead reaches that lead (reference and link, nothing of the
    case nor the case-record ID); assigning it to oneself, or taking the assignment away, tells nobody."""
    case_id, reference = submit(store, north.practitioner)
    await worker(settings, sessions, clock).run_once()  # the leads' submission notices
    mail.inbox.messages.clear()
    first, second = north.leads
    review = ReviewService(sessions, load_bank(), clock=clock)
    review.link_case_record(first.id, ADDRESS, case_id, "CR-123456")

    review.assign_case(first.id, ADDRESS, case_id, str(first.id))  # one's own: no notice
    review.assign_case(first.id, ADDRESS, case_id, "")  # taken away: no notice
    assert [n for n in rows(sessions) if n.purpose == "case_assigned"] == []
    review.assign_case(first.id, ADDRESS, case_id, str(second.id))

    [queued] = [n for n in rows(sessions) if n.purpose == "case_assigned"]
    assert (queued.recipient_id, queued.channel) == (second.id, "email")
    assert await worker(settings, sessions, clock).run_once() == 1
    assert mail.inbox.recipients() == [second.email]
    [message] = mail.inbox.to(second.email or "")
    text = whole(message)
    assert message["Subject"] == f"Safeguarding concern {reference} has been assigned to you"
    assert f"{PUBLIC_URL}/cases/{case_id}" in text.split()
    for secret in (ANSWER, "CR-123456", north.practitioner.username, first.username, "North team"):
        assert secret not in text, secret
    review.assign_case(second.id, ADDRESS, case_id, str(second.id))  # unchanged: nothing more
    assert len([n for n in rows(sessions) if n.purpose == "case_assigned"]) == 1
