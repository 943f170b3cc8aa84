"""Users: argon2 hashes, sign-in, and refusals that write nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import ConflictError, ValidationError
from bot.domain.records import UserInfo
from bot.settings import Settings
from bot.store.models import AuditEvent, User
from bot.store.passwords import hashing_in_use, use_hashing
from bot.store.services import Store

PASSWORD = "correct horse battery staple"  # the same as the practitioner fixture's


@pytest.fixture
def production_hashing() -> Iterator[None]:
    """The production argon2 parameters, for the tests that are about them (the suite hashes cheaply)."""
    before = hashing_in_use()
    use_hashing("standard")
    yield
    use_hashing(before)


def test_production_hashing_uses_argon2_standard_parameters(
    production_hashing: None, service: Store, sessions: sessionmaker[Session]
) -> None:
    service.users.create_user("lee.lead", PASSWORD, "lead", "North Team")
    with sessions() as session:
        stored = session.scalars(select(User)).one().password_hash
    standard = PasswordHasher()
    assert stored.startswith(
        f"$argon2id$v=19$m={standard.memory_cost},t={standard.time_cost},p={standard.parallelism}$"
    )
    assert standard.memory_cost >= 19 * 1024 and standard.time_cost >= 2  # OWASP's minimum for argon2id
    assert service.users.authenticate("lee.lead", PASSWORD) is not None


def test_the_test_profile_is_refused_unless_named_exactly(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="BOT_PASSWORD_HASHING must be standard"):
        Settings.from_env({"BOT_DATA_DIR": str(tmp_path), "BOT_PASSWORD_HASHING": "fast"})
    assert Settings.from_env({"BOT_DATA_DIR": str(tmp_path)}).password_hashing == "standard"


def test_create_user_stores_an_argon2_hash_not_the_password(
    service: Store, sessions: sessionmaker[Session]
) -> None:
    user = service.users.create_user("lee.lead", PASSWORD, "lead", "North Team")

    assert user == UserInfo(id=user.id, username="lee.lead", role="lead", team="North Team")
    with sessions() as session:
        row = session.scalars(select(User)).one()
        assert row.password_hash.startswith("$argon2id$")
        assert PASSWORD not in row.password_hash
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_kind) for e in events] == [
        ("team.created", "service"),
        ("user.created", "service"),
    ]
    assert events[1].user_id == user.id
    assert events[1].detail == {"role": "lead", "team_id": row.team_id}


def test_users_in_the_same_team_share_it(service: Store, count_rows: Callable[[str], int]) -> None:
    service.users.create_user("a.one", PASSWORD, "practitioner", "North Team")
    service.users.create_user("b.two", PASSWORD, "trainer", "North Team")
    assert count_rows("teams") == 1
    assert count_rows("users") == 2


def test_authenticate(service: Store, practitioner: UserInfo, audit_actions: Callable[[], list[str]]) -> None:
    assert service.users.authenticate("pat.smith", PASSWORD) == practitioner
    assert service.users.authenticate("pat.smith", PASSWORD + "x") is None
    assert service.users.authenticate("nobody", PASSWORD) is None
    assert service.users.authenticate("pat.smith", 12345) is None  # type: ignore[arg-type]
    assert service.users.authenticate("x" * 1000, PASSWORD) is None
    assert audit_actions()[-5:] == ["user.signed_in"] + ["user.sign_in_failed"] * 4


def test_a_deactivated_user_cannot_sign_in(
    service: Store, practitioner: UserInfo, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        session.get(User, practitioner.id).active = False  # type: ignore[union-attr]
    assert service.users.authenticate("pat.smith", PASSWORD) is None


def test_an_outdated_hash_is_upgraded_on_sign_in(
    production_hashing: None, service: Store, practitioner: UserInfo, sessions: sessionmaker[Session]
) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    with sessions.begin() as session:
        session.get(User, practitioner.id).password_hash = weak  # type: ignore[union-attr]
    assert service.users.authenticate("pat.smith", PASSWORD) == practitioner
    with sessions() as session:
        upgraded = session.get(User, practitioner.id).password_hash  # type: ignore[union-attr]
    assert upgraded != weak
    assert service.users.authenticate("pat.smith", PASSWORD) == practitioner


def test_get_user(service: Store, practitioner: UserInfo) -> None:
    assert service.users.get_user(practitioner.id) == practitioner
    assert service.users.get_user(practitioner.id + 100) is None


def test_duplicate_username_is_a_conflict_and_writes_nothing(
    service: Store, practitioner: UserInfo, count_rows: Callable[[str], int]
) -> None:
    before = count_rows("audit_events")
    with pytest.raises(ConflictError) as caught:
        service.users.create_user("pat.smith", PASSWORD, "lead", "Another Team")
    assert "already exists" in caught.value.fields["username"]
    assert count_rows("users") == 1
    assert count_rows("teams") == 1
    assert count_rows("audit_events") == before


@pytest.mark.parametrize(
    ("username", "password", "role", "team", "field"),
    [
        ("", PASSWORD, "lead", "T", "username"),
        ("has space", PASSWORD, "lead", "T", "username"),
        ("u" * 101, PASSWORD, "lead", "T", "username"),
        ("ok", "short", "lead", "T", "password"),
        ("ok", "\ud800" * 20, "lead", "T", "password"),
        ("ok", PASSWORD, "superuser", "T", "role"),
        ("ok", PASSWORD, "lead", "  ", "team"),
        ("ok", PASSWORD, "lead", " Team", "team"),
        ("ok", PASSWORD, "lead", "Team\nTwo", "team"),
    ],
)
def test_invalid_users_are_refused_with_the_field_named(
    service: Store,
    count_rows: Callable[[str], int],
    username: str,
    password: str,
    role: str,
    team: str,
    field: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        service.users.create_user(username, password, role, team)
    assert field in caught.value.fields
    assert count_rows("users") == count_rows("teams") == count_rows("audit_events") == 0
