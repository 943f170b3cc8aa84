"""The store's own checks of a service call's inputs: that a model input is the model, and the conversation id
it is addressed to (ConversationIn).

An AnswerIn or a TurnIn checked itself when it was built (bot.domain.strict), so it is not checked again
here; only what the model cannot know is. Kept apart from the service so that the service reads as the
sequence of things that happen to the record, and so that every refusal is decided before a transaction is
opened.
"""

from __future__ import annotations

from bot.domain.conversation_inputs import ConversationIn
from bot.domain.errors import ValidationError
from bot.domain.limits import MAX_NAME_CHARS
from bot.domain.records import AnswerIn, TurnIn
from bot.domain.rules import unstorable_character


def findable(value: object) -> bool:
    """Whether a looked-up id or name could be stored at all; one that could not matches nothing, and is
    never handed to the database driver (which would fail on it rather than find nothing)."""
    return isinstance(value, str) and len(value) <= MAX_NAME_CHARS and unstorable_character(value) is None


def checked_answer(conversation_id: str, answer: AnswerIn) -> AnswerIn:
    """The answer as given (it checked itself when built), once the conversation id is one we could hold."""
    _check_addressed(conversation_id, "answer", answer, AnswerIn)
    return answer


def check_turn(conversation_id: str, turn: TurnIn) -> None:
    _check_addressed(conversation_id, "turn", turn, TurnIn)


def _check_addressed(conversation_id: str, name: str, given: object, model: type) -> None:
    if not isinstance(given, model):  # a programming slip: a dict or another model would skip its checks
        raise ValidationError({name: f"must be built as {model.__name__}, which checks it"})
    ConversationIn(conversation_id=conversation_id)
