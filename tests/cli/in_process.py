"""The `bot` command called in-process: `bot.cli.main(argv)` with the environment, standard streams and
working directory a subprocess would have had, its answer in the subprocess helper's shape (issue #27).

Starting `bot` as a subprocess costs about 0.9 s of imports a call, and most CLI tests are about what a
command prints, refuses and changes in the store, not about the process. Which helper a test uses:
- `run_in_process` (this module): what a command does: its parser, usage errors, output, refusals and what
  it changes in the store, under any BOT_ settings given for the call, a data key ring of its own included.
- `run_with_environment` (this module): the same with a whole environment given, as a subprocess given
  `env=` would see it: the end-to-end tests read back what a running product stored with its environment.
- `run_module_in_process` (this module): a `python -m` entry point's argument parsing, through runpy.
- A real subprocess (`run` in test_cli and its neighbours, environment from tests/cli/subprocess_env.py), kept
  for what only a process shows: the console script itself and its exit codes (`db upgrade`, `--version`,
  one real `python -m`); a password read from a real pipe and UTF-8 on a real stdout; terminals and pipes as
  stdout (binary output, `keys tracker-keys`); file and folder modes under the process's umask
  (test_private_files, the subject-access export, tracker-keys files); production hashing chosen for the whole
  process; locks held between processes (retention); anything that starts or spawns processes (`bot run`,
  the schema gate, production start-up, the daily retention job, `bot train` with a cached model, the
  engine's interpreter, deploy/engine-entry.sh).

The environment is the one `run` gives the subprocess (no BOT_ variable of the caller's, the tokens below,
the test's extras) plus the suite's cheap password-hashing and SQLite-durability profiles
(tests/conftest.py), so that the command's composition root (bot.cli.common.open_store) chooses the
profiles this process already uses. Everything main touches that outlives the call is checked after each
call (`ProcessState`): the umask, the logging handlers, the hashing and durability profiles, the data key
ring, the engines it opened, the environment, the working directory and the standard streams. A command
that left any of them changed fails the test that called it; the one exception is a call given its own
BOT_DATA_KEYS (or a whole environment), whose ring the command makes the process's, as a real `bot` does: it
is put back after the call. The product's other module-level caches (bot.dialogue's word lists and cue
families, the answer parser, tracker_key_ring) hold only values computed from data files or from the key
given, never settings, so nothing one call chose reaches the next."""

from __future__ import annotations

import io
import logging
import os
import runpy
import subprocess
import sys
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli import common as cli_common
from bot.cli import main
from bot.store import db, encrypted_text, passwords
from tests.conftest import TEST_PASSWORD_HASHING, TEST_SQLITE_DURABILITY

# What the subprocess helpers give every `bot` (tests/cli/test_cli.py::run), and the suite's two cost profiles
# (see the module's note): the profiles this process already uses, so a command leaves them as they were.
CLI_ENV = {
    "BOT_SERVICE_TOKEN": "cli-test-token",
    "BOT_ENGINE_TOKEN": "cli-engine-token",
    "BOT_ACTIONS_TOKEN": "cli-actions-token",
    "BOT_SESSION_SECRET": "ef" * 32,
    "BOT_PASSWORD_HASHING": TEST_PASSWORD_HASHING,
    "BOT_SQLITE_DURABILITY": TEST_SQLITE_DURABILITY,
    # The suite's data key (tests/conftest.py): `open_store` sets the process's key ring from the settings;
    # without it embedded mode would make a key of its own, which this process's other tests cannot open.
    "BOT_DATA_KEYS": os.environ["BOT_DATA_KEYS"],
}


@dataclass(frozen=True)
class ProcessState:
    """What outlives a call of main in this process, and must be as it was before the call."""

    umask: int
    root_handlers: tuple[logging.Handler, ...]
    root_level: int
    hashing: str
    durability: str
    data_key_ids: tuple[str, ...] | None
    open_engines: int
    environ: tuple[tuple[str, str], ...]
    cwd: str
    streams: tuple[object, object, object]

    @classmethod
    def now(cls) -> ProcessState:
        umask = os.umask(0o077)  # the only way to read it is to set it
        os.umask(umask)
        root = logging.getLogger()
        return cls(
            umask=umask,
            root_handlers=tuple(root.handlers),
            root_level=root.level,
            hashing=passwords.hashing_in_use(),
            durability=db._durability,
            data_key_ids=_key_ids(),
            open_engines=len(cli_common._opened),
            environ=tuple(sorted(os.environ.items())),
            cwd=os.getcwd(),
            streams=(sys.stdin, sys.stdout, sys.stderr),
        )

    def changes_since(self, before: ProcessState) -> list[str]:
        return [
            f"{name}: {getattr(before, name)!r} -> {getattr(self, name)!r}"
            for name in self.__dataclass_fields__
            if name != "environ" and getattr(self, name) != getattr(before, name)
        ] + [f"environ: {change}" for change in _environ_changes(before.environ, self.environ)]


def _key_ids() -> tuple[str, ...] | None:
    try:
        return encrypted_text.key_ring_in_use().key_ids
    except RuntimeError:
        return None


def _environ_changes(before: tuple[tuple[str, str], ...], after: tuple[tuple[str, str], ...]) -> list[str]:
    old, new = dict(before), dict(after)
    return [
        f"{key} {old.get(key)!r} -> {new.get(key)!r}"
        for key in sorted(old.keys() | new.keys())
        if old.get(key) != new.get(key)
    ]


