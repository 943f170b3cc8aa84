"""The pathways a lead chooses between, read from the packaged pathways.yaml (data, not code: a council may
reword them). Pure: reads one file shipped with the package, nothing else.

A bad file is a packaging error, so it fails loudly at import rather than showing a lead a half list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

PATHWAYS_FILE = Path(__file__).with_name("pathways.yaml")


@dataclass(frozen=True)
class Pathway:
    key: str
    label: str
    description: str
    needs_partner: bool = False
    alone: bool = False  # cannot be combined with another pathway ("no further action")


def load_pathways(path: Path = PATHWAYS_FILE) -> tuple[Pathway, ...]:
    """Every pathway in file order; ValueError naming the problem if the file is not a list of them."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = data.get("pathways") if isinstance(data, dict) else None
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
            )
        )
    keys = [pathway.key for pathway in found]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{path}: a pathway key appears twice")
    return tuple(found)


PATHWAY_LIST: tuple[Pathway, ...] = load_pathways()
PATHWAY_BY_KEY: dict[str, Pathway] = {pathway.key: pathway for pathway in PATHWAY_LIST}
