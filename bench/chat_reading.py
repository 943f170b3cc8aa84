"""The web chat page as bench/soak.py's practitioners read it: by what it says, not how it is styled.

The conversation log, "The assistant said:" before each bot message, the chat form's buttons and boxes, the
progress line. The end-to-end tests read the page through this module too (tests/e2e/chat_page.py), so there
is one reader; it lives here because a benchmark may not import the tests (tests/test_import_rules.py). The
wording it needs (the end of the screening, the section introductions) comes from the product's own data, so
a reworded question needs no edit here.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser

from bot.dialogue.after_screening import SEND_NOW as SEND_NOW_VALUE
from bot.dialogue.after_screening import load_wording
from bot.questions import load_bank

BOT_PREFIX = "The assistant said:"
USER_PREFIX = "You said:"
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"})
CONTROLS = frozenset(
    {
        "Back",
        "Skip",
        "Why are you asking?",
        "Pause",
        "Keep my answer",
        "Carry on where I left off",
        "Submit to my lead",
        "Skip this question",
        "Carry on with the assessment",
        "Someone is in danger now",
    }
)
PREFERRED = frozenset(
    {"No", "No, not yet", "None of these that I know of"}
)  # no concern opens more questions
FALLBACKS = ("March 2024", "next Thursday", "14")  # a past date, an upcoming one, an age
PROGRESS_LINE = re.compile(r"^.*question \d+ of \d+.*$", re.MULTILINE)
REFERENCE = re.compile(r"/chat/(A-[0-9A-Z]{6})")
# The end of the screening: "send it to your lead now" and, on the summary, the button that sends it.
SEND_NOW = next(c.label for c in load_wording().question.choices if c.value == SEND_NOW_VALUE)
SEND_REQUEST = load_wording().submit_label


@dataclass
class ChatPage:
    turns: list[tuple[str, str]] = field(default_factory=list)  # (speaker "bot" | "user", text)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (form value, title)
    ticks: list[tuple[str, str]] = field(default_factory=list)  # a multiple choice's boxes: (value, label)
    seen: str | None = None

    @property
    def latest_bot_text(self) -> str:
        return next((text for speaker, text in reversed(self.turns) if speaker == "bot"), "")

    @property
    def titles(self) -> list[str]:
        return [title for _, title in (*self.ticks, *self.buttons)]

    def tick(self, title: str) -> str | None:
        return next((value for value, shown in self.ticks if shown == title), None)

    def button(self, title: str) -> str | None:
        return next((value for value, shown in self.buttons if shown == title), None)


class _Reader(HTMLParser):
    def __init__(self, page: ChatPage) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
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


def read_chat(body: str, page: ChatPage | None = None) -> ChatPage:
    """The page read into `page` (a new ChatPage if none is given; the tests pass their stricter kind)."""
    reader = _Reader(page if page is not None else ChatPage())
    reader.feed(body)
    reader.close()
    seen = re.search(r'name="seen" value="([^"]*)"', body)
    reader.page.seen = html.unescape(seen.group(1)) if seen else None
    return reader.page


@cache
def _intros() -> tuple[str, ...]:
    return tuple(section.intro for section in load_bank().sections if section.intro)


def progress(chat: ChatPage) -> str | None:
    """The question asked, whole (progress line and wording), without any section introduction: a question
    asked again after a reply it could not read comes without it, and is still the same question."""
    message = chat.latest_bot_text
    if not chat.turns or not PROGRESS_LINE.search(message):
        return None
    for intro in _intros():
        message = message.replace(f"{intro}\n\n", "").replace(intro, "")
    return message
