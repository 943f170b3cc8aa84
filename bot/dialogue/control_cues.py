"""Words that show a short message is about the conversation, read from control_cues.yaml (issue #11).

Used by bot.dialogue.clarify, which asks about a short message at a free-text question when the classifier
ranks a control among its top two intents and the message carries one of that control's cues, and by
bot.dialogue.plans, where "I don't know what you mean" at a date question asks for help rather than being
read as "not sure".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.domain.yaml_files import read_yaml
from bot.questions.phrases import match_key

CUES_PATH = Path(__file__).with_name("control_cues.yaml")
CONTROLS = frozenset({"help", "pause", "back", "skip", "stop", "start_again"})


class ControlCuesError(ValueError):
    """control_cues.yaml is not as documented at its top."""


@dataclass(frozen=True)
class ControlCues:
    controls: dict[str, tuple[str, ...]]  # control -> cue keys
    asks_meaning: tuple[str, ...]
    skip_words: frozenset[str]  # every word of a typed skip is one of these (bot.dialogue.reading)

    def has_cue(self, control: str, text: str) -> bool:
        return _contains_any(match_key(text), self.controls.get(control, ()))

    def asks_meaning_of(self, text: str) -> bool:
        return _contains_any(match_key(text), self.asks_meaning)


def _contains_any(key: str, cues: tuple[str, ...]) -> bool:
    padded = f" {key} "
    return any(f" {cue} " in padded for cue in cues)


def _cue_list(where: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ControlCuesError(f"{where}: expected a non-empty list of phrases")
    keys = []
    for item in value:
        if not isinstance(item, str) or not match_key(item):
            raise ControlCuesError(f"{where}: {item!r} is not a phrase")
        if match_key(item) != item:
            raise ControlCuesError(f"{where}: write {item!r} as it is matched: {match_key(item)!r}")
        keys.append(item)
    return tuple(keys)


def parse_cues(data: object) -> ControlCues:
    if not isinstance(data, dict) or set(data) != {"controls", "asks_meaning", "skip_words"}:
        raise ControlCuesError("expected exactly the keys 'controls', 'asks_meaning' and 'skip_words'")
    controls = data["controls"]
    if not isinstance(controls, dict) or set(controls) - CONTROLS:
        raise ControlCuesError(f"controls: only {sorted(CONTROLS)} may have cues")
    return ControlCues(
        controls={name: _cue_list(f"controls.{name}", cues) for name, cues in controls.items()},
        asks_meaning=_cue_list("asks_meaning", data["asks_meaning"]),
        skip_words=_word_set("skip_words", data["skip_words"]),
    )


def _word_set(where: str, value: object) -> frozenset[str]:
    """Words separated by spaces or new lines, each written as it is matched."""
    if not isinstance(value, str) or not value.split():
        raise ControlCuesError(f"{where}: expected words separated by spaces")
    words = value.split()
    if bad := [w for w in words if match_key(w) != w]:
        raise ControlCuesError(f"{where}: write {bad[0]!r} as it is matched: {match_key(bad[0])!r}")
    return frozenset(words)


@lru_cache(maxsize=1)
def load_cues(path: Path = CUES_PATH) -> ControlCues:
    return parse_cues(read_yaml(path, ControlCuesError))
