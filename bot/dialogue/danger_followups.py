"""The danger follow-up questions, read from danger_followups.yaml.

They are data so that their wording (and the "why we ask" help) can change without a Python edit. The file
is checked as it is read, and a mistake names the field: a broken file must stop the action server at
start-up, not halfway through a practitioner's danger report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.domain.yaml_files import read_yaml

FOLLOWUPS_PATH = Path(__file__).with_name("danger_followups.yaml")
# A step id is one part of a dot-separated position (bot.domain.positions: "__danger__.<step>.<return>"),
# so it must not contain a dot itself.
STEP_ID = re.compile(r"[a-z][a-z0-9_]*")
MAX_STEP_ID_CHARS = 30


class FollowUpsError(ValueError):
    """The follow-up file is not usable; the message names the file and the field."""


@dataclass(frozen=True)
class FollowUp:
    id: str
    text: str
    why: str
    answers: tuple[str, ...] = ()  # answer buttons; each sends its own words, stored as typed


@dataclass(frozen=True)
class DangerCheck:
    """ "Is anyone in immediate danger now?", asked first when danger was read in typed text (issue #26).

    Only `no` and `no_words` (compared as bot.questions.phrases.match_key keys) stand the report down; any
    other reply tells the leads. `told` / `told_practice` follow another reply, `stood_down` a "no"."""

    id: str
    guidance: str
    text: str
    why: str
    yes: str
    unsure: str
    no: str
    no_words: tuple[str, ...]
    told: str
    told_practice: str
    stood_down: str

    @property
    def answers(self) -> tuple[str, str, str]:
        return self.yes, self.unsure, self.no


@dataclass(frozen=True)
class DangerFollowUps:
    intro: str
    title: str
    resume_name: str
    skip_label: str
    leave_label: str
    first_step_back: str
    finished: str
    left: str
    check: DangerCheck
    steps: tuple[FollowUp, ...]

    @property
    def first(self) -> FollowUp:
        return self.steps[0]

    def step(self, step_id: str) -> FollowUp | None:
        return next((step for step in self.steps if step.id == step_id), None)

    def number(self, step: FollowUp) -> int:
        return self.steps.index(step) + 1

    def after(self, step: FollowUp) -> FollowUp | None:
        index = self.steps.index(step) + 1
        return self.steps[index] if index < len(self.steps) else None

    def before(self, step: FollowUp) -> FollowUp | None:
        index = self.steps.index(step)
        return self.steps[index - 1] if index > 0 else None


@cache
def load_followups(path: Path = FOLLOWUPS_PATH) -> DangerFollowUps:
    return parse_followups(read_yaml(path, FollowUpsError), str(path))


def parse_followups(data: Any, where: str = "danger follow-ups") -> DangerFollowUps:
    """Build and check the follow-ups from the file's parsed YAML."""
    if not isinstance(data, dict):
        raise FollowUpsError(f"{where}: must be a mapping")
    known = {
        "intro", "title", "resume_name", "skip_label", "leave_label", "first_step_back", "finished", "left",
        "check", "steps",
    }  # fmt: skip
    if unknown := sorted(set(data) - known):
        raise FollowUpsError(f"{where}: unknown field(s): {', '.join(map(str, unknown))}")
    texts = {name: _text(data, name, where) for name in sorted(known - {"steps", "check"})}
    check = _check(data.get("check"), f"{where}: check")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise FollowUpsError(f"{where}: steps: must be a non-empty list")
    steps = tuple(_step(raw, f"{where}: steps[{index}]") for index, raw in enumerate(raw_steps))
    ids = [check.id, *(step.id for step in steps)]
    if len(set(ids)) != len(ids):
        raise FollowUpsError(f"{where}: steps: ids must be unique, got {ids}")
    controls = {texts["skip_label"].casefold(), texts["leave_label"].casefold()}
    if len(controls) != 2:
        raise FollowUpsError(f"{where}: skip_label and leave_label must differ")
    for label in (texts["skip_label"], texts["leave_label"]):
        if label.startswith("/"):
            raise FollowUpsError(f"{where}: {label!r}: a button's words must not start with '/'")
    for step in steps:
        if any(answer.strip().startswith("/") for answer in step.answers):
            raise FollowUpsError(f"{where}: step {step.id}: an answer must not start with '/'")
        if clash := [answer for answer in step.answers if answer.casefold() in controls]:
            raise FollowUpsError(f"{where}: step {step.id}: answer {clash[0]!r} is also a control label")
    return DangerFollowUps(steps=steps, check=check, **texts)


def _check(raw: Any, where: str) -> DangerCheck:
    if not isinstance(raw, dict):
        raise FollowUpsError(f"{where}: must be a mapping")
    texts = (
        "id", "guidance", "text", "why", "yes", "unsure", "no", "told", "told_practice", "stood_down",
    )  # fmt: skip
    if unknown := sorted(map(str, set(raw) - {*texts, "no_words"})):
        quote = " (quote the keys 'yes' and 'no': YAML reads them as true and false)"
        hint = quote if "True" in unknown else ""
        raise FollowUpsError(f"{where}: unknown field(s): {', '.join(unknown)}{hint}")
    values = {name: _text(raw, name, where) for name in texts}
    if not STEP_ID.fullmatch(values["id"]) or len(values["id"]) > MAX_STEP_ID_CHARS:
        raise FollowUpsError(f"{where}: id: must be lower-case letters, digits and '_' (no '.')")
    no_words = raw.get("no_words", [])
    # YAML reads a bare `no` as false: the file must quote it, and is told so rather than silently losing it.
    if not isinstance(no_words, list) or not all(isinstance(w, str) and w.strip() for w in no_words):
        raise FollowUpsError(f"{where}: no_words: must be texts (quote 'no': YAML reads it as false)")
    answers = [values["yes"], values["unsure"], values["no"]]
    if len({a.casefold() for a in answers}) != 3 or any(a.startswith("/") for a in answers):
        raise FollowUpsError(f"{where}: yes, unsure and no must differ and must not start with '/'")
    return DangerCheck(no_words=tuple(no_words), **values)


def _step(raw: Any, where: str) -> FollowUp:
    if not isinstance(raw, dict):
        raise FollowUpsError(f"{where}: must be a mapping")
    if unknown := sorted(set(raw) - {"id", "text", "why", "answers"}):
        raise FollowUpsError(f"{where}: unknown field(s): {', '.join(map(str, unknown))}")
    step_id = raw.get("id")
    if not isinstance(step_id, str) or not STEP_ID.fullmatch(step_id) or len(step_id) > MAX_STEP_ID_CHARS:
        raise FollowUpsError(
            f"{where}: id: must be lower-case letters, digits and '_', starting with a letter, at most "
            f"{MAX_STEP_ID_CHARS} characters (no '.')"
        )
    answers = raw.get("answers", [])
    if not isinstance(answers, list) or not all(isinstance(a, str) and a.strip() for a in answers):
        raise FollowUpsError(f"{where}: answers: must be a list of non-empty texts")
    if len({a.casefold() for a in answers}) != len(answers):
        raise FollowUpsError(f"{where}: answers: must differ from each other")
    return FollowUp(
        id=step_id, text=_text(raw, "text", where), why=_text(raw, "why", where), answers=tuple(answers)
    )


def _text(data: dict[str, Any], name: str, where: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise FollowUpsError(f"{where}: {name}: must be a non-empty text")
    return value.strip()
