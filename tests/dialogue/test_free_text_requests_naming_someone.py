"""At a free-text question, requests that name someone, or ask about the bot's own asking, are asked about
(issue #11): a request that opens with its control's words and gives its reason after, help put to the bot
as a question with "you", an answer of the writer's own turned "but actually", and "is it usual that you ask
this". Accounts that tell of the person stay stored as given. Examples are written for this test, not taken
from any set."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.plans import read_reply
from bot.domain.positions import AtQuestion
from bot.questions import QuestionBank
from tests.dialogue.records import record

TODAY = date(2026, 12, 8)
FREE_TEXT = "concern_summary"


def reading_of(bank: QuestionBank, text: str, intent: str, confidence: float, second: str = "inform"):
    ranking = ((intent, confidence), (second, (1 - confidence) / 2))
    reading = read_reply(
        bank, record(AtQuestion(FREE_TEXT)), text, intent, confidence, today=TODAY, ranking=ranking
    )
    return reading.kind, reading.control


@pytest.mark.parametrize(
    ("text", "intent", "control"),
    [
        # The control's words first, the reason after, naming someone.
        ("skip this one please, i have only met him twice", "skip", "skip"),
        ("pause it for now, she is waiting for me downstairs", "pause", "pause"),
        # Help put to the bot as a question with "you", naming someone.
        ("why do you need to know what her friends were like back then", "help", "help"),
        # The writer's own answer turned on second thoughts, naming someone.
        ("i put no for that one but actually they have a social worker now", "inform", "back"),
        # The bot's own asking questioned.
        ("is it usual that you ask this kind of thing, seems odd to me", "help", "help"),
    ],
)
def test_request_is_asked_about(bank: QuestionBank, text: str, intent: str, control: str) -> None:
    assert reading_of(bank, text, intent, 0.9) == ("clarify", control)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Told of the person, though the classifier hears a control.
        ("she skipped lunch most days and said she was never hungry at all", "skip"),
        ("why he left the club is something you would have to ask his coach", "help"),
        ("mum said you ask too many questions and she would rather not talk", "help"),
        ("he said no at first but actually came round to it by the end of term", "inform"),
    ],
)
def test_account_is_stored(bank: QuestionBank, text: str, intent: str) -> None:
    assert reading_of(bank, text, intent, 0.9) == ("answer", None)
