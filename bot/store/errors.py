"""The errors the store raises: defined in bot.domain.errors (an input built wrong raises ValidationError
before it reaches the store), named here too because every caller of the store imports them from here."""

from __future__ import annotations

from bot.domain.errors import ConflictError, NotFoundError, StoreError, ValidationError

__all__ = ["ConflictError", "NotFoundError", "StoreError", "ValidationError"]
