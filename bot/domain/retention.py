"""The retention schedule (issue #31): how long each kind of record is kept, per mode, read from data.

The record types are fixed here, because each one says which moment its period counts from; the periods are
data (retention.yaml beside this file, or a council's own file) so an information governance team sets them
without a code change. A bad file is refused whole, with one `file:line: message` per problem, so a typo can
never erase records early or silently keep them for ever.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from bot.domain.local_time import LOCAL_ZONE

SCHEDULE_FILE = Path(__file__).with_name("retention.yaml")
MAX_DAYS = 36_525  # a century: anything longer is a typo, not a policy


class RecordType(enum.StrEnum):
    """A kind of record and the moment its period counts from."""

    CLOSED_CASE = "closed_case"  # live, from the referral's latest closing
    UNSUBMITTED_DRAFT = "unsubmitted_draft"  # live, never submitted, from its last change
    PRACTICE_RUN = "practice_run"  # rehearsal, from its start


# The schedule's modes as the file names them, and the store's mode of each.
MODES: dict[str, tuple[str, tuple[RecordType, ...]]] = {
    "live": ("live", (RecordType.CLOSED_CASE, RecordType.UNSUBMITTED_DRAFT)),
    "practice": ("rehearsal", (RecordType.PRACTICE_RUN,)),
}


@dataclass(frozen=True)
class RetentionSchedule:
    periods: dict[RecordType, timedelta]

    def period(self, record: RecordType) -> timedelta:
        return self.periods[record]


class RetentionScheduleError(ValueError):
    """The schedule file has problems: every one, each as `file:line: message`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def load_schedule(path: Path = SCHEDULE_FILE) -> RetentionSchedule:
    """The schedule in `path`; RetentionScheduleError listing every problem (nothing is half-read)."""
    problems: list[str] = []

    def problem(node: Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        problems.append(f"{path}:{line}: {message}")

    # Composed nodes, not bot.domain.yaml_files.read_yaml: each problem names its line; only nodes know it.
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise RetentionScheduleError([f"{path}:1: cannot read the schedule: {error}"]) from None
    periods: dict[RecordType, timedelta] = {}
    if not isinstance(root, MappingNode):
        problem(root, "expected the modes `live:` and `practice:`")
        raise RetentionScheduleError(problems)
    seen_modes: set[str] = set()
    reported: set[RecordType] = set()  # named in the file, rightly or not
    for mode_key, mode_node in root.value:
        mode = mode_key.value
        if mode not in MODES:
            problem(mode_key, f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
            continue
        seen_modes.add(mode)
        allowed = MODES[mode][1]
        if not isinstance(mode_node, MappingNode):
            problem(mode_node, f"{mode}: expected its record types ({', '.join(allowed)})")
            continue
        for record_key, record_node in mode_node.value:
            name = record_key.value
            if name not in {r.value for r in allowed}:
                problem(record_key, f"{mode}: unknown record type {name!r}; expected {', '.join(allowed)}")
                continue
            reported.add(RecordType(name))
            days = _keep_days(record_node, f"{mode}.{name}", problem)
            if days is not None:
                periods[RecordType(name)] = timedelta(days=days)
    for mode, (_, records) in MODES.items():
        for record in records:
            if record not in reported:
                where = root if mode not in seen_modes else _child(root, mode)
                problem(where, f"{mode}: no period for {record.value} (every record type needs one)")
    if problems:
        raise RetentionScheduleError(problems)
    return RetentionSchedule(periods)


def _keep_days(node: Node, name: str, report: Callable[[Node | None, str], None]) -> int | None:
    if not isinstance(node, MappingNode) or [k.value for k, _ in node.value] != ["keep_days"]:
        report(node, f"{name}: expected exactly `keep_days: <whole days>`")
        return None
    value = node.value[0][1]
    text = value.value if isinstance(value, ScalarNode) else ""
    if not isinstance(text, str) or not text.isdigit() or not 1 <= int(text) <= MAX_DAYS:
        report(value, f"{name}.keep_days: expected whole days from 1 to {MAX_DAYS}, not {text!r}")
        return None
    return int(text)


def _child(root: MappingNode, key: str) -> Node:
    return next(value for k, value in root.value if k.value == key)


def next_daily_run(after: datetime, at: time) -> datetime:
    """The first moment after `after` (UTC) at which the local clock (Europe/London) reads `at`, in UTC.

    Counted in local days, so the job stays at 02:00 on the clock across the change to and from summer time
    (a day is then 23 or 25 hours long)."""
    local = after.astimezone(LOCAL_ZONE)
    day = local.date()
    while True:
        moment = datetime.combine(day, at, tzinfo=LOCAL_ZONE).astimezone(UTC)
        if moment > after:
            return moment
        day += timedelta(days=1)
