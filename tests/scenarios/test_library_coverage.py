"""The shipped scenario library covers what issue #13 asks for, and `bot scenarios list` / `check` work both
ways (a clean library, a broken one)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from bot.questions.loader import load_bank
from bot.scenarios import DEFAULT_LIBRARY, load_library
from bot.scenarios.model import OLDEST, SETTINGS, YOUNGEST
from tests.cli.in_process import as_text, run_in_process


def test_the_library_covers_ages_settings_concerns_needs_danger_and_routes() -> None:
    scenarios = load_library()
    assert len(scenarios) >= 10
    assert {s.age for s in scenarios} == set(range(YOUNGEST, OLDEST + 1))
    assert {s.setting for s in scenarios} == set(SETTINGS)
    assert {"mixed", "unclear", "violence_without_cause"} <= {s.concern.ideas for s in scenarios}
    needs = {need.need for s in scenarios for need in s.needs}
    assert {"sexual_exploitation", "criminal_exploitation", "substance_misuse", "send"} <= needs
    assert {"mental_health_young_person", "mental_health_carer"} <= needs
    assert {need.of for s in scenarios for need in s.needs} >= {"young_person", "parent_or_carer", "sibling"}
    assert all(s.protective for s in scenarios)
    assert sum(s.danger is not None for s in scenarios) >= 2
    assert sum(not s.route.prevent for s in scenarios) >= 2


def test_every_fact_and_trap_names_a_question_the_real_bank_asks() -> None:
    bank = load_bank()
    named = [(s.id, f.question) for s in load_library() for f in (*s.facts, *s.traps)]
    assert [pair for pair in named if pair[1] not in bank] == []


def test_every_card_says_it_is_fictional() -> None:
    assert all("fictional" in s.card.lower() for s in load_library())


def bot(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`bot ARGS` called in-process (tests/cli/in_process.py): the real command and its exit code."""
    return as_text(run_in_process(data_dir, *args))


def test_list_and_check_on_the_shipped_library(tmp_path: Path) -> None:
    listed = bot(tmp_path / "data", "scenarios", "list")
    assert (listed.returncode, listed.stderr) == (0, "")
    rows = listed.stdout.splitlines()
    assert rows[0].split() == ["id", "age", "setting", "route", "danger", "title"]
    assert len(rows) == 1 + len(load_library())
    assert any(row.startswith("county_lines_not_a_cause") and "s47_strategy" in row for row in rows)
    checked = bot(tmp_path / "data", "scenarios", "check")
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")


def test_check_and_list_print_every_problem_and_exit_1(tmp_path: Path) -> None:
    library = tmp_path / "library"
    shutil.copytree(DEFAULT_LIBRARY, library)
    file = library / "the_mentor_online.yaml"
    file.write_text(
        file.read_text().replace("age: 11", "age: 8").replace("setting: youth_work", "setting: park")
    )
    for command in ("check", "list"):
        run = bot(tmp_path / "data", "scenarios", command, "--library", str(library))
        assert (run.returncode, run.stderr) == (1, "")
        assert run.stdout.splitlines() == [
            f"{file}:4: age: must be a whole number from 9 to 17, not 8",
            f"{file}:5: setting: 'park' is not one of: 'school', 'college', 'home_visit', 'health' or "
            "'youth_work'",
        ]


def test_a_library_that_is_not_there_is_a_usage_error(tmp_path: Path) -> None:
    run = bot(tmp_path / "data", "scenarios", "check", "--library", str(tmp_path / "none"))
    assert run.returncode == 2 and run.stdout == ""
    assert "--library" in run.stderr and "no such folder" in run.stderr
