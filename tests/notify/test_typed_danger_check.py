"""Danger read in typed text is checked with the practitioner before the leads are interrupted (issue #26,
item 5), with a real SMTP server, the real outbox worker and a clock the test moves.

A typed report is flagged at once (the case is urgent on the leads' list straight away) but its notices wait
for the practitioner's answer to "is anyone in danger now?": "yes", "not sure" or anything else sends them
at once; no answer sends them when the check time is up; a clear "no" stands the report down in the
practitioner's name and withdraws them. Only a typed report can be stood down so: a button report needs a
lead.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import ConflictError
from bot.domain.records import TurnIn
from bot.notify.outbox_worker import OutboxWorker
from bot.settings import Settings
from bot.store import repository
from bot.store.danger_check import STOOD_DOWN_REASON
from bot.store.models import AuditEvent
from bot.store.services import Store
from tests.builders import report_danger
from tests.notify.conftest import DANGER, Clock, MailServer, North, answered, rows

CHECK = timedelta(seconds=90)


@pytest.fixture
def store(sessions: sessionmaker[Session], clock: Clock) -> Store:
    return Store(sessions, clock=clock, typed_danger_check=CHECK)


def typed_report(store: Store, north: North, mode: str = "live") -> str:
    conversation = answered(store, north.practitioner, mode)
    store.assessments.report_danger(conversation, DANGER, known=0, typed=True)
    return conversation


def lead_addresses(north: North) -> list[str]:
    return sorted(lead.email for lead in north.leads if lead.email)


def actions(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


async def test_a_typed_report_is_urgent_at_once_but_its_notices_wait_for_the_check_time(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    north: North,
) -> None:
    conversation = typed_report(store, north)
    worker = OutboxWorker.from_settings(settings, sessions, clock=clock)

    record = store.assessments.get_assessment(conversation)
    assert record is not None and record.urgent  # on the leads' list as urgent straight away
    assert [n.status for n in rows(sessions)] == ["pending", "pending"]
    assert await worker.run_once() == 0 and mail.inbox.messages == []

    clock.advance(seconds=CHECK.total_seconds() - 1)
    assert await worker.run_once() == 0 and mail.inbox.messages == []

    clock.advance(seconds=1)  # no answer in time: the leads are told
    assert await worker.run_once() == 2
    assert mail.inbox.recipients() == lead_addresses(north)


@pytest.mark.parametrize("reply", ["yes", "not sure", "anything else"])
async def test_any_answer_but_no_tells_the_leads_at_once(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    north: North,
    reply: str,
) -> None:
    conversation = typed_report(store, north)
    worker = OutboxWorker.from_settings(settings, sessions, clock=clock)
    clock.advance(seconds=5)

    store.assessments.apply_turn(conversation, TurnIn(urgent_check="confirmed"))

    assert await worker.run_once() == 2
    assert mail.inbox.recipients() == lead_addresses(north)
    assert "assessment.urgent_confirmed" in actions(sessions)
    # Told again (a retried request): nothing is waiting, so nothing changes and nothing more is audited.
    store.assessments.apply_turn(conversation, TurnIn(urgent_check="confirmed"))
    assert actions(sessions).count("assessment.urgent_confirmed") == 1


async def test_a_clear_no_stands_the_report_down_and_no_lead_is_told(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    north: North,
) -> None:
    conversation = typed_report(store, north)
    worker = OutboxWorker.from_settings(settings, sessions, clock=clock)
    clock.advance(seconds=10)

    store.assessments.apply_turn(conversation, TurnIn(urgent_check="not_danger"))
    store.assessments.apply_turn(conversation, TurnIn(urgent_check="not_danger"))  # a retry: no change

    record = store.assessments.get_assessment(conversation)
    assert record is not None and record.urgent is False  # not urgent on any list or report
    assert [m.text for m in record.urgent_messages] == [DANGER]  # the report itself stays, verbatim
    assert [n.status for n in rows(sessions)] == ["withdrawn", "withdrawn"]
    with sessions() as session:
        [(stand_down, name)] = repository.stand_downs(session, record.id)
    assert (name, stand_down.reason) == ("pat.practitioner", STOOD_DOWN_REASON)
    assert actions(sessions).count("assessment.urgent_stood_down") == 1

    clock.advance(seconds=settings.urgent_lead_deadline_seconds + 60)
    assert await worker.run_once() == 0  # never sent, and no "phone your lead" escalation either
    assert mail.inbox.messages == []
    assert "urgent.lead_unreached" not in actions(sessions)


async def test_a_no_after_the_time_was_up_stands_it_down_and_the_sent_notices_stay_sent(
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    mail: MailServer,
    north: North,
) -> None:
    conversation = typed_report(store, north)
    worker = OutboxWorker.from_settings(settings, sessions, clock=clock)
    clock.advance(seconds=CHECK.total_seconds() + 1)
    assert await worker.run_once() == 2

    store.assessments.apply_turn(conversation, TurnIn(urgent_check="not_danger"))

    record = store.assessments.get_assessment(conversation)
    assert record is not None and record.urgent is False  # the lead who was told sees it stood down
    assert [n.status for n in rows(sessions)] == ["sent", "sent"]


def test_a_practitioner_cannot_stand_down_a_report_made_with_the_button(
    store: Store, sessions: sessionmaker[Session], north: North
) -> None:
    conversation = typed_report(store, north)
    report_danger(store, conversation, "Immediate danger reported with the button.")

    with pytest.raises(ConflictError, match="read in typed text"):
        store.assessments.apply_turn(conversation, TurnIn(urgent_check="not_danger"))

    record = store.assessments.get_assessment(conversation)
    assert record is not None and record.urgent is True
    assert "withdrawn" not in [n.status for n in rows(sessions)]


def test_a_practice_run_reaches_no_lead_whatever_the_answer(
    store: Store, sessions: sessionmaker[Session], north: North
) -> None:
    conversation = typed_report(store, north, mode="rehearsal")
    store.assessments.apply_turn(conversation, TurnIn(urgent_check="confirmed"))

    assert rows(sessions) == []


def test_the_check_time_must_be_shorter_than_the_lead_deadline() -> None:
    assert Settings.from_env({}).typed_danger_check_seconds == 90.0
    with pytest.raises(SystemExit, match=r"BOT_TYPED_DANGER_CHECK_SECONDS \(200\) must be shorter"):
        Settings.from_env(
            {"BOT_TYPED_DANGER_CHECK_SECONDS": "200", "BOT_URGENT_LEAD_DEADLINE_SECONDS": "180"}
        )
