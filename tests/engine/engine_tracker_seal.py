"""The engine's tracker sealing (engine/extensions/tracker_seal.py, standard library and cryptography only),
loaded from its file as the engine loads it, so that tests open the engine's sealed rows with the app's
ring."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from bot.runtime.model import ENGINE_EXTENSIONS


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tracker_seal", ENGINE_EXTENSIONS / "tracker_seal.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tracker_seal = _load()