def run_in_process(
    data_dir: Path, *args: str, stdin: str | None = "", **extra_env: str
) -> subprocess.CompletedProcess[bytes]:
    """`bot ARGS` as test_cli's `run` would start it, called in this process. The exit code is main's return
    value, or a SystemExit's as the interpreter maps it (argparse's usage errors exit 2). Any other exception
    propagates: in a subprocess it would have been a traceback, which every caller refuses."""
    variables = {"BOT_DATA_DIR": str(data_dir), **CLI_ENV, **extra_env}
    return _call(args, variables, stdin, own_keys="BOT_DATA_KEYS" in extra_env, cwd=None)


def run_with_environment(
    environment: Mapping[str, str], *args: str, stdin: str | None = "", cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """`bot ARGS` as a subprocess given `env=environment` (and `cwd`) would run it, called in this process:
    the BOT_ variables are exactly the environment's (none of the caller's, none of CLI_ENV's), so a running
    product's own environment (tests/e2e) reaches the same settings as its processes. The environment names
    its data keys, or the command chooses a ring of its own: either way it is put back after the call. Its
    hashing and durability profiles must be this process's (the suite's), or the call fails, as above."""
    variables = {key: value for key, value in environment.items() if key.startswith("BOT_")}
    return _call(args, variables, stdin, own_keys=True, cwd=cwd)


def _call(
    args: tuple[str, ...],
    variables: Mapping[str, str],
    stdin: str | None,
    *,
    own_keys: bool,
    cwd: Path | None,
) -> subprocess.CompletedProcess[bytes]:
    """main(ARGS) with exactly `variables` as the BOT_ environment, the standard streams its own and the
    process-wide state checked afterwards; the data key ring put back if the call chose its own."""
    before = ProcessState.now()
    ring = encrypted_text._ring  # put back after a call given its own BOT_DATA_KEYS (see the module's note)
    out, err = io.BytesIO(), io.BytesIO()
    with pytest.MonkeyPatch.context() as patch:
        for key in [key for key in os.environ if key.startswith("BOT_")]:
            patch.delenv(key)
        for key, value in variables.items():
            patch.setenv(key, value)
        if cwd is not None:
            patch.chdir(cwd)
        stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
        stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
        patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((stdin or "").encode()), encoding="utf-8"))
        patch.setattr(sys, "stdout", stdout)
        patch.setattr(sys, "stderr", stderr)
        try:
            code = main(list(args))
        except SystemExit as leaving:
            code = _exit_code(leaving, stderr)
        stdout.flush()
        stderr.flush()
        result = subprocess.CompletedProcess(["bot", *args], code, out.getvalue(), err.getvalue())
        stdout.detach()
        stderr.detach()
    if own_keys:
        encrypted_text._ring = ring
    changed = ProcessState.now().changes_since(before)
    assert not changed, f"`bot {' '.join(args)}` in-process left the process changed: {changed}"
    return result


def _exit_code(leaving: SystemExit, stderr: io.TextIOWrapper) -> int:
    """What the interpreter does with an uncaught SystemExit: None is 0, a number is itself, anything else is
    printed to stderr and exits 1."""
    if leaving.code is None:
        return 0
    if isinstance(leaving.code, int):
        return leaving.code
    print(leaving.code, file=stderr)
    return 1


def run_module_in_process(module: str, *args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    """`python -m MODULE ARGS` in this process: runpy runs the module's `__main__` block as the interpreter's
    `-m` does (it is how `-m` is implemented), with sys.argv, the standard streams and `env` (over the
    caller's environment without its BOT_ variables) set for the call only. For entry points that parse
    their arguments and exit: one that started its server instead would run it in the test's process."""
    before = ProcessState.now()
    out, err = io.BytesIO(), io.BytesIO()
    with pytest.MonkeyPatch.context() as patch, warnings.catch_warnings():
        # The module is usually imported already (by the CLI or another test); runpy warns that its body
        # runs again as __main__, which is exactly what is wanted here.
        warnings.filterwarnings(
            "ignore", message=".*found in sys.modules after import of package", category=RuntimeWarning
        )
        for key in [key for key in os.environ if key.startswith("BOT_")]:
            patch.delenv(key)
        for key, value in env.items():
            patch.setenv(key, value)
        stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
        stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
        patch.setattr(sys, "argv", [module, *args])
        patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
        patch.setattr(sys, "stdout", stdout)
        patch.setattr(sys, "stderr", stderr)
        try:
            runpy.run_module(module, run_name="__main__")
            code = 0
        except SystemExit as leaving:
            code = _exit_code(leaving, stderr)
        stdout.flush()
        stderr.flush()
        result = subprocess.CompletedProcess(
            ["python", "-m", module, *args], code, out.getvalue(), err.getvalue()
        )
        stdout.detach()
        stderr.detach()
    changed = ProcessState.now().changes_since(before)
    assert not changed, f"`python -m {module}` in-process left the process changed: {changed}"
    return result


def as_text(result: subprocess.CompletedProcess[bytes]) -> subprocess.CompletedProcess[str]:
    """The answer as `subprocess.run(..., text=True)` gives it, for tests that read str."""
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
    )
