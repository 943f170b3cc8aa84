"""The store's clock: the time now, in UTC, that a change is stamped with unless a test hands its own."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
