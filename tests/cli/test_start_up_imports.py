"""A `bot` process loads what its command needs and no more (issue #27): the parser alone for `--help`, the
store without openpyxl (workbooks only), the PDF renderer or the web app. Read from
a real process's `sys.modules`, the only place what one start loads shows."""

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


def loaded(data_dir: Path, *args: str) -> set[str]:
    finished = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST, *args],
        env=subprocess_env(data_dir),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
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
    }
