"""The free-text question, re-read offline: what becomes of control paraphrases and real answers (issue #11).

`.venv/bin/python bench/free_text_replay.py [--misses SET]`. The classifier's reading of each message (top
intent, confidence and the ranking of intents, which the free-text question weighs: bot.dialogue.clarify) is
taken once from the engine and kept per model (bench/parse_cache.py); after that, a change to
the reading at free text (clarify.py, the cue lists and families, word limits) is measured in seconds,
without the engine, through the same `bench.understanding.outcome` the full bench uses. For each set it
prints, at the free-text question: the control paraphrases (every control but not sure and danger) and the
free-text navigation list, stored silently / taken silently / read as danger / asked; the real answers,
asked about / taken / raised the alarm. The set written blind last (bench/parse_cache.py `UNSEEN`, now the
thirteenth) is printed as counts only, always: nobody tuning may read its messages (the twelfth became a
tuning set when the thirteenth was written, as each set before it had when the next was).
`--misses` lists one other set's misses.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter

from bench.parse_cache import MISSES_UNREAD, parses
from bench.understanding import outcome
from bench.understanding_sets import FREE_TEXT, NAVIGATION, load_later, load_sets
from bot.questions.loader import load_bank


def free_text_sets() -> dict[str, dict[str, list[str]]]:
    """Per set: `paraphrases` (its control lists but not sure and danger), `navigation` (the free-text list
    of controls), `answers` (real answers that look a bit like a control) and `ordinary` (the danger set's
    ordinary mentions: more real answers, which should be stored too); empty where a set has none."""
    controls, danger = load_sets()
    paraphrases = [t for k in NAVIGATION for t in controls[k]]
    sets = {
        "older": {"paraphrases": paraphrases, "navigation": [], "answers": [], "ordinary": danger["ordinary"]}
    }
    for generation in load_later():
        sets[generation.name] = {
            "paraphrases": [t for k in NAVIGATION for t in generation.controls.get(k, [])],
            "navigation": [t for texts in generation.free_text["navigation"].values() for t in texts],
            "answers": list(generation.free_text["answers"]),
            "ordinary": list(generation.danger["ordinary"]),
        }
    return sets


def _kind(got: str) -> str:
    if got.startswith("answer"):
        return "stored"
    if got.startswith("control:"):
        return "taken"
    return {"clarify": "asked"}.get(got, got)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", help="list one set's misses (never the blind one, UNSEEN)")
    args = parser.parse_args(argv)
    sets = free_text_sets()
    parsed = parses([t for lists in sets.values() for texts in lists.values() for t in texts])
    bank = load_bank()
    today = dt.date.today()
    for name, lists in sets.items():
        got = {
            key: {t: outcome(bank, FREE_TEXT, parsed[t], today) for t in texts}
            for key, texts in lists.items()
        }
        cells = []
        for key, results in got.items():
            if results:
                counts = Counter(_kind(o) for o in results.values())
                cells.append(f"{key} {dict(sorted(counts.items()))} of {len(results)}")
        print(f"{name:<7} " + "; ".join(cells))
        if args.misses != name or name in MISSES_UNREAD:
            continue
        for key, results in got.items():
            want = "stored" if key in ("answers", "ordinary") else "asked"
            for text, o in results.items():
                if _kind(o) != want:
                    p = parsed[text]
                    second = [r for r in p.ranking if r[0] != "nlu_fallback"][:2]
                    print(f"    {key:<11} {o:<16} {p.intent} {p.confidence:.2f} {second}: {text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
