"""What today's danger rules (without the engine's second opinion) make of every danger-set message and
everyday answer, written for a reader that cannot import the product (bench/danger_second_opinion.py runs
in the engine's environment, issue #11).

`.venv/bin/python bench/danger_rule_flags.py [OUT]` (default var/bench/danger_rule_flags.json). Per message,
keyed by the same text hash as bench/parse_cache.py (never the text): whether the rule flags it, the rule's
reason, and the classifier's top intent and confidence. Read from the current model's cached parses; every
set named by bench/understanding_sets.py, the blind one (bench/parse_cache.py `UNSEEN`) included: the file
holds no text, and the second-opinion bench prints only counts for it, so that a rule chosen on the other
sets can be judged on it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.danger_replay import danger_sets
from bench.everyday import everyday_lists
from bench.parse_cache import _hash, parses, write_atomically
from bot.dialogue.reading import danger_reason
from bot.settings import REPO_ROOT

DEFAULT_OUT = REPO_ROOT / "var" / "bench" / "danger_rule_flags.json"


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    sets = danger_sets()
    texts = [t for lists in (*sets.values(), everyday_lists()) for ts in lists.values() for t in ts]
    parsed = parses(texts)
    rows = {}
    for text in texts:
        p = parsed[text]
        # The rules alone, without the engine's second opinion: the research bench weighs its own beside them.
        reason = danger_reason(text, p.intent, p.confidence)
        rows[_hash(text)] = {
            "flags": reason.flags,
            "reason": reason.name,
            "intent": p.intent,
            "confidence": p.confidence,
        }
    write_atomically(out, json.dumps(rows, indent=0, sort_keys=True))
    print(f"{len(rows)} messages written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
