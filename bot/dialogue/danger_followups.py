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

import yaml

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
class DangerFollowUps:
    intro: str
    title: str
    resume_name: str
    skip_label: str
    leave_label: str
    first_step_back: str
    finished: str
    left: str
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
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise FollowUpsError(f"{path}: cannot read: {error}") from error
    return parse_followups(data, str(path))


def parse_followups(data: Any, where: str = "danger follow-ups") -> DangerFollowUps:
    """Build and check the follow-ups from the file's parsed YAML."""
    if not isinstance(data, dict):
        raise FollowUpsError(f"{where}: must be a mapping")
    known = {
        "intro", "title", "resume_name", "skip_label", "leave_label", "first_step_back", "finished", "left",
        "steps",
    }  # fmt: skip
    if unknown := sorted(set(data) - known):
        raise FollowUpsError(f"{where}: unknown field(s): {', '.join(map(str, unknown))}")
    texts = {name: _text(data, name, where) for name in sorted(known - {"steps"})}
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise FollowUpsError(f"{where}: steps: must be a non-empty list")
    steps = tuple(_step(raw, f"{where}: steps[{index}]") for index, raw in enumerate(raw_steps))
    ids = [step.id for step in steps]
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
    return DangerFollowUps(steps=steps, **texts)


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
