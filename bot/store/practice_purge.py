"""Practice runs past their retention period are deleted (issue #13): every row of theirs, in one transaction.

A practice run is fictional, so nothing of it is kept once its period is over. This is one case of the
retention job (bot.store.retention, issue #31), by the same code (bot.store.erasure): the practice period
alone, audited as `practice.purged`, and a run under a legal hold stays like any held case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, select

from bot.domain.audit_actions import AuditAction
from bot.domain.retention import RecordType
from bot.store.erasure import erase_cases
from bot.store.models import Assessment
from bot.store.unit_of_work import Service, UnitOfWork


@dataclass(frozen=True)
class Purged:
    """What one purge deleted: the runs' references and the engine's sender ids of their conversations."""

    references: tuple[str, ...]
    sender_ids: tuple[str, ...]


class PracticePurgeService(Service):
    def purge_practice_runs(self, older_than: timedelta) -> Purged:
        """Delete every practice run started more than `older_than` ago; live runs are never touched.

        A practice run added to an older one (`linked_from`) loses only the link when the older goes."""
        if older_than <= timedelta(0):
            raise ValueError("the retention period must be longer than nothing")

        def purge(uow: UnitOfWork) -> Purged:
            found = practice_runs_started_before(uow, older_than)
            erased = erase_cases(
                uow, found, RecordType.PRACTICE_RUN, AuditAction.PRACTICE_RUN_PURGED, dry_run=False
            )
            return Purged(tuple(c.reference for c in erased), tuple(c.sender_id for c in erased))

        return self._write(purge)


def practice_runs_started_before(uow: UnitOfWork, older_than: timedelta) -> Select[Any]:
    """(id, reference, start) of every practice run started more than `older_than` before now."""
    return select(Assessment.id, Assessment.reference, Assessment.created_at).where(
        Assessment.mode == "rehearsal", Assessment.created_at < uow.now() - older_than
    )
