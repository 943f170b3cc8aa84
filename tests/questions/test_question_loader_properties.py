"""Property tests for the loader: generated valid banks load as written, a single mutation is caught and
named by its field and line, and no text whatever escapes as anything but a BankError."""

from __future__ import annotations

import copy
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.questions import BankError, QuestionBank, bank_from_text, load_bank
from tests.fixtures.hypothesis_lanes import examples
from tests.questions.questions_helpers import bank_yaml

IDS = st.from_regex(r"[a-z][a-z0-9]{0,6}(?:_[a-z0-9]{1,4}){0,2}", fullmatch=True)
VALUES = st.from_regex(r"v[a-z0-9]{0,5}", fullmatch=True)
WORDING = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")),
    min_size=1,
    max_size=30,
).filter(lambda text: text.strip() != "")
TYPES = ["yes_no_unsure", "single_choice", "multiple_choice", "free_text", "date", "age"]
CHOICE_TYPES = ("single_choice", "multiple_choice")


@st.composite
def questions_for(draw: st.DrawFn, qid: str, earlier: list[dict[str, Any]]) -> dict[str, Any]:
    answer_type = draw(st.sampled_from(TYPES))
    entry: dict[str, Any] = {"id": qid, "text": draw(WORDING), "type": answer_type, "why": draw(WORDING)}
    if answer_type in CHOICE_TYPES:
        values = draw(st.lists(VALUES, min_size=2, max_size=4, unique=True))
        # Labels start "Choice n:" so that no two choices (nor "not sure") can be typed the same way.
        entry["choices"] = [
            {"value": v, "label": f"Choice {n}: {draw(WORDING)}"} for n, v in enumerate(values)
        ]
    for flag in ("ask_source", "optional"):
        if draw(st.booleans()):
            entry[flag] = draw(st.booleans())
    if not entry.get("optional") and draw(st.booleans()):
        entry["required"] = draw(st.booleans())  # never with optional: true (the loader refuses both)
    if draw(st.booleans()):
        entry["vaf"] = draw(st.sampled_from(["engagement", "intent", "capability"]))
    if draw(st.integers(0, 3)) == 0:
        entry["allow_unsure"] = False
    elif draw(st.booleans()):
        entry["unsure_label"] = f"Not known {draw(WORDING)}"
    if answer_type == "date" and draw(st.booleans()):
        entry["date_range"] = draw(st.sampled_from(["past", "future", "any"]))
    if earlier and draw(st.booleans()):
        conditions = [
            draw(condition_on(draw(st.sampled_from(earlier)))) for _ in range(draw(st.integers(1, 2)))
        ]
        entry["show_if"] = conditions[0] if len(conditions) == 1 and draw(st.booleans()) else conditions
    return entry


@st.composite
def condition_on(draw: st.DrawFn, target: dict[str, Any]) -> dict[str, Any]:
    if target.get("ask_source") and draw(st.booleans()):
        return {"question": target["id"] + "__source", "equals": "someone_else_told_me"}
    values = [choice["value"] for choice in target.get("choices", [])]
    kind = draw(st.sampled_from(["answered", "values"]))
    if kind == "answered" or target["type"] not in (*CHOICE_TYPES, "yes_no_unsure"):
        return {"question": target["id"], "answered": True}
    values = values or ["yes", "no"]
    picked = draw(st.lists(st.sampled_from(values), min_size=1, max_size=len(values), unique=True))
    chosen: Any = picked[0] if len(picked) == 1 and draw(st.booleans()) else picked
    return {"question": target["id"], "includes" if target["type"] == "multiple_choice" else "equals": chosen}


@st.composite
def valid_banks(draw: st.DrawFn) -> dict[str, Any]:
    sizes = draw(st.lists(st.integers(1, 5), min_size=1, max_size=3))
    ids = draw(st.lists(IDS, min_size=sum(sizes), max_size=sum(sizes), unique=True))
    made: list[dict[str, Any]] = []
    sections = []
    for n, size in enumerate(sizes):
        section_questions = []
        for qid in ids[len(made) : len(made) + size]:
            section_questions.append(draw(questions_for(qid, list(made))))
            made.append(section_questions[-1])
        sections.append({"id": f"section_{n}", "title": draw(WORDING), "questions": section_questions})
    return {"version": draw(st.sampled_from(["1", "2025.1", "0.10"])), "sections": sections}


def dump(structure: dict[str, Any]) -> str:
    return yaml.safe_dump(structure, sort_keys=False, allow_unicode=True)


def authored(structure: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for section in structure["sections"] for q in section["questions"]]


def stripped(bank: QuestionBank) -> list[object]:
    return [replace(question, origin="") for question in bank.questions]


