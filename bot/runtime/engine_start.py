"""`python -m bot.runtime.engine_start DATA_DIR RASA [ARGS...]`: check the data folder, then run the engine.

The engine (Rasa, configured, never imported or patched) cannot check our data folder itself, so the code
that launches it does: if the folder or anything in it is open to other accounts, this stops with one line
naming the path and exit code 1, before Rasa reads the tracker or a model; otherwise it replaces itself with
Rasa (exec, same process id), so the supervisor's process group, signals and exit code are Rasa's own.
Imports only the standard library and bot.runtime.data_folder: it runs with the engine's environment.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bot.runtime.data_folder import refuse_unless_private


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        raise SystemExit("usage: python -m bot.runtime.engine_start DATA_DIR RASA [ARGS...]")
    data_dir, command = Path(argv[0]), argv[1:]
    refuse_unless_private(data_dir, "the engine")
    os.execv(command[0], command)  # noqa: S606  # the supervisor's own engine argv


if __name__ == "__main__":
    main(sys.argv[1:])
