"""Where the engine's readings of held-out texts are kept (bench/parse_cache.py): beside the model cache,
outside the clone, so that a fresh clone of an unchanged model reads them without starting an engine."""

from __future__ import annotations

import json
from pathlib import Path

from bench.parse_cache import cache_folder, write_atomically
from bench.understanding import RESULTS_DIR
from bot.settings import Settings


def settings(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env({"BOT_DATA_DIR": str(tmp_path / "data"), **env})


def test_the_parses_sit_beside_the_model_cache(tmp_path: Path) -> None:
    models = tmp_path / "cache" / "models"
    assert cache_folder(settings(tmp_path, BOT_MODEL_CACHE=str(models))) == tmp_path / "cache" / "parses"
    home = settings(tmp_path, XDG_CACHE_HOME=str(tmp_path / "xdg"))
    assert cache_folder(home) == tmp_path / "xdg" / "safeguarding-assessment" / "parses"


def test_with_the_model_cache_off_they_stay_in_the_clone(tmp_path: Path) -> None:
    assert cache_folder(settings(tmp_path, BOT_MODEL_CACHE="off")) == RESULTS_DIR


def test_a_write_replaces_the_whole_file_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "parses" / "parses-abc.json"
    write_atomically(path, json.dumps({"a": 1}))
    write_atomically(path, json.dumps({"a": 1, "b": 2}))
    assert json.loads(path.read_text()) == {"a": 1, "b": 2}
    assert [p.name for p in path.parent.iterdir()] == ["parses-abc.json"]
