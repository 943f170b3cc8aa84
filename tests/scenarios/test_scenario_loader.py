"""The scenario loader (bot.scenarios, issue #13): a broken file names file:line and field, every problem at
once, checked against the real question bank, pathways and word list."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.scenarios import DEFAULT_LIBRARY, ScenarioError, load_library, read_library

SAMPLE = DEFAULT_LIBRARY / "drawings_after_the_funeral.yaml"


def library_with(tmp_path: Path, text: str, name: str = "drawings_after_the_funeral.yaml") -> Path:
    folder = tmp_path / "library"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def problems(folder: Path) -> list[str]:
    return [str(problem) for problem in read_library(folder)[1]]


def test_a_clean_file_loads_as_typed_records(tmp_path: Path) -> None:
    (scenario,) = load_library(library_with(tmp_path, SAMPLE.read_text()))
    assert (scenario.id, scenario.age, scenario.setting, scenario.route.prevent) == (
        "drawings_after_the_funeral",
        9,
        "school",
        False,
    )
    assert scenario.facts[0].captured_by == ("drawing", "drawings", "drew", "pictures")


def test_every_problem_in_a_file_is_named_with_its_line_and_field(tmp_path: Path) -> None:
    text = (
        SAMPLE.read_text()
        .replace("age: 9\n", "age: 19\n")
        .replace("setting: school\n", "setting: playground\n")
        .replace("    question: young_person_words\n", "    question: what_they_said\n")
        .replace("    source: records\n", "    source: rumour\n")
        .replace("  pathway: early_help\n", "  pathway: prevent_referral\n")
        .replace("    when: last Thursday\n", "    when: 2025-03-06\n    date: yesterday\n")
    )
    folder = library_with(tmp_path, text)
    file = folder / "drawings_after_the_funeral.yaml"
    found = problems(folder)
    assert found == [
        f"{file}:4: age: must be a whole number from 9 to 17, not 19",
        f"{file}:5: setting: 'playground' is not one of: 'school', 'college', 'home_visit', 'health' or "
        "'youth_work'",
        f"{file}:34: facts[1].when: must be text, not a date (put it in quotes if you mean the words)",
        f"{file}:35: facts[1].date: unknown key 'date'; did you mean 'danger'?",
    ]
    # The shape problems stop the file before the checks against the bank; fixed, the bank's are reported.
    fixed = text.replace("age: 19", "age: 9").replace("playground", "school")
    fixed = fixed.replace("    when: 2025-03-06\n    date: yesterday\n", "    when: last Thursday\n")
    folder = library_with(tmp_path, fixed)
    assert problems(folder) == [
        f"{file}:31: facts[1].question: 'what_they_said' is not a question in the bank (bank 2026.1)",
        f"{file}:39: facts[2].source: 'rumour' is not one of: seen_or_heard_myself, young_person_told_me, "
        "someone_else_told_me, found_online, records",
        f"{file}:65: route.pathway: prevent is false, so the pathway is not 'prevent_referral'",
    ]
    with pytest.raises(ScenarioError, match="3 problems"):
        load_library(folder)


def test_choice_facts_take_the_questions_values_and_vocabularies_the_banks(tmp_path: Path) -> None:
    text = (
        SAMPLE.read_text()
        .replace("    captured_by: [bereavement_trauma]\n", "    captured_by: [grief]\n")
        .replace("  ideas: none_identified\n", "  ideas: extreme\n")
        .replace("protective: [trusted_adult, positive_activities]", "protective: [trusted_adult, none]")
    )
    file = library_with(tmp_path, text) / "drawings_after_the_funeral.yaml"
    found = problems(file.parent)
    assert [line.split(": ")[0:2] for line in found] == [
        [f"{file}:8", "concern.ideas"],
        [f"{file}:22", "protective[1]"],
        [f"{file}:41", "facts[2].captured_by[0]"],
    ]
    assert "'grief' must be one of its values: sexual_exploitation" in found[2]


def test_the_card_says_fictional_and_names_no_ideology_religion_place_or_community(tmp_path: Path) -> None:
    text = (
        SAMPLE.read_text()
        .replace("This case is fictional: the child", "This case is invented: the child")
        .replace("has been radicalised by the brother", "has been drawn into nazi ideas by the brother")
    )
    file = library_with(tmp_path, text) / "drawings_after_the_funeral.yaml"
    named = (
        "names 'nazi': a scenario describes what was said or done, never an ideology, religion, place or "
        "community (bot/questions/neutral_wording.yaml)"
    )
    assert problems(file.parent) == [
        f"{file}:9: card: must say that the case is fictional (the word 'fictional')",
        f"{file}:9: card: {named}",
        f"{file}:57: traps[0].offered: {named}",
    ]


def test_the_id_is_the_file_name_and_every_broken_file_is_reported(tmp_path: Path) -> None:
    folder = library_with(tmp_path, SAMPLE.read_text(), name="renamed.yaml")
    library_with(tmp_path, "id: [unclosed\n", name="broken.yaml")
    library_with(tmp_path, "title: only a title\n", name="short.yaml")
    found = problems(folder)
    assert found[0].startswith(f"{folder / 'broken.yaml'}:2: (file): not valid YAML")
    assert (
        found[1] == f"{folder / 'renamed.yaml'}:2: id: 'drawings_after_the_funeral' must be the file's name, "
        "'renamed'"
    )
    assert f"{folder / 'short.yaml'}:1: age: missing required field 'age'" in found
    assert read_library(folder)[0] == ()


def test_an_empty_folder_is_a_problem(tmp_path: Path) -> None:
    assert problems(tmp_path) == [f"{tmp_path}:0: (folder): no scenario files (*.yaml) in the folder"]


def test_the_shipped_library_copied_whole_loads(tmp_path: Path) -> None:
    shutil.copytree(DEFAULT_LIBRARY, tmp_path / "copy")
    assert len(load_library(tmp_path / "copy")) == len(load_library())
