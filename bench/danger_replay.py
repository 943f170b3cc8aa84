"""Danger cues, re-read offline: how many danger messages and ordinary mentions each set flags (issue #11).

`.venv/bin/python bench/danger_replay.py [--reasons] [--confidence] [--misses SET]`. The classifier's reading
of each message (top intent and confidence) is taken once from the engine and kept per model
(bench/parse_cache.py); after that, a change to the cues in bot/dialogue/danger_*.py is measured in a second,
without the engine. The sets: the older (tests/nlu/heldout_danger.yml), the fresh and third
(`fresh_danger.yml`, `third_danger.yml`) and the development set (`dev_danger.yml`, which the cues may be
tuned against), the fourth (`fourth_danger.yml`, a tuning set since the fifth was written), the fifth
(`fifth_danger.yml`, a tuning set since the sixth was written), the sixth (`sixth_danger.yml`, a tuning set
since the seventh was written), the seventh (`seventh_danger.yml`, a tuning set since the eighth was written),
the eighth (`eighth_danger.yml`, a tuning set since the ninth was written), the ninth (`ninth_danger.yml`,
a tuning set since the tenth was written), the tenth (`tenth_danger.yml`, a tuning set since the eleventh was
written), the eleventh (`eleventh_danger.yml`, a tuning set since the twelfth was written), the twelfth
(`twelfth_danger.yml`, a tuning set since the thirteenth was written) and the thirteenth when present. The
thirteenth set (bench/parse_cache.py `UNSEEN`) is printed as counts only, always: nobody
tuning may read its messages. `--misses` lists the misses of one other set. Last, the
everyday guard (tests/nlu/everyday_answers.yml: plain answers and the walks' own, bench/everyday.py), read at
the free-text question: how many raise the typed-danger check, are taken as a control, asked about, stored;
`--misses everyday` lists those read as danger or taken. `--confidence` counts, per set and list, the messages
no rule flags (no cue, or another intent on top) by how sure the classifier is of `report_danger`: what a
"very sure, no cue" rule would flag at each threshold, and how sure it is of danger on the rest.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

import yaml

from bench.everyday import everyday_lists, read_lists
from bench.parse_cache import MISSES_UNREAD, UNSEEN, parses
from bench.understanding import Parsed
from bench.understanding_report import pct, print_reasons
from bench.understanding_sets import HELD_OUT, load_generation, load_sets
from bot.dialogue.danger_categories import combination
from bot.dialogue.reading import DANGER_INTENT, DangerReason
from bot.questions.loader import load_bank


def danger_sets() -> dict[str, dict[str, list[str]]]:
    dev = yaml.safe_load((HELD_OUT / "dev_danger.yml").read_text(encoding="utf-8"))
    return {
        "older": load_sets()[1],
        "fresh": load_generation("fresh", "").danger,
        "third": load_generation("third", "").danger,
        "fourth": load_generation("fourth", "").danger,
        "fifth": load_generation("fifth", "").danger,
        "sixth": load_generation("sixth", "").danger,
        "seventh": load_generation("seventh", "").danger,
        "eighth": load_generation("eighth", "").danger,
        "ninth": load_generation("ninth", "").danger,
        "tenth": load_generation("tenth", "").danger,
        "eleventh": load_generation("eleventh", "").danger,
        "twelfth": load_generation("twelfth", "").danger,
        "dev": {"danger": dev["danger"], "ordinary": dev["ordinary"]},
    } | ({UNSEEN: load_generation(UNSEEN, "").danger} if (HELD_OUT / f"{UNSEEN}_danger.yml").exists() else {})


# The thresholds `--confidence` counts at: where a "very sure, no cue" rule might sit.
CONFIDENCE_STEPS = (0.9, 0.95, 0.97, 0.99)


def danger_confidence(p: Parsed) -> float:
    """How sure the classifier is of `report_danger`, on top or not (0 when outside its ranking)."""
    return dict(p.ranking).get(DANGER_INTENT, p.confidence if p.intent == DANGER_INTENT else 0.0)


def print_confidence(lists: dict[str, dict[str, list[str]]], parsed: dict[str, Parsed]) -> None:
    """Counts only (the thirteenth included): per list, the unflagged messages with `report_danger` on top and
    no cue, and those with another intent on top, at or over each of CONFIDENCE_STEPS."""
    print(
        "\nreport_danger confidence of messages no rule flags (counts at or over "
        + ", ".join(f"{t:.2f}" for t in CONFIDENCE_STEPS)
        + ")"
    )
    for name, by_key in lists.items():
        for key, texts in by_key.items():
            reasons = {t: parsed[t].danger() for t in texts}
            line = f"  {name:<8} {key:<9} n={len(texts):<4}"
            for reason in (DangerReason.NO_CUE, DangerReason.OTHER_INTENT):
                sure = [danger_confidence(parsed[t]) for t, r in reasons.items() if r is reason]
                steps = " ".join(str(sum(c >= step for c in sure)) for step in CONFIDENCE_STEPS)
                line += f" | {reason.name.lower()} {len(sure):>3}: {steps}"
            print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reasons", action="store_true", help="counts per danger rule, for every set")
    parser.add_argument(
        "--misses",
        # Every set danger_sets() reads but the blind one: a new generation needs no edit here.
        choices=[*(name for name in danger_sets() if name not in MISSES_UNREAD), "everyday"],
        help="list one set's misses",
    )
    parser.add_argument("--confidence", action="store_true", help="report_danger confidence of the unflagged")
    args = parser.parse_args(argv)
    sets = danger_sets()
    everyday = everyday_lists()
    parsed = parses([t for s in (*sets.values(), everyday) for texts in s.values() for t in texts])
    for name, lists in sets.items():
        got = {key: [t for t in texts if parsed[t].danger().flags] for key, texts in lists.items()}
        caught = pct(len(got["danger"]), len(lists["danger"]))
        flagged = pct(len(got["ordinary"]), len(lists["ordinary"]))
        print(
            f"{name:<6} danger caught {caught} (n={len(lists['danger'])}), "
            f"ordinary flagged {flagged} (n={len(lists['ordinary'])})"
        )
        if args.misses == name and name not in MISSES_UNREAD:
            missed = [t for t in lists["danger"] if t not in got["danger"]]
            for label, texts in (("missed ", missed), ("flagged", got["ordinary"])):
                for t in texts:
                    p = parsed[t]
                    reason = p.danger()
                    print(f"    {label} {p.intent} {p.confidence:.2f} {reason}: {t!r}")
    for read in read_lists(load_bank(), everyday, parsed):
        print(read.line())
        if args.misses == "everyday":
            for text in (*read.of_kind("danger"), *read.of_kind("taken")):
                p = parsed[text]
                reason = p.danger()
                print(f"    {read.outcomes[text]:<16} {p.intent} {p.confidence:.2f} {reason}: {text!r}")
    if args.reasons:
        for name, lists in sets.items():
            print_reasons(name, lists, parsed)
            for key, texts in lists.items():
                named = Counter(
                    combination(t) for t in texts if parsed[t].danger() is DangerReason.CATEGORIES
                )
                print(f"    {key} by category combination: {dict(named.most_common())}")
    if args.confidence:
        print_confidence(sets | {"everyday": everyday}, parsed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
