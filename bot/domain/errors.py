"""Refusals, each carrying messages a practitioner or an administrator can act on.

Every error has a `fields` mapping (field name -> message) so that the JSON API and the CLI can report exactly
what was wrong without parsing prose. They live in the domain, not the store, because a service input refuses
itself when it is built wrong (bot.domain.strict), wherever it is built, with the same ValidationError the
store raises; bot.store.errors keeps the names the store's callers import.
"""

from __future__ import annotations

from bot.domain.audit_actions import AuditAction


class StoreError(Exception):
    """Base class: something the caller asked for could not be done, and nothing was changed."""

    def __init__(self, fields: dict[str, str] | str) -> None:
        self.fields: dict[str, str] = {"_": fields} if isinstance(fields, str) else dict(fields)
        super().__init__("; ".join(f"{name}: {message}" for name, message in self.fields.items()))

    @property
    def message(self) -> str:
        return "; ".join(self.fields.values())


class ValidationError(StoreError):
    """The input itself is wrong (type, length, characters, allowed values)."""


class NotFoundError(StoreError):
    """The conversation, assessment or user named does not exist."""


class ConflictError(StoreError):
    """The input is well formed but clashes with what is already recorded."""


class NotPermittedError(ConflictError):
    """The account's role does not permit this (bot.domain.roles). A ConflictError, so every caller that
    already refuses a conflict refuses this too; the JSON API answers it with 403.

    `audit` names the audit action the store records the refusal under (in a transaction of its own, since
    the refused change rolls back), and `detail` its ids and labels: never anyone's words."""

    def __init__(
        self, fields: dict[str, str] | str, *, audit: AuditAction | None = None, **detail: object
    ) -> None:
        super().__init__(fields)
        self.audit = audit
        self.detail = detail
