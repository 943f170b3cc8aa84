"""Issue #27: trained models and the engine tests' passes are kept outside the clone by content hash.

A fresh clone of an unchanged model takes it from the cache rather than training (here the engine's
environment is deliberately missing, so a training attempt would fail loudly); BOT_MODEL_CACHE=off keeps
nothing; a pass of the story or NLU tests is reused only for the same model and the same test files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.runtime import engine_tests
from bot.runtime.model import content_hash, ensure_model
from bot.settings import REPO_ROOT, Settings


def settings_with_cache(tmp_path: Path, cache: str | None) -> Settings:
    env = {
        "BOT_DATA_DIR": str(tmp_path / "data"),
        "BOT_ENGINE_VENV": str(tmp_path / "no-engine-here"),
        "HOME": str(tmp_path / "home"),
    }
    if cache is not None:
        env["BOT_MODEL_CACHE"] = cache
    return Settings.from_env(env)


def test_the_cache_defaults_to_the_users_cache_folder_and_can_be_turned_off(tmp_path: Path) -> None:
    assert settings_with_cache(tmp_path, None).model_cache_dir == (
        tmp_path / "home" / ".cache" / "safeguarding-assessment" / "models"
    )
    assert (
        settings_with_cache(tmp_path, str(tmp_path / "elsewhere")).model_cache_dir == tmp_path / "elsewhere"
    )
    assert settings_with_cache(tmp_path, "off").model_cache_dir is None


def test_a_cached_model_is_used_without_training(tmp_path: Path) -> None:
    settings = settings_with_cache(tmp_path, str(tmp_path / "cache"))
    name = f"{content_hash()}.tar.gz"
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / name).write_bytes(b"a model's bytes")
    said: list[str] = []

    model = ensure_model(settings, log=said.append)

    assert model == settings.models_dir / name and model.read_bytes() == b"a model's bytes"
    assert "taken from the cache" in said[0]
    assert ensure_model(settings, log=said.append) == model and "up to date" in said[1]


def test_with_no_cache_a_missing_model_is_trained(tmp_path: Path) -> None:
    settings = settings_with_cache(tmp_path, "off")
    with pytest.raises(SystemExit, match="engine environment is missing"):
        ensure_model(settings, log=lambda _m: None)


def test_a_pass_is_reused_only_for_the_same_model_and_the_same_test_files(tmp_path: Path) -> None:
    settings = settings_with_cache(tmp_path, str(tmp_path / "cache" / "models"))
    root = tmp_path / "repo"
    shutil.copytree(REPO_ROOT / "tests" / "stories", root / "tests" / "stories")
    model = Path("var/models/abc.tar.gz")

    kept, before = engine_tests._passed_before(settings, "stories", model, "tests/stories", root)
    assert kept is not None and before is None
    engine_tests._keep_pass(kept, "rasa test (stories): ok, 13 of 13 stories correct")
    assert engine_tests._passed_before(settings, "stories", model, "tests/stories", root)[1] == (
        "rasa test (stories): ok, 13 of 13 stories correct"
    )
    assert (
        engine_tests._passed_before(settings, "stories", Path("other.tar.gz"), "tests/stories", root)[1]
        is None
    )
    assert engine_tests._passed_before(settings, "nlu", model, "tests/stories", root)[1] is None
    story = next((root / "tests" / "stories").glob("*.yml"))
    story.write_text(story.read_text() + "\n# changed\n")
    assert engine_tests._passed_before(settings, "stories", model, "tests/stories", root)[1] is None
    assert engine_tests._passed_before(settings_with_cache(tmp_path, "off"), "stories", model, "x") == (
        None,
        None,
    )
