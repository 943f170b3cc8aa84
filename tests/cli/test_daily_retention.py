"""The daily retention job inside `bot run` (issue #31): when it falls due (local time, across summer time),
that it starts the real `bot retention run` once the test clock passes the moment and reports its counts,
never twice at once (a run still going makes the next day's skip; the data folder's lock refuses a second
command), and the settings that drive it. The clock is moved by hand (tests/fixtures/clocks.py): no sleeps."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.domain.retention import next_daily_run
from bot.runtime.daily_retention import DailyRetention
from bot.runtime.job_lock import exclusive
from bot.settings import Settings
from bot.store import db
from bot.store.services import Store
from tests.cli.in_process import run_in_process
from tests.cli.subprocess_env import subprocess_env
from tests.cli.test_cli import BOT, PASSWORD, database_url, run
from tests.fixtures.clocks import Clock
from tests.fixtures.databases import MigratedSqlite

TWO_AM = time(2, 0)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Winter (GMT): 02:00 local is 02:00 UTC; before it, today's; at or after it, tomorrow's.
        (datetime(2026, 1, 10, 1, 59, tzinfo=UTC), datetime(2026, 1, 10, 2, 0, tzinfo=UTC)),
        (datetime(2026, 1, 10, 2, 0, tzinfo=UTC), datetime(2026, 1, 11, 2, 0, tzinfo=UTC)),
        # Summer (BST): 02:00 local is 01:00 UTC.
        (datetime(2026, 7, 1, 12, 0, tzinfo=UTC), datetime(2026, 7, 2, 1, 0, tzinfo=UTC)),
        # The clocks go forward on 29 March 2026 (01:00 GMT becomes 02:00 BST): still 02:00 on the clock.
        (datetime(2026, 3, 28, 12, 0, tzinfo=UTC), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        # And back on 25 October 2026: 02:00 GMT, after a 25-hour day.
        (datetime(2026, 10, 24, 12, 0, tzinfo=UTC), datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
    ],
)
def test_the_next_run_is_the_next_time_the_local_clock_reads_the_hour(
    now: datetime, expected: datetime
) -> None:
    assert next_daily_run(now, TWO_AM) == expected


@pytest.fixture
def data_dir(tmp_path: Path, migrated_sqlite: MigratedSqlite) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    migrated_sqlite(folder / "store.db")
    return folder


def cli_env(data_dir: Path) -> dict[str, str]:
    """What tests.cli.test_cli.run gives the `bot` command: this data folder, development secrets."""
    return subprocess_env(data_dir)


def test_the_job_runs_the_real_command_once_the_clock_passes_two_and_reports_its_counts(
    data_dir: Path,
) -> None:
    # A draft never submitted, last changed two years ago: past the schedule's 365 days.
    two_years_ago = Clock(datetime.now(UTC) - timedelta(days=730))
    store = Store(db.make_session_factory(database_url(data_dir)), clock=two_years_ago)
    practitioner = store.users.create_user("pat", PASSWORD, "practitioner", "North Team", create_team=True)
    draft = store.practitioners.open_assessment(practitioner.id, "web", "2026.1")
    clock = Clock(datetime(2026, 1, 10, 1, 30, tzinfo=UTC))
    said: list[str] = []
    log = data_dir / "logs" / "retention.log"
    job = DailyRetention(
        TWO_AM, clock, log, said.append, command=(str(BOT), "retention", "run"), env=cli_env(data_dir)
    )

    job.tick()
    assert said == [] and not job.running  # 01:30: not yet
    clock.advance(minutes=31)
    job.tick()
    assert said == ["retention job: started"] and job.running
    job.wait()
    assert said[1] == (
        f"retention job: erased 1 case(s) (0 engine events) (next 2026-01-11 02:00; the list is in {log})"
    )
    assert draft.reference in log.read_text()
    assert log.stat().st_mode & 0o777 == 0o600
    job.tick()  # the same day again: nothing more
    assert len(said) == 2 and not job.running


def test_a_run_still_going_when_the_next_falls_due_makes_that_one_skip(
    data_dir: Path, tmp_path: Path
) -> None:
    # The stand-in for a long run waits on a lock the test holds, so it ends exactly when the test says.
    gate = tmp_path / "gate"
    waits = f"import fcntl; f = open({str(gate)!r}, 'a'); fcntl.flock(f, fcntl.LOCK_EX); print('done')"
    clock = Clock(datetime(2026, 1, 10, 2, 30, tzinfo=UTC))
    said: list[str] = []
    job = DailyRetention(
        TWO_AM, clock, data_dir / "logs" / "retention.log", said.append, command=(sys.executable, "-c", waits)
    )
    with exclusive(gate):
        clock.advance(days=1)
        job.tick()
        assert job.running
        clock.advance(days=1)
        job.tick()
        assert (
            said[-1]
            == "retention job: the last run is still going; this one is skipped (next 2026-01-13 02:00)"
        )
    job.wait()
    assert said[-1].startswith("retention job: done (next 2026-01-13 02:00")
    assert said.count("retention job: started") == 1


def test_a_second_retention_run_is_refused_while_one_holds_the_lock(data_dir: Path) -> None:
    with exclusive(data_dir / "retention.lock"):
        refused = run(data_dir, "retention", "run")
    assert refused.returncode == 1
    assert "another retention run is under way" in refused.stderr.decode()
    assert "nothing was changed" in refused.stderr.decode()
    assert run(data_dir, "retention", "run").returncode == 0  # and runs once it is free


def test_scenarios_purge_reads_the_practice_period_from_the_schedule(data_dir: Path, tmp_path: Path) -> None:
    schedule = tmp_path / "schedule.yaml"
    schedule.write_text(
        "live:\n  closed_case:\n    keep_days: 2192\n  unsubmitted_draft:\n    keep_days: 365\n"
        "practice:\n  practice_run:\n    keep_days: 7\n"
    )
    purged = run_in_process(data_dir, "scenarios", "purge", BOT_RETENTION_SCHEDULE=str(schedule))
    assert purged.returncode == 0, purged.stderr
    assert purged.stdout.decode().startswith("deleted 0 practice run(s) started more than 7 days ago")


def test_the_old_practice_setting_is_refused_naming_where_its_value_goes(data_dir: Path) -> None:
    refused = run_in_process(data_dir, "scenarios", "purge", BOT_PRACTICE_RETENTION_DAYS="30")
    assert refused.returncode == 1
    assert "practice.practice_run.keep_days" in refused.stderr.decode()


@pytest.mark.parametrize(
    ("value", "expected"), [("", TWO_AM), ("03:30", time(3, 30)), ("off", None), ("OFF", None)]
)
def test_bot_retention_at_reads_a_local_time_or_off(
    tmp_path: Path, value: str, expected: time | None
) -> None:
    settings = Settings.from_env({"BOT_DATA_DIR": str(tmp_path), "BOT_RETENTION_AT": value})
    assert settings.retention_at == expected


@pytest.mark.parametrize("value", ["25:00", "2", "02:7", "noon"])
def test_a_bad_bot_retention_at_stops_start_up_naming_it(tmp_path: Path, value: str) -> None:
    with pytest.raises(SystemExit, match="BOT_RETENTION_AT must be a local time such as 02:00, or off"):
        Settings.from_env({"BOT_DATA_DIR": str(tmp_path), "BOT_RETENTION_AT": value})
