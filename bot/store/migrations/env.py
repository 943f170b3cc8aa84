"""Alembic environment, driven from code by `bot.store.db.upgrade` (there is no alembic.ini).

The caller hands over an open connection in `config.attributes["connection"]`, so the URL (and any password
in it) never passes through Alembic's ini interpolation.
"""

from __future__ import annotations

from alembic import context

from bot.store.all_models import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through bot.store.db.upgrade(database_url) or `bot db upgrade`")

context.configure(
    connection=connection,
    target_metadata=metadata(),
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
