"""Reading a wording file: YAML that must name exactly the fields of a frozen dataclass, each non-empty text.

Data not code for what the bot says (the move-to-live page, the practice banner): a file with a name missing,
misspelt or left empty is refused when it is first read, with every problem named at once, rather than
showing a blank line to a practitioner.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import TypeVar

from bot.domain.yaml_files import read_yaml

Words = TypeVar("Words")


def read_words(path: Path, kind: type[Words], error: type[ValueError]) -> Words:
    """The file's words as `kind`, or `error` naming what is missing, unknown or not text."""
    loaded = read_yaml(path, error)
    expected = {f.name for f in fields(kind)}
    missing, unknown = expected - loaded.keys(), loaded.keys() - expected
    not_text = sorted(str(k) for k, v in loaded.items() if not isinstance(v, str) or not v.strip())
    if missing or unknown or not_text:
        raise error(
            f"{path}: missing {sorted(missing)}, unknown {sorted(map(str, unknown))}, not text {not_text}"
        )
    return kind(**loaded)
