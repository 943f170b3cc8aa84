"""Each process started on its own refuses a data folder open to other accounts (issue #30): the app, the
action server and the engine (through our launcher, bot.runtime.engine_start), started exactly as `bot run`
starts them, exit non-zero with one line naming the path; `bot run` itself keeps making the folder private
(tests/cli/test_private_files.py)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bot.runtime import processes
from bot.settings import Settings

pytestmark = pytest.mark.engine  # starts the engine through our launcher in its own environment

# Only ever a limit on waiting for the refusal, never a measurement.
EXIT_DEADLINE_SECONDS = 60


def services(data_dir: Path) -> dict[str, processes.Service]:
    settings = Settings.from_env(
        {
            "BOT_DATA_DIR": str(data_dir),
            **{f"BOT_{name}_PORT": str(processes.free_port()) for name in ("ENGINE", "ACTIONS", "APP")},
        }
    )
    # product_services makes the folder private, as bot run does; the model is never reached.
    return {s.name: s for s in processes.product_services(settings, data_dir / "models" / "none.tar.gz")}


def refusal(service: processes.Service) -> tuple[int, list[str]]:
    processes.start(service)
    assert service.process is not None
    try:
        code = service.process.wait(timeout=EXIT_DEADLINE_SECONDS)
    finally:
        processes.stop(service)
    return code, [line for line in service.log_path.read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("name", ["app", "actions", "engine"])
def test_a_0755_data_folder_is_refused(tmp_path: Path, name: str) -> None:
    data_dir = tmp_path / "var"
    service = services(data_dir)[name]
    data_dir.chmod(0o755)
    code, lines = refusal(service)
    assert code != 0
    assert lines[-1].endswith("the data folder must be 0700 and its files 0600: `bot run` makes it so"), lines
    assert f"{data_dir} is open to other accounts (mode 0755)" in lines[-1]
    assert "Traceback" not in "\n".join(lines)
    assert not (data_dir / "store.db").exists()  # refused before the store was opened


def test_a_file_open_to_others_is_refused_by_its_path(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    service = services(data_dir)["engine"]
    secret = data_dir / "secrets" / "engine-token"
    secret.chmod(0o644)
    code, lines = refusal(service)
    assert code != 0
    assert f"{secret} is open to other accounts (mode 0644)" in lines[-1]


def test_the_refusal_changes_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    service = services(data_dir)["actions"]
    data_dir.chmod(0o755)
    before = sorted(os.listdir(data_dir))
    refusal(service)
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o755  # fixing is bot run's job, said when done
    assert sorted(os.listdir(data_dir)) == before
