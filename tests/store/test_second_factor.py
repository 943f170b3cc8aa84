"""The second factor (issue #32) on SQLite and PostgreSQL: set-up confirmed by one code, a code taken once
(the same 30-second step never twice), ten recovery codes each taken once, the secret kept sealed, and an
admin's reset with its reason kept and audited. Refusals change nothing but the audit trail."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import ConflictError, NotFoundError, ValidationError
from bot.domain.records import Actor, UserInfo
from bot.domain.second_factor import FactorState
from bot.store.account_models import AccountChange
from bot.store.models import AuditEvent
from bot.store.second_factor_models import RecoveryCode, SecondFactor
from bot.store.services import Store
from tests.fixtures.clocks import Clock

PASSWORD = "correct horse battery staple"
SECRET = b"s" * 32


@pytest.fixture
def lead(service: Store) -> UserInfo:
    return service.users.create_user("lee.lead", PASSWORD, "lead", "North Team")


def code_now(secret: str, clock: Clock, *, steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(clock.now.timestamp() + 30 * steps)


def enrol(service: Store, lead: UserInfo, clock: Clock) -> tuple[str, list[str]]:
    secret = service.second_factor.begin_set_up(lead.id, SECRET)
    codes = service.second_factor.confirm_set_up(lead.id, code_now(secret, clock), SECRET)
    assert codes is not None
    return secret, codes


def _actions(sessions: sessionmaker[Session]) -> list[tuple[str, dict]]:
    with sessions() as session:
        return [(e.action, e.detail) for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_set_up_needs_one_right_code_and_gives_ten_recovery_codes_once(
    service: Store, lead: UserInfo, clock: Clock, sessions: sessionmaker[Session]
) -> None:
    assert service.second_factor.state(lead.id) is FactorState.NONE
    secret = service.second_factor.begin_set_up(lead.id, SECRET)
    assert service.second_factor.state(lead.id) is FactorState.PENDING
    assert service.second_factor.pending_secret(lead.id, SECRET) == secret

    wrong = "000000" if code_now(secret, clock) != "000000" else "111111"
    assert service.second_factor.confirm_set_up(lead.id, wrong, SECRET) is None
    assert service.second_factor.state(lead.id) is FactorState.PENDING

    codes = service.second_factor.confirm_set_up(lead.id, code_now(secret, clock), SECRET)
    assert codes is not None and len(codes) == 10 and len(set(codes)) == 10
    assert service.second_factor.state(lead.id) is FactorState.ENROLLED
    # Once confirmed the secret is never read back out, and set-up cannot start over without a reset.
    assert service.second_factor.pending_secret(lead.id, SECRET) is None
    with pytest.raises(ConflictError):
        service.second_factor.begin_set_up(lead.id, SECRET)
    with sessions() as session:
        stored = session.get(SecondFactor, lead.id)
        assert stored is not None and secret not in stored.secret_sealed
        hashes = list(session.scalars(select(RecoveryCode.code_hash)))
        assert len(hashes) == 10 and not set(codes) & set(hashes)
    actions = [a for a, _ in _actions(sessions)]
    assert actions[-2:] == ["user.second_factor_refused", "user.second_factor_set_up"]


def test_a_code_is_taken_once_and_a_wrong_code_never(
    service: Store, lead: UserInfo, clock: Clock, sessions: sessionmaker[Session]
) -> None:
    secret, _ = enrol(service, lead, clock)
    clock.advance(seconds=30)
    code = code_now(secret, clock)
    assert service.second_factor.verify(lead.id, code, SECRET) == "code"
    assert service.second_factor.verify(lead.id, code, SECRET) is None  # the same step again
    assert service.second_factor.verify(lead.id, code_now(secret, clock, steps=-1), SECRET) is None  # older
    clock.advance(seconds=30)
    assert service.second_factor.verify(lead.id, code_now(secret, clock, steps=3), SECRET) is None  # too far
    assert service.second_factor.verify(lead.id, "12345", SECRET) is None
    assert (
        service.second_factor.verify(
            lead.id, code_now(secret, clock)[:3] + " " + code_now(secret, clock)[3:], SECRET
        )
        == "code"
    )
    whys = [d.get("why") for a, d in _actions(sessions) if a == "user.second_factor_refused"]
    assert whys == ["reused", "reused", "wrong", "wrong"]


def test_the_secret_needs_the_session_secret(service: Store, lead: UserInfo, clock: Clock) -> None:
    secret, _ = enrol(service, lead, clock)
    clock.advance(seconds=30)
    assert service.second_factor.verify(lead.id, code_now(secret, clock), b"another secret " * 3) is None
    assert service.second_factor.verify(lead.id, code_now(secret, clock), SECRET) == "code"


def test_each_recovery_code_works_once(service: Store, lead: UserInfo, clock: Clock) -> None:
    _, codes = enrol(service, lead, clock)
    assert service.second_factor.verify(lead.id, codes[0].upper(), SECRET) == "recovery"
    assert service.second_factor.verify(lead.id, codes[0], SECRET) is None
    assert service.second_factor.verify(lead.id, codes[1].replace("-", " "), SECRET) == "recovery"
    assert service.second_factor.recovery_codes_left(lead.id) == 8
    assert service.second_factor.verify(lead.id, "aaaa-bbbb-cccc", SECRET) is None


def test_someone_without_a_second_factor_is_refused(service: Store, lead: UserInfo) -> None:
    assert service.second_factor.verify(lead.id, "123456", SECRET) is None
    with pytest.raises(NotFoundError):
        service.second_factor.confirm_set_up(lead.id, "123456", SECRET)


def test_an_admin_resets_it_with_a_reason_kept_and_audited(
    service: Store, lead: UserInfo, clock: Clock, sessions: sessionmaker[Session]
) -> None:
    admin = service.users.create_user("ada.admin", PASSWORD, "admin", "North Team")
    as_admin = service.for_actor(Actor.user(admin.id))
    enrol(service, lead, clock)
    with pytest.raises(ValidationError):
        as_admin.second_factor.reset("lee.lead", "   ")
    with pytest.raises(NotFoundError):
        as_admin.second_factor.reset("nobody", "lost phone")
    assert service.second_factor.state(lead.id) is FactorState.ENROLLED

    as_admin.second_factor.reset("lee.lead", "Lost their phone on the train")
    assert service.second_factor.state(lead.id) is FactorState.NONE
    with sessions() as session:
        assert session.scalars(select(RecoveryCode)).all() == []
        change = session.scalars(select(AccountChange)).one()
        assert (change.reason, change.made_by) == ("Lost their phone on the train", f"user:{admin.id}")
    action, detail = _actions(sessions)[-1]
    assert action == "user.second_factor_reset" and detail == {"change_id": change.id}
    with pytest.raises(ConflictError):
        as_admin.second_factor.reset("lee.lead", "again")
    # Set up again from scratch, with a new secret.
    enrol(service, lead, clock)
