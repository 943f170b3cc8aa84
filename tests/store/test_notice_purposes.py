"""Every notice purpose of the vocabulary is one a migrated database accepts, and revision 0012 (review
notices, issue #26) upgrades and downgrades on both databases."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.domain.vocabulary import NOTICE_PURPOSES
from bot.store import db
from bot.store.models import Assessment

REVIEW_PURPOSES = ("submitted_for_review", "decision_recorded", "feedback_given")
NOTICE = """
    INSERT INTO notifications
        (assessment_id, recipient_id, purpose, channel, status, attempts, next_attempt_at, created_at)
    VALUES (:assessment, :recipient, :purpose, 'email', 'pending', 0,
            '2026-01-01 00:00:00', '2026-01-01 00:00:00')
"""


def assessment_id(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.query(Assessment.id).one()[0]


def insert(url: str, assessment: int, recipient: int, purpose: str) -> None:
    engine = db.make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(NOTICE), {"assessment": assessment, "recipient": recipient, "purpose": purpose}
            )
    finally:
        engine.dispose()


def migrate(url: str, revision: str) -> None:
    engine = db.make_engine(url, enforce_foreign_keys=False)
    try:
        with engine.begin() as connection:
            if revision == "head":
                command.upgrade(db.alembic_config(connection), revision)
            else:
                command.downgrade(db.alembic_config(connection), revision)
    finally:
        engine.dispose()


def test_every_purpose_in_the_vocabulary_is_accepted_and_no_other(
    database_url: str, sessions: sessionmaker[Session], started: str, practitioner: UserInfo
) -> None:
    case = assessment_id(sessions)
    assert set(REVIEW_PURPOSES) < set(NOTICE_PURPOSES)
    for purpose in NOTICE_PURPOSES:
        insert(database_url, case, practitioner.id, purpose)
    with pytest.raises(IntegrityError, match="ck_notifications_purpose"):
        insert(database_url, case, practitioner.id, "gossip")


def test_0012_downgrades_to_the_urgent_purposes_and_upgrades_again(
    database_url: str, sessions: sessionmaker[Session], started: str, practitioner: UserInfo
) -> None:
    case = assessment_id(sessions)
    insert(database_url, case, practitioner.id, "urgent_flag")
    sessions.kw["bind"].dispose()  # PostgreSQL alters the table: no connection of ours may hold it

    migrate(database_url, "0011")
    assert db.current_revision(database_url) == "0011"
    insert(database_url, case, practitioner.id, "lead_unreached")  # the rows and purposes of 0008 stay
    for purpose in REVIEW_PURPOSES:
        with pytest.raises(IntegrityError, match="ck_notifications_purpose"):
            insert(database_url, case, practitioner.id, purpose)

    migrate(database_url, "head")
    assert db.is_up_to_date(database_url)
    for purpose in REVIEW_PURPOSES:
        insert(database_url, case, practitioner.id, purpose)
    with sessions() as session:
        stored = session.execute(text("SELECT purpose FROM notifications ORDER BY id")).scalars().all()
    assert stored == ["urgent_flag", "lead_unreached", *REVIEW_PURPOSES]


def test_0012_downgrade_is_refused_while_a_review_notice_is_stored(
    database_url: str, sessions: sessionmaker[Session], started: str, practitioner: UserInfo
) -> None:
    """The rows are the record of who was told; undoing 0012 must not quietly drop or mislabel them."""
    insert(database_url, assessment_id(sessions), practitioner.id, "feedback_given")
    sessions.kw["bind"].dispose()
    with pytest.raises(IntegrityError):
        migrate(database_url, "0011")
    assert db.is_up_to_date(database_url)