@settings(max_examples=examples(150))
@given(structure=valid_banks())
def test_generated_valid_banks_load_as_written(structure: dict[str, Any]) -> None:
    bank = bank_from_text(dump(structure), filename="bank.yaml")
    written = authored(structure)
    assert bank.version == structure["version"]
    assert [q.id for q in bank.authored_questions] == [q["id"] for q in written]
    # Beyond those written: only generated ones (source prompts, the evidence pattern of issue #18).
    assert all(q.is_synthesised for q in bank.questions if q.id not in {w["id"] for w in written})
    assert len(bank.questions) >= len(written) + 2 * sum(bool(q.get("ask_source")) for q in written)
    for entry in written:
        loaded = bank.question(entry["id"])
        assert (loaded.text, loaded.why, loaded.answer_type) == (entry["text"], entry["why"], entry["type"])
        assert [c.value for c in loaded.choices if c.value != "unsure"] == [
            c["value"] for c in entry.get("choices", [{"value": "yes"}, {"value": "no"}])
        ] or entry["type"] not in (*CHOICE_TYPES, "yes_no_unsure")
        assert loaded.optional == bool(entry.get("optional"))
        assert loaded.required == bool(entry.get("required"))
        conditions = entry.get("show_if", [])
        assert len(loaded.show_if) == (1 if isinstance(conditions, dict) else len(conditions))
    assert bank.first_question().id == written[0]["id"]


SAFETY_SECTION = {
    "id": "safety_gate",
    "title": "Safety",
    "questions": [
        {
            "id": "dangerzone",
            "text": "Danger?",
            "type": "yes_no_unsure",
            "why": "W",
            "effect": "danger_if_yes",
            "required": True,
        }
    ],
}


@settings(max_examples=examples(40))
@given(structure=valid_banks())
def test_a_folder_of_section_files_loads_the_same_bank(structure: dict[str, Any]) -> None:
    # A bank folder must have a required danger question and list its must-be-required questions: the
    # first generated question (never conditional) is listed and marked. "dangerzone" can't be generated.
    first = structure["sections"][0]["questions"][0]
    first.pop("optional", None)
    first["required"] = True
    structure["sections"].insert(0, SAFETY_SECTION)
    structure = {"version": structure["version"], "must_be_required": [first["id"]], **structure}
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        names = [f"part_{n}.yaml" for n in range(len(structure["sections"]))]
        for name, section in zip(names, structure["sections"], strict=True):
            (folder / name).write_text(dump(section), encoding="utf-8")
        (folder / "index.yaml").write_text(
            dump({"version": structure["version"], "must_be_required": [first["id"]], "sections": names}),
            "utf-8",
        )
        from_folder = load_bank(folder)
    assert stripped(from_folder) == stripped(bank_from_text(dump(structure)))
    outline = [
        (s.id, s.title, s.part, s.intro, s.question_ids) for s in bank_from_text(dump(structure)).sections
    ]
    assert [(s.id, s.title, s.part, s.intro, s.question_ids) for s in from_folder.sections] == outline


MUTATIONS = [
    "unknown_key",
    "missing_field",
    "wrong_type",
    "duplicate_id",
    "show_if_unknown",
    "show_if_not_earlier",
    "choices_missing",
    "empty_wording",
]


def all_spots(structure: dict[str, Any]) -> list[tuple[int, int]]:
    return [
        (s, q) for s, section in enumerate(structure["sections"]) for q in range(len(section["questions"]))
    ]


