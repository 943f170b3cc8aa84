"""Messages held for their author after their session ended (bot.store.held_messages), on both databases.

What must hold: the text comes back exactly as posted, once, and only for its author and the assessment it
was typed for; at rest it is ciphertext that nobody else can open (not another account, not another
assessment, not another secret); it expires; and the audit trail says what happened with ids only.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.store.held_messages import MAX_HELD_CHARS, HeldMessageService
from bot.store.held_models import HeldMessage
from bot.store.models import Assessment, AuditEvent, User
from bot.store.practitioner import PractitionerService
from bot.store.services import Store
from tests.store.conftest import PASSWORD, Clock

SECRET = secrets.token_bytes(32)
# What verbatim storage must survive: CRLF as a browser posts it, a leading line break, quotes, emoji,
# a combining accent, a right-to-left word, and trailing spaces.
ACCOUNT = (
    '\r\nHe said "you lot will see" 😟 – twice.\r\n\r\n  Then he left.  \r\n'
    "Café (e\u0301) and \u05e9\u05dc\u05d5\u05dd.\t \r\n" * 40
)


def held_service(sessions: sessionmaker[Session], clock: Clock, secret: bytes = SECRET) -> HeldMessageService:
    return HeldMessageService(sessions, secret, hours=24, clock=clock)


def draft(sessions: sessionmaker[Session], user: UserInfo) -> str:
    return PractitionerService(sessions).open_assessment(user.id, "web", "2026.1").reference


def audit_rows(sessions: sessionmaker[Session]) -> list[AuditEvent]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action.like("message.%"))))


def test_held_text_comes_back_exactly_once_to_its_author(
    sessions: sessionmaker[Session], clock: Clock, practitioner: UserInfo, count_rows: Callable[[str], int]
) -> None:
    held = held_service(sessions, clock)
    reference = draft(sessions, practitioner)

    assert held.hold(practitioner.id, reference, ACCOUNT)
    assert held.waiting(practitioner.id) == reference
    assert count_rows("held_messages") == 1

    assert held.take(practitioner.id, reference.lower()) == ACCOUNT  # the page's address, any case
    assert held.take(practitioner.id, reference) is None
    assert held.waiting(practitioner.id) is None
    assert count_rows("held_messages") == 0


def test_at_rest_it_is_ciphertext_and_the_trail_holds_ids_only(
    sessions: sessionmaker[Session], clock: Clock, practitioner: UserInfo
) -> None:
    held = held_service(sessions, clock)
    reference = draft(sessions, practitioner)
    words = "A distinctive sentence that must never be stored in the clear."
    held.hold(practitioner.id, reference, words)

    with sessions() as session:
        row = session.scalars(select(HeldMessage)).one()
        assert words.encode() not in row.ciphertext
        assert b"distinctive" not in row.ciphertext
    held.take(practitioner.id, reference)

    events = audit_rows(sessions)
    assert [e.action for e in events] == ["message.held", "message.restored"]
    assert all(e.actor_kind == "user" and e.actor_id == str(practitioner.id) for e in events)
    assert all(e.user_id == practitioner.id and e.assessment_id is not None for e in events)
    for event in events:
        assert "distinctive" not in json.dumps(event.detail)


def test_nobody_else_can_read_it(
    sessions: sessionmaker[Session], clock: Clock, service: Store, practitioner: UserInfo
) -> None:
    held = held_service(sessions, clock)
    other = service.users.create_user("someone.else", PASSWORD, "practitioner", "North Team")
    reference = draft(sessions, practitioner)
    held.hold(practitioner.id, reference, ACCOUNT)

    assert held.waiting(other.id) is None
    assert held.take(other.id, reference) is None
    # Another secret (a rotated BOT_SESSION_SECRET) cannot open it: the row is dropped, and that is audited.
    assert held_service(sessions, clock, secrets.token_bytes(32)).take(practitioner.id, reference) is None
    assert held.take(practitioner.id, reference) is None
    assert [e.action for e in audit_rows(sessions)] == ["message.held", "message.unreadable"]


def test_ciphertext_moved_to_another_account_or_assessment_does_not_open(
    sessions: sessionmaker[Session], clock: Clock, service: Store, practitioner: UserInfo
) -> None:
    """The author and the assessment are bound into the ciphertext: a row edited in the database to point
    elsewhere cannot be read back there."""
    held = held_service(sessions, clock)
    other = service.users.create_user("someone.else", PASSWORD, "practitioner", "North Team")
    mine, theirs = draft(sessions, practitioner), draft(sessions, other)
    second_of_mine = draft(sessions, practitioner)
    held.hold(practitioner.id, mine, "mine, for the first draft")
    held.hold(other.id, theirs, "placeholder")
    held.hold(practitioner.id, second_of_mine, "placeholder")

    with sessions.begin() as session:
        mine_id = session.scalar(select(Assessment.id).where(Assessment.reference == mine))
        original = session.scalar(select(HeldMessage.ciphertext).where(HeldMessage.assessment_id == mine_id))
        session.execute(
            update(HeldMessage).where(HeldMessage.assessment_id != mine_id).values(ciphertext=original)
        )

    assert held.take(other.id, theirs) is None
    assert held.take(practitioner.id, second_of_mine) is None
    assert held.take(practitioner.id, mine) == "mine, for the first draft"


def test_a_later_message_replaces_the_earlier_one(
    sessions: sessionmaker[Session], clock: Clock, practitioner: UserInfo, count_rows: Callable[[str], int]
) -> None:
    held = held_service(sessions, clock)
    reference = draft(sessions, practitioner)
    held.hold(practitioner.id, reference, "first try")
    clock.advance(minutes=5)
    held.hold(practitioner.id, reference, "second try")

    assert count_rows("held_messages") == 1
    assert held.take(practitioner.id, reference) == "second try"


def test_the_newest_waiting_message_leads_after_sign_in(
    sessions: sessionmaker[Session], clock: Clock, practitioner: UserInfo
) -> None:
    held = held_service(sessions, clock)
    older, newer = draft(sessions, practitioner), draft(sessions, practitioner)
    held.hold(practitioner.id, older, "older")
    clock.advance(minutes=1)
    held.hold(practitioner.id, newer, "newer")

    assert held.waiting(practitioner.id) == newer
    held.take(practitioner.id, newer)
    assert held.waiting(practitioner.id) == older


def test_held_messages_expire_and_are_purged(
    sessions: sessionmaker[Session], clock: Clock, practitioner: UserInfo, count_rows: Callable[[str], int]
) -> None:
    held = held_service(sessions, clock)
    reference, later = draft(sessions, practitioner), draft(sessions, practitioner)
    held.hold(practitioner.id, reference, ACCOUNT)

    clock.advance(hours=24, seconds=1)
    assert held.waiting(practitioner.id) is None
    assert held.take(practitioner.id, reference) is None
    assert count_rows("held_messages") == 0

    held.hold(practitioner.id, later, "kept")
    clock.advance(hours=25)
    assert held.purge_expired() == 1
    assert count_rows("held_messages") == 0
    assert [e.action for e in audit_rows(sessions)] == [
        "message.held",
        "message.expired",
        "message.held",
        "message.expired",
    ]


def test_nothing_is_held_where_it_could_not_be_put_back(
    sessions: sessionmaker[Session],
    clock: Clock,
    service: Store,
    practitioner: UserInfo,
    count_rows: Callable[[str], int],
) -> None:
    held = held_service(sessions, clock)
    other = service.users.create_user("someone.else", PASSWORD, "practitioner", "North Team")
    reference, theirs = draft(sessions, practitioner), draft(sessions, other)
    submitted = PractitionerService(sessions).open_assessment(practitioner.id, "web", "2026.1")
    service.assessments.start_or_resume(submitted.conversation_id, "2026.1")
    service.assessments.submit(submitted.conversation_id)

    assert not held.hold(practitioner.id, theirs, "not my assessment")
    assert not held.hold(practitioner.id, submitted.reference, "sent already")
    assert not held.hold(practitioner.id, "A-ZZZZZZ", "no such assessment")
    assert not held.hold(practitioner.id, "../../etc", "not a reference")
    assert not held.hold(practitioner.id, reference, "  \r\n\t ")  # nothing was typed
    assert not held.hold(practitioner.id, reference, "x" * (MAX_HELD_CHARS + 1))
    assert not held.hold(999_999, reference, "no such account")
    with sessions.begin() as session:
        session.get(User, practitioner.id).active = False
    assert not held.hold(practitioner.id, reference, "account switched off")
    assert count_rows("held_messages") == 0
    assert audit_rows(sessions) == []
