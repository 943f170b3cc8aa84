"""More words of a danger report, by kind, read from danger_word_lists.yaml (issue #11).

Each list in the file extends one fragment of bot.dialogue.danger_words, named by its key, so the lists are
data that people can read and review while the rules that use them stay in bot.dialogue.danger_cues.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from bot.domain.yaml_files import read_yaml

LISTS_PATH = Path(__file__).with_name("danger_word_lists.yaml")
KEYS = frozenset(
    {
        "now", "harm", "something_bad", "exploited", "violent_idioms", "happening_now", "no_sign",
        "more_self_harm", "intent_typos", "meeting_a_stranger", "hypothetical", "more_idioms", "travel",
        "outings", "social_post",
    }
)  # fmt: skip


class DangerListsError(ValueError):
    """danger_word_lists.yaml is not as documented at its top."""


def _is_text(item: object) -> bool:
    return isinstance(item, str) and bool(item.strip())


def parse_lists(data: object) -> dict[str, tuple[str, ...]]:
    """Every key known and every item a regular expression that compiles, so a typo fails at start-up."""
    if not isinstance(data, dict) or not set(data) <= KEYS:
        raise DangerListsError(f"expected a mapping with keys among {sorted(KEYS)}")
    lists: dict[str, tuple[str, ...]] = {}
    for key, items in data.items():
        if not isinstance(items, list) or not items or not all(_is_text(i) for i in items):
            raise DangerListsError(f"{key}: expected a non-empty list of patterns")
        for item in items:
            try:
                re.compile(item)
            except re.error as error:
                raise DangerListsError(f"{key}: {item!r} is no regular expression: {error}") from error
        lists[key] = tuple(items)
    return lists


@cache
def load_lists(path: Path = LISTS_PATH) -> dict[str, tuple[str, ...]]:
    return parse_lists(read_yaml(path, DangerListsError))


def more(key: str) -> str:
    """The file's items for `key` as further alternatives of a fragment ("|a|b"), or "" if it has none."""
    if key not in KEYS:
        raise KeyError(key)
    return "".join(f"|{item}" for item in load_lists().get(key, ()))
