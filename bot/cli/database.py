"""`bot db upgrade` and `bot audit verify`: the schema, the roles that use it, and the audit trail's chain.

The owner's URL comes from BOT_DATABASE_OWNER_URL (or BOT_DATABASE_OWNER_URL_FILE), never from an argument:
it carries the owner's password, which must not appear in the process list or shell history.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from bot.cli.common import EXIT_FAILED, EXIT_OK, CliFailure
from bot.production import with_secret_files
from bot.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

OWNER_URL = "BOT_DATABASE_OWNER_URL"


def owner_url() -> str | None:
    """The owner's URL, when one is set (production on PostgreSQL); migrations then run with it."""
    env, problems = with_secret_files(os.environ)
    if problems:
        raise CliFailure("; ".join(problems))
    return env.get(OWNER_URL, "").strip() or None


def db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy.engine import make_url

    from bot.store import db
    from bot.store.encrypted_text import use_key_ring

    use_key_ring(settings.data_keys)  # migration 0034 seals the answers written before it with these keys
    owner = owner_url()
    url = owner or settings.database_url
    db.upgrade(url)
    shown = make_url(url).render_as_string(hide_password=True)
    print(f"database {shown} is at revision {db.current_revision(url)}")
    grant_to_app_role(settings)
    return EXIT_OK


def grant_to_app_role(settings: Settings) -> None:
    """On PostgreSQL with an owner's URL set, grant the application's role what it needs (after an upgrade
    or a restore, which both run as the owner); nothing otherwise."""
    from sqlalchemy.engine import make_url

    from bot.store import db
    from bot.store.grants import UnsafeRole

    owner = owner_url()
    if owner is None or make_url(owner).get_backend_name() != "postgresql":
        return
    app_role = make_url(settings.database_url).username or ""
    try:
        tables = db.grant_app_role(owner, app_role)
    except UnsafeRole as refusal:
        raise CliFailure(str(refusal)) from None
    print(f"role {app_role} may use {len(tables)} tables; audit_events: read and insert only")


def audit_verify(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store import db

    if not db.is_up_to_date(settings.database_url):
        raise CliFailure("the database schema is missing or out of date; run `bot db upgrade` first")
    factory = db.make_session_factory(settings.database_url)
    try:
        verdict = _verdict(factory, args.noted_hash)
    finally:
        factory.kw["bind"].dispose()
    print(verdict[1])
    return verdict[0]


def _verdict(factory: sessionmaker[Session], noted_hash: str | None) -> tuple[int, str]:
    from bot.domain.audit_chain import ChainBreak
    from bot.store.audit_chain import event_with_hash, verify_trail

    result = verify_trail(factory)
    if isinstance(result, ChainBreak):
        return EXIT_FAILED, f"audit trail broken at {result}"
    if noted_hash and event_with_hash(factory, noted_hash) is None:
        return EXIT_FAILED, (
            f"audit trail shortened or rewritten: no event has the hash {noted_hash} noted earlier "
            f"(its last hash is now {result.head})"
        )
    return EXIT_OK, (
        f"audit trail intact: {result.events} events, last event {result.last_id}, last hash {result.head}"
    )
