"""The engine's reading of held-out messages, kept per model so that the offline replays (danger_replay.py,
free_text_replay.py) re-measure a change to the rules in seconds, without the engine.

Each message's top intent, confidence and ranking is taken once from the engine
(`bench.understanding.with_engine`, on the current model) and kept in var/bench/parses-<model>.json under a
hash of the text, never the text. Also here: which set nobody tuning may read (`UNSEEN`), shared by both
replays so that they cannot disagree about it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from bench.targets import settings_in
from bench.understanding import RESULTS_DIR, Parsed, with_engine
from bot.runtime.model import ensure_model

# The set written blind last: printed as counts only, whatever is asked (the ones before it, the fifth
# included, are tuning sets).
UNSEEN = "seventh"


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def parses(texts: list[str]) -> dict[str, Parsed]:
    """Each text's intent, confidence and ranking, from the cache where it has them, else from the engine."""
    data_dir = Path(tempfile.mkdtemp(prefix="bench-parse-cache-"))
    try:
        model = ensure_model(settings_in(data_dir)).name
        cache_path = RESULTS_DIR / f"parses-{model.removesuffix('.tar.gz')}.json"
        cache = json.loads(cache_path.read_text()) if cache_path.exists() else {}
        missing = sorted({t for t in texts if _hash(t) not in cache})
        if missing:
            _, fresh = with_engine(missing, data_dir)
            cache.update({_hash(t): [p.intent, p.confidence, p.ranking] for t, p in fresh.items()})
            RESULTS_DIR.mkdir(parents=True, exist_ok=True)
            cache_path.write_text(json.dumps(cache))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    out = {}
    for t in texts:
        intent, confidence, ranking = cache[_hash(t)]
        out[t] = Parsed(t, intent, confidence, 0.0, tuple((name, c) for name, c in ranking))
    return out
