"""Run a probe in the engine's own Python (Rasa, spaCy, scikit-learn; our package not installed) and read
the JSON it prints last."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from bot.settings import Settings


def engine_probe(code: str, pythonpath: str | None = None) -> Any:
    python = Settings.from_env().engine_venv / "bin" / "python"
    env = {"PYTHONWARNINGS": "ignore", "TF_CPP_MIN_LOG_LEVEL": "3"}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    result = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=False, timeout=300, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
