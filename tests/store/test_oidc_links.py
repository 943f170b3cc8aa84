"""Organisation accounts linked by issuer and subject (issue #32, migration 0033), on SQLite and PostgreSQL:
sign-in by subject whatever the username claim says, a first sign-in linking once, a name linked to another
subject refused; an admin linking and unlinking with a reason; the table's own constraints."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import ConflictError, NotFoundError, ValidationError
from bot.domain.records import Actor, UserInfo
from bot.store.account_models import AccountChange
from bot.store.models import AuditEvent
from bot.store.oidc_link_models import OidcLink
from bot.store.oidc_links import LINKED_ELSEWHERE
from bot.store.services import Store

PASSWORD = "correct horse battery staple"
ISSUER = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"
OTHER_ISSUER = "https://id.example.org"
NORTH = {("practitioner", "North Team")}
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def admin(service: Store) -> UserInfo:
    return service.users.create_user("ada.admin", PASSWORD, "admin", "North Team")


@pytest.fixture
def bob(service: Store) -> UserInfo:
    return service.users.create_user("bob", PASSWORD, "practitioner", "North Team")


def _links(sessions: sessionmaker[Session]) -> list[tuple[str, str, int]]:
    with sessions() as session:
        return [
            (r.issuer, r.subject, r.user_id) for r in session.scalars(select(OidcLink).order_by(OidcLink.id))
        ]


def test_a_first_sign_in_links_and_then_only_the_subject_counts(
    service: Store, practitioner: UserInfo, bob: UserInfo, sessions: sessionmaker[Session]
) -> None:
    user, why = service.users.sign_in_verified(ISSUER, "sub-pat", "pat.smith", NORTH)
    assert user is not None and user.id == practitioner.id and why == ""
    assert _links(sessions) == [(ISSUER, "sub-pat", practitioner.id)]
    # Renamed at the provider, or now showing the name bob holds here: still pat, by the subject.
    for claim in ("patricia.smith", "bob", ""):
        user, _ = service.users.sign_in_verified(ISSUER, "sub-pat", claim, NORTH)
        assert user is not None and user.id == practitioner.id
    # Someone new at the provider with pat's old name is refused: pat is linked to another subject.
    user, why = service.users.sign_in_verified(ISSUER, "sub-newcomer", "pat.smith", NORTH)
    assert user is None and why == LINKED_ELSEWHERE
    # The same name at another provider is a link of its own.
    user, _ = service.users.sign_in_verified(OTHER_ISSUER, "sub-elsewhere", "pat.smith", NORTH)
    assert user is not None and len(_links(sessions)) == 2


def test_refused_first_sign_ins_link_nothing_and_are_audited(
    service: Store,
    practitioner: UserInfo,
    sessions: sessionmaker[Session],
    audit_actions: Callable[[], list[str]],
) -> None:
    assert service.users.sign_in_verified(ISSUER, "sub-x", "nobody", NORTH) == (None, "unknown")
    assert service.users.sign_in_verified(ISSUER, "sub-pat", "pat.smith", set()) == (None, "unmapped")
    service.users.deactivate_user("pat.smith")
    assert service.users.sign_in_verified(ISSUER, "sub-pat", "pat.smith", NORTH) == (None, "deactivated")
    assert _links(sessions) == []
    assert audit_actions().count("user.sign_in_failed") == 3
    assert "oidc.linked" not in audit_actions()


def test_a_linked_account_deactivated_is_refused(service: Store, practitioner: UserInfo) -> None:
    service.users.sign_in_verified(ISSUER, "sub-pat", "pat.smith", NORTH)
    service.users.deactivate_user("pat.smith")
    assert service.users.sign_in_verified(ISSUER, "sub-pat", "anything", NORTH) == (None, "deactivated")


def test_an_admin_links_and_unlinks_with_a_reason(
    service: Store, admin: UserInfo, practitioner: UserInfo, sessions: sessionmaker[Session]
) -> None:
    as_admin = service.for_actor(Actor.user(admin.id))
    linked = as_admin.accounts.link_oidc(practitioner.id, ISSUER + "/", " sub-pat ", "Joined from Entra ID")
    (link,) = linked.oidc_links
    assert (link.issuer, link.subject) == (ISSUER, "sub-pat")  # as sign-in compares them
    user, _ = service.users.sign_in_verified(ISSUER, "sub-pat", "someone-else", NORTH)
    assert user is not None and user.id == practitioner.id

    unlinked = as_admin.accounts.unlink_oidc(practitioner.id, ISSUER, "Wrong person linked")
    assert unlinked.oidc_links == ()
    assert [c.reason for c in unlinked.changes] == ["Wrong person linked", "Joined from Entra ID"]
    with sessions() as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action.like("oidc.%"))))
        assert [e.action for e in events] == ["oidc.linked", "oidc.unlinked"]
        assert all(e.actor_id == str(admin.id) for e in events)
        assert session.get(AccountChange, events[0].detail["change_id"]).reason == "Joined from Entra ID"  # type: ignore[union-attr]
        assert "Wrong" not in str(events[1].detail)  # the reason's words stay out of the trail


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda s, u: s.accounts.link_oidc(u, "not-an-address", "sub", "why"), "issuer"),
        (lambda s, u: s.accounts.link_oidc(u, ISSUER, "has space", "why"), "subject"),
        (lambda s, u: s.accounts.link_oidc(u, ISSUER, "x" * 256, "why"), "subject"),
        (lambda s, u: s.accounts.link_oidc(u, ISSUER, "sub", "  "), "reason"),
        (lambda s, u: s.accounts.unlink_oidc(u, ISSUER, "why"), "issuer"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    service: Store,
    practitioner: UserInfo,
    change: Callable[[Store, int], object],
    field: str,
    audit_actions: Callable[[], list[str]],
) -> None:
    before = audit_actions()
    with pytest.raises((ValidationError, NotFoundError)) as refused:
        change(service, practitioner.id)
    assert field in refused.value.fields
    assert audit_actions() == before


def test_a_subject_or_issuer_already_linked_is_refused_by_hand_too(
    service: Store, practitioner: UserInfo, bob: UserInfo, sessions: sessionmaker[Session]
) -> None:
    service.accounts.link_oidc(practitioner.id, ISSUER, "sub-pat", "first")
    with pytest.raises(ConflictError) as taken:
        service.accounts.link_oidc(bob.id, ISSUER, "sub-pat", "slip")
    assert "another user" in taken.value.fields["subject"]
    with pytest.raises(ConflictError):
        service.accounts.link_oidc(practitioner.id, ISSUER, "sub-pat-2", "second")
    assert _links(sessions) == [(ISSUER, "sub-pat", practitioner.id)]


def test_the_table_refuses_duplicates_and_empty_identifiers(
    sessions: sessionmaker[Session], practitioner: UserInfo, bob: UserInfo
) -> None:
    def insert(*rows: tuple[str, str, int]) -> None:
        with sessions() as session:
            for issuer, subject, user_id in rows:
                session.add(OidcLink(issuer=issuer, subject=subject, user_id=user_id, created_at=NOW))
            session.commit()

    insert((ISSUER, "sub-pat", practitioner.id))
    for bad in [
        [(ISSUER, "sub-pat", bob.id)],  # one subject, two accounts
        [(ISSUER, "sub-other", practitioner.id)],  # two links at one issuer
        [(ISSUER, "", bob.id)],
        [("", "sub-bob", bob.id)],
        [(ISSUER, "sub-ghost", 99_999)],  # no such account
    ]:
        with pytest.raises(IntegrityError):
            insert(*bad)
    assert _links(sessions) == [(ISSUER, "sub-pat", practitioner.id)]
