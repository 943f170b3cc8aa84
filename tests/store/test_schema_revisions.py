"""The schema check reads the revisions as Alembic does, without loading it (bot.store.schema_revisions)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.store import db, schema_revisions
from bot.store.schema_revisions import MigrationHistoryError, revisions, stored_revision


def test_every_revision_follows_the_ones_alembic_reads_from_the_modules() -> None:
    scripts = ScriptDirectory.from_config(db.alembic_config())
    alembic_reads = {
        script.revision: script._normalized_down_revisions for script in scripts.walk_revisions()
    }
    assert revisions() == {revision: tuple(downs) for revision, downs in alembic_reads.items()}
    assert db.head_revision() == scripts.get_current_head()


def test_the_stored_revision_is_alembics_before_during_and_after_migrating(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = db.make_engine(url)
    try:
        for step in (None, "0030", "head"):
            if step:
                db.upgrade(url, step)
            with engine.connect() as connection:
                assert (
                    stored_revision(connection)
                    == MigrationContext.configure(connection).get_current_revision()
                )
        assert db.current_revision(url) == db.head_revision() and db.is_up_to_date(url)
    finally:
        engine.dispose()


def test_two_heads_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, revision, down in (("a.py", "a", None), ("b.py", "b", "a"), ("c.py", "c", "a")):
        (tmp_path / name).write_text(f'revision = "{revision}"\ndown_revision = {down!r}\n', encoding="utf-8")
    monkeypatch.setattr(schema_revisions, "VERSIONS_DIR", tmp_path)
    with pytest.raises(MigrationHistoryError, match="several heads: b, c"):
        db.head_revision()
