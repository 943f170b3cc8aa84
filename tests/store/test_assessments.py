"""Starting, moving through, flagging and submitting an assessment."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import ConflictError, NotFoundError, ValidationError
from bot.domain.records import AnswerIn, TurnIn, UserInfo
from bot.store.models import AuditEvent
from bot.store.references import PATTERN
from bot.store.services import Store
from tests.builders import give_answer, move, report_danger


def test_start_creates_one_assessment_and_resume_returns_it(
    service: Store, conversation: str, practitioner: UserInfo, audit_actions: Callable[[], list[str]]
) -> None:
    record = service.assessments.start_or_resume(conversation, "2026.1")
    assert PATTERN.fullmatch(record.reference)
    assert (record.conversation_id, record.practitioner_id, record.practitioner, record.team) == (
        conversation,
        practitioner.id,
        "pat.smith",
        "North Team",
    )
    assert (record.mode, record.status, record.bank_version) == ("live", "in_progress", "2026.1")
    assert (record.current_question_id, record.urgent, record.answers) == (None, False, {})
    events = len(audit_actions())

    again = service.assessments.start_or_resume(conversation, "2026.2", mode="live")
    assert again == record  # same assessment, original bank version, nothing changed
    assert len(audit_actions()) == events


def test_start_in_rehearsal_mode(service: Store, conversation: str) -> None:
    assert service.assessments.start_or_resume(conversation, "2026.1", mode="rehearsal").mode == "rehearsal"
    with pytest.raises(ConflictError) as caught:
        service.assessments.start_or_resume(conversation, "2026.1", mode="live")
    assert "rehearsal" in caught.value.fields["mode"]


def test_start_refuses_bad_input(service: Store, conversation: str, count_rows: Callable[[str], int]) -> None:
    with pytest.raises(NotFoundError):
        service.assessments.start_or_resume("unknown", "2026.1")
    with pytest.raises(ValidationError) as caught:
        service.assessments.start_or_resume(conversation, "", mode="pretend")
    assert set(caught.value.fields) == {"bank_version", "mode"}
    assert count_rows("assessments") == 0


def test_changes_need_an_assessment(
    service: Store, conversation: str, answer: Callable[..., AnswerIn]
) -> None:
    with pytest.raises(NotFoundError) as caught:
        give_answer(service, conversation, answer())
    assert "start one first" in caught.value.fields["conversation_id"]
    with pytest.raises(NotFoundError) as caught:
        service.assessments.submit("never-opened")
    assert caught.value.fields == {"conversation_id": "no conversation with this id"}


def test_moving(service: Store, started: str, audit_actions: Callable[[], list[str]]) -> None:
    assert move(service, started, "q2").current_question_id == "q2"
    assert move(service, started, "q2").current_question_id == "q2"  # no change, no audit
    assert move(service, started, "__review__").current_question_id == "__review__"
    assert move(service, started, None).current_question_id is None
    assert audit_actions().count("assessment.position_set") == 3
    with pytest.raises(ValidationError):
        move(service, started, "no spaces please")
    with pytest.raises(ValidationError) as caught:
        move(service, started, ".q")
    assert caught.value.fields == {
        "move_to": "may contain only letters, digits, '.', '_' and '-', and must not start with '.' or '-'"
    }
    assert audit_actions().count("assessment.position_set") == 3  # a refused move writes nothing


def test_a_runs_mode_is_fixed_when_it_starts(
    service: Store, started: str, answer: Callable[..., AnswerIn], sessions: sessionmaker[Session]
) -> None:
    """Issue #26: a live run never becomes practice (nor the reverse), whatever is answered or asked."""
    give_answer(service, started, answer("mode", text="A practice run", value="rehearsal"))
    with pytest.raises(ConflictError) as caught:
        service.assessments.start_or_resume(started, "2026.1", "rehearsal")
    assert "mode never changes" in caught.value.fields["mode"]
    with pytest.raises(ValidationError):
        TurnIn.from_json({"mode": "rehearsal"})  # a turn cannot carry a mode at all
    assert not hasattr(service.assessments, "set_mode")
    service.assessments.submit(started)
    assert service.assessments.get_assessment(conversation_id=started).mode == "live"  # type: ignore[union-attr]
    with sessions() as session:
        changed = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "assessment.mode_changed")
        ).all()
    assert changed == []


