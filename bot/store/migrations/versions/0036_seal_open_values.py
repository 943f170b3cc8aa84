"""The last plain copies of typed words in the store, sealed (issue #31, third slice of encryption at rest).

- `answers.sealed_value` (new, Text) holds the JSON of every answer value that is not a closed answer, sealed
  like 0034's text, and `answers.value` is null for those rows; closed values (null, true/false, choice ids
  such as yes, no, not_sure, and lists of them) stay plain in `answers.value`, so the reports keep grouping
  them in SQL. Why sealed, not dropped: a free-text answer's value is its text, but an age's (14), a date's
  (2026-03-01) and a rough date's (the words typed and the range they mean) are not recoverable from the
  text, and the readers (current values for the practitioner's home and the bank's conditions, exports,
  the reports' age bands) read `value` for them; one rule for every non-closed value keeps every reader on
  one path. Which rows are closed is decided by the value's shape, not by the question bank, which a
  migration must not read: the rule is the frozen copy below of bot.store.answer_values at this revision
  (a value that is exactly the words typed is sealed even if it looks like a choice id).
- `identifying_details.date_of_birth` becomes Text holding the sealed ISO date. Nothing compares it in SQL:
  the reports do not read it (they band the young person's age answer), and the case page, documents and
  the subject-access export read it whole.

Upgrade seals every row in batches by id; downgrade opens them again (it needs the keys that sealed them)
and puts the values back in `answers.value` and the date column.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

from bot.store.encrypted_text import key_ring_in_use

revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None

SEALED = (("answers", "sealed_value"), ("identifying_details", "date_of_birth"))
BATCH = 500
_CHOICE_ID = re.compile(r"[a-z0-9_]{1,100}")


def _is_closed(value: Any, text: str) -> bool:
    """Frozen copy of bot.store.answer_values.is_closed at revision 0036."""
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, str):
        return bool(_CHOICE_ID.fullmatch(value)) and value != text
    if isinstance(value, list):
        return all(isinstance(v, str) and _CHOICE_ID.fullmatch(v) for v in value) and value != [text]
    return False


def upgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("sealed_value", sa.Text(), nullable=True))
    with op.batch_alter_table("identifying_details") as batch:
        batch.alter_column(
            "date_of_birth",
            type_=sa.Text(),
            existing_type=sa.Date(),
            existing_nullable=True,
            postgresql_using="date_of_birth::text",
        )
    ring = key_ring_in_use()
    answers = sa.table(
        "answers",
        sa.column("id", sa.Integer()),
        sa.column("text", sa.Text()),
        sa.column("value", sa.JSON(none_as_null=True)),
        sa.column("sealed_value", sa.Text()),
    )
    for rows in _batches(answers, answers.c.value):
        changed = [
            {
                "row_id": row_id,
                "value": None,
                "sealed": ring.seal(json.dumps(value, ensure_ascii=False), *SEALED[0]),
            }
            for row_id, text, value, _sealed in rows
            if not _is_closed(value, ring.open(text, "answers", "text"))
        ]
        _write(answers, changed)
    details = sa.table(
        "identifying_details", sa.column("id", sa.Integer()), sa.column("date_of_birth", sa.Text())
    )
    for rows in _batches(details, details.c.date_of_birth):
        changed = [{"row_id": row_id, "born": ring.seal(born[:10], *SEALED[1])} for row_id, born in rows]
        _write_dates(details, changed)


def downgrade() -> None:
    ring = key_ring_in_use()
    answers = sa.table(
        "answers",
        sa.column("id", sa.Integer()),
        sa.column("text", sa.Text()),
        sa.column("value", sa.JSON(none_as_null=True)),
        sa.column("sealed_value", sa.Text()),
    )
    for rows in _batches(answers, answers.c.sealed_value):
        opened = [
            {"row_id": row_id, "value": json.loads(ring.open(sealed, *SEALED[0])), "sealed": None}
            for row_id, _text, _value, sealed in rows
        ]
        _write(answers, opened)
    # The opened dates go into a new Date column that then replaces the sealed one: changing the column's
    # type in place would make SQLite's batch copy CAST each value to DATE, which is numeric there and keeps
    # only the year.
    with op.batch_alter_table("identifying_details") as batch:
        batch.add_column(sa.Column("date_of_birth_plain", sa.Date(), nullable=True))
    details = sa.table(
        "identifying_details",
        sa.column("id", sa.Integer()),
        sa.column("date_of_birth", sa.Text()),
        sa.column("date_of_birth_plain", sa.Date()),
    )
    connection = op.get_bind()
    for rows in _batches(details, details.c.date_of_birth):
        connection.execute(
            details.update()
            .where(details.c.id == sa.bindparam("row_id"))
            .values(date_of_birth_plain=sa.bindparam("born")),
            [
                {"row_id": row_id, "born": date.fromisoformat(ring.open(born, *SEALED[1]))}
                for row_id, born, _ in rows
            ],
        )
    with op.batch_alter_table("identifying_details") as batch:
        batch.drop_column("date_of_birth")
        batch.alter_column("date_of_birth_plain", new_column_name="date_of_birth", existing_type=sa.Date())
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("sealed_value")


def _batches(table: sa.TableClause, column: sa.ColumnClause[Any]) -> Any:
    """The rows whose `column` is not null, BATCH at a time by id (a large store is never held at once)."""
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(*table.c)
            .where(table.c.id > last, column.is_not(None))
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _write(answers: sa.TableClause, changes: list[dict[str, Any]]) -> None:
    if changes:
        op.get_bind().execute(
            answers.update()
            .where(answers.c.id == sa.bindparam("row_id"))
            .values(value=sa.bindparam("value"), sealed_value=sa.bindparam("sealed")),
            changes,
        )


def _write_dates(details: sa.TableClause, changes: list[dict[str, Any]]) -> None:
    if changes:
        op.get_bind().execute(
            details.update()
            .where(details.c.id == sa.bindparam("row_id"))
            .values(date_of_birth=sa.bindparam("born")),
            changes,
        )
