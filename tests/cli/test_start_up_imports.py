"""A `bot` process loads what its command needs and no more (issue #27): the parser alone for `--help`, the
store without openpyxl (workbooks only), the PDF renderer or the web app; and the app (`python -m bot.web`)
without redis-py unless scaled mode names a Redis, nor pygal before a report is drawn. Read from a real
process's `sys.modules`, the only place what one start loads shows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.cli.subprocess_env import subprocess_env
from tests.fixtures.databases import MigratedSqlite

# Runs one command as the console script does, then names every module the process loaded.
RUN_AND_LIST = """
import sys
from bot.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as finished:
    code = finished.code
print(" ".join(sorted(sys.modules)))
sys.exit(code)
"""

# Starts the app as `python -m bot.web` does, short of serving: settings, the Redis password check, the app.
BUILD_APP_AND_LIST = """
import sys
from bot.settings import Settings
from bot.web.__main__ import refuse_unless_signed_in
from bot.web.app import create_app

settings = Settings.from_env()
refuse_unless_signed_in(settings.shared_state)
create_app(settings)
print(" ".join(sorted(sys.modules)))
"""


def loaded(data_dir: Path, *args: str, script: str = RUN_AND_LIST, code: int = 0, **env: str) -> set[str]:
    finished = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=subprocess_env(data_dir, **env),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert finished.returncode == code, finished.stderr
    return set(finished.stdout.splitlines()[-1].split())


def packages(modules: set[str]) -> set[str]:
    return {module.split(".")[0] for module in modules}


def test_help_loads_the_parser_only(tmp_path: Path) -> None:
    modules = loaded(tmp_path / "data", "--help")
    assert "bot.settings" not in modules and "importlib.metadata" not in modules
    assert not packages(modules) & {"sqlalchemy", "yaml", "cryptography", "pydantic", "alembic", "aiohttp"}


def test_a_store_command_loads_neither_workbooks_nor_pdfs_nor_the_web(
    tmp_path: Path, migrated_sqlite: MigratedSqlite
) -> None:
    (tmp_path / "data").mkdir()
    migrated_sqlite(tmp_path / "data" / "store.db")
    modules = loaded(tmp_path / "data", "report", "--from", "2026-04-01", "--to", "2026-04-30")
    assert "sqlalchemy" in packages(modules)  # it did open the store
    assert not packages(modules) & {
        "openpyxl",
        "weasyprint",
        "aiohttp",
        "jinja2",
        "pygal",
        "redis",
    }


def test_an_export_loads_the_reading_job_not_every_review_job(
    tmp_path: Path, migrated_sqlite: MigratedSqlite
) -> None:
    (tmp_path / "data").mkdir()
    migrated_sqlite(tmp_path / "data" / "store.db")
    # No such case (exit 1), but the command has loaded all it would to look for one.
    modules = loaded(tmp_path / "data", "assessments", "export", "--id", "1", code=1)
    assert "bot.review.case_reading" in modules
    assert not modules & {"bot.review.services", "bot.review.tagging", "bot.review.decisions"}


def test_an_embedded_app_start_loads_neither_redis_nor_the_chart_drawing(tmp_path: Path) -> None:
    modules = packages(loaded(tmp_path / "data", script=BUILD_APP_AND_LIST))
    assert "aiohttp" in modules  # it did build the app
    assert not modules & {"redis", "pygal"}


def test_a_scaled_app_start_loads_redis(tmp_path: Path) -> None:
    """The other side of the test above: the same start naming a Redis does load redis-py. Port 1 has no
    server, and the start check lets an unreachable Redis pass (bot.shared_state.check)."""
    shared = "redis://127.0.0.1:1/0"
    modules = packages(loaded(tmp_path / "data", script=BUILD_APP_AND_LIST, BOT_SHARED_STATE_URL=shared))
    assert "redis" in modules
