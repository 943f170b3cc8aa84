"""`bot report --from/--to` take a whole, unambiguous date or an ISO month (`2026-04`), or refuse it as a
usage error (issue #28).

The chat's date reader is generous on purpose ("last tuesday", "March 2026" as its first day); a board pack
made quietly for the wrong period is worse than a refusal, so the CLI reads its dates strictly.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from bot.cli import board_date, main
from bot.cli.dates import board_end_date
from bot.store.db import make_session_factory
from bot.store.services import Store
from tests.cli.in_process import run_in_process
from tests.fixtures.databases import MigratedSqlite


@pytest.mark.parametrize(
    "text",
    ["2026-04-01", "1/4/2026", "01/04/2026", "1 April 2026", "01 april 2026", "1 Apr 2026", " 1/4/2026 "],
)
def test_unambiguous_dates_are_read(text: str) -> None:
    assert board_date(text) == board_end_date(text) == date(2026, 4, 1)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026-04", date(2026, 4, 1), date(2026, 4, 30)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),
        ("2100-02", date(2100, 2, 1), date(2100, 2, 28)),
    ],
)
def test_a_month_is_from_its_first_day_to_its_last(text: str, first: date, last: date) -> None:
    assert (board_date(text), board_end_date(text)) == (first, last)


@pytest.mark.parametrize(
    ("flag", "text", "says"),
    [
        ("--to", "2025", "not a whole date"),
        ("--to", "March 2026", "not a whole date"),
        ("--from", "last tuesday", "not a whole date"),
        ("--from", "yesterday", "not a whole date"),
        ("--to", "1/4/26", "not a whole date"),  # which century?
        ("--to", "20260401", "not a whole date"),
        ("--to", "2026-4-1", "not a whole date"),
        ("--to", "1 Aprilish 2026", "not a whole date"),
        ("--to", "١/٤/٢٠٢٦", "not a whole date"),  # digits, but not ours
        ("--from", "31/2/2026", "not a real date (day, then month, then year)"),
        ("--from", "4/13/2026", "not a real date (day, then month, then year)"),
        ("--to", "2026-4", "not a whole date"),
        ("--to", "04-2026", "not a whole date"),
        ("--from", "2026-13", "not a real month (year, then month: 2026-04)"),
    ],
)
def test_anything_else_is_a_usage_error_in_one_line(
    flag: str, text: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dates = {"--from": "1/4/2026", "--to": "30/4/2026", flag: text}
    with pytest.raises(SystemExit) as exited:
        main(["report", "--from", dates["--from"], "--to", dates["--to"]])
    assert exited.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error == (
        f"bot report: error: argument {flag}: {text!r} is not a whole date; write it as 2026-04-01, "
        "1/4/2026, 01/04/2026 or 1 April 2026 (or 2026-04 for a whole month)"
        if says == "not a whole date"
        else f"bot report: error: argument {flag}: {text!r} is {says}"
    )


def test_each_form_makes_the_same_report_of_a_month(tmp_path: Path, migrated_sqlite: MigratedSqlite) -> None:
    """Issue #28's monthly board pack, on a real store: April 2026 written four ways, one CSV."""
    data = tmp_path / "data"
    data.mkdir()
    url = migrated_sqlite(data / "store.db")
    Store(make_session_factory(url)).users.create_user("lead", "a long enough password", "lead", "North team")
    written = []
    for first, last in (
        ("2026-04-01", "2026-04-30"),
        ("1/4/2026", "30/4/2026"),
        ("1 April 2026", "30 Apr 2026"),
        ("2026-04", "2026-04"),
    ):
        output = tmp_path / f"{len(written)}.csv"
        made = run_in_process(
            data, "report", "--from", first, "--to", last, "--output", str(output), BOT_DATABASE_URL=url
        )
        assert made.returncode == 0, made.stderr
        written.append(output.read_text(encoding="utf-8-sig"))
    assert written[0] == written[1] == written[2] == written[3]
    months = [row for row in csv.reader(io.StringIO(written[0])) if row[0].startswith("Concerns raised")]
    assert {row[1] for row in months} == {"April 2026", "Total"}
