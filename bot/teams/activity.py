"""Reading an incoming Bot Framework Activity into the few fields we use, refusing wrong shapes outright.

Anything not as the Bot Framework schema says (a non-object, a number where text belongs, a missing
conversation) is an `ActivityError` (HTTP 400) rather than something to guess around. Fields we do not use
are not read at all. Text is kept exactly as sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

MAX_ID_CHARS = 1024
MAX_URL_CHARS = 2048
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class ActivityError(ValueError):
    """The body is not an Activity we can read; the message says which field."""


@dataclass(frozen=True)
class Activity:
    type: str
    id: str | None
    service_url: str
    channel_id: str
    conversation_id: str
    conversation_type: str | None
    tenant_ids: tuple[str, ...]  # every tenant id the activity names; a valid one names exactly one
    from_id: str | None
    from_aad_object_id: str | None
    recipient_id: str | None
    text: str | None
    value: Any
    members_added: tuple[str, ...]


def parse_activity(body: Any) -> Activity:
    if not isinstance(body, dict):
        raise ActivityError("the body must be a JSON object")
    conversation = _object(body, "conversation", required=True)
    sender = _object(body, "from")
    recipient = _object(body, "recipient")
    channel_data = _object(body, "channelData")
    tenant = _object(channel_data, "tenant", where="channelData.")
    tenant_ids = tuple(
        t
        for t in (
            _text(conversation, "tenantId", where="conversation."),
            _text(tenant, "id", where="channelData.tenant."),
        )
        if t is not None
    )
    members = body.get("membersAdded", [])
    if not isinstance(members, list) or not all(
        isinstance(m, dict) and isinstance(m.get("id"), str) for m in members
    ):
        raise ActivityError("membersAdded must be a list of accounts with ids")
    return Activity(
        type=_required(_text(body, "type"), "type"),
        id=_text(body, "id"),
        service_url=_service_url(_required(_text(body, "serviceUrl", limit=MAX_URL_CHARS), "serviceUrl")),
        channel_id=_required(_text(body, "channelId"), "channelId"),
        conversation_id=_required(_text(conversation, "id", where="conversation."), "conversation.id"),
        conversation_type=_text(conversation, "conversationType", where="conversation."),
        tenant_ids=tenant_ids,
        from_id=_text(sender, "id", where="from."),
        from_aad_object_id=_text(sender, "aadObjectId", where="from."),
        recipient_id=_text(recipient, "id", where="recipient."),
        text=_text(body, "text", limit=None),
        value=body.get("value"),
        members_added=tuple(m["id"] for m in members),
    )


def _object(parent: dict[str, Any], name: str, *, required: bool = False, where: str = "") -> dict[str, Any]:
    value = parent.get(name)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise ActivityError(f"{where}{name} must be an object")
    return value


def _text(
    parent: dict[str, Any], name: str, *, limit: int | None = MAX_ID_CHARS, where: str = ""
) -> str | None:
    value = parent.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ActivityError(f"{where}{name} must be text")
    if limit is not None and len(value) > limit:
        raise ActivityError(f"{where}{name} is too long")
    return value


def _required(value: str | None, name: str) -> str:
    if not value:
        raise ActivityError(f"{name} is required")
    return value


def _service_url(url: str) -> str:
    """Replies carry our bearer token to this address, so plain http is accepted only on loopback."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise ActivityError("serviceUrl is not a URL") from None
    if (
        not host
        or parts.scheme not in ("https", "http")
        or (parts.scheme == "http" and host not in LOOPBACK_HOSTS)
    ):
        raise ActivityError("serviceUrl must be an https URL")
    return url
