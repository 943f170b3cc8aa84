"""Reading YAML nodes field by field, so that every problem can name its file, line and field.

The bank is read from composed nodes rather than from `yaml.safe_load` output because only nodes remember
where they were written. Each reader records a problem and returns None instead of raising, so one pass
reports everything wrong with a file. Identifiers are taken from the scalar's text as written: `value: no`
is the word "no", not YAML 1.1's false, which is what a bank author means.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.questions.model import BankProblem

STR_TAG = "tag:yaml.org,2002:str"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
MAX_IDENTIFIER_CHARS = 60

# libyaml's composer when PyYAML was built with it (the wheels are): the same nodes, marks and errors as the
# pure-Python SafeLoader, about six times faster (the shipped bank: 90 ms -> 14 ms), and the bank is read at
# every process start and every app the tests create.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG_NAMES = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    BOOL_TAG: "true/false",
    NULL_TAG: "empty",
    "tag:yaml.org,2002:timestamp": "a date",
}


def compose(text: str, file: str, problems: list[BankProblem]) -> Node | None:
    """The document's root node, or None after recording why it could not be read."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        problems.append(BankProblem(file, line, "(file)", f"not valid YAML: {error.problem or error}"))
        return None
    except yaml.YAMLError as error:
        problems.append(BankProblem(file, 0, "(file)", f"not valid YAML: {error}"))
        return None
    except RecursionError:
        problems.append(BankProblem(file, 0, "(file)", "not valid YAML: nested too deeply"))
        return None
    if root is None:
        problems.append(BankProblem(file, 1, "(file)", "the file is empty"))
    return root


def describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == STR_TAG:
        return "text"
    return _TAG_NAMES.get(node.tag, f"a value tagged {node.tag}")


def joined(field: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{field}[{key}]"
    return f"{field}.{key}" if field else key


class NodeReader:
    """Typed access to one file's nodes; problems go to a shared list."""

    def __init__(self, file: str, problems: list[BankProblem]) -> None:
        self.file = file
        self.problems = problems
        # A value written as a block list starts on the line after its key; report the key's line.
        self._key_lines: dict[int, int] = {}

    def add(self, node: Node, field: str, message: str) -> None:
        line = self._key_lines.get(id(node), node.start_mark.line) + 1
        self.problems.append(BankProblem(self.file, line, field or "(file)", message))

    def mapping(
        self, node: Node, field: str, *, required: Iterable[str], optional: Iterable[str] = ()
    ) -> dict[str, Node] | None:
        if not isinstance(node, MappingNode):
            self.add(node, field, f"must be a mapping of keys to values, not {describe(node)}")
            return None
        required = tuple(required)
        allowed = (*required, *optional)
        found: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != STR_TAG:
                self.add(key_node, field, f"a key must be a plain word, not {describe(key_node)}")
                continue
            key = key_node.value
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = (
                    f"; did you mean {close[0]!r}?" if close else f"; expected one of: {', '.join(allowed)}"
                )
                self.add(key_node, joined(field, key), f"unknown key {key!r}{hint}")
            elif key in found:
                self.add(key_node, joined(field, key), f"{key!r} appears twice")
            else:
                found[key] = value_node
                self._key_lines[id(value_node)] = key_node.start_mark.line
        for key in required:
            if key not in found:
                self.add(node, joined(field, key), f"missing required field {key!r}")
        return found

    def sequence(self, node: Node, field: str, *, non_empty: bool = True) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.add(node, field, f"must be a list, not {describe(node)}")
            return None
        if non_empty and not node.value:
            self.add(node, field, "must not be an empty list")
            return None
        return list(node.value)

    def text(self, node: Node, field: str) -> str | None:
        """Wording: a string with something in it. Numbers and true/false are refused (quote them)."""
        if not isinstance(node, ScalarNode):
            self.add(node, field, f"must be text, not {describe(node)}")
            return None
        if node.tag == NULL_TAG or (node.tag == STR_TAG and not node.value.strip()):
            self.add(node, field, "is empty: write the wording here")
            return None
        if node.tag != STR_TAG:
            self.add(
                node, field, f"must be text, not {describe(node)} (put it in quotes if you mean the words)"
            )
            return None
        return node.value

    def scalar_text(self, node: Node, field: str) -> str | None:
        """Any scalar, as written (for `version: 1.0`, which must stay "1.0" rather than become 1.0)."""
        if not isinstance(node, ScalarNode):
            self.add(node, field, f"must be a single value, not {describe(node)}")
            return None
        if not node.value.strip():
            self.add(node, field, "is empty")
            return None
        return node.value.strip()

    def identifier(self, node: Node, field: str, *, suffixes: tuple[str, ...] = ()) -> str | None:
        """A snake_case id; `suffixes` lets a reference name a generated question ("x__source")."""
        raw = self.scalar_text(node, field)
        if raw is None:
            return None
        base = next((raw.removesuffix(suffix) for suffix in suffixes if raw.endswith(suffix)), raw)
        if not IDENTIFIER.match(base) or len(base) > MAX_IDENTIFIER_CHARS:
            self.add(
                node,
                field,
                f"{raw!r} is not a valid identifier: use lower-case letters, digits and single underscores, "
                f"starting with a letter, at most {MAX_IDENTIFIER_CHARS} characters",
            )
            return None
        return raw

    def one_of(self, node: Node, field: str, options: Iterable[str]) -> str | None:
        options = tuple(options)
        raw = self.scalar_text(node, field)
        if raw is None:
            return None
        if raw not in options:
            self.add(node, field, f"{raw!r} is not one of: {', '.join(options)}")
            return None
        return raw

    def identifiers(self, node: Node, field: str) -> tuple[str, ...] | None:
        """One identifier or a list of them."""
        if isinstance(node, ScalarNode):
            value = self.identifier(node, field)
            return None if value is None else (value,)
        items = self.sequence(node, field)
        if items is None:
            return None
        values = [self.identifier(item, joined(field, n)) for n, item in enumerate(items)]
        return None if any(value is None for value in values) else tuple(v for v in values if v is not None)

    def boolean(self, node: Node, field: str) -> bool | None:
        if not isinstance(node, ScalarNode) or node.tag != BOOL_TAG:
            self.add(node, field, f"must be true or false, not {describe(node)}")
            return None
        return node.value.lower() in ("true", "yes", "on", "y")
