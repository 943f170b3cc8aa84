"""The held-out sets bench/understanding.py reads (issue #11), and where each message should land.

Twelve generations, each measured on its own: the older sets (tests/nlu/heldout_*.yml), which shaped the
training data at one remove; the fresh set (fresh_*.yml), written later by someone blind to the training data
and the older sets; the third set (third_*.yml), written blind in the same way while others were tuning the
training data against the fresh one, so that one set stays untuned; the fourth (fourth_*.yml), written blind
before anyone tuned against the third, for the same reason; the fifth (fifth_*.yml), written blind before
anyone tuned against the fourth's misses; the sixth (sixth_*.yml), written blind before anyone tuned against
the fifth's misses; the seventh (seventh_*.yml), written blind before anyone tuned against the sixth's
misses; the eighth (eighth_*.yml), written blind before anyone tuned against the seventh's misses; the
ninth (ninth_*.yml), written blind before anyone tuned against the eighth's misses; the tenth
(tenth_*.yml), written blind before anyone tuned against the ninth's misses; the eleventh
(eleventh_*.yml), written blind before anyone tuned against the tenth's misses; the twelfth
(twelfth_*.yml), written blind before anyone tuned against the eleventh's misses; and the thirteenth
(thirteenth_*.yml), written blind before anyone tuned against the twelfth's misses, the one set nobody has
tuned against. The fresh, third, fourth,
fifth, sixth, seventh, eighth, ninth, tenth, eleventh, twelfth and thirteenth files share a shape:
controls (no danger list), danger and ordinary, and the free-text lists (`answers`, and `navigation` by the
control meant). A development set (dev_*.yml, controls and danger only) is reported last: it is not held out.
The danger lists of the older to ninth sets are also examples the engine's danger second opinion learns
(config.yml `extra_examples`): their danger figures are no longer held out for it; the tenth chose what it
learns and its threshold, and the eleventh judges it (bench/danger_second_opinion_sets.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.yaml_files import read_yaml
from bot.settings import REPO_ROOT

HELD_OUT = REPO_ROOT / "tests" / "nlu"
CONTROLS_FILE = HELD_OUT / "heldout_controls.yml"
DANGER_FILE = HELD_OUT / "heldout_danger.yml"

# Where each held-out control should land today. Two controls of issue #11 have no control of their own
# yet: "explain differently" counts as help (the nearest: it explains the question) and "change an earlier
# answer" as back (how an earlier answer is changed mid-assessment). "Not sure" is no control: at a question
# that allows it, it is the answer "not sure" (status unsure).
EXPECTED = {
    "help": "control:help",
    "explain_differently": "control:help",
    "back": "control:back",
    "change_answer": "control:back",
    "skip": "control:skip",
    "not_sure": "answer:unsure",
    "pause": "control:pause",
    "stop": "control:stop",
    "start_again": "control:start_again",
    "danger": "danger",
}
# Questions of the shipped bank the messages are read at: four kinds that parse an answer, and free text.
# The choice question is a single choice: Yes / Not yet / I tried but couldn't reach them / Not sure.
STRUCTURED = {
    "choice": "discussed_with_lead",
    "yes/no": "is_a_change",
    "date": "first_noticed_date",
    "age": "young_person_age",
}
FREE_TEXT = "change_from_what"
# At free text, these are navigation: they should never be silently taken, nor silently stored (issue #11).
NAVIGATION = [k for k in EXPECTED if k not in ("not_sure", "danger")]


@dataclass(frozen=True)
class Generation:
    """A later held-out set: its name in the report and the JSON, what it is, and its three lists."""

    name: str
    title: str
    controls: dict[str, list[str]]
    danger: dict[str, list[str]]
    free_text: dict[str, Any]

    def texts(self) -> list[str]:
        lists = [*self.controls.values(), *self.danger.values(), self.free_text["answers"]]
        lists += self.free_text["navigation"].values()
        return [text for texts in lists for text in texts]


# The later generations, in the order they are reported: (name = file prefix, what it is). The fresh, third,
# fourth, fifth, sixth, seventh and eighth sets have since become tuning sets: their misses are read to decide
# what training data and word lists to write, so their figures are no longer blind; the ninth too since the
# tenth was written, the tenth since the eleventh was, and the eleventh since the twelfth was, and the twelfth
# since the thirteenth was. The thirteenth was written blind before any tuning against the twelfth and is the
# untuned judge: only its figures are
# read, never its misses (bench/parse_cache.py's UNSEEN).
LATER = (
    ("fresh", "written apart from the training data and the older sets"),
    ("third", "written blind while the training data was tuned against the fresh set"),
    ("fourth", "written blind before any tuning against it; now tuned against (its misses are read)"),
    ("fifth", "written blind before any tuning against it; now tuned against (its misses are read)"),
    ("sixth", "written blind before any tuning against it; now tuned against (its misses are read)"),
    ("seventh", "written blind before any tuning against it; now tuned against (its misses are read)"),
    ("eighth", "written blind before any tuning against it; now tuned against (its misses are read)"),
    ("ninth", "written blind before any tuning against it; now tuned against (its misses are read)"),
    ("tenth", "written blind before any tuning against it; now tuned against (its misses are read)"),
    ("eleventh", "written blind before any tuning against it; now tuned against (its misses are read)"),
    ("twelfth", "written blind before any tuning against it; now tuned against (its misses are read)"),
    ("thirteenth", "written blind before any tuning against it; untuned"),
    # Not held out: the development set, which the cue families and training may be tuned against
    # (controls only; its missing danger and free-text files read as empty lists).
    ("dev", "development set: cue families and training may be tuned against it; not held out"),
)


def _load(name: str) -> Any:
    return read_yaml(HELD_OUT / name)  # libyaml's parser: these sets are read by many tests


def _load_or(name: str, empty: dict[str, Any]) -> Any:
    """A file a generation may not have (the development set has only controls): `empty` when absent."""
    return _load(name) if (HELD_OUT / name).exists() else empty


def load_sets() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The older sets: controls (with a danger list of their own), danger and ordinary."""
    danger = _load(DANGER_FILE.name)
    return _load(CONTROLS_FILE.name)["controls"], {"danger": danger["danger"], "ordinary": danger["ordinary"]}


def load_generation(name: str, title: str) -> Generation:
    """tests/nlu/<name>_controls.yml, <name>_danger.yml and <name>_free_text.yml."""
    danger = _load_or(f"{name}_danger.yml", {"danger": [], "ordinary": []})
    return Generation(
        name=name,
        title=f"tests/nlu/{name}_*.yml: {title}",
        controls=_load(f"{name}_controls.yml")["controls"],
        danger={"danger": danger["danger"], "ordinary": danger["ordinary"]},
        free_text=_load_or(f"{name}_free_text.yml", {"answers": [], "navigation": {}}),
    )


def load_later() -> list[Generation]:
    return [load_generation(name, title) for name, title in LATER]
