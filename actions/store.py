"""The action server's one connection to the referral store, created lazily inside the running event loop."""

from __future__ import annotations

from actions.settings import ActionSettings
from bot.store_client import StoreClient

_client: StoreClient | None = None


def store() -> StoreClient:
    global _client
    if _client is None:
        settings = ActionSettings.from_env()
        _client = StoreClient(settings.app_url, settings.service_token)
    return _client
