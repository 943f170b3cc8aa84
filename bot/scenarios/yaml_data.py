"""A scenario file's YAML as plain data, remembering the line each value was written on.

The scenario models are pydantic, which reports a problem by its place in the data (`facts[2].question`), not
by line; so the file is composed into nodes (bot.questions.yaml_nodes.compose, which reports YAML errors with
their line) and turned into dicts and tuples here while the line of each place is kept. Text stays text as
written; numbers, true/false (YAML's yes/no too), dates and empty values become Python's, so that pydantic's
strict checks refuse them where text is wanted, with a hint to quote them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from bot.questions.model import BankProblem
from bot.questions.yaml_nodes import STR_TAG, describe, joined

Place = tuple[str | int, ...]


@dataclass
class LinedData:
    """One file's data and the line (1-based) of each place in it; a value's line is its key's line."""

    file: str
    data: object = None
    lines: dict[Place, int] = field(default_factory=dict)

    def line(self, place: Place) -> int:
        """The line of `place`, or of the nearest place above it that was written (a missing key: its
        mapping)."""
        while place not in self.lines and place:
            place = place[:-1]
        return self.lines.get(place, 1)

    def problem(self, place: Place, message: str) -> BankProblem:
        return BankProblem(self.file, self.line(place), field_name(place), message)


def field_name(place: Place) -> str:
    name = ""
    for part in place:
        name = joined(name, part)
    return name or "(file)"


def lined(root: Node, file: str, problems: list[BankProblem]) -> LinedData:
    """The data under `root`; keys that are not plain words, or appear twice, are problems and left out."""
    found = LinedData(file)
    found.data = _value(root, (), found, problems)
    return found


def _value(node: Node, place: Place, found: LinedData, problems: list[BankProblem]) -> object:
    found.lines.setdefault(place, node.start_mark.line + 1)
    if isinstance(node, MappingNode):
        mapping: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != STR_TAG:
                problems.append(found.problem(place, f"a key must be a plain word, not {describe(key_node)}"))
                continue
            key = key_node.value
            if key in mapping:
                problems.append(
                    BankProblem(
                        found.file,
                        key_node.start_mark.line + 1,
                        joined(field_name(place), key),
                        f"{key!r} appears twice",
                    )
                )
                continue
            # A block list or mapping starts on the line after its key: report the key's line.
            found.lines[(*place, key)] = key_node.start_mark.line + 1
            mapping[key] = _value(value_node, (*place, key), found, problems)
        return mapping
    if isinstance(node, ScalarNode):
        if node.tag == STR_TAG:
            return node.value
        return yaml.SafeLoader("").construct_object(node)  # numbers, true/false, empty, dates
    return tuple(_value(item, (*place, n), found, problems) for n, item in enumerate(node.value))
