"""What a case's row offers the code outside the store: read-only fields, named without the ORM model.

The review is handed the store's assessment rows by its queries and passes them back to the store's writes and
its unit of work; it reads a few fields on the way. This protocol names those fields, so the review need not
import the ORM models (issue #29: only bot.store does).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class ConversationRow(Protocol):
    @property
    def sender_id(self) -> str: ...


class PractitionerRow(Protocol):
    @property
    def email(self) -> str | None: ...


class CaseRow(Protocol):
    """An assessment as stored (bot.store.models.Assessment satisfies it)."""

    @property
    def id(self) -> int: ...
    @property
    def reference(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def mode(self) -> str: ...
    @property
    def urgent(self) -> bool: ...
    @property
    def team_id(self) -> int | None: ...
    @property
    def practitioner_id(self) -> int | None: ...
    @property
    def practitioner(self) -> PractitionerRow | None: ...
    @property
    def submitted_at(self) -> datetime | None: ...
    @property
    def submitted_stage(self) -> str | None: ...
    @property
    def full_requested_at(self) -> datetime | None: ...
    @property
    def conversation(self) -> ConversationRow: ...
