"""Control cue families (issue #11): which control a short message asks for, judged by the kinds of words it
carries together rather than by whole phrases (the data and its rules are in control_families.yaml).

A phrase list fits the messages it was written from: tuned on one held-out set, the next set's "help" went
from 79% to 79%. A family says what any wording of a request must carry ("why" with what is asked about; a
change word with an answer word), so "what difference does my answer make here" is help without that
phrase being listed. Used where the open question parses its answer (bot.dialogue.reading: a message that is
no answer would only be refused there) and, at a free-text question, only as a reason to ask
(bot.dialogue.clarify): free text is never silently taken as a control.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.dialogue.value_swaps import swaps_a_value
from bot.domain.yaml_files import read_yaml
from bot.questions.phrases import REPLY_VERBS, match_key

FAMILIES_PATH = Path(__file__).with_name("control_families.yaml")
CONTROLS = ("start_again", "pause", "back", "skip", "stop", "help")


class ControlFamiliesError(ValueError):
    """control_families.yaml is not as documented at its top."""


# Every alternative list must have one phrase in the message; every list after NOT must have none.
Pattern = tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]


@dataclass(frozen=True)
class ControlFamilies:
    families: tuple[tuple[str, tuple[Pattern, ...]], ...]  # (control, its patterns), in precedence order
    about_someone_ok: frozenset[str]
    classes: dict[str, tuple[str, ...]]
    # The families' own words of TYPO_MIN_LETTERS or more, which a typed word with two letters swapped is
    # read as ("agian", "strat").
    vocabulary: frozenset[str] = frozenset()

    def carries(self, class_name: str, text: str) -> bool:
        """Whether the message has a phrase of one named class ("rewording": a request for other words)."""
        return _has_any(f" {match_key(text)} ", self.classes[class_name])

    def words_of(self, *class_names: str) -> frozenset[str]:
        """The phrases of the named classes, together ("someone_told_of", "someone_named")."""
        return frozenset(phrase for name in class_names for phrase in self.classes.get(name, ()))

    def matching(self, text: str) -> tuple[str, ...]:
        """Every control whose family the message carries, in precedence order; a message about someone
        (`someone_told_of`: "he", "she", "they") only those of `about_someone_ok`."""
        padded = f" {_untangled(match_key(text), self.vocabulary)} "
        someone = bool(set(padded.split()) & self.words_of("someone_told_of"))
        # "it was september not october": putting an earlier answer right by its value is back's family too
        # (bot.dialogue.value_swaps: two values of one kind either side of "not").
        return tuple(
            control
            for control, patterns in self.families
            if (not someone or control in self.about_someone_ok)
            and (
                any(_fits(padded, pattern) for pattern in patterns)
                or (control == "back" and swaps_a_value(text))
            )
        )

    def control_for(self, text: str) -> str | None:
        """The control the message asks for: the first family that matches, in the file's order, which runs
        from the most specific ("go back to the start" is start again, "come back to it" a pause) to the
        least; None when none does."""
        found = self.matching(text)
        return found[0] if found else None


# Two neighbouring letters swapped is the commonest slip on a phone ("start agian", "strat again"): a word of
# at least this many letters that is none of the families' words but becomes one by swapping back is read as
# that word. Shorter words are left alone: swapped, too many are other words ("form", "from").
TYPO_MIN_LETTERS = 5


def _untangled(key: str, vocabulary: frozenset[str]) -> str:
    return " ".join(_swapped_back(word, vocabulary) for word in key.split())


def _swapped_back(word: str, vocabulary: frozenset[str]) -> str:
    if len(word) < TYPO_MIN_LETTERS or word in vocabulary:
        return word
    found = {
        swapped
        for i in range(len(word) - 1)
        if (swapped := word[:i] + word[i + 1] + word[i] + word[i + 2 :]) in vocabulary
    }
    return found.pop() if len(found) == 1 else word  # two words one swap away: too close to call


def _fits(padded_key: str, pattern: Pattern) -> bool:
    wanted, unwanted = pattern
    return all(_has_any(padded_key, p) for p in wanted) and not any(_has_any(padded_key, p) for p in unwanted)


def _has_any(padded_key: str, phrases: tuple[str, ...]) -> bool:
    return any(f" {phrase} " in padded_key for phrase in phrases)


def _phrases(where: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ControlFamiliesError(f"{where}: expected a non-empty list of phrases")
    for item in value:
        if not isinstance(item, str) or not match_key(item) or match_key(item) != item:
            raise ControlFamiliesError(f"{where}: write {item!r} as it is matched")
    return tuple(value)


def parse_families(data: object) -> ControlFamilies:
    if not isinstance(data, dict) or set(data) != {"classes", "families", "about_someone_ok"}:
        raise ControlFamiliesError("expected exactly the keys 'classes', 'families' and 'about_someone_ok'")
    classes = data["classes"]
    if not isinstance(classes, dict):
        raise ControlFamiliesError("classes: expected a mapping of name to phrases")
    words = {name: _phrases(f"classes.{name}", phrases) for name, phrases in classes.items()}
    families = data["families"]
    if not isinstance(families, dict) or set(families) - set(CONTROLS):
        raise ControlFamiliesError(f"families: only {list(CONTROLS)} may have families")
    parsed = []
    for control, patterns in families.items():
        if not isinstance(patterns, list) or not patterns:
            raise ControlFamiliesError(f"families.{control}: expected a list of patterns")
        parsed.append((control, tuple(_pattern(f"families.{control}", p, words) for p in patterns)))
    someone_ok = data["about_someone_ok"]
    if not isinstance(someone_ok, list) or set(someone_ok) - set(CONTROLS):
        raise ControlFamiliesError(f"about_someone_ok: a list of controls among {list(CONTROLS)}")
    vocabulary = frozenset(
        word
        for control_patterns in (
            *words.values(),
            *(alt for _, ps in parsed for p in ps for alt in (*p[0], *p[1])),
        )
        for phrase in control_patterns
        for word in phrase.split()
        if len(word) >= TYPO_MIN_LETTERS
    )
    return ControlFamilies(tuple(parsed), frozenset(someone_ok), words, vocabulary)


def _pattern(where: str, pattern: object, classes: dict[str, tuple[str, ...]]) -> Pattern:
    """A list of class names or literal phrases (a name not among the classes must be written as matched);
    one written "!name" must be absent ("skip" with no date or number in it: at a date question "next
    month" is an answer)."""
    if not isinstance(pattern, list) or not pattern or not all(isinstance(i, str) for i in pattern):
        raise ControlFamiliesError(f"{where}: a pattern is a non-empty list of names")

    def words(item: str) -> tuple[str, ...]:
        return classes[item] if item in classes else _phrases(where, [item])

    wanted = tuple(words(i) for i in pattern if not i.startswith("!"))
    if not wanted:
        raise ControlFamiliesError(f"{where}: a pattern needs at least one class that must be present")
    return wanted, tuple(words(i[1:]) for i in pattern if i.startswith("!"))


@lru_cache(maxsize=1)
def load_families(path: Path = FAMILIES_PATH) -> ControlFamilies:
    return parse_families(_with_reply_verbs(read_yaml(path, ControlFamiliesError)))


def _with_reply_verbs(data: object) -> object:
    """The `reply_back` class with every verb of replying the "not sure" reader knows (REPLY_VERBS) and
    "back": one list of those verbs for both readers."""
    if isinstance(data, dict) and isinstance(data.get("classes"), dict):
        listed = data["classes"].get("reply_back", [])
        data["classes"]["reply_back"] = [*listed, *(f"{verb} back" for verb in sorted(REPLY_VERBS))]
    return data
