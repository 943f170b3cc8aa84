"""An admin creates an account (issue #32): made by the one implementation `bot user add` uses
(bot.store.users.add_user), into an existing team, with the reason kept and audited, and a one-time link
(24 hours) for the person to set their own password; a refusal changes nothing; the lead-gap warning the CLI
prints after `bot user add` is known before the account is made."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import ConflictError, NotFoundError, StoreError
from bot.domain.records import Actor, UserInfo
from bot.runtime.lead_gaps import lead_gap_warnings
from bot.store.account_models import AccountChange
from bot.store.models import AuditEvent, User
from bot.store.services import Store
from tests.fixtures.clocks import Clock

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "violet kettle marching orbit"
SECRET = b"s" * 32
REASON = "Joined the North team on 1 May.\n  Agreed with their manager."


@pytest.fixture
def admin(service: Store) -> UserInfo:
    return service.users.create_user("ada.admin", PASSWORD, "admin", "North Team")


@pytest.fixture
def as_admin(service: Store, admin: UserInfo) -> Store:
    return service.for_actor(Actor.user(admin.id))


def _counts(sessions: sessionmaker[Session]) -> tuple[int, int, int]:
    with sessions() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (User, AccountChange, AuditEvent)
        )


def test_an_account_is_made_with_its_reason_and_a_link_that_sets_its_password_once(
    as_admin: Store, service: Store, admin: UserInfo, sessions: sessionmaker[Session], clock: Clock
) -> None:
    account, token = as_admin.accounts.create_account(
        "pat.new", "practitioner", "North Team", "pat@example.org", REASON, SECRET
    )
    assert (account.username, account.role, account.team, account.email) == (
        "pat.new",
        "practitioner",
        "North Team",
        "pat@example.org",
    )
    assert [(c.action, c.reason, c.made_by) for c in account.changes] == [
        ("user.created", REASON, f"user:{admin.id}")  # verbatim
    ]
    with sessions() as session:
        trail = session.execute(
            select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.user_id).order_by(AuditEvent.id)
        ).all()
    assert trail[-2:] == [
        ("user.created", str(admin.id), account.id),
        ("user.password_reset_issued", str(admin.id), account.id),
    ]
    assert service.users.authenticate("pat.new", "") is None  # no password anyone was told
    assert service.accounts.reset_target(token, SECRET) is not None
    service.accounts.use_reset(token, NEW_PASSWORD, SECRET)
    assert service.users.authenticate("pat.new", NEW_PASSWORD) is not None
    with pytest.raises(NotFoundError):
        service.accounts.use_reset(token, "another violet kettle", SECRET)  # once
    _, late = as_admin.accounts.create_account("sam.new", "lead", "North Team", None, "New lead", SECRET)
    clock.advance(hours=24, seconds=1)
    assert service.accounts.reset_target(late, SECRET) is None  # 24 hours


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"username": "ada.admin"}, "username"),  # taken
        ({"username": "has space"}, "username"),
        ({"email": "not-an-address"}, "email"),
        ({"role": "superuser"}, "role"),
        ({"team": "Nowhere Team"}, "team"),  # never made here: `bot user add --create-team` makes teams
        ({"reason": "   "}, "reason"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    as_admin: Store, sessions: sessionmaker[Session], given: dict[str, str], field: str
) -> None:
    before = _counts(sessions)
    answers = {"username": "pat.new", "role": "practitioner", "team": "North Team", "email": None}
    answers |= {"reason": "New starter"} | given
    with pytest.raises(StoreError) as refused:
        as_admin.accounts.create_account(**answers, secret=SECRET)  # type: ignore[arg-type]
    assert field in refused.value.fields
    assert _counts(sessions) == before


def test_the_second_of_two_confirms_makes_nothing(as_admin: Store, sessions: sessionmaker[Session]) -> None:
    as_admin.accounts.create_account("pat.new", "practitioner", "North Team", None, "New starter", SECRET)
    before = _counts(sessions)
    with pytest.raises(ConflictError):
        as_admin.accounts.create_account("pat.new", "practitioner", "North Team", None, "New starter", SECRET)
    assert _counts(sessions) == before


def test_the_cli_and_the_pages_share_one_rule_for_names(as_admin: Store, service: Store) -> None:
    as_admin.accounts.create_account("pat.new", "practitioner", "North Team", None, "New starter", SECRET)
    with pytest.raises(ConflictError):  # what `bot user add pat.new ...` calls
        service.users.create_user("pat.new", PASSWORD, "practitioner", "North Team")


def test_the_lead_gap_warning_is_known_before_the_account_is_made(service: Store, as_admin: Store) -> None:
    users = service.users
    assert lead_gap_warnings(users, "North Team", ("practitioner", False))  # no lead to tell
    assert lead_gap_warnings(users, "North Team", ("lead", False))  # a lead nobody can reach
    assert lead_gap_warnings(users, "North Team", ("lead", True)) == []
    assert lead_gap_warnings(users, "North Team", ("admin", False)) == []  # nobody raises concerns
    as_admin.accounts.create_account("sam.lead", "lead", "North Team", None, "New lead", SECRET)
    after = lead_gap_warnings(users, "North Team")
    assert after and after == lead_gap_warnings(users, "North Team", ("admin", False))
    assert "has no email address" in after[0]
