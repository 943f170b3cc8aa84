"""The web chat page: form post, then redirect, then a fresh page, so it works with JavaScript off.

A refused answer is not redirected: the page is shown again straight away with the message and the typed text
still in the box, because the text can be far larger than a cookie could carry across a redirect.
"""

from __future__ import annotations

from aiohttp import web

from bot.chat.web_chat import ChatRefused
from bot.limits import MAX_ANSWER_CHARS
from bot.web.pages import form_text, render_page
from bot.web.state import USER, WEB_CHAT

# Lands the reader on the start of the assistant's newest messages, with or without JavaScript.
LATEST = "/chat#latest"


async def chat_page(request: web.Request) -> web.StreamResponse:
    return await _render(request)


async def start(request: web.Request) -> web.StreamResponse:
    try:
        await request.app[WEB_CHAT].start(request[USER].id)
    except ChatRefused as refused:
        return await _render(request, refused)
    raise web.HTTPSeeOther(LATEST)


async def send(request: web.Request) -> web.StreamResponse:
    # Only these fields are read: a sender id or payload posted alongside is never looked at.
    form = await request.post()
    text, seen, button = form_text(form.get("text")), form_text(form.get("seen")), form.get("button")
    chat = request.app[WEB_CHAT]
    try:
        if button is not None:
            await chat.choose(request[USER].id, form_text(button), seen, typed=text)
        else:
            await chat.send_text(request[USER].id, text, seen)
    except ChatRefused as refused:
        return await _render(request, refused, text)
    raise web.HTTPSeeOther(LATEST)


async def _render(request: web.Request, refused: ChatRefused | None = None, text: str = "") -> web.Response:
    view = await request.app[WEB_CHAT].view(request[USER].id)
    context = {
        "view": view,
        "problem": refused.message if refused else None,
        "text": text,
        "max_chars": MAX_ANSWER_CHARS,
    }
    return await render_page(request, "chat.html", context, status=refused.status if refused else 200)
