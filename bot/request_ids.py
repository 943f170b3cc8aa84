"""The request id that ties one incoming request's log lines together across the app, the engine, the
action server and the store API (issue #35).

The app makes one per request (or keeps the one a trusted caller sent in `X-Request-Id`), sends it to the
engine both as a header and in the message metadata (Rasa keeps metadata on the tracker's latest message, so
the action server finds it there) and the action server sends it back to the store API as a header. Within a
process it lives in a context variable, so every log line written while handling that request carries it
(bot.log_format) without being passed to each call.

An id is never case content: it is random hex made here, or a caller's value that matches a short safe
pattern; anything else is replaced, so a header cannot smuggle text into the logs.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

HEADER = "X-Request-Id"
METADATA_KEY = "request_id"  # in the engine message's metadata, and so in the tracker's latest message

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")

current: ContextVar[str | None] = ContextVar("request_id", default=None)


def new_request_id() -> str:
    return secrets.token_hex(16)


def safe_request_id(value: object) -> str | None:
    """`value` when it is a well-formed id (8 to 64 letters, digits, '.', '_' or '-'), else None."""
    return value if isinstance(value, str) and _SAFE.fullmatch(value) else None


def from_tracker(tracker: Mapping[str, Any] | None) -> str | None:
    """The id the app put in the metadata of the tracker's latest message (what Rasa sends the action
    server), or None when there is none or it is malformed."""
    latest = (tracker or {}).get("latest_message") or {}
    metadata = latest.get("metadata") if isinstance(latest, Mapping) else None
    return safe_request_id(metadata.get(METADATA_KEY)) if isinstance(metadata, Mapping) else None


def header() -> dict[str, str]:
    """The header that carries the current request's id onward ({} outside a request)."""
    value = current.get()
    return {HEADER: value} if value else {}
