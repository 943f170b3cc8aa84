"""`bot keys rotate` (issue #31): every sealed value not under the data key ring's newest key is opened with
its own key and sealed again with the newest, in batches.

Each batch is one transaction (rows locked for update on PostgreSQL, BEGIN IMMEDIATE on SQLite), so an
interrupted run leaves every row under either its old key or the newest, never half-written, and a run
started again picks up the rows still under an old key: nothing records progress but the rows themselves.
The sealed columns are the one list in bot.store.sealed_columns (checked against the models by the tests); a
column looked up by value has its keyed digest recomputed under the newest key in the same batch. The values
are read and written as the ciphertext they are, through plain Text columns: this module alone compares
them, and only by their `enc1:<key id>:` prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, Text, bindparam, column, func, not_, select, table

from bot.domain.audit_actions import AuditAction
from bot.store.encrypted_text import key_ring_in_use
from bot.store.sealed_columns import LOOKUPS, SEALED_COLUMNS
from bot.store.unit_of_work import Service, UnitOfWork

DEFAULT_BATCH = 500


@dataclass(frozen=True)
class Rotation:
    """What one run did: the newest key, values sealed again per `table.column`, batches committed, and
    whether it stopped early (`max_batches`) with rows still under an old key."""

    newest_key: str
    resealed: dict[str, int]
    batches: int
    finished: bool


class KeyRotationService(Service):
    def rotate(self, batch: int = DEFAULT_BATCH, max_batches: int | None = None) -> Rotation:
        """Seal again, under the newest key, every value under an older one; stop after `max_batches`
        batches if given (the tests' interruption). Audited once, with counts only."""
        if batch < 1:
            raise ValueError("the batch size must be at least 1")
        ring = key_ring_in_use()
        resealed = {f"{name}.{col}": 0 for name, col in SEALED_COLUMNS}
        batches = 0
        finished = True
        for name, col in SEALED_COLUMNS:
            while True:
                if max_batches is not None and batches >= max_batches:
                    finished = False
                    break
                done = self._write(lambda uow, n=name, c=col: _reseal_batch(uow, n, c, batch))
                if not done:
                    break
                batches += 1
                resealed[f"{name}.{col}"] += done
        rotation = Rotation(ring.newest_id, resealed, batches, finished)
        self._write(
            lambda uow: uow.audit(
                AuditAction.DATA_KEYS_ROTATED,
                newest_key=rotation.newest_key,
                resealed=rotation.resealed,
                batches=rotation.batches,
                finished=rotation.finished,
            )
        )
        return rotation

    def count_under_old_keys(self) -> dict[str, int]:
        """Values per `table.column` not yet under the newest key."""
        prefix = f"enc1:{key_ring_in_use().newest_id}:%"
        with self._reading() as uow:
            counts = {}
            for name, col in SEALED_COLUMNS:
                tab = table(name, column(col, Text()))
                counts[f"{name}.{col}"] = uow.session.execute(
                    select(func.count()).select_from(tab).where(not_(tab.c[col].like(prefix)))
                ).scalar_one()
            return counts


def _reseal_batch(uow: UnitOfWork, name: str, col: str, batch: int) -> int:
    ring = key_ring_in_use()
    lookup = LOOKUPS.get((name, col))
    tab = table(
        name, column("id", Integer()), column(col, Text()), *([column(lookup, Text())] if lookup else [])
    )
    rows = uow.session.execute(
        select(tab.c.id, tab.c[col])
        .where(tab.c[col].is_not(None), not_(tab.c[col].like(f"enc1:{ring.newest_id}:%")))
        .order_by(tab.c.id)
        .limit(batch)
        .with_for_update()
    ).all()
    if not rows:
        return 0
    changes = {col: bindparam("sealed"), **({lookup: bindparam("digest")} if lookup else {})}
    params = []
    for row_id, value in rows:
        plain = ring.open(value, name, col)
        params.append(
            {"row_id": row_id, "sealed": ring.seal(plain, name, col), "digest": ring.digest(plain, name, col)}
        )
    uow.session.execute(tab.update().where(tab.c.id == bindparam("row_id")).values(changes), params)
    return len(rows)
