"""`bot train` gets the model as `make engine-model` does (bot.runtime.model.ensure_model): named by the hash
of its inputs, taken from the models folder or the cache (BOT_MODEL_CACHE) when it is there, trained
otherwise. The cached model is taken by the real `bot` (a subprocess), the refusal called in-process; the
engine's environment is deliberately missing, so a training attempt would fail loudly, and the cache holds
a model file under the current content hash."""

from __future__ import annotations

from pathlib import Path

from bot.runtime.model import content_hash
from tests.cli.in_process import run_in_process
from tests.cli.test_cli import run


def test_a_cached_model_is_copied_in_and_its_path_printed_then_reused(tmp_path: Path) -> None:
    data_dir, cache = tmp_path / "data", tmp_path / "cache"
    cache.mkdir()
    name = f"{content_hash()}.tar.gz"
    (cache / name).write_bytes(b"a model's bytes")
    env = {"BOT_MODEL_CACHE": str(cache), "BOT_ENGINE_VENV": str(tmp_path / "no-engine-here")}

    first = run(data_dir, "train", **env)
    assert first.returncode == 0, first.stderr.decode()
    model = Path(first.stdout.decode().strip())
    assert model == data_dir / "models" / name and model.read_bytes() == b"a model's bytes"
    assert "taken from the cache" in first.stderr.decode()

    again = run(data_dir, "train", **env)
    assert again.returncode == 0 and Path(again.stdout.decode().strip()) == model
    assert "up to date" in again.stderr.decode()


def test_with_no_model_and_no_engine_it_says_what_to_run_in_one_line(tmp_path: Path) -> None:
    done = run_in_process(
        tmp_path / "data", "train", BOT_MODEL_CACHE="off", BOT_ENGINE_VENV=str(tmp_path / "no-engine-here")
    )
    said = done.stderr.decode().strip().splitlines()
    assert done.returncode == 1 and done.stdout == b""
    # What it set out to do, then why it could not, in one line and no traceback.
    assert said[0].startswith("training model ") and len(said) == 2
    assert said[1].startswith("bot: The engine environment is missing") and "make engine" in said[1]
