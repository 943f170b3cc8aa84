"""Reading one section's questions from YAML nodes (bot.questions.condition_checks checks their conditions).

Kept apart from loader.py, which deals with files, the index and caching: this module is the bank's schema,
the one place that says which keys a section, a question and a choice may have (a condition's:
bot.questions.condition_reader). Problems go
to the shared list of the NodeReader for the file being read, so one pass reports every problem in every
file. A question with problems is still built when its id and type are readable, so that its follow-ups
are checked against it rather than reported as naming an unknown question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from yaml.nodes import Node

from bot.questions.condition_reader import PendingCondition, read_show_if
from bot.questions.model import (
    CHOICE_TYPES,
    DATE_RANGES,
    EFFECTS,
    PARTS,
    UNSURE,
    VAF_DIMENSIONS,
    AnswerType,
    Choice,
    DateRange,
    Effect,
    Part,
    Question,
    VafDimension,
)
from bot.questions.phrases import UNSURE_PHRASES, match_key
from bot.questions.yaml_nodes import NodeReader, joined

DEFAULT_UNSURE_LABEL = "Not sure"
YES_NO_CHOICES = (Choice("yes", "Yes"), Choice("no", "No"))

SECTION_KEYS = ("id", "title", "questions")
SECTION_OPTIONAL = ("part", "intro")
QUESTION_KEYS = ("id", "text", "type", "why")
QUESTION_OPTIONAL = (
    "choices",
    "ask_source",
    "vaf",
    "show_if",
    "optional",
    "required",
    "allow_unsure",
    "unsure_label",
    "date_range",
    "effect",
    "another_way",
    "evidence",
    "per_choice",
)
CHOICE_KEYS = ("value", "label")
CHOICE_OPTIONAL = ("aliases", "concern")


@dataclass(frozen=True)
class QuestionDraft:
    question: Question
    conditions: tuple[PendingCondition, ...]
    # Where it was written (the question's own mapping), for the bank-level checks' problems.
    reader: NodeReader | None = None
    node: Node | None = None
    field: str = ""


@dataclass(frozen=True)
class SectionDraft:
    id: str
    title: str
    part: Part
    intro: str
    questions: tuple[QuestionDraft, ...]
    # Where it was written (the section's own mapping), for the bank check's problems about its wording.
    reader: NodeReader | None = None
    node: Node | None = None
    field: str = ""


class SectionReader:
    """Reads sections in bank order, remembering ids across files to catch duplicates."""

    def __init__(self) -> None:
        self.section_ids: dict[str, str] = {}
        self.question_ids: dict[str, str] = {}
        self.effects_seen: set[str] = set()

    def read_section(self, reader: NodeReader, node: Node, field: str) -> SectionDraft | None:
        fields = reader.mapping(node, field, required=SECTION_KEYS, optional=SECTION_OPTIONAL)
        if fields is None:
            return None
        section_id = reader.identifier(fields["id"], joined(field, "id")) if "id" in fields else None
        if section_id is not None:
            self._claim(reader, fields["id"], joined(field, "id"), section_id, self.section_ids, "section id")
        title = reader.text(fields["title"], joined(field, "title")) if "title" in fields else None
        part = reader.one_of(fields["part"], joined(field, "part"), PARTS) if "part" in fields else None
        intro = reader.text(fields["intro"], joined(field, "intro")) if "intro" in fields else None
        questions_field = joined(field, "questions")
        items = reader.sequence(fields["questions"], questions_field) if "questions" in fields else None
        drafts = []
        for n, item in enumerate(items or ()):
            draft = self._read_question(reader, item, joined(questions_field, n), section_id or "")
            if draft is not None:
                drafts.append(draft)
        return SectionDraft(
            section_id or "",
            title or "",
            cast(Part, part or "assessment"),
            intro or "",
            tuple(drafts),
            reader,
            node,
            field,
        )

    def _claim(
        self, reader: NodeReader, node: Node, field: str, name: str, seen: dict[str, str], what: str
    ) -> None:
        where = f"{reader.file}:{node.start_mark.line + 1}"
        if name in seen:
            reader.add(node, field, f"duplicate {what} {name!r} (first: {seen[name]})")
        else:
            seen[name] = where

    def _read_question(
        self, reader: NodeReader, node: Node, field: str, section_id: str
    ) -> QuestionDraft | None:
        fields = reader.mapping(node, field, required=QUESTION_KEYS, optional=QUESTION_OPTIONAL)
        if fields is None:
            return None

        def at(key: str) -> tuple[Node, str]:
            return fields[key], joined(field, key)

        qid = reader.identifier(*at("id")) if "id" in fields else None
        if qid is not None:
            self._claim(reader, fields["id"], joined(field, "id"), qid, self.question_ids, "id")
        text = reader.text(*at("text")) if "text" in fields else None
        why = reader.text(*at("why")) if "why" in fields else None
        type_name = reader.one_of(*at("type"), [t.value for t in AnswerType]) if "type" in fields else None
        answer_type = AnswerType(type_name) if type_name else None
        flags = {
            key: reader.boolean(*at(key))
            for key in ("ask_source", "optional", "required", "allow_unsure", "evidence")
            if key in fields
        }
        if flags.get("required") and flags.get("optional"):
            reader.add(*at("required"), "a question cannot be both required and optional: remove one")
        allow_unsure = flags.get("allow_unsure") is not False
        if flags.get("evidence") and answer_type is not None and answer_type not in CHOICE_TYPES:
            reader.add(*at("evidence"), "marks a yes/no or choice question whose answer can raise a concern")
        vaf = reader.one_of(*at("vaf"), VAF_DIMENSIONS) if "vaf" in fields else None
        date_range = reader.one_of(*at("date_range"), DATE_RANGES) if "date_range" in fields else None
        if date_range and answer_type is not None and answer_type != AnswerType.DATE:
            reader.add(*at("date_range"), "only date questions take a date_range")
        unsure_label = self._read_unsure_label(reader, fields, field, allow_unsure)
        unsure_choice = Choice(UNSURE, unsure_label or DEFAULT_UNSURE_LABEL)
        choices = self._read_choices(reader, node, fields, field, answer_type, unsure_choice, allow_unsure)
        conditions = read_show_if(reader, fields, field)
        effect = self._read_effect(reader, fields, field, answer_type, choices)
        another_way = self._read_another_way(reader, fields, field, answer_type)
        per_choice = reader.identifier(*at("per_choice")) if "per_choice" in fields else None
        if per_choice is not None and conditions:
            reader.add(*at("per_choice"), "is asked for each choice ticked: it takes no show_if of its own")
        if qid is None or answer_type is None:
            return None
        question = Question(
            id=qid,
            section_id=section_id,
            text=text or "",
            answer_type=answer_type,
            choices=choices,
            why=why or "",
            ask_source=bool(flags.get("ask_source")),
            vaf=cast(VafDimension | None, vaf),
            show_if=tuple(pending.condition for pending in conditions),
            optional=bool(flags.get("optional")),
            required=bool(flags.get("required")),
            allow_unsure=allow_unsure,
            date_range=cast(DateRange, date_range or "past") if answer_type == AnswerType.DATE else None,
            origin=f"{reader.file}:{node.start_mark.line + 1}",
            effect=cast(Effect | None, effect),
            another_way=another_way or "",
            evidence=bool(flags.get("evidence")),
            per_choice=per_choice,
        )
        return QuestionDraft(question, conditions, reader, node, field)

    def _read_effect(
        self,
        reader: NodeReader,
        fields: dict[str, Node],
        field: str,
        answer_type: AnswerType | None,
        choices: tuple[Choice, ...],
    ) -> str | None:
        if "effect" not in fields:
            return None
        node, effect_field = fields["effect"], joined(field, "effect")
        effect = reader.one_of(node, effect_field, EFFECTS)
        if effect is None or answer_type is None:
            return effect
        if answer_type != AnswerType.YES_NO_UNSURE:
            reader.add(node, effect_field, f"{effect} needs a yes_no_unsure question")
        if effect in self.effects_seen and effect != "recheck_danger_if_yes":
            reader.add(node, effect_field, f"only one question may have the effect {effect}")
        self.effects_seen.add(effect)
        return effect

    def _read_another_way(
        self, reader: NodeReader, fields: dict[str, Node], field: str, answer_type: AnswerType | None
    ) -> str | None:
        """The question put another way; a free-text question reads every reply, so never needs it."""
        if "another_way" not in fields:
            return None
        node, way_field = fields["another_way"], joined(field, "another_way")
        text = reader.text(node, way_field)
        if answer_type == AnswerType.FREE_TEXT:
            reader.add(node, way_field, "has no effect on a free_text question: every reply fits it")
        return text

    def _read_unsure_label(
        self, reader: NodeReader, fields: dict[str, Node], field: str, allow_unsure: bool
    ) -> str | None:
        if "unsure_label" not in fields:
            return None
        node, label_field = fields["unsure_label"], joined(field, "unsure_label")
        label = reader.text(node, label_field)
        if not allow_unsure:
            reader.add(node, label_field, "has no effect with allow_unsure: false")
        elif label is not None and (not match_key(label) or match_key(label).isdigit()):
            reader.add(node, label_field, "would be read as an option number")
        return label

    def _read_choices(
        self,
        reader: NodeReader,
        node: Node,
        fields: dict[str, Node],
        field: str,
        answer_type: AnswerType | None,
        unsure_choice: Choice,
        allow_unsure: bool,
    ) -> tuple[Choice, ...]:
        """The written choices plus the "Not sure" option; yes/no/not sure for yes_no_unsure."""
        takes_choices = answer_type in (AnswerType.SINGLE_CHOICE, AnswerType.MULTIPLE_CHOICE)
        tail = (unsure_choice,) if allow_unsure and answer_type in CHOICE_TYPES else ()
        choices_field = joined(field, "choices")
        if "choices" not in fields:
            if takes_choices:
                reader.add(node, choices_field, f"a {answer_type} question needs choices")
            return (*YES_NO_CHOICES, *tail) if answer_type == AnswerType.YES_NO_UNSURE else tail
        if answer_type is not None and not takes_choices:
            built_in = (
                " (yes, no and not sure are built in)" if answer_type == AnswerType.YES_NO_UNSURE else ""
            )
            reader.add(
                fields["choices"], choices_field, f"a {answer_type} question takes no choices{built_in}"
            )
            return ()
        items = reader.sequence(fields["choices"], choices_field)
        if items is None:
            return tail
        if len(items) < 2:
            reader.add(fields["choices"], choices_field, "needs at least two choices")
        # Every way of typing a choice must lead to one choice only, or parsing would have to guess.
        claimed: dict[str, str] = {}
        if allow_unsure:
            claimed.update({key: UNSURE for key in (*UNSURE_PHRASES, match_key(unsure_choice.label))})
        choices = [
            self._read_choice(reader, item, joined(choices_field, n), claimed) for n, item in enumerate(items)
        ]
        return (*(choice for choice in choices if choice is not None), *tail)

    def _read_choice(
        self, reader: NodeReader, node: Node, field: str, claimed: dict[str, str]
    ) -> Choice | None:
        fields = reader.mapping(node, field, required=CHOICE_KEYS, optional=CHOICE_OPTIONAL)
        if fields is None:
            return None
        value = reader.identifier(fields["value"], joined(field, "value")) if "value" in fields else None
        label = reader.text(fields["label"], joined(field, "label")) if "label" in fields else None
        aliases: list[str] = []
        if "aliases" in fields:
            aliases_field = joined(field, "aliases")
            for n, alias_node in enumerate(reader.sequence(fields["aliases"], aliases_field) or ()):
                alias = reader.text(alias_node, joined(aliases_field, n))
                if alias is not None:
                    aliases.append(alias)
        # `concern: false` on a choice of an evidence question: an answer that raises nothing ("they listen").
        concern = reader.boolean(fields["concern"], joined(field, "concern")) if "concern" in fields else None
        if value is None or label is None:
            return None
        if value == UNSURE:
            reader.add(
                fields["value"],
                joined(field, "value"),
                "'unsure' is reserved: every question offers 'Not sure' already "
                "(allow_unsure: false removes it)",
            )
            return None
        for key_field, wording in (("value", value), ("label", label), *(("aliases", a) for a in aliases)):
            key = match_key(wording)
            if not key or key.isdigit():
                reader.add(
                    fields[key_field],
                    joined(field, key_field),
                    f"{wording!r} would be read as an option number",
                )
            elif claimed.get(key, value) != value:
                other = claimed[key]
                what = "the universal 'not sure'" if other == UNSURE else f"the choice {other!r}"
                reader.add(
                    fields[key_field], joined(field, key_field), f"{wording!r} would also match {what}"
                )
            else:
                claimed[key] = value
        return Choice(value, label, tuple(aliases), concern is not False)
