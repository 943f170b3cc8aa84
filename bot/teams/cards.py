"""Adaptive Cards for choices, and reading back what a pressed button submitted.

A button submits only its index and how many messages the conversation held when the card was sent
(`{"choice": 2, "seen": 14}`); the payload is looked up on the server from the bot's latest message, as the
web page does, so a forged submit can at most pick one of the options on offer. The count makes a button
on an old card fail clearly instead of answering the current question with an old option.
Schema 1.5 is the newest Teams renders on every client.

A multiple choice question's options are one `Input.ChoiceSet` with `isMultiSelect: true` and a "Continue"
action (`{"action": "many", "seen": 14, "chosen": "0,2"}`: Teams puts the ticked values, the options'
indices, comma-separated under the input's id); the other actions on that card leave the input out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.protocol import Payload

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"
START_ACTION = "start"
RESUME_ACTION = "resume"
DANGER_ACTION = "danger"
HOME_ACTION = "home"
MANY_ACTION = "many"
MOVE_OFFER_ACTION = "move-offer"  # a practice run about a real child: show what moving it to live means
MOVE_ACTION = "move"  # and do it, with the reason typed in REASON_INPUT
CASE_CARD_ACTION = "case-card"  # a practice run's scenario card, reopened during the run (issue #13)
CHOSEN_INPUT = "chosen"
REASON_INPUT = "reason"
CONTINUE_TITLE = "Continue"
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
class ManySubmit:
    """The options ticked in a multi-select list (indices of the message's buttons), sent as one answer."""

    chosen: tuple[int, ...]
    seen: int
    reference: str | None = None


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


@dataclass(frozen=True)
class MoveOfferSubmit:
    """ "This is about a real child: move to live" on a practice run's card (issue #13)."""

    reference: str


@dataclass(frozen=True)
class MoveSubmit:
    """The move itself, with the reason exactly as typed ("" when the box was left empty)."""

    reference: str
    reason: str


@dataclass(frozen=True)
class CaseCardSubmit:
    """Read the case card again: the practice run's scenario card (issue #13)."""

    reference: str


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


def choice_card(
    text: str,
    buttons: list[dict[str, str]],
    seen: int,
    reference: str,
    many: tuple[int, ...] = (),
    move: str | None = None,
) -> dict[str, Any]:
    """The bot's question with its options. The danger payload among the options is left out: the card's own
    danger action does the same, on every card. The buttons numbered in `many` (a multiple choice question's
    options) are a multi-select list with "Continue" instead of one button each. `move` (a practice
    run's cards only) is the title of the action offering to move the run to live, as the web links it."""
    made = card(
        text,
        [
            (b["title"], {"choice": i, "seen": seen, "reference": reference})
            for i, b in enumerate(buttons)
            if b["payload"] != Payload.REPORT_DANGER and i not in many
        ]
        + [(HOME_TITLE, {"action": HOME_ACTION})]
        + ([(move, move_offer_data(reference))] if move else []),
        danger=reference,
    )
    if not many:
        return made
    content = made["content"]
    for action in content["actions"]:
        action["associatedInputs"] = "none"  # Back, Skip, Pause... send no ticks
    content["body"].append(
        {
            "type": "Input.ChoiceSet",
            "id": CHOSEN_INPUT,
            "isMultiSelect": True,
            "style": "expanded",
            "label": "Choose all that apply",
            "choices": [{"title": buttons[i]["title"], "value": str(i)} for i in many],
        }
    )
    submit = {"action": MANY_ACTION, "seen": seen, "reference": reference}
    content["actions"].insert(0, {"type": "Action.Submit", "title": CONTINUE_TITLE, "data": submit})
    return made


def move_offer_data(reference: str) -> dict[str, str]:
    return {"action": MOVE_OFFER_ACTION, "reference": reference}


def home_card(text: str, drafts: list[tuple[str, str, str | None]]) -> dict[str, Any]:
    """Start a new screening, or carry on one of the drafts given as (reference, where it stopped, its tag:
    the practice marking's for a practice run, as the web's list tags it, else None)."""
    actions = [(START_TITLE, {"action": START_ACTION})]
    actions += [
        (
            f"Carry on {reference}{f' ({tag})' if tag else ''} ({where})",
            {"action": RESUME_ACTION, "reference": reference},
        )
        for reference, where, tag in drafts[:MAX_DRAFTS_SHOWN]
    ]
    return card(text, actions)


Submit = (
    ChoiceSubmit
    | ManySubmit
    | StartSubmit
    | HomeSubmit
    | ResumeSubmit
    | DangerSubmit
    | MoveOfferSubmit
    | MoveSubmit
    | CaseCardSubmit
)


def read_submit(value: Any) -> Submit:
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
    if action == MANY_ACTION:
        return _many(value, reference)
    if action == MOVE_OFFER_ACTION and reference is not None:
        return MoveOfferSubmit(reference)
    if action == CASE_CARD_ACTION and reference is not None:
        return CaseCardSubmit(reference)
    if action == MOVE_ACTION and reference is not None:
        reason = value.get(REASON_INPUT, "")  # Teams leaves an empty box out
        if not isinstance(reason, str):
            raise BadSubmit("not one of our cards")
        return MoveSubmit(reference, reason)  # kept exactly as typed; the store checks its length
    choice, seen = value.get("choice"), value.get("seen")
    if action is not None or not (_count(choice) and _count(seen)) or choice >= MAX_CHOICES:
        raise BadSubmit("not one of our cards")
    return ChoiceSubmit(choice, seen, reference)


def _many(value: dict[str, Any], reference: str | None) -> ManySubmit:
    """Ticked values as Teams sends them ("0,2"; missing or "" when none is ticked)."""
    seen, chosen = value.get("seen"), value.get(CHOSEN_INPUT, "")
    if not _count(seen) or not isinstance(chosen, str) or len(chosen) > 4 * MAX_CHOICES:
        raise BadSubmit("not one of our cards")
    parts = [part.strip() for part in chosen.split(",") if part.strip()]
    if not all(p.isascii() and p.isdigit() and int(p) < MAX_CHOICES for p in parts):
        raise BadSubmit("not one of our cards")
    return ManySubmit(tuple(int(p) for p in parts), seen, reference)


def _reference(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 16 and set(value) <= REFERENCE_CHARS


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
