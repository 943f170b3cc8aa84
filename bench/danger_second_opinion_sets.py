"""The second opinion on danger, trained with the held-out sets too (issue #11): does the binary danger
model generalise better when it also learns from the tuning sets' danger accounts and near-miss ordinary
mentions, the kind of example the intent data lack, and from how many of them?

`.venv-engine/bin/python bench/danger_second_opinion_sets.py [--flags var/bench/danger_rule_flags.json]`, with
the ENGINE's Python, after `.venv/bin/python bench/danger_rule_flags.py` (today's rule per message).

What is measured is what the product would train: the component itself (engine/extensions/
danger_second_opinion.py, imported from its folder as the engine does), its n-grams, its calibrated
classifier and its features over the documents Rasa's SpacyNLP makes (configured as config.yml configures
it); the intent examples are read by Rasa's own loader. Only the examples differ.

The protocol was fixed before any figure was seen (session 50; session 49's, which chose b+, is in
bench/README.md):
- train on data/nlu (report_danger against every other intent) plus the `danger` (1) and `ordinary` (0) lists
  of the candidate's sets; candidates: b+, the product today (older to sixth, config.yml's `extra_examples`),
  the baseline; b++, the same with the seventh and eighth too; b++w2, b++ with the sets' examples weighted 2
  (sample_weight);
- choose the candidate and threshold on VALIDATION only (the ninth, written blind, never learnt from), beside
  today's rule as the product reads it (`either`: the rule flags, or the opinion is at or over t unless the
  rule's reason is the ordinary guard): no more of its ordinary mentions flagged than the product today (b+ at
  0.95), then the most danger caught, ties to fewer ordinary flagged, then the higher threshold, then the
  earlier candidate (so the product stays as it is unless another catches more at no cost);
- judge the chosen one, and the baseline at 0.95, on the blind tenth set and the everyday guard: counts only,
  printed after the choice; never a message of either.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The component's folder first (bot.runtime puts it on the engine's path the same way); the clone's root so
# that this file also runs as a script (`bench.` imports).
sys.path[:0] = [str(ROOT / "engine" / "extensions"), str(ROOT)]

import danger_second_opinion as component  # noqa: E402  (the product's component, from the path set above)
import numpy as np  # noqa: E402
import yaml  # noqa: E402
from rasa.nlu.utils.spacy_utils import SpacyNLP  # noqa: E402
from rasa.shared.nlu.constants import INTENT, TEXT  # noqa: E402
from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402

from bench.danger_second_opinion import DEFAULT_FLAGS, GUARD, JUDGE, held_out, share, today_row  # noqa: E402

# The sets the product's component learns from today (config.yml `extra_examples`), the same with the two
# newest tuning sets, and the set the candidates are chosen on (the newest before the blind one).
PRODUCT_SETS = ("older", "fresh", "third", "fourth", "fifth", "sixth")
MORE_SETS = (*PRODUCT_SETS, "seventh", "eighth")
VALIDATION = ("ninth",)
THRESHOLDS = (0.8, 0.9, 0.95, 0.97)
# The product today: the component as it is, read at reading.py's threshold.
BASELINE, PRODUCT_THRESHOLD = "b+", 0.95
# Candidate -> (the sets whose lists it learns, the weight of one of their examples).
CANDIDATES: dict[str, tuple[tuple[str, ...], float]] = {
    "b+": (PRODUCT_SETS, 1.0),
    "b++": (MORE_SETS, 1.0),
    "b++w2": (MORE_SETS, 2.0),
}


def spacy_nlp() -> SpacyNLP:
    """Rasa's SpacyNLP configured as config.yml configures it (model, case), so that every document, the
    training examples' and the sets', is the one the component would be handed in the engine."""
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    config = next(step for step in pipeline if step["name"] == "SpacyNLP")
    return SpacyNLP.create({k: v for k, v in config.items() if k != "name"}, None, None, None)


def with_documents(nlp: SpacyNLP, messages: list[Message]) -> list[Message]:
    nlp.process_training_data(TrainingData(training_examples=messages), nlp.provide())
    return messages


def intent_examples() -> list[Message]:
    """What the component's `train` reads: the intent examples with a text, by Rasa's own loader."""
    data = load_data(str(ROOT / "data" / "nlu"))
    return [e for e in data.intent_examples if e.get(INTENT) and e.get(TEXT)]


def set_examples(sets: dict[str, dict[str, list[str]]], names: tuple[str, ...]) -> list[Message]:
    return [
        Message(data={TEXT: text, INTENT: component.DANGER_INTENT if key == "danger" else "ordinary"})
        for name in names
        for key in ("danger", "ordinary")
        for text in sets[name][key]
    ]


@dataclass
class Trained:
    name: str
    examples: int
    extra: int
    seconds: float
    opinion: component.DangerSecondOpinion


def train(name: str, base: list[Message], extra: list[Message], weight: float) -> Trained:
    """The component's `train` (its n-grams, its classifier, its features), with the sets' examples added
    and weighted; nothing saved."""
    examples = [*base, *extra]
    labels = np.array([int(e.get(INTENT) == component.DANGER_INTENT) for e in examples])
    weights = np.array([1.0] * len(base) + [weight] * len(extra))
    opinion = component.DangerSecondOpinion(
        component.DangerSecondOpinion.get_default_config(), None, None, component._ngrams()
    )
    opinion._classifier = component._classifier(opinion._config["random_state"])
    opinion._vector_width = component._vector_width(examples)
    start = time.perf_counter()
    features = opinion._features(examples, fit=True)
    opinion._classifier.fit(features, labels, sample_weight=None if not extra else weights)
    return Trained(name, len(examples), len(extra), time.perf_counter() - start, opinion)


def opinions(opinion: component.DangerSecondOpinion, messages: dict[str, Message]) -> dict[str, float]:
    """The parse's `danger_second_opinion` per text, as `process` adds it (rounded as the engine gives it)."""
    done = opinion.process(list(messages.values()), None)  # the documents are on the messages
    return {text: float(m.get(component.OUTPUT)) for text, m in zip(messages, done, strict=True)}


