"""What the application's PostgreSQL role may do, granted by the owner role after each upgrade (issue #31).

In production two roles share the database: the owner, which `bot db upgrade` uses and which owns every table
(so it alone can alter the schema, or drop the triggers that keep the audit trail insert-only), and the
application's role, which the running processes use. The application's role reads and writes the records,
but may only read and add audit events: without UPDATE, DELETE or TRUNCATE on `audit_events`, and owning
nothing, it can neither rewrite the trail nor lift its guard, whatever a bug or an intruder in the app does.

Grants are made afresh on every upgrade (revoke all, then grant), so a table added by a later revision is
covered and a grant made by hand is not left wider than this table says.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

DEFAULT_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
# Tables the application may not change freely; every other table gets DEFAULT_PRIVILEGES.
TABLE_PRIVILEGES = {
    "audit_events": "SELECT, INSERT",  # read and append, never rewrite
    "alembic_version": "SELECT",  # the app checks the revision at start-up; only the owner moves it
}


class UnsafeRole(Exception):
    """The application's role could rewrite the trail whatever we grant; the message says why."""


def grant_app_role(connection: Connection, role: str) -> list[str]:
    """Give `role` exactly the application's rights on the public schema; the tables granted, sorted."""
    _refuse_unsafe(connection, role)
    quoted = connection.dialect.identifier_preparer.quote(role)
    tables = sorted(
        connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
    )
    connection.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {quoted}"))
    connection.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {quoted}"))
    # Only a warning, not an error, where the owner does not own the schema (PostgreSQL before 15).
    connection.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {quoted}"))
    for table in tables:
        privileges = TABLE_PRIVILEGES.get(table, DEFAULT_PRIVILEGES)
        name = connection.dialect.identifier_preparer.quote(table)
        connection.execute(text(f"GRANT {privileges} ON TABLE public.{name} TO {quoted}"))
    connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}"))
    return tables


def _refuse_unsafe(connection: Connection, role: str) -> None:
    row = connection.execute(
        text(
            "SELECT r.rolsuper, pg_has_role(:role, current_user, 'MEMBER') "
            "FROM pg_roles r WHERE r.rolname = :role"
        ),
        {"role": role},
    ).first()
    if row is None:
        raise UnsafeRole(f"there is no database role {role!r}: create it (CREATE ROLE ... LOGIN) first")
    superuser, member_of_owner = row
    if role == connection.execute(text("SELECT current_user")).scalar():
        raise UnsafeRole(
            f"the application's role {role!r} is the owner's: give BOT_DATABASE_URL a role of its own"
        )
    if superuser:
        raise UnsafeRole(
            f"the application's role {role!r} is a superuser, so it could rewrite the audit trail"
        )
    if member_of_owner:
        raise UnsafeRole(
            f"the application's role {role!r} is a member of the owner role, so it could alter the schema"
        )
