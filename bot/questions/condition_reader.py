"""Reading a question's `show_if` from YAML nodes (bot.questions.condition_checks checks it against the bank).

Apart from question_reader.py so that the condition syntax sits in one place: a condition, a list of them
(all must hold), `{linked: true}`, and `{any_of: [...]}` (one must hold), whose alternatives may also be
`raised` ("something was raised here": a concern value or "not sure", issue #18).
"""

from __future__ import annotations

from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.questions.model import LINKED, Condition
from bot.questions.sources import ROLE_SUFFIX, SOURCE_SUFFIX
from bot.questions.yaml_nodes import NodeReader, joined

CONDITION_KINDS = ("equals", "includes", "answered")
# `any_of: [...]` holds when one of its conditions does; only its alternatives may be `raised` (a concern
# value or "not sure"), which says "something was raised here" without listing "not sure" as a value.
ANY_OF, RAISED = "any_of", "raised"
ALTERNATIVE_SHAPE = (
    "an alternative of any_of is a condition on one question: question, and one of equals, includes, "
    "answered, raised"
)
# A condition may name a generated source prompt ("x__source"); authored ids may not contain "__".
GENERATED_SUFFIXES = (ROLE_SUFFIX, SOURCE_SUFFIX)


@dataclass(frozen=True)
class PendingCondition:
    """A show_if condition as read, checked once the whole bank (and so the order) is known."""

    condition: Condition
    node: Node
    field: str
    reader: NodeReader
    # For `any_of`: each alternative as read, checked like a condition of its own.
    alternatives: tuple[PendingCondition, ...] = ()


def read_show_if(reader: NodeReader, fields: dict[str, Node], field: str) -> tuple[PendingCondition, ...]:
    if "show_if" not in fields:
        return ()
    node, show_field = fields["show_if"], joined(field, "show_if")
    if isinstance(node, ScalarNode):
        reader.add(node, show_field, "must be a condition (question: ..., equals: ...) or a list of them")
        return ()
    if isinstance(node, SequenceNode):
        items = [
            (item, joined(show_field, n)) for n, item in enumerate(reader.sequence(node, show_field) or ())
        ]
    else:
        items = [(node, show_field)]
    pending = []
    for item, item_field in items:
        if _is_any_of(item):
            any_of = _read_any_of(reader, item, item_field)
            if any_of is not None:
                pending.append(any_of)
            continue
        condition = _read_condition(reader, item, item_field)
        if condition is not None:
            pending.append(PendingCondition(condition, item, item_field, reader))
    return tuple(pending)


def _read_condition(reader: NodeReader, node: Node, field: str) -> Condition | None:
    if isinstance(node, MappingNode) and any(key.value == "linked" for key, _ in node.value):
        linked = reader.mapping(node, field, required=("linked",))
        if linked is not None and reader.boolean(linked["linked"], joined(field, "linked")) is not True:
            reader.add(linked["linked"], joined(field, "linked"), "only 'linked: true' is meaningful")
        return Condition(LINKED, "answered")
    if isinstance(node, MappingNode) and RAISED in _keys(node):
        # "raised" counts "not sure" as raising: only meaningful among alternatives, as a plain follow-up
        # of a concern is the evidence pattern's job (`evidence: true`)
        reader.add(
            node,
            joined(field, RAISED),
            "'raised' is only for the alternatives of any_of; one condition uses equals, includes or "
            "answered (evidence: true adds the follow-ups a concern needs)",
        )
        return None
    return _read_simple_condition(reader, node, field, CONDITION_KINDS)


def _read_any_of(reader: NodeReader, node: Node, field: str) -> PendingCondition | None:
    """`{any_of: [condition, ...]}`: at least one holds. Each alternative is a condition on one earlier
    question, and may also be `raised` (the answer is one of the values, or "not sure")."""
    fields = reader.mapping(node, field, required=(ANY_OF,))
    if fields is None:
        return None
    list_field = joined(field, ANY_OF)
    items = reader.sequence(fields[ANY_OF], list_field)
    if items is None:
        return None
    if len(items) < 2:
        reader.add(fields[ANY_OF], list_field, "needs at least two conditions (one is a plain show_if)")
    alternatives = []
    for n, item in enumerate(items):
        item_field = joined(list_field, n)
        if _is_any_of(item) or (isinstance(item, MappingNode) and _keys(item) & {"linked"}):
            reader.add(item, item_field, ALTERNATIVE_SHAPE)
            continue
        condition = _read_simple_condition(reader, item, item_field, (*CONDITION_KINDS, RAISED))
        if condition is not None:
            alternatives.append(PendingCondition(condition, item, item_field, reader))
    condition = Condition("", "any", (), tuple(pending.condition for pending in alternatives))
    return PendingCondition(condition, node, field, reader, tuple(alternatives))


def _read_simple_condition(
    reader: NodeReader, node: Node, field: str, kinds_allowed: tuple[str, ...]
) -> Condition | None:
    fields = reader.mapping(node, field, required=("question",), optional=kinds_allowed)
    if fields is None:
        return None
    target = None
    if "question" in fields:
        target = reader.identifier(fields["question"], joined(field, "question"), suffixes=GENERATED_SUFFIXES)
    kinds = [kind for kind in kinds_allowed if kind in fields]
    if len(kinds) != 1:
        reader.add(node, joined(field, "equals"), f"needs exactly one of: {', '.join(kinds_allowed)}")
        return None
    kind = kinds[0]
    if kind == RAISED:
        values = reader.identifiers(fields[kind], joined(field, kind))
        return None if target is None or values is None else Condition(target, "raised", values)
    if kind == "answered":
        if reader.boolean(fields[kind], joined(field, kind)) is False:
            reader.add(fields[kind], joined(field, kind), "only 'answered: true' is meaningful")
        return None if target is None else Condition(target, "answered")
    values = reader.identifiers(fields[kind], joined(field, kind))
    if target is None or values is None:
        return None
    return Condition(target, "includes" if kind == "includes" else "equals", values)


def _keys(node: MappingNode) -> set[object]:
    return {key.value for key, _ in node.value}


def _is_any_of(node: Node) -> bool:
    return isinstance(node, MappingNode) and ANY_OF in _keys(node)
