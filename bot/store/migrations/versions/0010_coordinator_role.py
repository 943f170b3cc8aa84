"""The coordinator role (issue 16): a Prevent coordinator reads the organisation's figures, never a case.

Only widens the users.role check: no existing row changes meaning.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_BEFORE = "role IN ('practitioner', 'lead', 'trainer', 'admin')"
_AFTER = "role IN ('practitioner', 'lead', 'trainer', 'coordinator', 'admin')"


def upgrade() -> None:
    _replace_role_check(_AFTER)


def downgrade() -> None:
    # Refused by the database while any coordinator account exists: remove or change those accounts first.
    _replace_role_check(_BEFORE)


def _replace_role_check(condition: str) -> None:
    """Replace the check on users.role. Revision 0001 named it with the naming convention applied twice,
    so it is found under that name and re-made under the name the models give it."""
    existing = _role_check_name()
    with op.batch_alter_table("users", recreate="auto") as batch:
        batch.drop_constraint(op.f(existing), type_="check")
        batch.create_check_constraint(op.f("ck_users_role"), condition)


def _role_check_name() -> str:
    names = {check["name"] for check in sa.inspect(op.get_bind()).get_check_constraints("users")}
    return "ck_users_role" if "ck_users_role" in names else "ck_users_ck_users_role"
