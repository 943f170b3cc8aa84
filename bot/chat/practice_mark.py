"""The words that mark a practice run (issue #13), for both channels.

The web chat page's banner, its home list and every Teams card and text reply of a practice run say the same
thing because all of them render `PracticeWords`, read from practice_mark.yaml beside this file. A file with a
missing, unknown or non-text entry is refused whole when first read, naming the file, so a typo can never
leave a practice run unmarked or half-marked on one channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.chat.wording import read_words

WORDS_FILE = Path(__file__).with_name("practice_mark.yaml")


class PracticeWordsError(ValueError):
    """The wording file is not a mapping of exactly the expected names to text."""


@dataclass(frozen=True)
class PracticeWords:
    heading: str
    with_title: str
    body: str
    tag: str
    case_card: str
    age: str
    setting: str

    def titled(self, title: str | None) -> str:
        """The banner's heading: with the scenario's title when the run's scenario is still in the library."""
        return self.with_title.format(heading=self.heading, title=title) if title else self.heading


@cache
def practice_words(path: Path = WORDS_FILE) -> PracticeWords:
    words = read_words(path, PracticeWords, PracticeWordsError)
    try:
        words.titled("title")
    except (KeyError, IndexError) as error:
        raise PracticeWordsError(f"{path}: with_title: unknown placeholder {error}") from None
    return words
