"""Nothing typed is lost when a session ends (issue 17): the web side of held messages and local drafts.

- A chat "send" posted after the session ended (idle, or the app restarted) is held for the person who
  typed it (bot.store.held_messages), provided the post carries that dead session's own cookie (which names
  them) and its form token, so no other site and no other person can plant text for them. The post then
  goes to the sign-in page, which says the message was kept.
- After they sign in again they go straight to that assessment, whose page shows the text back in the box,
  exactly as posted, with a line saying so. It is not an answer until they press Send.
- With JavaScript, chat.js also keeps a draft of the box in the browser, encrypted with a key made here for
  each account (`DraftKeys`), so that a closed tab or a crash loses nothing either, and nothing readable is
  left on a shared computer. The key stays the same across an idle time-out (the draft opens again after
  signing in) and is replaced at an explicit sign-out (bot.store.ended_sessions), whose response also tells
  the browser to clear this site's storage (`CLEAR_SITE_DATA`).

Typed text is never logged here.
"""

from __future__ import annotations

import asyncio
import base64
import hmac
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web

from bot.domain.records import UserInfo
from bot.store.ended_sessions import EndedSessionService
from bot.store.held_messages import HeldMessageService, derive_key
from bot.web.landing import home_for
from bot.web.sessions import CSRF_FORM_FIELD, ENDED_SESSION
from bot.web.state import USER

HELD = web.AppKey("held_messages", HeldMessageService)
# The chat page's send route (bot.web.chat.CHAT_PATH + "/send"; a test keeps the two in step).
SEND_PATH = "/chat/{reference}/send"
HELD_REASON = "held"  # /sign-in?reason=held
KEPT_ANCHOR = "kept-message"  # the line above the box that says the text was kept (chat.html)
DRAFT_KEY_PURPOSE = b"bot.web.held local drafts v2 user "
# Sent with the sign-out response: the browser drops this site's localStorage, sessionStorage and IndexedDB
# (the drafts, whoever's they were), and keeps its cookies and cache alone.
CLEAR_SITE_DATA = '"storage"'


class DraftKeys:
    """Each account's key for its drafts kept in the browser (AES-GCM, base64), derived from the session
    secret, the account and its current salt: the same on every sign-in until an explicit sign-out replaces
    the salt, and given only in the account's own signed-in pages."""

    def __init__(self, session_secret: bytes, ended: EndedSessionService) -> None:
        self._secret = session_secret
        self._ended = ended

    async def for_user(self, user_id: int) -> str:
        salt = await asyncio.to_thread(self._ended.draft_salt, user_id)
        purpose = DRAFT_KEY_PURPOSE + str(user_id).encode() + b" salt " + salt.hex().encode()
        return base64.b64encode(derive_key(self._secret, purpose)).decode()


DRAFT_KEYS = web.AppKey("draft_keys", DraftKeys)


def setup(
    app: web.Application,
    service: HeldMessageService,
    draft_keys: DraftKeys,
    draft_hours: float,
) -> None:
    """Give the app the held-message service, and the pages what chat.js needs for encrypted local drafts."""
    app[HELD] = service
    app[DRAFT_KEYS] = draft_keys
    aiohttp_jinja2.get_env(app).globals["draft_hours"] = draft_hours


async def hold_posted_text(request: web.Request) -> bool:
    """Called when a request found no live session: hold the typed text of a chat send, if this is one and
    it came from the ended session's own page. True when the text was held."""
    ended = request.get(ENDED_SESSION)
    if ended is None or request.method != "POST":
        return False
    resource = request.match_info.route.resource
    if resource is None or resource.canonical != SEND_PATH:
        return False
    form = await request.post()
    token, text = form.get(CSRF_FORM_FIELD), form.get("text")
    if not isinstance(token, str) or not isinstance(text, str):
        return False
    if not hmac.compare_digest(token.encode(), ended.csrf_token.encode()):
        return False
    reference = request.match_info["reference"]
    return await asyncio.to_thread(request.app[HELD].hold, ended.user_id, reference, text)


async def after_sign_in(request: web.Request, user: UserInfo, return_path: str | None = None) -> str:
    """Where to go once signed in: the page a link pointed at (`return_path`, already checked by
    bot.web.landing), else the assessment whose message was held, else the role's home page. A return path
    to the held message's own assessment goes to the kept text on it. A held message stays kept either way:
    it is shown whenever its assessment is opened. Expired held messages (anyone's) are purged here too, so
    none outlives its expiry by more than a sign-in or two."""
    await asyncio.to_thread(request.app[HELD].purge_expired)
    reference = await asyncio.to_thread(request.app[HELD].waiting, user.id)
    kept = f"/chat/{reference}" if reference else None
    if kept and (not return_path or urlsplit(return_path).path == kept):
        return f"{kept}#{KEPT_ANCHOR}"
    return return_path or home_for(user.role)


async def take_held_text(request: web.Request, reference: str) -> str | None:
    """The signed-in user's held text for this assessment, removed from the store as it goes into the box."""
    return await asyncio.to_thread(request.app[HELD].take, request[USER].id, reference)
