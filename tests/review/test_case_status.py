"""A case's shown status, said twice: bot.domain.case_status.case_status (the case page, the practitioner's
home) and its SQL twin bot.store.case_list.case_status_column (the lead's list and its status filter).

Every combination of the assessment's status, whether a lead asked for the full assessment, and the
referral's status (or no referral yet) is written to a real database, on SQLite and PostgreSQL, and the
database's answer compared with the domain's. Some combinations never arise in use; the twins agree on those
too, so neither can drift on a path the other never takes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.domain.case_status import case_status
from bot.domain.lifecycle import AssessmentStatus
from bot.domain.referral import ReferralStatus
from bot.store.case_list import case_status_column
from bot.store.db import make_session_factory
from bot.store.models import Assessment
from bot.store.review_models import Referral
from bot.store.services import Store
from tests.fixtures.databases import MigratedSqlite
from tests.fixtures.postgres import PostgresDatabases

AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
COMBINATIONS = list(itertools.product(AssessmentStatus, (False, True), (None, *ReferralStatus)))


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        migrated_sqlite: MigratedSqlite = request.getfixturevalue("migrated_sqlite")
        yield migrated_sqlite(tmp_path_factory.mktemp("case-status") / "store.db")
        return
    postgres: PostgresDatabases = request.getfixturevalue("postgres_databases")
    url = postgres.create()
    yield url
    postgres.drop(url)


def test_the_domain_and_the_sql_give_every_case_the_same_status(database: str) -> None:
    sessions = make_session_factory(database)
    store = Store(sessions)
    made: dict[int, tuple[str, bool, str | None]] = {}
    for status, full_requested, referral_status in COMBINATIONS:
        conversation = store.conversations.open_conversation(None, "web")
        assessment_id = store.assessments.start_or_resume(conversation, "2026.1").id
        with sessions.begin() as session:
            # Set directly: the combinations include ones no service path makes (see the module's note).
            row = session.get_one(Assessment, assessment_id)
            row.status = status
            row.submitted_at = AT if status == AssessmentStatus.SUBMITTED else None
            row.full_requested_at = AT if full_requested else None
            if referral_status is not None:
                session.add(
                    Referral(
                        assessment_id=assessment_id, status=referral_status, created_at=AT, updated_at=AT
                    )
                )
        made[assessment_id] = (status, full_requested, referral_status)

    with sessions() as session:
        rows = session.execute(
            select(Assessment.id, case_status_column())
            .outerjoin(Referral, Referral.assessment_id == Assessment.id)
            .where(Assessment.id.in_(made))
        ).all()
    sessions.kw["bind"].dispose()

    in_sql = {assessment_id: shown for assessment_id, shown in rows}
    in_domain = {assessment_id: case_status(*combination) for assessment_id, combination in made.items()}
    assert len(in_sql) == len(COMBINATIONS)
    assert in_sql == in_domain, {
        made[i]: (in_sql[i], in_domain[i]) for i in made if in_sql[i] != in_domain[i]
    }
