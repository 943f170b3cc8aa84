"""Adaptive Cards for choices, and reading back what a pressed button submitted.

A button submits only its index and how many messages the conversation held when the card was sent
(`{"choice": 2, "seen": 14}`); the payload is looked up on the server from the bot's latest message, as the
web page does, so a forged submit can at most pick one of the options on offer. The count makes a button
on an old card fail clearly instead of answering the current question with an old option.
Schema 1.5 is the newest Teams renders on every client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"
START_ACTION = "start"
RESUME_ACTION = "resume"
DANGER_ACTION = "danger"
HOME_ACTION = "home"
HOME_TITLE = "My assessments"
START_TITLE = "Start a new screening"
DANGER_TITLE = "Someone is in danger now"
MAX_CHOICES = 100
MAX_DRAFTS_SHOWN = 5  # a card is read on a phone: the rest are on the web home page
REFERENCE_CHARS = frozenset("A-23456789BCDEFGHJKMNPQRSTUVWXYZ")


@dataclass(frozen=True)
class ChoiceSubmit:
    choice: int
    seen: int
    reference: str | None = None  # None on cards sent before each assessment had its own reference


@dataclass(frozen=True)
class StartSubmit:
    pass


@dataclass(frozen=True)
class HomeSubmit:
    """Show the home card: how a practitioner in the middle of one assessment starts or picks another."""


@dataclass(frozen=True)
class ResumeSubmit:
    reference: str


@dataclass(frozen=True)
class DangerSubmit:
    reference: str | None  # None: from the home card, so a new assessment holds the report


class BadSubmit(ValueError):
    """A submitted value that none of our cards would send."""


def card(text: str, actions: list[tuple[str, dict[str, Any]]], danger: str | None = "") -> dict[str, Any]:
    """An attachment holding a card: `text` above one Action.Submit per (title, data), and last the
    "Someone is in danger now" action, on every card (`danger` is the assessment it reports in; "" or None
    for a new one)."""
    report = {"action": DANGER_ACTION, **({"reference": danger} if danger else {})}
    actions = [*actions, (DANGER_TITLE, report)]
    body = [{"type": "TextBlock", "text": text, "wrap": True}] if text else []
    return {
        "contentType": CARD_CONTENT_TYPE,
        "content": {
            "type": "AdaptiveCard",
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": CARD_VERSION,
            "body": body,
            "actions": [{"type": "Action.Submit", "title": title, "data": data} for title, data in actions],
        },
    }


def choice_card(text: str, buttons: list[dict[str, str]], seen: int, reference: str) -> dict[str, Any]:
    """The bot's question with its options. The danger payload among the options is left out: the card's own
    danger action does the same, on every card."""
    return card(
        text,
        [
            (b["title"], {"choice": i, "seen": seen, "reference": reference})
            for i, b in enumerate(buttons)
            if b["payload"] != "/report_danger"
        ]
        + [(HOME_TITLE, {"action": HOME_ACTION})],
        danger=reference,
    )


def home_card(text: str, drafts: list[tuple[str, str]]) -> dict[str, Any]:
    """Start a new screening, or carry on one of the drafts given as (reference, where it stopped)."""
    actions = [(START_TITLE, {"action": START_ACTION})]
    actions += [
        (f"Carry on {reference} ({where})", {"action": RESUME_ACTION, "reference": reference})
        for reference, where in drafts[:MAX_DRAFTS_SHOWN]
    ]
    return card(text, actions)


def read_submit(value: Any) -> ChoiceSubmit | StartSubmit | HomeSubmit | ResumeSubmit | DangerSubmit:
    if not isinstance(value, dict):
        raise BadSubmit("not one of our cards")
    reference = value.get("reference")
    if reference is not None and not _reference(reference):
        raise BadSubmit("not one of our cards")
    action = value.get("action")
    if action == START_ACTION:
        return StartSubmit()
    if action == HOME_ACTION:
        return HomeSubmit()
    if action == RESUME_ACTION and reference is not None:
        return ResumeSubmit(reference)
    if action == DANGER_ACTION:
        return DangerSubmit(reference)
    choice, seen = value.get("choice"), value.get("seen")
    if action is not None or not (_count(choice) and _count(seen)) or choice >= MAX_CHOICES:
        raise BadSubmit("not one of our cards")
    return ChoiceSubmit(choice, seen, reference)


def _reference(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 16 and set(value) <= REFERENCE_CHARS


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
