"""Reading the web chat page as served, by what it says rather than how it is styled.

The page's CSS classes belong to the front-end work and change with it; what a person (or a screen reader)
meets does not: the conversation log, "The assistant said:" before each bot message, and the buttons of the
chat form. The end-to-end tests that drive the page over HTTP read it through this module, with the reader
bench/soak.py's practitioners use (bench/chat_reading.py: one reader for both); a test's page is stricter only
in failing loudly when a button it asks for is not there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bench import chat_reading
from bench.chat_reading import BOT_PREFIX, USER_PREFIX
from tests.web.web_helpers import CSRF_FIELD

__all__ = ["BOT_PREFIX", "PROGRESS", "USER_PREFIX", "ChatPage", "read_chat"]

PROGRESS = re.compile(r"question \d+ of \d+")


@dataclass
class ChatPage(chat_reading.ChatPage):
    # The session's form token in the page's own forms (None on a page with no form): what a browser posts
    # back with the form it shows, with no other page fetched for it.
    form_token: str | None = None

    @property
    def latest_bot_text(self) -> str:
        """The bot's newest message: the question the page is asking now."""
        return next(text for speaker, text in reversed(self.turns) if speaker == "bot")

    def button(self, title: str) -> str:  # type: ignore[override]  # never None: a missing button fails
        """The form value of the button with this title; fails listing the titles on offer."""
        for value, shown in self.buttons:
            if shown == title:
                return value
        raise AssertionError(f"no button {title!r}; the page offers {[t for _, t in self.buttons]}")


def read_chat(body: str) -> ChatPage:
    token = CSRF_FIELD.search(body)
    page = ChatPage(form_token=token.group(1) if token else None)
    chat_reading.read_chat(body, page)
    return page
