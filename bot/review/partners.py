"""The partner directory a lead picks from for community partner support, read from partners.yaml (data a
council replaces; the shipped entries are fictional examples and say so)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.domain.yaml_files import read_yaml

PARTNERS_FILE = Path(__file__).with_name("partners.yaml")


@dataclass(frozen=True)
class Partner:
    key: str
    name: str
    offer: str
    contact: str
    example: bool = False


def load_partners(path: Path = PARTNERS_FILE) -> tuple[Partner, ...]:
    """Every partner in file order; ValueError naming the problem if an entry is incomplete or repeated."""
    rows = read_yaml(path).get("partners")
    if not isinstance(rows, list):
        raise ValueError(f"{path}: expected a 'partners' list")
    found: list[Partner] = []
    for row in rows:
        if not isinstance(row, dict) or not all(
            isinstance(row.get(k), str) and row[k].strip() for k in ("key", "name", "offer", "contact")
        ):
            raise ValueError(
                f"{path}: every partner needs a key, a name, an offer and a contact route: {row!r}"
            )
        found.append(Partner(row["key"], row["name"], row["offer"], row["contact"], bool(row.get("example"))))
    if len({partner.key for partner in found}) != len(found):
        raise ValueError(f"{path}: a partner key appears twice")
    return tuple(found)


PARTNERS: tuple[Partner, ...] = load_partners()
PARTNER_BY_KEY: dict[str, Partner] = {partner.key: partner for partner in PARTNERS}


def partner_name(key: str | None) -> str | None:
    """The directory's name for a stored partner key; the key itself if the directory no longer has it (a
    council replaced its list: the record still says whom the lead chose)."""
    if key is None:
        return None
    partner = PARTNER_BY_KEY.get(key)
    return partner.name if partner else key