@st.composite
def mutated_banks(draw: st.DrawFn) -> tuple[dict[str, Any], str, str, str]:
    """A valid bank with one thing broken, the field that must be named, a word from the message, and a
    word that must appear on the reported line (or "" when the line is the question's own)."""
    structure = copy.deepcopy(draw(valid_banks()))
    spots = all_spots(structure)
    mutation = draw(st.sampled_from(MUTATIONS))
    if mutation == "choices_missing":
        spots = [(s, q) for s, q in spots if structure["sections"][s]["questions"][q]["type"] in CHOICE_TYPES]
        if not spots:
            mutation = "empty_wording"
            spots = all_spots(structure)
    if mutation == "duplicate_id":
        spots = spots[1:] or spots
        mutation = mutation if len(authored(structure)) > 1 else "unknown_key"
    s, q = draw(st.sampled_from(spots))
    entry = structure["sections"][s]["questions"][q]
    where = f"sections[{s}].questions[{q}]"
    position = [x["id"] for x in authored(structure)].index(entry["id"])
    if mutation == "unknown_key":
        entry["colour"] = "red"
        return structure, f"{where}.colour", "unknown key", "colour"
    if mutation == "missing_field":
        key = draw(st.sampled_from(["id", "text", "type", "why"]))
        del entry[key]
        return structure, f"{where}.{key}", "missing required field", ""
    if mutation == "wrong_type":
        key, value, words = draw(
            st.sampled_from(
                [
                    ("text", ["a", "list"], "must be text"),
                    ("why", 12, "must be text"),
                    ("optional", "sometimes", "true or false"),
                    ("ask_source", {"a": 1}, "true or false"),
                    ("type", "essay", "not one of"),
                    ("vaf", "danger", "not one of"),
                ]
            )
        )
        entry[key] = value
        return structure, f"{where}.{key}", words, key
    if mutation == "duplicate_id":
        earlier = authored(structure)[draw(st.integers(0, max(position - 1, 0)))]
        if earlier is entry:
            entry["colour"] = "red"
            return structure, f"{where}.colour", "unknown key", "colour"
        entry["id"] = earlier["id"]
        return structure, f"{where}.id", "duplicate id", "id"
    if mutation == "show_if_unknown":
        entry["show_if"] = {"question": "zz_nowhere", "answered": True}
        return structure, f"{where}.show_if.question", "unknown question", ""
    if mutation == "show_if_not_earlier":
        later = authored(structure)[draw(st.integers(position, len(authored(structure)) - 1))]
        entry["show_if"] = [{"question": later["id"], "answered": True}]
        return structure, f"{where}.show_if[0].question", "refers to", ""
    if mutation == "choices_missing":
        del entry["choices"]
        return structure, f"{where}.choices", "needs choices", ""
    key = draw(st.sampled_from(["text", "why"]))
    entry[key] = draw(st.sampled_from(["", "   ", "\t", None]))
    return structure, f"{where}.{key}", "is empty", key


@settings(max_examples=examples(300))
@given(case=mutated_banks())
def test_a_mutated_bank_fails_naming_the_field(case: tuple[dict[str, Any], str, str, str]) -> None:
    structure, field, words, on_line = case
    text = dump(structure)
    try:
        bank_from_text(text, filename="bank.yaml")
    except BankError as error:
        problems = error.problems
    else:
        raise AssertionError(f"{field} was not caught")
    lines = text.splitlines()
    assert all(p.file == "bank.yaml" and 1 <= p.line <= len(lines) + 1 for p in problems)
    matching = [p for p in problems if p.field == field and words in p.message]
    assert matching, (field, [str(p) for p in problems])
    if on_line:
        assert on_line in lines[matching[0].line - 1]


YAML_KEYS = [
    "version", "sections", "id", "title", "questions", "text", "type", "why", "choices", "value", "label",
    "show_if", "question", "equals", "includes", "answered", "optional", "ask_source", "vaf", "part",
    "aliases", "date_range", "allow_unsure", "unsure_label", "intro", "effect",
]  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.sampled_from([*TYPES, "yes", "no", "unsure", "a_b", "__x", "", " "]),
    st.text(max_size=12),
)
STRUCTURES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(YAML_KEYS), children, max_size=6),
    ),
    max_leaves=30,
)


def loads_or_bank_error(text: str) -> None:
    try:
        bank_from_text(text)
    except BankError as error:
        assert error.problems and str(error)


@settings(max_examples=examples(300))
@given(text=st.text(max_size=300))
def test_any_text_is_a_bank_or_a_bank_error(text: str) -> None:
    loads_or_bank_error(text)


@settings(max_examples=examples(300))
@given(structure=STRUCTURES)
def test_any_yaml_structure_is_a_bank_or_a_bank_error(structure: object) -> None:
    loads_or_bank_error(yaml.safe_dump(structure))
    loads_or_bank_error(yaml.safe_dump({"version": "1", "sections": [structure]}))
    loads_or_bank_error(
        yaml.safe_dump({"version": 1, "sections": [{"id": "s", "title": "S", "questions": [structure]}]})
    )


@settings(max_examples=examples(200))
@given(structure=valid_banks(), data=st.data())
def test_damaged_bank_text_is_a_bank_or_a_bank_error(structure: dict[str, Any], data: st.DataObject) -> None:
    text = bank_yaml(*structure["sections"])
    position = data.draw(st.integers(0, len(text)))
    damage = data.draw(st.sampled_from(["cut", "insert", "drop_line", "repeat_line"]))
    lines = text.splitlines(keepends=True)
    line = data.draw(st.integers(0, len(lines) - 1))
    if damage == "cut":
        text = text[:position]
    elif damage == "insert":
        insert = data.draw(st.sampled_from([":", "-", "  ", "\t", "&a ", "*a", "[", "'", "#", "\n"]))
        text = text[:position] + insert + text[position:]
    elif damage == "drop_line":
        text = "".join(lines[:line] + lines[line + 1 :])
    else:
        text = "".join(lines[: line + 1] + lines[line:])
    loads_or_bank_error(text)
