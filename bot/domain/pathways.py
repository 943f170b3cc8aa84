"""The pathways a lead chooses between, read from the packaged pathways.yaml (data, not code: a council may
reword them). Pure: reads one file shipped with the package, nothing else.

A bad file is a packaging error, so it fails loudly at import rather than showing a lead a half list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.domain.yaml_files import read_yaml

PATHWAYS_FILE = Path(__file__).with_name("pathways.yaml")


@dataclass(frozen=True)
class Outcome:
    """Something a lead is told happened next on a pathway (issue #12): data, so a council may add one."""

    key: str
    label: str
    reviews_after_months: tuple[int, ...] = ()  # case reviews set when it is recorded (Channel: 6 and 12)


@dataclass(frozen=True)
class Pathway:
    key: str
    label: str
    description: str
    needs_partner: bool = False
    alone: bool = False  # cannot be combined with another pathway ("no further action")
    outcomes: tuple[Outcome, ...] = ()

    def outcome(self, key: str) -> Outcome | None:
        return next((outcome for outcome in self.outcomes if outcome.key == key), None)


def load_pathways(path: Path = PATHWAYS_FILE) -> tuple[Pathway, ...]:
    """Every pathway in file order; ValueError naming the problem if the file is not a list of them."""
    rows = read_yaml(path).get("pathways")
    if not isinstance(rows, list) or not rows:
        raise ValueError(f"{path}: expected a non-empty 'pathways' list")
    found: list[Pathway] = []
    for row in rows:
        if not isinstance(row, dict) or not all(
            isinstance(row.get(k), str) for k in ("key", "label", "description")
        ):
            raise ValueError(f"{path}: every pathway needs a key, a label and a description: {row!r}")
        found.append(
            Pathway(
                key=row["key"],
                label=row["label"],
                description=row["description"],
                needs_partner=bool(row.get("needs_partner", False)),
                alone=bool(row.get("alone", False)),
                outcomes=_outcomes(path, row),
            )
        )
    keys = [pathway.key for pathway in found]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{path}: a pathway key appears twice")
    return tuple(found)


def _outcomes(path: Path, row: dict[str, object]) -> tuple[Outcome, ...]:
    """A pathway's `outcomes` list (required, may be empty): each a key and a label, keys unique within it,
    review months whole numbers from 1 to 120."""
    rows = row.get("outcomes")
    if not isinstance(rows, list):
        raise ValueError(f"{path}: pathway {row['key']!r} needs an 'outcomes' list (it may be empty)")
    found: list[Outcome] = []
    for item in rows:
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("key", "label")):
            raise ValueError(f"{path}: every outcome of {row['key']!r} needs a key and a label: {item!r}")
        months = item.get("reviews_after_months", [])
        if not isinstance(months, list) or not all(
            isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 120 for m in months
        ):
            raise ValueError(
                f"{path}: reviews_after_months of {item['key']!r} must be a list of months from 1 to 120"
            )
        found.append(Outcome(key=item["key"], label=item["label"], reviews_after_months=tuple(months)))
    keys = [outcome.key for outcome in found]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{path}: an outcome key appears twice under {row['key']!r}")
    return tuple(found)


PATHWAY_LIST: tuple[Pathway, ...] = load_pathways()
PATHWAY_BY_KEY: dict[str, Pathway] = {pathway.key: pathway for pathway in PATHWAY_LIST}


def outcome_label(pathway: str, outcome: str) -> str:
    """An outcome's label; its key if the data no longer has it (a stored row must still show)."""
    found = PATHWAY_BY_KEY[pathway].outcome(outcome) if pathway in PATHWAY_BY_KEY else None
    return found.label if found else outcome
