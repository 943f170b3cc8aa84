"""The model is named by a hash of what shapes it (bot.runtime.model): the code of every component of ours
that config.yml names is trained into the model, so it must be one of the hashed inputs, or a changed
component would be served by a model trained with the old one."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from bot.runtime.model import ENGINE_EXTENSIONS, MODEL_INPUTS, content_hash, extra_examples, model_inputs
from bot.settings import REPO_ROOT


def our_components() -> list[Path]:
    config = yaml.safe_load((REPO_ROOT / "config.yml").read_text(encoding="utf-8"))
    names = [step["name"] for step in (*config["pipeline"], *config["policies"])]
    # Rasa's own components are named by class; ours by module.Class, the module in engine/extensions.
    return [ENGINE_EXTENSIONS / f"{name.split('.')[0]}.py" for name in names if "." in name]


def test_every_component_of_ours_in_the_config_is_a_model_input() -> None:
    components = our_components()
    assert components, "config.yml names the danger second opinion"
    for path in components:
        assert path.is_file(), path
        assert path.relative_to(REPO_ROOT).as_posix() in MODEL_INPUTS
        assert path in model_inputs()


def test_changing_a_component_changes_the_models_name(tmp_path: Path) -> None:
    for name in MODEL_INPUTS:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO_ROOT / name, tmp_path / name)
    for name in extra_examples():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO_ROOT / name, tmp_path / name)
    shutil.copytree(REPO_ROOT / "data", tmp_path / "data")
    before = content_hash(tmp_path)
    assert before == content_hash()
    component = tmp_path / our_components()[0].relative_to(REPO_ROOT)
    component.write_text(component.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert content_hash(tmp_path) != before


def test_the_example_files_the_second_opinion_learns_are_inputs() -> None:
    named = extra_examples()
    assert len(named) >= 6, "the older held-out sets' danger lists"
    for name in named:
        assert (REPO_ROOT / name).is_file(), name
        assert REPO_ROOT / name in model_inputs()


def test_spacy_documents_are_made_in_lower_case() -> None:
    """The second opinion makes its extra examples' documents in lower case, as SpacyNLP makes the training
    and parsed messages' with `case_sensitive: false`: were that changed, the two would differ."""
    config = yaml.safe_load((REPO_ROOT / "config.yml").read_text(encoding="utf-8"))
    spacy_nlp = next(step for step in config["pipeline"] if step["name"] == "SpacyNLP")
    assert spacy_nlp["case_sensitive"] is False
