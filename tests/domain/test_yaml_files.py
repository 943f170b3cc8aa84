"""The one reader of our YAML data files (bot.domain.yaml_files.read_yaml): what it returns, each refusal
naming the file in the caller's own error type, and that no other module reads YAML into plain data."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.dialogue.control_families import ControlFamiliesError, load_families
from bot.domain.yaml_files import read_yaml
from bot.questions import load_bank
from bot.reports.breakdowns import BreakdownError, load_breakdowns
from bot.scenarios.debrief_data import load_debrief_data
from bot.scenarios.loader import ScenarioError
from tests.fixtures.source_trees import ROOT, parsed, python_files


class OwnError(Exception):
    """A caller's own error type: read_yaml raises what it is given."""


def test_a_mapping_is_returned_as_written(tmp_path: Path) -> None:
    path = tmp_path / "words.yaml"
    path.write_text("title: A title\nitems: [one, two]\n", encoding="utf-8")
    assert read_yaml(path, OwnError) == {"title": "A title", "items": ["one", "two"]}


def test_a_list_is_returned_when_a_list_is_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "items.yaml"
    path.write_text("- one\n- two\n", encoding="utf-8")
    assert read_yaml(path, OwnError, top=list) == ["one", "two"]


def test_a_missing_file_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    with pytest.raises(OwnError) as refused:
        read_yaml(path, OwnError)
    assert str(refused.value) == f"{path}: cannot be read: No such file or directory"


def test_bad_yaml_is_refused_naming_the_file_and_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("title: fine\nitems: [one, two\n", encoding="utf-8")
    with pytest.raises(OwnError) as refused:
        read_yaml(path, OwnError)
    message = str(refused.value)
    assert message.startswith(f"{path}: is not valid YAML: ")
    assert "line 3" in message  # the library's place of the problem is kept


@pytest.mark.parametrize(
    ("text", "top", "found"),
    [
        ("- one\n- two\n", dict, "a list"),
        ("just some words\n", dict, "text"),
        ("", dict, "an empty file"),
        ("12\n", dict, "int"),
        ("title: A title\n", list, "a mapping"),
    ],
)
def test_the_wrong_top_level_is_refused_naming_the_file(
    tmp_path: Path, text: str, top: type, found: str
) -> None:
    path = tmp_path / "shape.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OwnError) as refused:
        read_yaml(path, OwnError, top=top)
    assert str(refused.value).startswith(f"{path}: expected ")
    assert str(refused.value).endswith(f"at the top of the file, found {found}")


def test_a_file_known_by_its_setting_is_named_so(tmp_path: Path) -> None:
    path = tmp_path / "mapping.yaml"
    with pytest.raises(SystemExit) as refused:
        read_yaml(path, SystemExit, where=f"BOT_SETTING ({path})")
    assert str(refused.value) == f"BOT_SETTING ({path}): cannot be read: No such file or directory"


def test_callers_keep_their_own_error_types(tmp_path: Path) -> None:
    """Three callers, three error types; each refusal still names the file once."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [\n", encoding="utf-8")
    with pytest.raises(ControlFamiliesError, match="is not valid YAML"):
        load_families.__wrapped__(broken)
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n", encoding="utf-8")
    with pytest.raises(BreakdownError, match="expected a mapping"):
        load_breakdowns(load_bank(), listed)
    with pytest.raises(ScenarioError) as refused:
        load_debrief_data(load_bank(), tmp_path / "absent.yaml")
    (problem,) = refused.value.problems
    assert (problem.file, problem.field) == (str(tmp_path / "absent.yaml"), "(file)")
    assert problem.message == "cannot be read: No such file or directory"


def _loads_yaml_as_data(path: Path) -> list[int]:
    """Lines calling `yaml.safe_load`, `yaml.load` or `yaml.full_load` (node readers compose instead)."""
    return [
        node.lineno
        for node in ast.walk(parsed(path))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("safe_load", "load", "full_load", "unsafe_load")
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "yaml"
    ]


def test_no_other_product_module_reads_yaml_its_own_way() -> None:
    own = ROOT / "bot" / "domain" / "yaml_files.py"
    offending = [
        f"{path.relative_to(ROOT)}:{line}"
        for top in ("bot", "actions")
        for path in python_files(top)
        if path != own
        for line in _loads_yaml_as_data(path)
    ]
    assert not offending, "read YAML with bot.domain.yaml_files.read_yaml: " + ", ".join(offending)
