"""The held-out control and danger sets of issue #11: their shape, their sizes, and kept apart from training.

Thirteen generations: the older sets (heldout_*.yml); the fresh ones (fresh_*.yml), written later by someone
who had seen neither the training data nor the older sets, because the older ones had shaped the training data
at one remove; the third (third_*.yml), written blind in the same way while others were tuning the training
data against the fresh set, so that one set stays untuned; the fourth (fourth_*.yml), written blind before
anyone tuned against the third, for the same reason; the fifth (fifth_*.yml), written blind before anyone
tuned against the fourth's misses; the sixth (sixth_*.yml), written blind before anyone tuned against the
fifth's misses; the seventh (seventh_*.yml), written blind before anyone tuned against the sixth's misses; the
eighth (eighth_*.yml), written blind before anyone tuned against the seventh's misses; the ninth
(ninth_*.yml), written blind before anyone tuned against the eighth's misses; the tenth (tenth_*.yml), written
blind before anyone tuned against the ninth's misses; the eleventh (eleventh_*.yml), written blind before
anyone tuned against the tenth's misses; the twelfth (twelfth_*.yml), written blind before anyone tuned
against the eleventh's misses; and the thirteenth (thirteenth_*.yml), written blind before anyone tuned
against the twelfth's misses, so that the thirteenth is the untuned judge. All thirteen are measured,
separately, by bench/understanding.py.

Cheap checks, no engine. How well the bot reads these messages is measured by bench/understanding.py;
nothing here asserts an accuracy yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from bot.domain.yaml_files import read_yaml
from bot.questions.wording_checks import WORDING_PATH, Wording
from bot.settings import REPO_ROOT

HELD_OUT = REPO_ROOT / "tests" / "nlu"
CONTROLS = (
    "help",
    "explain_differently",
    "back",
    "change_answer",
    "skip",
    "not_sure",
    "pause",
    "stop",
    "start_again",
    "danger",
)


def load(name: str) -> dict:
    return read_yaml(HELD_OUT / name)  # libyaml's parser: these sets are read by many tests


def controls() -> dict[str, list[str]]:
    return load("heldout_controls.yml")["controls"]


def danger() -> dict[str, list[str]]:
    return load("heldout_danger.yml")


def every_message() -> list[str]:
    return [text for texts in (*controls().values(), *danger().values()) for text in texts]


FRESH_FILES = ("fresh_controls.yml", "fresh_danger.yml", "fresh_free_text.yml")
FRESH_NAVIGATION = tuple(c for c in CONTROLS if c not in ("not_sure", "danger"))


def fresh_groups(name: str) -> dict[str, list[str]]:
    """Every list of a fresh or third file, flattened to one level (`navigation:<control>` for the nested
    ones)."""
    groups: dict[str, list[str]] = {}
    for key, value in load(name).items():
        if isinstance(value, dict):
            groups |= {f"{key}:{inner}": texts for inner, texts in value.items()}
        else:
            groups[key] = value
    return groups


def every_fresh_message() -> list[str]:
    return [text for name in FRESH_FILES for texts in fresh_groups(name).values() for text in texts]


def training_lines() -> set[str]:
    lines = set()
    for path in sorted((REPO_ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in block.get("examples", "").splitlines():
                if line.strip().startswith("- "):
                    lines.add(line.strip()[2:].strip().lower())
    return lines


def test_controls_file_has_one_list_of_messages_per_control() -> None:
    assert list(load("heldout_controls.yml")) == ["controls"]
    assert tuple(controls()) == CONTROLS


def test_danger_file_has_a_danger_and_an_ordinary_list() -> None:
    assert list(danger()) == ["danger", "ordinary"]


@pytest.mark.parametrize("name", ["heldout_controls.yml", "heldout_danger.yml"])
def test_messages_are_non_empty_strings_and_not_repeated(name: str) -> None:
    groups = load(name)
    if "controls" in groups:
        groups = groups["controls"]
    texts = [text for texts in groups.values() for text in texts]
    assert all(isinstance(text, str) and text.strip() == text and text for text in texts)
    repeated = sorted({t for t in texts if [x.lower() for x in texts].count(t.lower()) > 1})
    assert not repeated, f"messages listed twice: {repeated}"


def test_sizes() -> None:
    per_control = {name: len(texts) for name, texts in controls().items()}
    assert sum(per_control.values()) >= 300
    thin = {name: n for name, n in per_control.items() if n < 25}
    assert not thin, f"controls with fewer than 25 held-out paraphrases: {thin}"
    assert len(danger()["danger"]) >= 150
    assert len(danger()["ordinary"]) >= 150


def test_no_held_out_message_is_verbatim_in_the_training_data() -> None:
    trained = training_lines()
    assert len(trained) > 100, "the training data was not found"
    leaked = [text for text in every_message() if text.lower() in trained]
    assert not leaked, f"held-out messages also in data/nlu: {leaked[:10]}"


def test_fresh_files_have_the_lists_the_bench_reads() -> None:
    assert list(load("fresh_controls.yml")) == ["controls"]
    assert tuple(load("fresh_controls.yml")["controls"]) == CONTROLS[:-1]  # danger has its own file
    assert list(load("fresh_danger.yml")) == ["danger", "ordinary"]
    assert list(load("fresh_free_text.yml")) == ["answers", "navigation"]
    assert tuple(load("fresh_free_text.yml")["navigation"]) == FRESH_NAVIGATION


def test_fresh_messages_are_non_empty_strings_and_not_repeated_anywhere_in_the_fresh_set() -> None:
    texts = every_fresh_message()
    assert all(isinstance(text, str) and text.strip() == text and text for text in texts)
    lowered = [t.lower() for t in texts]
    repeated = sorted({t for t in texts if lowered.count(t.lower()) > 1})
    assert not repeated, f"messages listed twice: {repeated}"


def test_fresh_sizes() -> None:
    """The issue's sizes: at least 300 control paraphrases, about 30 a control (danger's are in
    fresh_danger.yml), 150 danger messages and 150 ordinary mentions."""
    per_control = {name: len(texts) for name, texts in load("fresh_controls.yml")["controls"].items()}
    assert sum(per_control.values()) >= 300, per_control
    thin = {name: n for name, n in per_control.items() if n < 30}
    assert not thin, f"fresh controls with fewer than 30 paraphrases: {thin}"
    sizes = {k: len(v) for k, v in load("fresh_danger.yml").items()}
    assert sizes["danger"] >= 150 and sizes["ordinary"] >= 150, sizes
    free_text = load("fresh_free_text.yml")
    assert len(free_text["answers"]) == 30
    assert sum(len(texts) for texts in free_text["navigation"].values()) == 30


def test_no_fresh_message_is_verbatim_in_the_training_data() -> None:
    trained = training_lines()
    assert len(trained) > 100, "the training data was not found"
    leaked = [text for text in every_fresh_message() if text.lower() in trained]
    assert not leaked, f"fresh held-out messages also in data/nlu: {leaked[:10]}"


def test_no_fresh_message_repeats_an_older_held_out_message() -> None:
    older = {text.lower() for text in every_message()}
    repeated = [text for text in every_fresh_message() if text.lower() in older]
    assert not repeated, f"fresh messages already in the older held-out sets: {repeated[:10]}"


THIRD_FILES = ("third_controls.yml", "third_danger.yml", "third_free_text.yml")
FOURTH_FILES = ("fourth_controls.yml", "fourth_danger.yml", "fourth_free_text.yml")
FIFTH_FILES = ("fifth_controls.yml", "fifth_danger.yml", "fifth_free_text.yml")
SIXTH_FILES = ("sixth_controls.yml", "sixth_danger.yml", "sixth_free_text.yml")
SEVENTH_FILES = ("seventh_controls.yml", "seventh_danger.yml", "seventh_free_text.yml")
EIGHTH_FILES = ("eighth_controls.yml", "eighth_danger.yml", "eighth_free_text.yml")
NINTH_FILES = ("ninth_controls.yml", "ninth_danger.yml", "ninth_free_text.yml")
TENTH_FILES = ("tenth_controls.yml", "tenth_danger.yml", "tenth_free_text.yml")
ELEVENTH_FILES = ("eleventh_controls.yml", "eleventh_danger.yml", "eleventh_free_text.yml")
TWELFTH_FILES = ("twelfth_controls.yml", "twelfth_danger.yml", "twelfth_free_text.yml")
THIRTEENTH_FILES = ("thirteenth_controls.yml", "thirteenth_danger.yml", "thirteenth_free_text.yml")
# The development set: the cue families and training may be tuned against it, so a later blind set must not
# repeat it either (its controls and danger files; it has no free-text file).
DEV_FILES = ("dev_controls.yml", "dev_danger.yml")


@dataclass(frozen=True)
class BlindSet:
    """A held-out generation written blind, and what it must not repeat and how big it must be."""

    name: str
    files: tuple[str, ...]
    earlier: tuple[str, ...]  # the later-generation files written before it (the older set is always earlier)
    per_control: int  # paraphrases a control, at least
    all_controls: int  # paraphrases in all, at least
    danger: int  # danger messages, and as many ordinary mentions, at least
    answers: int  # real answers at free text, at least
    navigation_each: int  # navigation paraphrases a control at free text, at least
    navigation_all: int  # and in all

    def texts(self) -> list[str]:
        return every_message_of(self.files)


def every_message_of(files: tuple[str, ...]) -> list[str]:
    return [text for name in files for texts in fresh_groups(name).values() for text in texts]


# The later generations' files in the order they were written (the development set after the third): each
# blind set must repeat none of those before it.
WRITTEN_IN_ORDER = (
    FRESH_FILES,
    THIRD_FILES,
    DEV_FILES,
    FOURTH_FILES,
    FIFTH_FILES,
    SIXTH_FILES,
    SEVENTH_FILES,
    EIGHTH_FILES,
    NINTH_FILES,
    TENTH_FILES,
    ELEVENTH_FILES,
    TWELFTH_FILES,
    THIRTEENTH_FILES,
)


def written_before(files: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for group in WRITTEN_IN_ORDER[: WRITTEN_IN_ORDER.index(files)] for name in group)


# The fourth set's minimums, kept by every set since.
MINIMUMS = (32, 320, 170, 40, 8, 80)
BLIND_SETS = (
    BlindSet("third", THIRD_FILES, written_before(THIRD_FILES), 30, 270, 160, 30, 8, 64),
    *(
        BlindSet(name, files, written_before(files), *MINIMUMS)
        for name, files in (
            ("fourth", FOURTH_FILES),
            ("fifth", FIFTH_FILES),
            ("sixth", SIXTH_FILES),
            ("seventh", SEVENTH_FILES),
            ("eighth", EIGHTH_FILES),
            ("ninth", NINTH_FILES),
            ("tenth", TENTH_FILES),
            ("eleventh", ELEVENTH_FILES),
            ("twelfth", TWELFTH_FILES),
            ("thirteenth", THIRTEENTH_FILES),
        )
    ),
)
blind_sets = pytest.mark.parametrize("blind", BLIND_SETS, ids=lambda blind: blind.name)


@blind_sets
def test_blind_files_have_the_lists_the_bench_reads(blind: BlindSet) -> None:
    """The same shape as the fresh files, so bench/understanding.py reads every generation alike."""
    controls_file, danger_file, free_text_file = blind.files
    assert list(load(controls_file)) == ["controls"]
    assert tuple(load(controls_file)["controls"]) == CONTROLS[:-1]  # danger has its own file
    assert list(load(danger_file)) == ["danger", "ordinary"]
    assert list(load(free_text_file)) == ["answers", "navigation"]
    assert tuple(load(free_text_file)["navigation"]) == FRESH_NAVIGATION


@blind_sets
def test_blind_messages_are_non_empty_strings_and_not_repeated_anywhere_in_their_set(blind: BlindSet) -> None:
    texts = blind.texts()
    assert all(isinstance(text, str) and text.strip() == text and text for text in texts)
    lowered = [t.lower() for t in texts]
    repeated = sorted({t for t in texts if lowered.count(t.lower()) > 1})
    assert not repeated, f"messages listed twice: {repeated}"


@blind_sets
def test_blind_sizes(blind: BlindSet) -> None:
    """Paraphrases a control and in all, danger messages and ordinary mentions, real answers at free text,
    and navigation paraphrases there, a control and in all: each at least the set's minimum."""
    controls_file, danger_file, free_text_file = blind.files
    per_control = {name: len(texts) for name, texts in load(controls_file)["controls"].items()}
    thin = {name: n for name, n in per_control.items() if n < blind.per_control}
    assert not thin, f"{blind.name} controls with fewer than {blind.per_control} paraphrases: {thin}"
    assert sum(per_control.values()) >= blind.all_controls, per_control
    sizes = {k: len(v) for k, v in load(danger_file).items()}
    assert sizes["danger"] >= blind.danger and sizes["ordinary"] >= blind.danger, sizes
    free_text = load(free_text_file)
    assert len(free_text["answers"]) >= blind.answers
    navigation = {name: len(texts) for name, texts in free_text["navigation"].items()}
    thin = {name: n for name, n in navigation.items() if n < blind.navigation_each}
    assert not thin, f"free-text navigation lists with fewer than {blind.navigation_each} paraphrases: {thin}"
    assert sum(navigation.values()) >= blind.navigation_all, navigation