def per_message_ms(opinion: component.DangerSecondOpinion, messages: list[Message]) -> float:
    """Median wall time of `process` on one message at a time, its spaCy document given (as SpacyNLP hands
    it over in the engine's pipeline), after load."""
    times = []
    for message in messages:
        start = time.perf_counter()
        opinion.process([message], None)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def either(today: dict[str, dict]) -> Callable[[str, float, float], bool]:
    """As bot.dialogue.reading.danger_reason reads it: the rule first, the ordinary guard heard before the
    opinion."""

    def flags(text: str, p: float, t: float) -> bool:
        row = today_row(today, text)
        return bool(row["flags"] or (row["reason"] != GUARD and p >= t))

    return flags


def counted(texts: list[str], probs: dict[str, float], flags: Callable, t: float) -> tuple[int, int]:
    return sum(flags(x, probs[x], t) for x in texts), len(texts)


def choose(
    validation: dict[tuple[str, float], tuple[tuple[int, int], tuple[int, int]]],
) -> tuple[str, float]:
    """No more validation ordinary mentions flagged than the product today: most danger caught, then fewer
    ordinary flagged, then the higher threshold, then the earlier candidate (max keeps the first of equals).
    The product today is always within, so it stays unless another catches more at no cost."""
    budget = validation[(BASELINE, PRODUCT_THRESHOLD)][1][0]
    within = {k: v for k, v in validation.items() if v[1][0] <= budget}
    return max(within, key=lambda k: (within[k][0][0], -within[k][1][0], k[1]))


