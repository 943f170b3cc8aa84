"""The rows of a case's identifying details and referral documents as the code outside the store reads them:
read-only fields, named without the ORM models (bot.store.document_models satisfies each), so the review need
not import the models (issue #29: only bot.store does)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol


class DetailsRow(Protocol):
    """One version of a case's identifying details (bot.store.document_models.IdentifyingDetails)."""

    @property
    def id(self) -> int: ...
    @property
    def assessment_id(self) -> int: ...
    @property
    def child_name(self) -> str | None: ...
    @property
    def date_of_birth(self) -> date | None: ...
    @property
    def address(self) -> str | None: ...
    @property
    def school(self) -> str | None: ...
    @property
    def carers(self) -> str | None: ...
    @property
    def entered_by(self) -> int: ...
    @property
    def entered_at(self) -> datetime: ...
