"""The loader refuses a broken bank with every problem named by file, line and field, and reloads edits."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from bot.questions import AnswerType, BankError, Choice, Condition, bank_from_text, load_bank
from tests.questions.questions_helpers import bank_yaml, question, section


def problems_of(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(BankError) as caught:
        bank_from_text(text, filename="bank.yaml")
    assert all(problem.file == "bank.yaml" for problem in caught.value.problems)
    return [(problem.line, problem.field, problem.message) for problem in caught.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_a_small_bank_loads_with_choices_conditions_and_defaults() -> None:
    text = bank_yaml(
        section(
            "intro",
            question("mode", "single_choice", allow_unsure=False),
            question("worried"),
            question(
                "detail", "free_text", show_if={"question": "worried", "equals": "yes"}, ask_source=True
            ),
            question("when_it_happened", "date"),
        )
    )
    bank = bank_from_text(text)
    assert bank.version == "1"
    assert [q.id for q in bank.questions] == [
        "mode",
        "worried",
        "detail",
        "detail__source",
        "detail__source_role",
        "when_it_happened",
    ]
    assert bank.question("mode").choices == (Choice("alpha", "Alpha"), Choice("beta", "Beta"))
    assert [c.value for c in bank.question("worried").choices] == ["yes", "no", "unsure"]
    assert bank.question("detail").show_if == (Condition("worried", "equals", ("yes",)),)
    assert bank.question("when_it_happened").date_range == "past"
    assert bank.question("detail__source").answer_type == AnswerType.SINGLE_CHOICE
    assert bank.question("detail__source").source_of == "detail"
    assert bank.sections[0].question_ids == tuple(q.id for q in bank.questions)


def test_bare_yes_and_no_in_yaml_are_words_not_booleans() -> None:
    text = textwrap.dedent(
        """\
        version: 1.10
        sections:
          - id: only
            title: Only
            questions:
              - id: known
                text: Known?
                type: single_choice
                why: Because.
                choices:
                  - {value: yes, label: Known}
                  - {value: no, label: Not known to us}
              - id: how
                text: How?
                type: free_text
                why: Because.
                show_if: {question: known, equals: yes}
        """
    )
    bank = bank_from_text(text)
    assert bank.version == "1.10"
    assert [c.value for c in bank.question("known").choices] == ["yes", "no", "unsure"]
    assert bank.question("how").show_if[0].values == ("yes",)


def test_unknown_key_names_its_line_and_suggests_the_right_one() -> None:
    text = bank_yaml(section("s", question("first", optinal=True)))
    [(line, field, message)] = problems_of(text)
    assert line == line_of(text, "optinal")
    assert field == "sections[0].questions[0].optinal"
    assert "did you mean 'optional'" in message


def test_missing_fields_are_each_reported() -> None:
    entry = question("first")
    del entry["why"], entry["text"]
    found = problems_of(bank_yaml(section("s", entry)))
    assert {field for _, field, _ in found} == {
        "sections[0].questions[0].text",
        "sections[0].questions[0].why",
    }
    assert all("missing required field" in message for _, _, message in found)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("text", ["a list"], "must be text"),
        ("text", 12, "must be text, not a number"),
        ("optional", "sometimes", "must be true or false"),
        ("ask_source", 1, "must be true or false"),
        ("type", "essay", "is not one of"),
        ("vaf", "danger", "is not one of"),
        ("show_if", "worried", "must be a condition"),
        ("choices", "alpha, beta", "must be a list"),
    ],
)
def test_wrong_types_name_the_field(key: str, value: object, expected: str) -> None:
    answer_type = "single_choice" if key == "choices" else "yes_no_unsure"
    text = bank_yaml(section("s", question("first"), question("second", answer_type, **{key: value})))
    found = problems_of(text)
    assert any(f == f"sections[0].questions[1].{key}" and expected in m for _, f, m in found), found


def test_empty_wording_is_refused() -> None:
    found = problems_of(bank_yaml(section("s", question("first", text="   ", why=""))))
    assert {f for _, f, _ in found} == {"sections[0].questions[0].text", "sections[0].questions[0].why"}
    assert all("is empty" in m for _, _, m in found)


def test_duplicate_ids_name_the_first_use() -> None:
    text = bank_yaml(section("a", question("same")), section("b", question("other"), question("same")))
    [(_, field, message)] = problems_of(text)
    assert field == "sections[1].questions[1].id"
    assert "duplicate id 'same'" in message and "bank.yaml:" in message


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"question": "nowhere", "answered": True}, "unknown question 'nowhere'"),
        ({"question": "third", "answered": True}, "'third', which is asked later"),
        ({"question": "second", "answered": True}, "refers to itself"),
        ({"question": "first", "includes": "yes"}, "'includes' needs a multiple_choice question"),
        ({"question": "first", "equals": "maybe"}, "'maybe' is not a choice of 'first'"),
        ({"question": "first", "equals": "unsure"}, "'unsure' is not a choice of 'first'"),
        ({"question": "first"}, "needs exactly one of"),
        ({"question": "first", "equals": "yes", "answered": True}, "needs exactly one of"),
    ],
)
def test_show_if_must_name_an_earlier_question_and_its_values(
    condition: dict[str, object], expected: str
) -> None:
    text = bank_yaml(
        section("s", question("first"), question("second", show_if=condition), question("third"))
    )
    found = problems_of(text)
    assert any(f.startswith("sections[0].questions[1].show_if") and expected in m for _, f, m in found), found


def test_show_if_may_be_a_list_and_may_point_into_an_earlier_section() -> None:
    text = bank_yaml(
        section("one", question("kinds", "multiple_choice")),
        section(
            "two",
            question("worried"),
            question(
                "detail",
                "free_text",
                show_if=[
                    {"question": "kinds", "includes": ["alpha"]},
                    {"question": "worried", "equals": "yes"},
                ],
            ),
        ),
    )
    bank = bank_from_text(text)
    assert [c.question for c in bank.question("detail").show_if] == ["kinds", "worried"]


def test_choices_missing_or_misplaced() -> None:
    entry = question("pick", "single_choice")
    del entry["choices"]
    found = problems_of(
        bank_yaml(
            section(
                "s",
                entry,
                question("story", "free_text", choices=[{"value": "a", "label": "A"}]),
                question("one", "single_choice", choices=[{"value": "a", "label": "A"}]),
            )
        )
    )
    fields = {f: m for _, f, m in found}
    assert "needs choices" in fields["sections[0].questions[0].choices"]
    assert "takes no choices" in fields["sections[0].questions[1].choices"]
    assert "at least two" in fields["sections[0].questions[2].choices"]


def test_choices_that_could_not_be_told_apart_are_refused() -> None:
    choices = [
        {"value": "unsure", "label": "Hmm"},
        {"value": "alpha", "label": "Not known"},
        {"value": "beta", "label": "Alpha"},
        {"value": "gamma", "label": "3"},
        {"value": "delta", "label": "Delta", "aliases": ["Beta!"]},
    ]
    found = problems_of(bank_yaml(section("s", question("pick", "single_choice", choices=choices))))
    messages = " | ".join(m for _, _, m in found)
    assert "'unsure' is reserved" in messages
    assert "'Not known' would also match the universal 'not sure'" in messages
    assert "'Alpha' would also match the choice 'alpha'" in messages
    assert "'3' would be read as an option number" in messages
    assert "'Beta!' would also match the choice 'beta'" in messages


def test_ids_must_be_snake_case_and_may_not_use_the_reserved_double_underscore() -> None:
    found = problems_of(bank_yaml(section("s", question("Bad-Id"), question("x__source"))))
    assert [f for _, f, _ in found] == ["sections[0].questions[0].id", "sections[0].questions[1].id"]


def test_date_range_only_on_dates_and_unsure_label_needs_unsure() -> None:
    found = problems_of(
        bank_yaml(
            section(
                "s",
                question("a", "free_text", date_range="past"),
                question("b", "yes_no_unsure", allow_unsure=False, unsure_label="Dunno"),
            )
        )
    )
    assert [f for _, f, _ in found] == [
        "sections[0].questions[0].date_range",
        "sections[0].questions[1].unsure_label",
    ]


def test_yaml_syntax_errors_give_the_line() -> None:
    text = "version: 1\nsections:\n  - id: s\n    title: [unclosed\n"
    [(line, field, message)] = problems_of(text)
    assert field == "(file)" and "not valid YAML" in message and line >= 4


@pytest.mark.parametrize(
    "text",
    [
        "",
        "just words",
        "- a\n- b\n",
        "version: 1\nsections: []\n",
        "version: 1\nsections: [3]\n",
        "&a [*a]",
        "version: &v [*v]\nsections: &s [*s]\n",
        "[" * 5000,
        "version: 1\nsections:\n  - only.yaml\n",
        "a: 1\na: 2\n",
        "? [complex]\n: key\n",
        "version: !!python/object:os.system x\n",
        "version: 1\nsections:\n  - id: s\n    title: T\n    questions:\n"
        "      - &q {id: a, text: A, type: date, why: W}\n      - *q\n",
    ],
)
def test_malformed_documents_give_bank_errors(text: str) -> None:
    with pytest.raises(BankError):
        bank_from_text(text)


def write_folder(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def section_file(section_id: str, *questions: dict[str, object]) -> str:
    import yaml

    return yaml.safe_dump(section(section_id, *questions), sort_keys=False)


SAFETY_FILE = section_file(
    "safety", question("danger", effect="danger_if_yes", required=True), question("noticed", "free_text")
)


def test_a_folder_bank_names_the_section_file_in_its_problems(tmp_path: Path) -> None:
    folder = tmp_path / "bank"
    two = section_file("two", question("second", colour="red"))
    write_folder(
        folder,
        {
            "index.yaml": "version: '2'\nsections: [one.yaml, two.yaml, missing.yaml, ../up.yaml]\n",
            "one.yaml": section_file("one", question("first")),
            "two.yaml": two,
        },
    )
    with pytest.raises(BankError) as caught:
        load_bank(folder)
    by_file = {(Path(p.file).name, p.field): p for p in caught.value.problems}
    assert by_file[("two.yaml", "questions[0].colour")].line == line_of(two, "colour")
    assert "cannot read missing.yaml" in by_file[("index.yaml", "sections[2]")].message
    assert "same folder" in by_file[("index.yaml", "sections[3]")].message
    assert "two.yaml:" in str(caught.value)


def test_show_if_across_files_follows_the_index_order(tmp_path: Path) -> None:
    folder = tmp_path / "bank"
    write_folder(
        folder,
        {
            "index.yaml": "version: '2'\nsections: [late.yaml, early.yaml]\n",
            "early.yaml": section_file("early", question("early_q")),
            "late.yaml": section_file(
                "late", question("late_q", show_if={"question": "early_q", "answered": True})
            ),
        },
    )
    with pytest.raises(BankError) as caught:
        load_bank(folder)
    [problem] = caught.value.problems
    assert Path(problem.file).name == "late.yaml" and "asked later" in problem.message


def bump_mtime(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_load_bank_reuses_an_unchanged_bank_and_rereads_an_edited_one(tmp_path: Path) -> None:
    folder = tmp_path / "bank"
    write_folder(
        folder,
        {
            "index.yaml": "version: '1'\nmust_be_required: [first]\nsections: [safety.yaml, one.yaml]\n",
            "safety.yaml": SAFETY_FILE,
            "one.yaml": section_file("one", question("first", required=True)),
        },
    )
    first = load_bank(folder)
    assert load_bank(folder) is first

    (folder / "one.yaml").write_text(
        section_file("one", question("first", text="New wording?", required=True), question("added")),
        encoding="utf-8",
    )
    bump_mtime(folder / "one.yaml")
    second = load_bank(folder)
    assert second.question("first").text == "New wording?"
    assert [q.id for q in second.questions] == ["danger", "noticed", "first", "added"]
    assert second.digest != first.digest

    (folder / "one.yaml").write_text("id: one\ntitle: One\nquestions: []\n", encoding="utf-8")
    bump_mtime(folder / "one.yaml")
    with pytest.raises(BankError):
        load_bank(folder)


def test_a_single_file_bank_loads_by_path_and_text_alone_cannot_name_section_files(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(bank_yaml(section("s", question("first"))), encoding="utf-8")
    assert load_bank(path).first_question().id == "first"
    assert load_bank(str(path)) is load_bank(path)
    with pytest.raises(BankError) as caught:
        bank_from_text("version: 1\nsections: [other.yaml]\n")
    assert "needs a bank folder" in caught.value.problems[0].message


def test_a_missing_bank_is_a_bank_error(tmp_path: Path) -> None:
    with pytest.raises(BankError) as caught:
        load_bank(tmp_path / "nowhere")
    assert "nowhere" in str(caught.value)


def test_a_file_that_is_not_utf8_is_a_bank_error(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_bytes(b"version: 1\nsections:\n  - id: \xff\n")
    with pytest.raises(BankError) as caught:
        load_bank(path)
    assert caught.value.problems[0].line == 3


def test_a_question_with_a_bad_field_is_still_known_to_its_follow_ups() -> None:
    text = bank_yaml(
        section(
            "s",
            question("first", vaf="danger"),
            question("second", "free_text", show_if={"question": "first", "equals": "yes"}),
        )
    )
    [(_, field, _)] = problems_of(text)
    assert field == "sections[0].questions[0].vaf"


def test_show_if_may_name_a_generated_source_prompt() -> None:
    text = bank_yaml(
        section(
            "s",
            question("seen", "free_text", ask_source=True),
            question(
                "who_else",
                "free_text",
                show_if={"question": "seen__source", "equals": "someone_else_told_me"},
            ),
        )
    )
    bank = bank_from_text(text)
    assert bank.is_visible("who_else", {"seen": "x", "seen__source": "someone_else_told_me"})
    assert not bank.is_visible("who_else", {"seen": "x", "seen__source": "found_online"})


def test_effects_are_checked_against_the_question() -> None:
    bank = bank_from_text(
        bank_yaml(
            section(
                "s",
                question("danger", effect="danger_if_yes", required=True),
                question("threats", effect="recheck_danger_if_yes"),
                question("weapons", effect="recheck_danger_if_yes"),
            )
        )
    )
    assert [q.effect for q in bank.questions] == [
        "danger_if_yes",
        "recheck_danger_if_yes",
        "recheck_danger_if_yes",
    ]
    found = problems_of(
        bank_yaml(
            section(
                "s",
                question("mode", "single_choice", effect="sets_mode"),
                question("danger", "free_text", effect="danger_if_yes"),
                question("again", effect="danger_if_yes"),
                question("other", effect="explode"),
            )
        )
    )
    messages = {f: m for _, f, m in found}
    # Issue #26: no answer sets a run's mode any more, so a bank that asks one to is refused.
    assert "not one of" in messages["sections[0].questions[0].effect"]
    assert "needs a yes_no_unsure" in messages["sections[0].questions[1].effect"]
    assert "only one question" in messages["sections[0].questions[2].effect"]
    assert "not one of" in messages["sections[0].questions[3].effect"]


def test_another_way_is_kept_as_written_and_defaults_to_nothing() -> None:
    bank = bank_from_text(
        bank_yaml(section("s", question("when", "date", another_way="Roughly when was it?"), question("b")))
    )
    assert bank.question("when").another_way == "Roughly when was it?"
    assert bank.question("b").another_way == ""


def test_another_way_must_be_wording_and_is_refused_on_free_text() -> None:
    found = problems_of(
        bank_yaml(
            section(
                "s",
                question("a", "free_text", another_way="In other words?"),
                question("b", "date", another_way=""),
                question("c", "age", another_way=14),
                question("d", "yes_no_unsure", another_wya="typo"),
            )
        )
    )
    assert [(f, m.split(":")[0]) for _, f, m in found] == [
        ("sections[0].questions[0].another_way", "has no effect on a free_text question"),
        ("sections[0].questions[1].another_way", "is empty"),
        (
            "sections[0].questions[2].another_way",
            "must be text, not a number (put it in quotes if you mean the words)",
        ),
        ("sections[0].questions[3].another_wya", "unknown key 'another_wya'; did you mean 'another_way'?"),
    ]
