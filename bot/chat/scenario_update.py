"""The danger moment of a practice run, shown to the trainee (issue #13).

A scenario with a danger moment (bot.scenarios.model.DangerMoment) tells the trainee something new once they
have answered its `after_question`: that someone is in immediate danger, so that the run rehearses the 999
path. It is said in the chat once, before the bot's next question, clearly marked as part of the fictional
case rather than the assistant speaking. It is ours, not the engine's: the engine knows nothing of scenarios.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.domain.records import ChatMessage
from bot.scenarios import Scenario

MARK = "Scenario update (fictional): "


def scenario_update(
    scenario: Scenario | None, answers: Mapping[str, Any], said: Iterable[ChatMessage]
) -> ChatMessage | None:
    """The message to show now, or None: none without a danger moment, before its question is answered,
    or once it has been shown (the chat log says so)."""
    if scenario is None or scenario.danger is None or scenario.danger.after_question not in answers:
        return None
    text = MARK + scenario.danger.told
    if any(message.direction == "out" and message.text == text for message in said):
        return None
    return ChatMessage(direction="out", text=text)
