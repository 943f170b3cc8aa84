"""The benchmarks' bulk loader (bot.store.bulk_load): seeded audit events are chained as the app chains them,
so a seeded store passes `bot audit verify` and goes on chaining when the app writes after it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.audit_chain import ChainSummary
from bot.domain.records import Actor
from bot.store.audit import record_event
from bot.store.audit_chain import verify_trail
from bot.store.bulk_load import insert_rows

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def events(first_id: int, count: int) -> list[dict]:
    return [
        {
            "id": first_id + n,
            "at": T0 + timedelta(minutes=n),
            "actor_kind": "service",
            "actor_id": None,
            "action": AuditAction.CONVERSATION_OPENED.value,
            "conversation_id": f"c{n}",
            "assessment_id": None,
            "user_id": None,
            "detail": {"channel": "web"},
        }
        for n in range(count)
    ]


def test_seeded_events_make_a_chain_that_verifies_after_the_apps_own_events(
    sessions: sessionmaker[Session],
) -> None:
    engine = sessions.kw["bind"]
    app = Actor("service", None)
    with sessions.begin() as session:  # the app's event first: its id from the table's own sequence
        record_event(session, app, AuditAction.CONVERSATION_OPENED, T0, conversation_id="x")
    with engine.begin() as connection:  # given out of order: chained in id order all the same
        insert_rows(connection, {"audit_events": list(reversed(events(10, 40)))})
    seeded = verify_trail(sessions)
    assert isinstance(seeded, ChainSummary) and seeded.events == 41

    with engine.begin() as connection:  # a second seeding chains after the first
        insert_rows(connection, {"audit_events": events(100, 5)})
    whole = verify_trail(sessions)
    assert isinstance(whole, ChainSummary) and (whole.events, whole.last_id) == (46, 104)
