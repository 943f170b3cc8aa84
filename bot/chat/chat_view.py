"""What a chat page shows of one conversation (`ChatView`), and why a chat action was refused.

Shared by the web pages, their JSON twin (bot.web.chat_json) and Teams (bot.teams.turns), which all drive the
same conversation service (bot.chat.conversation_service).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.chat.messages import NO_SUCH_ASSESSMENT_MESSAGE
from bot.domain.assessment_summary import AssessmentSummary
from bot.domain.lifecycle import Mode
from bot.domain.records import ChatMessage


@dataclass(frozen=True)
class ChatView:
    """A user's latest conversation as the page shows it."""

    assessment: AssessmentSummary
    messages: list[ChatMessage]

    @property
    def conversation_id(self) -> str:
        return self.assessment.conversation_id

    @property
    def reference(self) -> str:
        return self.assessment.reference

    @property
    def rehearsal(self) -> bool:
        """From the store's mode, never from anything said in the chat."""
        return self.assessment.mode == Mode.REHEARSAL

    @property
    def read_only(self) -> bool:
        """Submitted: the practitioner can read it, and add to it only through a new, linked assessment."""
        return self.assessment.submitted

    @property
    def seen(self) -> int:
        """How many messages the page showed; a later post with another count comes from an old page."""
        return len(self.messages)

    @property
    def turn_start(self) -> int | None:
        """Where the bot's latest turn (its trailing run of messages) begins: where a reader picks up."""
        start = None
        for index in range(len(self.messages) - 1, -1, -1):
            if self.messages[index].direction != "out":
                break
            start = index
        return start

    @property
    def choices_index(self) -> int | None:
        """Which message carries the buttons that can be pressed now: the last one with buttons in the bot's
        latest turn (the trailing run of bot messages), or None when the bot's latest turn offered none."""
        start = self.turn_start
        if start is None:
            return None
        with_buttons = [i for i in range(start, len(self.messages)) if self.messages[i].buttons]
        return with_buttons[-1] if with_buttons else None

    @property
    def choices(self) -> list[dict[str, str]]:
        index = self.choices_index
        return [] if index is None else self.messages[index].buttons


class ChatRefused(Exception):
    """Nothing was sent; `message` tells the practitioner why, `status` is the HTTP status to answer with.

    `reference` names an assessment opened before the refusal (the engine was down when a new one began, or
    held a danger report): the page to show the refusal on, since that is where the practitioner carries on.
    """

    def __init__(self, message: str, status: int = 400, reference: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.reference = reference


class ChatNotFound(ChatRefused):
    """No assessment of this practitioner's has that reference (or it is someone else's: the same answer)."""

    def __init__(self) -> None:
        super().__init__(NO_SUCH_ASSESSMENT_MESSAGE, status=404)


def alike(
    assessments: list[AssessmentSummary], linked_from: str | None, mode: str = Mode.LIVE
) -> list[AssessmentSummary]:
    """The assessments a new one opened with this `linked_from` would join: those adding to the same one,
    or (None) new ones of the same mode. Their count only grows, so a change means one was opened since."""
    if linked_from is not None:
        return [a for a in assessments if a.linked_from == linked_from.upper()]
    return [a for a in assessments if a.linked_from is None and a.mode == mode]
