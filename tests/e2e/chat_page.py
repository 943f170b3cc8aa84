"""Reading the web chat page as served, by what it says rather than how it is styled.

The page's CSS classes belong to the front-end work and change with it; what a person (or a screen reader)
meets does not: the conversation log, "The assistant said:" before each bot message, and the buttons of the
chat form. The end-to-end tests that drive the page over HTTP read it through this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from tests.web.web_helpers import field_value

BOT_PREFIX = "The assistant said:"
USER_PREFIX = "You said:"
PROGRESS = re.compile(r"question \d+ of \d+")
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"})


@dataclass
class ChatPage:
    turns: list[tuple[str, str]] = field(default_factory=list)  # (speaker "bot" | "user", text)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (form value, title)
    # A multiple choice question's checkboxes (issue #26): (form value of "chosen", the label's words).
    ticks: list[tuple[str, str]] = field(default_factory=list)
    seen: str | None = None

    @property
    def latest_bot_text(self) -> str:
        """The bot's newest message: the question the page is asking now."""
        return next(text for speaker, text in reversed(self.turns) if speaker == "bot")

    def tick(self, title: str) -> str | None:
        """The form value of the checkbox labelled `title`, or None if the page has none such."""
        return next((value for value, shown in self.ticks if shown == title), None)

    def button(self, title: str) -> str:
        """The form value of the button with this title; fails listing the titles on offer."""
        for value, shown in self.buttons:
            if shown == title:
                return value
        raise AssertionError(f"no button {title!r}; the page offers {[t for _, t in self.buttons]}")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ChatPage()
        self._log_depth = 0  # > 0 while inside the element with role="log"
        self._item: list[str] | None = None
        self._button: tuple[str, list[str]] | None = None
        self._tick_values: dict[str, str] = {}  # checkbox id -> its value
        self._label: tuple[str, list[str]] | None = None  # a checkbox's label: (the checkbox's value, words)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "input":
            self._note_checkbox(attributes)
        if tag in VOID:
            return
        if self._log_depth:
            self._log_depth += 1
        elif attributes.get("role") == "log":
            self._log_depth = 1
        if self._log_depth and tag == "li":
            self._item = []
        if tag == "button" and attributes.get("name") == "button":
            self._button = (attributes.get("value") or "", [])
        if tag == "label" and attributes.get("for") in self._tick_values:
            self._label = (self._tick_values[attributes["for"] or ""], [])

    def _note_checkbox(self, attributes: dict[str, str | None]) -> None:
        if attributes.get("name") == "chosen" and attributes.get("type") == "checkbox":
            self._tick_values[attributes.get("id") or ""] = attributes.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._item is not None:
            text = "".join(self._item).strip()
            for prefix, speaker in ((BOT_PREFIX, "bot"), (USER_PREFIX, "user")):
                if text.startswith(prefix):
                    self.page.turns.append((speaker, text.removeprefix(prefix).strip()))
            self._item = None
        if tag == "button" and self._button is not None:
            value, text = self._button
            self.page.buttons.append((value, "".join(text).strip()))
            self._button = None
        if tag == "label" and self._label is not None:
            value, text = self._label
            self.page.ticks.append((value, "".join(text).strip()))
            self._label = None
        if self._log_depth and tag not in VOID:
            self._log_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._item is not None:
            self._item.append(data)
        if self._button is not None:
            self._button[1].append(data)
        if self._label is not None:
            self._label[1].append(data)


def read_chat(body: str) -> ChatPage:
    reader = _Reader()
    reader.feed(body)
    reader.close()
    page = reader.page
    if 'name="seen"' in body:
        page.seen = field_value(body, "seen")
    return page
