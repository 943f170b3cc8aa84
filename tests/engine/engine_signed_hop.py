"""The engine's own signature checker (engine/extensions/signed_hop.py, standard library only), loaded from
its file as the engine loads it, so that tests check the app's signatures with the engine's code."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from bot.runtime.model import ENGINE_EXTENSIONS


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("signed_hop", ENGINE_EXTENSIONS / "signed_hop.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


signed_hop = _load()
