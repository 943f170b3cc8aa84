"""Every card and text reply of a practice run says so in Teams, as the web chat page does (issue #13).

The words are the web's (bot/chat/practice_mark.yaml): the heading with the scenario's title and the line
under it. `bot.teams.turns.bot_turn`, the one function that turns a run into Teams messages, asks
`PracticeMarks.of` for the run's mark and passes every reply through `marked`, so no caller can leave it out:
a card gets the banner at the top of its body and an action that reopens the scenario's case card; a text
reply starts with the heading. The mode is the store's (ChatView.rehearsal), never read from the chat, so a
live run gets no mark and a run moved to live loses it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.chat.chat_view import ChatView
from bot.chat.practice_mark import PracticeWords
from bot.domain.assessment_summary import AssessmentSummary
from bot.scenarios import Scenario
from bot.scenarios.case_card import SETTING_NAMES, card_paragraphs
from bot.teams import cards
from bot.teams.replies import Reply, card_reply


@dataclass(frozen=True)
class RunMark:
    """What one practice run's replies carry: the banner's two lines, and its case card's action if the
    run's scenario is still in the library."""

    reference: str
    heading: str
    body: str
    case_card: str | None


class PracticeMarks:
    def __init__(self, words: PracticeWords, scenario: Callable[[str | None], Scenario | None]) -> None:
        self.words = words
        self._scenario = scenario  # the conversation service's library: one read for the process

    def of(self, view: ChatView) -> RunMark | None:
        """The run's mark; None for a live run."""
        if not view.rehearsal:
            return None
        scenario = self._scenario(view.assessment.scenario_id)
        return RunMark(
            view.reference,
            self.words.titled(scenario.title if scenario else None),
            self.words.body,
            self.words.case_card if scenario else None,
        )

    def tag(self, assessment: AssessmentSummary) -> str | None:
        """The home card's mark beside a draft: the web home list's tag, for a practice run only."""
        return self.words.tag if assessment.mode == "rehearsal" else None

    def case_card(self, view: ChatView) -> list[Reply] | None:
        """The scenario's case card, as the web's "Read the case card again" shows it, under the run's banner,
        with "Carry on" back to the run; None when the run has no scenario to show."""
        mark = self.of(view)
        scenario = self._scenario(view.assessment.scenario_id) if mark else None
        if mark is None or scenario is None:
            return None
        made = cards.card(
            "",
            [(f"Carry on {view.reference}", {"action": cards.RESUME_ACTION, "reference": view.reference})],
            danger=view.reference,
        )
        facts = [
            {"title": self.words.age, "value": str(scenario.age)},
            {"title": self.words.setting, "value": SETTING_NAMES[scenario.setting]},
        ]
        made["content"]["body"] = [
            {"type": "TextBlock", "text": scenario.title, "weight": "Bolder", "size": "Medium", "wrap": True},
            {"type": "FactSet", "facts": facts},
            *({"type": "TextBlock", "text": p, "wrap": True} for p in card_paragraphs(scenario)),
        ]
        return marked([card_reply(made)], RunMark(mark.reference, mark.heading, mark.body, None))


def marked(replies: list[Reply], mark: RunMark | None) -> list[Reply]:
    """`replies` as a practice run sends them: each card with the banner on top (and the case card's action
    before the danger action, which stays last), each text starting with the heading. Unchanged for live."""
    if mark is None:
        return replies
    out = []
    for reply in replies:
        if "attachments" in reply:
            out.append({**reply, "attachments": [_marked_card(a, mark) for a in reply["attachments"]]})
        else:
            out.append({**reply, "text": f"{mark.heading}\n\n{reply['text']}"})
    return out


def _marked_card(attachment: dict[str, Any], mark: RunMark) -> dict[str, Any]:
    content = dict(attachment["content"])
    banner = {
        "type": "Container",
        "style": "warning",
        "items": [
            {"type": "TextBlock", "text": mark.heading, "weight": "Bolder", "wrap": True},
            {"type": "TextBlock", "text": mark.body, "wrap": True},
        ],
    }
    content["body"] = [banner, *content["body"]]
    if mark.case_card:
        show = {
            "type": "Action.Submit",
            "title": mark.case_card,
            "data": {"action": cards.CASE_CARD_ACTION, "reference": mark.reference},
            "associatedInputs": "none",  # on a multiple choice card, reading the card sends no ticks
        }
        content["actions"] = [*content["actions"][:-1], show, content["actions"][-1]]
    return {**attachment, "content": content}