def test_danger_reports_keep_the_first_time_and_every_message(service: Store, started: str, clock) -> None:
    first_at = clock.now
    record = report_danger(service, started, "He has a knife  ")
    assert (record.urgent, record.urgent_first_at) == (True, first_at)
    second_at = clock.advance(minutes=5)
    record = report_danger(service, started, "Flying to the conflict tomorrow\n")
    assert record.urgent_first_at == first_at
    assert [(m.text, m.flagged_at) for m in record.urgent_messages] == [
        ("He has a knife  ", first_at),
        ("Flying to the conflict tomorrow\n", second_at),
    ]
    with pytest.raises(ValidationError):
        report_danger(service, started, "")


def test_submit_is_idempotent_and_closes_the_assessment(
    service: Store,
    started: str,
    clock,
    answer: Callable[..., AnswerIn],
    audit_actions: Callable[[], list[str]],
) -> None:
    give_answer(service, started, answer())
    submitted_at = clock.advance(minutes=1)
    record = service.assessments.submit(started)
    assert (record.status, record.submitted_at) == ("submitted", submitted_at)
    clock.advance(minutes=1)
    assert service.assessments.submit(started).submitted_at == submitted_at
    assert audit_actions().count("assessment.submitted") == 1

    with pytest.raises(ConflictError):
        give_answer(service, started, answer(revision=2, text="changed"))
    with pytest.raises(ConflictError):
        move(service, started, "q9")
    # a late replay is still recognised, and writes nothing
    give_answer(service, started, answer())
    assert audit_actions().count("answer.recorded") == 1
    # danger can be flagged at any time
    assert report_danger(service, started, "still a danger").urgent


def test_get_assessment_by_conversation_number_or_reference(service: Store, started: str) -> None:
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    assert service.assessments.get_assessment(assessment_id=record.id) == record
    assert service.assessments.get_assessment(assessment_id=str(record.id)) == record
    assert service.assessments.get_assessment(assessment_id=record.reference) == record
    assert service.assessments.get_assessment(assessment_id=record.reference.lower()) == record
    assert service.assessments.get_assessment(assessment_id="A-ZZZZZZ") is None
    assert service.assessments.get_assessment(conversation_id="nope") is None
    with pytest.raises(ValidationError):
        service.assessments.get_assessment()
    with pytest.raises(ValidationError):
        service.assessments.get_assessment(conversation_id=started, assessment_id=record.id)


def test_every_change_is_audited_with_its_actor(
    service: Store, started: str, sessions: sessionmaker[Session], answer: Callable[..., AnswerIn]
) -> None:
    from bot.domain.records import Actor

    as_lead = service.for_actor(Actor.user(7))
    give_answer(as_lead, started, answer())
    move(as_lead, started, "q2")
    report_danger(as_lead, started, "danger")
    as_lead.assessments.submit(started)
    as_lead.assessments.export(conversation_id=started)
    with sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.actor_kind == "user")).all()
    assert [e.action for e in events] == [
        "answer.recorded",
        "assessment.position_set",
        "assessment.flagged_urgent",
        "assessment.submitted",
        "assessment.exported",
    ]
    record = service.assessments.get_assessment(conversation_id=started)
    assert record is not None
    assert {(e.actor_id, e.assessment_id, e.conversation_id) for e in events} == {("7", record.id, started)}
    assert events[0].detail == {"question_id": "q1", "revision": 1, "status": "answered"}
    assert "danger" not in str([e.detail for e in events])  # the trail never holds the free text


def test_audit_events_cannot_be_changed_or_deleted(service: Store, started: str, sessions) -> None:
    with sessions() as session:
        event = session.scalars(select(AuditEvent)).first()
        event.action = "rewritten"
        with pytest.raises(RuntimeError, match="insert-only"):
            session.flush()
    with sessions() as session:
        session.delete(session.scalars(select(AuditEvent)).first())
        with pytest.raises(RuntimeError, match="insert-only"):
            session.flush()
