"""The bank check's wording rules (bot.questions.bank_checks): neutral wording and presuming wording.

The words themselves are data, in neutral_wording.yaml beside the bank, so that a lead can add one without
touching code. They list what the bot's OWN wording must not say; they are never indicators and are never
matched against what a practitioner writes. Matching is whole-word and case-insensitive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.questions.model import BankProblem
from bot.questions.yaml_nodes import NodeReader, compose, joined

if TYPE_CHECKING:
    from bot.questions.bank_checks import CheckedBank

WORDING_PATH = Path(__file__).resolve().parent / "neutral_wording.yaml"
# The bot's own wording in a question and in a section ("choices" is handled apart: it holds labels).
QUESTION_WORDING = ("text", "why", "another_way", "unsure_label")
SECTION_WORDING = ("title", "intro")


@dataclass(frozen=True)
class Wording:
    named: tuple[re.Pattern[str], ...]
    presuming: tuple[re.Pattern[str], ...]

    @classmethod
    def load(cls, path: Path, problems: list[BankProblem]) -> Wording | None:
        """The lists in the file at `path`; None after adding why to `problems` when it cannot be read."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(BankProblem(str(path), 0, "(file)", f"cannot read the word list: {error}"))
            return None
        root = compose(text, str(path), problems)
        reader = NodeReader(str(path), problems)
        fields = reader.mapping(root, "", required=("named", "presuming")) if root is not None else None
        if fields is None or len(fields) < 2:
            return None
        lists = {
            key: [
                reader.text(item, joined(key, n))
                for n, item in enumerate(reader.sequence(fields[key], key) or ())
            ]
            for key in ("named", "presuming")
        }
        if any(word is None for words in lists.values() for word in words):
            return None
        return cls(*(tuple(_whole_words(w) for w in lists[key] if w) for key in ("named", "presuming")))

    def names(self, text: str) -> str | None:
        return _first_match(self.named, text)

    def presumes(self, text: str) -> str | None:
        return _first_match(self.presuming, text)


def _whole_words(words: str) -> re.Pattern[str]:
    """`far right` matches "Far  right" but not "farright" or "so far rightly"."""
    body = r"\s+".join(re.escape(part) for part in words.split())
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


def _first_match(patterns: tuple[re.Pattern[str], ...], text: str) -> str | None:
    for pattern in patterns:
        found = pattern.search(text)
        if found:
            return found.group(0)
    return None


def neutral_wording(bank: CheckedBank) -> Iterator[BankProblem]:
    """No section title or intro, question text, why-text, other wording or choice label names an ideology,
    a religion, a place or a community."""
    for section in bank.reading.sections:
        places = [
            (section.reader, *place) for place in _wording(section.node, section.field, SECTION_WORDING)
        ]
        for draft in section.questions:
            places += [
                (draft.reader, *place) for place in _wording(draft.node, draft.field, QUESTION_WORDING)
            ]
            places += [(draft.reader, *place) for place in _labels(draft.node, draft.field)]
        for reader, mapping, field, key, text in places:
            if (word := bank.wording.names(text)) is not None:
                yield problem_at(
                    reader,
                    mapping,
                    field,
                    key,
                    f"names {word!r}: keep the bot's wording free of ideologies, religions, places and "
                    "communities (neutral_wording.yaml); ask what was said or done",
                )


def presuming_has_show_if(bank: CheckedBank) -> Iterator[BankProblem]:
    """A question worded as if the concern were established ("the ideas") is asked only after an answer has
    raised it (a show_if), unless index.yaml `presumes_pending` lists it."""
    listed = bank.allowed["presumes_pending"]
    stopped: set[str] = set()
    for section in bank.reading.sections:
        for draft in section.questions:
            question = draft.question
            phrase = bank.wording.presumes(f"{question.text}\n{question.another_way}")
            if phrase is None or question.show_if:
                continue
            stopped.add(question.id)
            if question.id not in listed:
                yield problem_at(
                    draft.reader,
                    draft.node,
                    draft.field,
                    "text",
                    f"{question.id!r} says {phrase!r}, which takes a concern for granted, but is asked of "
                    "everyone: give it a show_if on the answer that raises the concern",
                )
    for qid in listed:
        if qid not in stopped:
            yield bank.allow_list_problem(
                "presumes_pending", qid, f"{qid!r} is not a presuming question asked of everyone: remove it"
            )


def _wording(node: Node | None, field: str, keys: tuple[str, ...]) -> Iterator[tuple[Node, str, str, str]]:
    """(the mapping, its field, key, text) for each of `keys` written as text in the mapping `node`."""
    if isinstance(node, MappingNode):
        for key_node, value in node.value:
            if key_node.value in keys and isinstance(value, ScalarNode):
                yield node, field, key_node.value, value.value


def _labels(node: Node | None, field: str) -> Iterator[tuple[Node, str, str, str]]:
    """Each written choice's label, as _wording gives it."""
    for key_node, value in node.value if isinstance(node, MappingNode) else ():
        if key_node.value == "choices" and isinstance(value, SequenceNode):
            for n, choice in enumerate(value.value):
                yield from _wording(choice, joined(joined(field, "choices"), n), ("label",))


def problem_at(
    reader: NodeReader | None, node: Node | None, field: str, key: str, message: str
) -> BankProblem:
    """A problem at `key` of the mapping `node` written at `field`: the key's line, or the mapping's when the
    key is not written."""
    line = node.start_mark.line + 1 if node is not None else 0
    if isinstance(node, MappingNode):
        for key_node, _ in node.value:
            if key_node.value == key:
                line = key_node.start_mark.line + 1
    file = reader.file if reader is not None else "(bank)"
    return BankProblem(file, line, joined(field, key), message)
