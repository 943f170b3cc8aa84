"""The engine's reading of held-out messages, kept per model so that the offline replays (danger_replay.py,
free_text_replay.py) re-measure a change to the rules in seconds, without the engine.

Each message's top intent, confidence, ranking and the second opinion on danger is taken once from the engine
(`bench.understanding.with_engine`, on the current model) and kept in parses-<model>.json under a hash of the
text, never the text. The file sits beside the model cache (~/.cache/safeguarding-assessment/parses, or
BOT_MODEL_CACHE's parent), outside the clone, as the engine's story and NLU results do
(bot/runtime/engine_tests.py): a model is named by the hash of everything it was trained from, so its reading
of a text never changes, and a fresh clone of an unchanged model need not start an engine to read the
everyday answers again (tests/nlu/test_everyday_reading.py, issue #27). With BOT_MODEL_CACHE=off it is kept in
var/bench. Also here: which set nobody tuning may read (`UNSEEN`), shared by both replays so that they cannot
disagree about it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from bench.targets import settings_in
from bench.understanding import RESULTS_DIR, Parsed, with_engine
from bot.runtime.model import ensure_model
from bot.settings import Settings

# The set written blind last: printed as counts only, whatever is asked (the ones before it, the twelfth
# included, are tuning sets).
UNSEEN = "thirteenth"
# The sets whose misses neither replay lists.
MISSES_UNREAD = (UNSEEN,)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def cache_folder(settings: Settings) -> Path:
    """Where the parses of every model are kept (see the module's note)."""
    if settings.model_cache_dir is None:
        return RESULTS_DIR
    return settings.model_cache_dir.parent / "parses"


def write_atomically(path: Path, text: str) -> None:
    """Two runs on one machine (a test run and a benchmark) may add to the same model's file: each writes
    a whole file and renames it into place, so a reader never sees half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w") as out:
        out.write(text)
    os.replace(temporary, path)


def parses(texts: list[str]) -> dict[str, Parsed]:
    """Each text's intent, confidence and ranking, from the cache where it has them, else from the engine."""
    data_dir = Path(tempfile.mkdtemp(prefix="bench-parse-cache-"))
    try:
        settings = settings_in(data_dir)
        model = ensure_model(settings).name
        cache_path = cache_folder(settings) / f"parses-{model.removesuffix('.tar.gz')}.json"
        cache = json.loads(cache_path.read_text()) if cache_path.exists() else {}
        missing = sorted({t for t in texts if _hash(t) not in cache})
        if missing:
            _, fresh = with_engine(missing, data_dir)
            # Read again before adding: another run may have added its own texts meanwhile.
            cache = (json.loads(cache_path.read_text()) if cache_path.exists() else {}) | cache
            cache.update({_hash(t): [p.intent, p.confidence, p.ranking, p.opinion] for t, p in fresh.items()})
            write_atomically(cache_path, json.dumps(cache))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    out = {}
    for t in texts:
        intent, confidence, ranking, *opinion = cache[_hash(t)]  # no opinion kept by models without one
        ranked = tuple((name, c) for name, c in ranking)
        out[t] = Parsed(t, intent, confidence, 0.0, ranked, opinion[0] if opinion else None)
    return out
