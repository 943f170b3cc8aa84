"""Typed keys for what the app and each request carry, shared by the handlers and middlewares."""

from __future__ import annotations

from aiohttp import web

from bot.chat.conversation_service import ConversationService
from bot.domain.records import UserInfo
from bot.settings import Settings
from bot.store.services import Store

SETTINGS = web.AppKey("settings", Settings)
STORE = web.AppKey("store", Store)
CONVERSATIONS = web.AppKey("conversations", ConversationService)

USER = web.RequestKey("user", UserInfo)
TIMED_OUT = web.RequestKey("timed_out", bool)
LIFETIME_OVER = web.RequestKey("lifetime_over", bool)  # signed in longer than BOT_SESSION_MAX_HOURS
