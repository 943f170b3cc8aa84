"""Two PostgreSQL roles (issue #31): `bot db upgrade` runs the migrations as the owner
(BOT_DATABASE_OWNER_URL) and grants the application's role (BOT_DATABASE_URL's) what it needs; that role
then keeps the records and appends to the audit trail, but the database itself refuses it any change to
the trail or the schema.

Both roles and their database are made on the run's one server and removed afterwards."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from bot.domain.audit_chain import ChainSummary
from bot.store import db
from bot.store.audit_chain import verify_trail
from bot.store.services import Store
from tests.fixtures.postgres_cluster import PostgresCluster

BOT = Path(sys.executable).parent / "bot"
REFUSED_TO_THE_APP = {
    "UPDATE audit_events SET action = 'rewritten'": "permission denied for table audit_events",
    "DELETE FROM audit_events": "permission denied for table audit_events",
    "TRUNCATE audit_events": "permission denied for table audit_events",
    "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change": "must be owner of table audit_events",
    "DROP TRIGGER audit_events_no_change ON audit_events": "must be owner of relation audit_events",
    "ALTER TABLE users ADD COLUMN note text": "must be owner of table users",
    "CREATE TABLE shadow (id int)": "permission denied for schema public",
    "UPDATE alembic_version SET version_num = '0001'": "permission denied for table alembic_version",
}


@dataclass(frozen=True)
class TwoRoles:
    owner_url: str
    app_url: str
    app_role: str


def url(cluster: PostgresCluster, role: str, password: str, database: str) -> str:
    return f"postgresql+psycopg://{role}:{password}@127.0.0.1:{cluster.port}/{database}"


@pytest.fixture
def two_roles(postgres_cluster: PostgresCluster) -> Iterator[TwoRoles]:
    suffix = secrets.token_hex(4)
    owner, app, database = f"owner_{suffix}", f"app_{suffix}", f"roles_{suffix}"
    owner_password, app_password = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    superuser = psycopg.connect(postgres_cluster.url("postgres").replace("+psycopg", ""), autocommit=True)
    try:
        for role, password in ((owner, owner_password), (app, app_password)):
            superuser.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(role), sql.Literal(password)
                )
            )
        superuser.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(*map(sql.Identifier, (database, owner)))
        )
        yield TwoRoles(
            url(postgres_cluster, owner, owner_password, database),
            url(postgres_cluster, app, app_password, database),
            app,
        )
    finally:
        superuser.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
        for role in (app, owner):
            superuser.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        superuser.close()


def bot_db_upgrade(tmp_path: Path, roles: TwoRoles) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("BOT_")}
    env.update(
        BOT_DATA_DIR=str(tmp_path / "data"),
        BOT_DATABASE_URL=roles.app_url,
        BOT_DATABASE_OWNER_URL=roles.owner_url,
        BOT_SERVICE_TOKEN="cli-test-token",
        BOT_ENGINE_TOKEN="cli-engine-token",
        BOT_ACTIONS_TOKEN="cli-actions-token",
        BOT_SESSION_SECRET="ef" * 32,
        BOT_DATA_KEYS=os.environ["BOT_DATA_KEYS"],  # the suite's data key (tests/conftest.py)
    )
    return subprocess.run(
        [str(BOT), "db", "upgrade"], capture_output=True, text=True, env=env, timeout=300, check=False
    )


@pytest.fixture
def upgraded(tmp_path: Path, two_roles: TwoRoles) -> TwoRoles:
    result = bot_db_upgrade(tmp_path, two_roles)
    assert result.returncode == 0, result.stderr
    assert f"role {two_roles.app_role} may use" in result.stdout
    assert "audit_events: read and insert only" in result.stdout
    return two_roles


def test_the_app_role_keeps_records_and_appends_to_the_trail(upgraded: TwoRoles) -> None:
    assert db.is_up_to_date(upgraded.app_url)  # what the app checks at start-up, as its own role
    sessions = db.make_session_factory(upgraded.app_url)
    try:
        store = Store(sessions)
        user = store.users.create_user("pat.smith", "correct horse battery staple", "practitioner", "North")
        store.assessments.start_or_resume(store.conversations.open_conversation(user.id, "web"), "2026.1")
        trail = verify_trail(sessions)
        assert isinstance(trail, ChainSummary)
        assert trail.events >= 3
    finally:
        sessions.kw["bind"].dispose()


@pytest.mark.parametrize("statement", REFUSED_TO_THE_APP)
def test_the_app_role_cannot_rewrite_the_trail_or_alter_the_schema(
    upgraded: TwoRoles, statement: str
) -> None:
    app = psycopg.connect(upgraded.app_url.replace("+psycopg", ""))
    try:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=REFUSED_TO_THE_APP[statement]):
            app.execute(statement)
    finally:
        app.close()


def test_upgrade_refuses_an_app_role_that_owns_the_schema(tmp_path: Path, two_roles: TwoRoles) -> None:
    result = bot_db_upgrade(tmp_path, TwoRoles(two_roles.owner_url, two_roles.owner_url, ""))
    assert result.returncode == 1
    assert "is the owner's: give BOT_DATABASE_URL a role of its own" in result.stderr
