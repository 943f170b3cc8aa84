"""Account management (issue #32): role, team, deactivation, reset links and own passwords, each audited with
who and why; refusals change nothing; common passwords are refused wherever a password is set."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.account_records import AccountSearch
from bot.domain.errors import NotFoundError, StoreError, ValidationError
from bot.domain.records import Actor, UserInfo
from bot.store.account_models import AccountChange
from bot.store.models import AuditEvent
from bot.store.services import Store
from tests.fixtures.clocks import Clock

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "violet kettle marching orbit"
SECRET = b"s" * 32
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
OBJECT = "0b6a3d1c-6f51-4c4f-9d8e-1f0a2b3c4d5e"


@pytest.fixture
def admin(service: Store) -> UserInfo:
    return service.users.create_user("ada.admin", PASSWORD, "admin", "North Team")


@pytest.fixture
def as_admin(service: Store, admin: UserInfo) -> Store:
    service.users.create_user("sam.lead", PASSWORD, "lead", "South Team")  # makes the South Team
    return service.for_actor(Actor.user(admin.id))


def _events(sessions: sessionmaker[Session]) -> list[tuple[str, str | None, dict]]:
    with sessions() as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(row.action, row.actor_id, row.detail) for row in rows]


def test_a_team_move_is_audited_with_who_and_why(
    as_admin: Store, admin: UserInfo, practitioner: UserInfo, sessions: sessionmaker[Session]
) -> None:
    moved = as_admin.accounts.set_team(practitioner.id, "South Team", "Moved to the South locality")
    assert moved.team == "South Team"
    action, actor, detail = _events(sessions)[-1]
    assert (action, actor) == ("user.team_changed", str(admin.id))
    assert moved.changes[0].reason == "Moved to the South locality"
    assert moved.changes[0].made_by == f"user:{admin.id}"
    with sessions() as session:
        assert session.get(AccountChange, detail["change_id"]).reason == "Moved to the South locality"  # type: ignore[union-attr]
    assert "Moved" not in str(detail)  # the reason's words stay out of the trail


def test_deactivation_ends_access_at_once_and_reactivation_restores_it(
    as_admin: Store, service: Store, practitioner: UserInfo, audit_actions: Callable[[], list[str]]
) -> None:
    as_admin.accounts.set_active(practitioner.id, False, "Left the council")
    assert service.users.active_user(practitioner.id) is None
    assert service.users.authenticate("pat.smith", PASSWORD) is None
    as_admin.accounts.set_active(practitioner.id, True, "Came back")
    assert service.users.active_user(practitioner.id) is not None
    assert (
        audit_actions()[-2:] == ["user.deactivated", "user.reactivated"]
        or "user.reactivated" in audit_actions()
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda s, u: s.accounts.set_role(u, "lead", "  "), "reason"),
        (lambda s, u: s.accounts.set_role(u, "wizard", "promoted"), "role"),
        (lambda s, u: s.accounts.set_role(u, "practitioner", "same"), "role"),
        (lambda s, u: s.accounts.set_team(u, "Nowhere Team", "moved"), "team"),
        (lambda s, u: s.accounts.set_active(u, True, "already active"), "active"),
        (lambda s, u: s.accounts.unlink_teams(u, 999, "gone"), "link"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    as_admin: Store,
    practitioner: UserInfo,
    change: Callable[[Store, int], object],
    field: str,
    sessions: sessionmaker[Session],
) -> None:
    before = _events(sessions)
    with pytest.raises(StoreError) as refused:
        change(as_admin, practitioner.id)
    assert field in refused.value.fields
    assert _events(sessions) == before
    assert as_admin.accounts.account(practitioner.id).role == "practitioner"


def test_an_admin_cannot_lock_themselves_out(as_admin: Store, admin: UserInfo) -> None:
    with pytest.raises(ValidationError, match="your own"):
        as_admin.accounts.set_active(admin.id, False, "oops")
    with pytest.raises(ValidationError, match="your own"):
        as_admin.accounts.set_role(admin.id, "lead", "oops")


def test_search_by_name_role_team_and_active(as_admin: Store, practitioner: UserInfo) -> None:
    as_admin.accounts.set_active(practitioner.id, False, "Left")
    names = lambda **kw: [a.username for a in as_admin.accounts.list_accounts(AccountSearch(**kw))]  # noqa: E731
    assert names() == ["ada.admin", "pat.smith", "sam.lead"]
    assert names(text="SMITH") == ["pat.smith"]
    assert names(role="lead") == ["sam.lead"]
    assert names(team="North Team") == ["ada.admin", "pat.smith"]
    assert names(active=False) == ["pat.smith"]
    assert names(text="%") == []  # a wildcard is a plain character


def test_a_reset_link_works_once_and_expires_after_a_day(
    as_admin: Store, service: Store, practitioner: UserInfo, clock: Clock
) -> None:
    _, token = as_admin.accounts.issue_reset(practitioner.id, "Forgot their password", SECRET)
    assert service.accounts.reset_target(token, b"x" * 32) is None  # another secret: forged
    assert service.accounts.reset_target(token, SECRET) == practitioner
    service.accounts.use_reset(token, NEW_PASSWORD, SECRET)
    assert service.users.authenticate("pat.smith", NEW_PASSWORD) is not None
    with pytest.raises(NotFoundError):
        service.accounts.use_reset(token, "another violet kettle", SECRET)
    _, late = as_admin.accounts.issue_reset(practitioner.id, "Forgot again", SECRET)
    clock.advance(hours=24, seconds=1)
    assert service.accounts.reset_target(late, SECRET) is None


def test_a_reset_refuses_a_common_password_and_keeps_the_link(
    as_admin: Store, service: Store, practitioner: UserInfo
) -> None:
    _, token = as_admin.accounts.issue_reset(practitioner.id, "Forgot", SECRET)
    with pytest.raises(ValidationError, match="common"):
        service.accounts.use_reset(token, "Password1234!", SECRET)
    assert service.accounts.reset_target(token, SECRET) is not None


def test_a_user_changes_their_own_password_with_the_current_one(
    service: Store, practitioner: UserInfo, audit_actions: Callable[[], list[str]]
) -> None:
    with pytest.raises(ValidationError, match="not right"):
        service.accounts.change_own_password(practitioner.id, "wrong password here", NEW_PASSWORD)
    assert audit_actions()[-1] == "user.password_change_refused"
    with pytest.raises(ValidationError, match="sign-in name"):
        service.accounts.change_own_password(practitioner.id, PASSWORD, "pat.smith is my name")
    service.accounts.change_own_password(practitioner.id, PASSWORD, NEW_PASSWORD)
    assert service.users.authenticate("pat.smith", PASSWORD) is None
    assert service.users.authenticate("pat.smith", NEW_PASSWORD) is not None
    assert audit_actions()[-3:] == ["user.password_changed", "user.sign_in_failed", "user.signed_in"]


@pytest.mark.parametrize(
    "weak", ["abcdefghijkl", "Password1234", "qwertyuiop12", "aaaaaaaaaaaa", "p@ssw0rd2024"]
)
def test_common_passwords_are_refused_when_an_account_is_made(service: Store, weak: str) -> None:
    with pytest.raises(ValidationError) as refused:
        service.users.create_user("new.person", weak, "practitioner", "North Team")
    assert "passphrase" in refused.value.fields["password"]


def test_teams_identities_link_and_unlink_with_a_reason(
    as_admin: Store, practitioner: UserInfo, audit_actions: Callable[[], list[str]]
) -> None:
    linked = as_admin.accounts.link_teams(practitioner.id, TENANT, OBJECT, "Uses Teams on the ward")
    assert [link.aad_object_id for link in linked.teams_links] == [OBJECT]
    unlinked = as_admin.accounts.unlink_teams(practitioner.id, linked.teams_links[0].id, "Wrong person")
    assert unlinked.teams_links == ()
    assert audit_actions()[-2:] == ["teams.linked", "teams.unlinked"]
    assert [c.reason for c in unlinked.changes] == ["Wrong person", "Uses Teams on the ward"]
