"""Train the engine's model only when its inputs change.

The model file is named by a hash of everything that shapes it (domain, config, training data, the engine's
lock file, the one component of ours it trains and the example files config.yml gives it), so "is there a
model for this content?" is a file lookup and an unchanged checkout starts without retraining. The question
bank is deliberately not an input: rewording a question needs no training.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bot.domain.yaml_files import read_yaml
from bot.settings import REPO_ROOT, Settings

ENGINE_EXTENSIONS = REPO_ROOT / "engine" / "extensions"
ENGINE_LAUNCHER = ENGINE_EXTENSIONS / "rasa_launch.py"

# The component config.yml names from engine/extensions is trained into the model: its code shapes it too.
MODEL_INPUTS = (
    "domain.yml",
    "config.yml",
    "engine/requirements.lock",
    "engine/extensions/danger_second_opinion.py",
)
MODEL_INPUT_DIRS = ("data",)


def extra_examples(root: Path = REPO_ROOT) -> list[str]:
    """The files config.yml's pipeline names as `extra_examples` (the danger second opinion learns them)."""
    config = read_yaml(root / "config.yml")
    return [path for step in config.get("pipeline") or [] for path in step.get("extra_examples") or []]


def model_inputs(root: Path = REPO_ROOT) -> list[Path]:
    files = [root / name for name in (*MODEL_INPUTS, *extra_examples(root))]
    for folder in MODEL_INPUT_DIRS:
        files.extend(
            sorted(p for p in (root / folder).rglob("*") if p.is_file() and p.suffix in {".yml", ".yaml"})
        )
    return files


def content_hash(root: Path = REPO_ROOT) -> str:
    digest = hashlib.sha256()
    for path in model_inputs(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def engine_env(settings: Settings) -> dict[str, str]:
    """Environment for every engine command, from its allow-list (bot.runtime.process_env)."""
    from bot.runtime.process_env import engine_variables

    settings.engine_tracker_db.parent.mkdir(parents=True, exist_ok=True)
    return engine_variables(settings, str(ENGINE_EXTENSIONS))


def rasa_command(settings: Settings) -> Path:
    rasa = settings.engine_venv / "bin" / "rasa"
    if not rasa.exists():
        raise SystemExit(
            f"The engine environment is missing ({rasa}). Run `make engine` (builds only that environment) "
            "or `make run` first."
        )
    return rasa


def engine_command(settings: Settings) -> list[str]:
    """The argv prefix of every Rasa command that trains, tests or runs a model: Rasa's own command line,
    through engine/extensions/rasa_launch.py, which imports skops before Rasa (an engine start 13.1 -> 7.8 s
    of CPU; the figures are there)."""
    rasa_command(settings)  # the same message when the engine environment is missing
    return [str(settings.engine_venv / "bin" / "python"), str(ENGINE_LAUNCHER)]


def ensure_model(settings: Settings, root: Path = REPO_ROOT, log=print) -> Path:
    """Return the model for the current content, training it first if there is none here or in the cache."""
    name = content_hash(root)
    model = settings.models_dir / f"{name}.tar.gz"
    if model.exists():
        log(f"model {model.name} is up to date (no training needed)")
        return model
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    cached = settings.model_cache_dir / model.name if settings.model_cache_dir else None
    if cached is not None and cached.is_file():
        _copy_atomically(cached, model)
        log(f"model {model.name} taken from the cache {settings.model_cache_dir} (no training needed)")
        return model
    log(f"training model {name} (domain, config or data changed)...")
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603  # the engine's rasa and fixed arguments
        [
            *engine_command(settings),
            "train",
            "--domain",
            "domain.yml",
            "--config",
            "config.yml",
            "--data",
            "data",
            "--out",
            str(settings.models_dir),
            "--fixed-model-name",
            name,
        ],
        cwd=root,
        env=engine_env(settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not model.exists():
        sys.stderr.write(result.stdout[-5000:])
        raise SystemExit(f"training failed (exit {result.returncode}); output above")
    log(f"trained {model.name} in {time.monotonic() - started:.0f} s")
    if cached is not None:
        try:
            _copy_atomically(model, cached)
        except OSError as error:  # a cache that cannot be written costs a training next time, nothing else
            log(f"could not keep the model in the cache {cached.parent}: {error}")
    return model


def _copy_atomically(source: Path, target: Path) -> None:
    """Copy under a temporary name, then rename: another process never sees half a model."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    shutil.copyfile(source, partial)
    partial.replace(target)


if __name__ == "__main__":
    argparse.ArgumentParser(
        prog="python -m bot.runtime.model",
        description="Train the engine's model if its inputs changed since the last one, and print its path.",
    ).parse_args()
    print(ensure_model(Settings.from_env()))
