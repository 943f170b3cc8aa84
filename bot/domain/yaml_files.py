"""Reading one of our YAML data files: one way, and one shape of refusal, for every layer that keeps its
wording, word lists, rules or settings as data.

Each caller keeps its own error type (a word-list file refuses with the word-list error, a settings file stops
start-up), so `error` is whatever the caller raises; the message always names the file first and says what is
wrong with it: that it cannot be read, that it is not YAML, or that its top level is not the mapping (or list)
the caller goes on to read. It lives in the domain because the domain's own data (the pathways) is read with
it, and every layer may import the domain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, overload

import yaml

_SHAPES: dict[type, str] = {dict: "a mapping of names to values", list: "a list"}
# libyaml's parser where PyYAML was built with it (the wheels are), else PyYAML's own: the same safe
# constructor and resolver, so the same values, parsed several times faster. A report service reads its
# breakdowns each time it is made, and an app makes one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _found(data: object) -> str:
    if data is None:
        return "an empty file"
    return {dict: "a mapping", list: "a list", str: "text"}.get(type(data), type(data).__name__)


@overload
def read_yaml(
    path: str | Path,
    error: Callable[[str], BaseException] = ...,
    *,
    top: type[dict[Any, Any]] = ...,
    where: str | None = ...,
) -> dict[Any, Any]: ...


@overload
def read_yaml(
    path: str | Path,
    error: Callable[[str], BaseException] = ...,
    *,
    top: type[list[Any]],
    where: str | None = ...,
) -> list[Any]: ...


def read_yaml(
    path: str | Path,
    error: Callable[[str], BaseException] = ValueError,
    *,
    top: type[dict[Any, Any]] | type[list[Any]] = dict,
    where: str | None = None,
) -> dict[Any, Any] | list[Any]:
    """The file's parsed YAML, whose top level must be a `top` (a mapping unless told otherwise).

    Otherwise `error` is raised with one message, "<where>: <problem>", where `where` is the file's path
    unless the caller names it better (a file known by its setting). The YAML library's own error is not
    chained: its line and column are already in the message, and a start-up refusal reads better without a
    traceback.
    """
    where = where or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as problem:
        raise error(f"{where}: cannot be read: {problem.strerror or problem}") from None
    try:
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - CSafeLoader or SafeLoader, both safe
    except yaml.YAMLError as problem:
        raise error(f"{where}: is not valid YAML: {problem}") from None
    if not isinstance(data, top):
        raise error(f"{where}: expected {_SHAPES[top]} at the top of the file, found {_found(data)}")
    return data


def yaml_files_digest(root: str | Path) -> str:
    """sha256 over the names and bytes of a folder's YAML files in name order (or of one file): how a process
    that serves data files notices an edit (bot.questions.provider, bot.scenarios.provider). Content, not
    modification times: an edit inside one timestamp tick, or a copy that keeps the old times, changes the
    words without changing the times. OSError if the folder or a file cannot be read."""
    root = Path(root)
    digest = hashlib.sha256()
    files = sorted(p for p in root.iterdir() if p.suffix in (".yaml", ".yml")) if root.is_dir() else [root]
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
