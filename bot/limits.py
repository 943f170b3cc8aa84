"""The shared limits, defined in bot.domain.limits (the domain's strict models enforce them); named here too
because the gateway, the action server and the web pages import them from here."""

from __future__ import annotations

from bot.domain.limits import MAX_ANSWER_CHARS, MAX_NAME_CHARS

__all__ = ["MAX_ANSWER_CHARS", "MAX_NAME_CHARS"]