def cell(hits: int, n: int) -> str:
    return f"{hits:>4}/{n:<4} {share(hits, n)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flags", type=Path, default=DEFAULT_FLAGS, help="today's rule per message (JSON)")
    args = parser.parse_args()
    if not args.flags.exists():
        raise SystemExit(f"no {args.flags}: run `.venv/bin/python bench/danger_rule_flags.py` first")
    flags = either(json.loads(args.flags.read_text()))
    sets = held_out()
    start = time.perf_counter()
    nlp = spacy_nlp()
    base = with_documents(nlp, intent_examples())
    extra = {
        names: with_documents(nlp, set_examples(sets, names))
        for names in dict.fromkeys(names for names, _ in CANDIDATES.values())
    }
    evaluated = list(dict.fromkeys(x for lists in sets.values() for xs in lists.values() for x in xs))
    messages = dict(
        zip(evaluated, with_documents(nlp, [Message(data={TEXT: x}) for x in evaluated]), strict=True)
    )
    print(
        f"spaCy documents for {len(base)} intent examples, {max(map(len, extra.values()))} set examples and "
        f"{len(messages)} "
        f"messages to read: {time.perf_counter() - start:.1f} s"
    )
    pooled = {key: [x for name in VALIDATION for x in sets[name][key]] for key in ("danger", "ordinary")}
    # A set written apart may still repeat a line of another: how many of those read are also learnt from.
    learnt = {e.get(TEXT) for e in (*base, *extra[MORE_SETS])}
    also = {name: sum(x in learnt for x in pooled[name]) for name in pooled}
    blind = sum(x in learnt for key in ("danger", "ordinary") for x in sets[JUDGE][key])
    print(
        f"also learnt from: validation danger {also['danger']}, ordinary {also['ordinary']}; {JUDGE} {blind}"
    )
    # The rule alone: no opinion reaches a threshold over 1.
    alone = [
        counted(pooled[key], dict.fromkeys(pooled[key], 0.0), flags, 2.0) for key in ("danger", "ordinary")
    ]
    print(
        f"validation ({' + '.join(VALIDATION)}), today's rule alone: danger caught {cell(*alone[0])}, ",
        end="",
    )
    print(f"ordinary flagged {cell(*alone[1])}")
    probs, validation = {}, {}
    for name, (names, weight) in CANDIDATES.items():
        model = train(name, base, extra[names], weight)
        probs[name] = opinions(model.opinion, messages)
        ms = per_message_ms(model.opinion, list(messages.values()))
        print(
            f"\n{name}: {model.examples} training examples ({model.extra} from {', '.join(names)}, weight "
            f"{weight:g}); trained in {model.seconds:.1f} s; {ms:.2f} ms per message (median, document given)"
        )
        print("  t     validation danger caught   validation ordinary flagged   (either)")
        for t in THRESHOLDS:
            danger, ordinary = (counted(pooled[key], probs[name], flags, t) for key in ("danger", "ordinary"))
            validation[(name, t)] = (danger, ordinary)
            print(f"  {t:<5} {cell(*danger):>24}   {cell(*ordinary):>27}")
    chosen = choose(validation)
    budget = f"ordinary flagged no more than {BASELINE} at {PRODUCT_THRESHOLD}"
    print(f"\nchosen on {' + '.join(VALIDATION)} ({budget}): {chosen[0]} at {chosen[1]}")
    # Only now, and only counts: the blind set and the everyday guard, for the choice and for the product.
    for name, t in dict.fromkeys([chosen, (BASELINE, PRODUCT_THRESHOLD)]):
        judge = [counted(sets[JUDGE][key], probs[name], flags, t) for key in ("danger", "ordinary")]
        guard = [counted(sets["everyday"][key], probs[name], flags, t) for key in ("everyday", "walks")]
        print(
            f"  {name} at {t}: {JUDGE} (blind) danger caught {cell(*judge[0])}, ordinary flagged "
            f"{cell(*judge[1])}; everyday flagged {guard[0][0]}/{guard[0][1]}, "
            f"walks flagged {guard[1][0]}/{guard[1][1]}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