@blind_sets
def test_no_blind_message_is_verbatim_in_the_training_data(blind: BlindSet) -> None:
    trained = training_lines()
    assert len(trained) > 100, "the training data was not found"
    leaked = [text for text in blind.texts() if text.lower() in trained]
    assert not leaked, f"{blind.name} held-out messages also in data/nlu: {leaked[:10]}"


@blind_sets
def test_no_blind_message_repeats_an_earlier_held_out_message(blind: BlindSet) -> None:
    """Only the blind set's own lines are named on a failure: whoever rewrites one never sees the other
    sets."""
    earlier = {text.lower() for text in (*every_message(), *every_message_of(blind.earlier))}
    repeated = [text for text in blind.texts() if text.lower() in earlier]
    assert not repeated, f"{blind.name} messages already in an earlier held-out set: {repeated[:10]}"


@blind_sets
def test_no_blind_message_names_a_place_religion_ideology_or_community(blind: BlindSet) -> None:
    """Guardrail 4: the alarm must not hang on who or where. The words are the bank's own list of what the
    bot's wording must never name (neutral_wording.yaml)."""
    problems: list = []
    wording = Wording.load(WORDING_PATH, problems)
    assert wording is not None and not problems, problems
    named = [(text, wording.names(text)) for text in blind.texts() if wording.names(text)]
    assert not named, f"{blind.name} messages naming a place, religion, ideology or community: {named}"


@pytest.mark.parametrize(
    "name",
    [
        "heldout_controls.yml",
        "heldout_danger.yml",
        *FRESH_FILES,
        *THIRD_FILES,
        *FOURTH_FILES,
        *FIFTH_FILES,
        *SIXTH_FILES,
        *SEVENTH_FILES,
        *EIGHTH_FILES,
        *NINTH_FILES,
        *TENTH_FILES,
        *ELEVENTH_FILES,
        *TWELFTH_FILES,
        *THIRTEENTH_FILES,
    ],
)
def test_the_engine_never_reads_these_files_as_training_or_test_data(name: str) -> None:
    """`rasa test nlu` reads tests/nlu, and Rasa takes any file with a line starting `nlu:` (or `rules:`,
    `stories:`, `responses:`) as its own data: these files must have none."""
    lines = Path(HELD_OUT / name).read_text(encoding="utf-8").splitlines()
    keys = ("nlu:", "responses:", "rules:", "stories:", "intents:")
    assert not [line for line in lines if line.lstrip().startswith(keys)]
