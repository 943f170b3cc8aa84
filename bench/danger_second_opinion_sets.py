"""The second opinion on danger, trained with the held-out sets too (issue #11): does the binary danger
model generalise better when it also learns from the tuning sets' danger accounts and near-miss ordinary
mentions, the kind of example the intent data lack, and from how many of them?

`.venv-engine/bin/python bench/danger_second_opinion_sets.py [--round NAME] [--flags FILE]`, with the ENGINE's
Python, after `.venv/bin/python bench/danger_rule_flags.py` (today's rule per message, var/bench/
danger_rule_flags.json by default). Each round (ROUNDS) names its candidates, the set they are chosen on, the
product before it and the blind set that judges it; an earlier round can be run again as it was.

What is measured is what the product would train: the component itself (engine/extensions/
danger_second_opinion.py, imported from its folder as the engine does), its n-grams, its calibrated
classifier and its features over the documents Rasa's SpacyNLP makes (configured as config.yml configures
it); the intent examples are read by Rasa's own loader. Only the examples differ.

The protocol of every round was fixed before any of its figures was seen (session 49's, which chose b+ on the
seventh and eighth, is in bench/README.md with its code's history):
- train on data/nlu (report_danger against every other intent) plus the `danger` (1) and `ordinary` (0) lists
  of the candidate's sets, weighted as the candidate says (sample_weight, as config.yml's `extra_weight`);
- choose the candidate and threshold on the round's validation set only (written blind, never learnt from),
  beside today's rule as the product reads it (`either`: the rule flags, or the opinion is at or over t unless
  the rule's reason is the ordinary guard): within the everyday guard (no walk answer flagged, at most 2% of
  the everyday answers: tests/nlu/test_everyday_reading.py) and no more of its ordinary mentions flagged than
  the product before the round, then the most danger caught, ties to fewer ordinary flagged, then the higher
  threshold, then the earlier candidate (so the product stays as it is unless another catches more at no
  cost). The guard joined the rule in the second round, after its first choice (b+++w3 at 0.8) read a walk
  answer as danger in the product, and before any figure of that round's judge;
- judge the chosen one, and the product before, on the round's blind set and the everyday guard: counts only,
  printed after the choice; never a message of either (no judge yet: nothing printed).
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

from bench.danger_second_opinion import (  # noqa: E402
    DEFAULT_FLAGS,
    GUARD,
    SETS,
    _danger_file,
    held_out,
    share,
    today_row,
)

OLDER_TO_SIXTH = ("older", "fresh", "third", "fourth", "fifth", "sixth")
TO_EIGHTH = (*OLDER_TO_SIXTH, "seventh", "eighth")
TO_NINTH = (*TO_EIGHTH, "ninth")
TO_TENTH = (*TO_NINTH, "tenth")
THRESHOLDS = (0.8, 0.9, 0.95, 0.97)
# tests/nlu/test_everyday_reading.py's MOST_EVERYDAY_READ_AS_DANGER (and no walk answer at all).
EVERYDAY_BUDGET = 0.02


@dataclass(frozen=True)
class Round:
    # Candidate -> (the sets whose lists it learns, the weight of one of their examples).
    candidates: dict[str, tuple[tuple[str, ...], float]]
    validation: tuple[str, ...]
    # The product before the round: a candidate and the threshold bot/dialogue/reading.py read it at.
    baseline: tuple[str, float]
    judge: str
    # The thresholds each candidate is read at; the earlier rounds ran with THRESHOLDS.
    thresholds: tuple[float, ...] = THRESHOLDS


ROUNDS = {
    # Session 50: chose b++w2 at 0.9 (built: config.yml, reading.py).
    "ninth": Round(
        {"b+": (OLDER_TO_SIXTH, 1.0), "b++": (TO_EIGHTH, 1.0), "b++w2": (TO_EIGHTH, 2.0)},
        ("ninth",),
        ("b+", 0.95),
        "tenth",
    ),
    # Session 50, second round: the ninth learnt too, chosen on the tenth, judged by the eleventh.
    "tenth": Round(
        {"b++w2": (TO_EIGHTH, 2.0), "b+++w2": (TO_NINTH, 2.0), "b+++w3": (TO_NINTH, 3.0)},
        ("tenth",),
        ("b++w2", 0.9),
        "eleventh",
    ),
    # Session 51, third round, written down before it ran: the tenth learnt too, chosen on the eleventh
    # (judged once, now validation), judged by the twelfth (being written blind). 0.98 and 0.99 too: the
    # product flags 22% of the eleventh's ordinary mentions, so what a higher threshold saves is worth seeing.
    "eleventh": Round(
        {
            "b+++w3": (TO_NINTH, 3.0),
            "b4w3": (TO_TENTH, 3.0),
            "b4w2": (TO_TENTH, 2.0),
            "b4w5": (TO_TENTH, 5.0),
        },
        ("eleventh",),
        ("b+++w3", 0.95),
        "twelfth",
        (*THRESHOLDS, 0.98, 0.99),
    ),
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


def within_guard(guard: list[tuple[int, int]]) -> bool:
    """No walk answer flagged, at most EVERYDAY_BUDGET of the everyday answers (the everyday guard's test)."""
    (everyday, n_everyday), (walks, _) = guard
    return walks == 0 and everyday <= EVERYDAY_BUDGET * n_everyday


def choose(
    validation: dict[tuple[str, float], tuple[tuple[int, int], tuple[int, int]]], baseline: tuple[str, float]
) -> tuple[str, float]:
    """No more validation ordinary mentions flagged than the product today: most danger caught, then fewer
    ordinary flagged, then the higher threshold, then the earlier candidate (max keeps the first of equals).
    The product today is always within, so it stays unless another catches more at no cost."""
    budget = validation[baseline][1][0]
    within = {k: v for k, v in validation.items() if v[1][0] <= budget}
    return max(within, key=lambda k: (within[k][0][0], -within[k][1][0], k[1]))


def cell(hits: int, n: int) -> str:
    return f"{hits:>4}/{n:<4} {share(hits, n)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flags", type=Path, default=DEFAULT_FLAGS, help="today's rule per message (JSON)")
    parser.add_argument(
        "--round", choices=ROUNDS, default=list(ROUNDS)[-1], help="the round to run (the last)"
    )
    args = parser.parse_args()
    if not args.flags.exists():
        raise SystemExit(f"no {args.flags}: run `.venv/bin/python bench/danger_rule_flags.py` first")
    flags = either(json.loads(args.flags.read_text()))
    run = ROUNDS[args.round]
    sets = held_out()
    for name in (*run.validation, run.judge):
        if name not in sets and (SETS / f"{name}_danger.yml").exists():
            sets[name] = _danger_file(f"{name}_danger.yml")
    judged = run.judge in sets
    start = time.perf_counter()
    nlp = spacy_nlp()
    base = with_documents(nlp, intent_examples())
    extra = {
        names: with_documents(nlp, set_examples(sets, names))
        for names in dict.fromkeys(names for names, _ in run.candidates.values())
    }
    evaluated = list(dict.fromkeys(x for lists in sets.values() for xs in lists.values() for x in xs))
    messages = dict(
        zip(evaluated, with_documents(nlp, [Message(data={TEXT: x}) for x in evaluated]), strict=True)
    )
    print(
        f"round {args.round}: spaCy documents for {len(base)} intent examples, "
        f"{max(map(len, extra.values()))} set examples and {len(messages)} messages to read: "
        f"{time.perf_counter() - start:.1f} s"
    )
    pooled = {key: [x for name in run.validation for x in sets[name][key]] for key in ("danger", "ordinary")}
    # A set written apart may still repeat a line of another: how many of those read are also learnt from.
    learnt = {e.get(TEXT) for e in (*base, *(x for examples in extra.values() for x in examples))}
    also = {name: sum(x in learnt for x in pooled[name]) for name in pooled}
    blind = sum(x in learnt for key in ("danger", "ordinary") for x in sets[run.judge][key]) if judged else 0
    print(f"also learnt from: validation danger {also['danger']}, ordinary {also['ordinary']}; ", end="")
    print(f"{run.judge} {blind}" if judged else f"{run.judge}: not written yet")
    # The rule alone: no opinion reaches a threshold over 1.
    alone = [
        counted(pooled[key], dict.fromkeys(pooled[key], 0.0), flags, 2.0) for key in ("danger", "ordinary")
    ]
    print(
        f"validation ({' + '.join(run.validation)}), today's rule alone: danger caught {cell(*alone[0])}, ",
        end="",
    )
    print(f"ordinary flagged {cell(*alone[1])}")
    probs, validation = {}, {}
    for name, (names, weight) in run.candidates.items():
        model = train(name, base, extra[names], weight)
        probs[name] = opinions(model.opinion, messages)
        ms = per_message_ms(model.opinion, list(messages.values()))
        print(
            f"\n{name}: {model.examples} training examples ({model.extra} from {', '.join(names)}, weight "
            f"{weight:g}); trained in {model.seconds:.1f} s; {ms:.2f} ms per message (median, document given)"
        )
        print("  t     validation danger caught   validation ordinary flagged   everyday, walks flagged")
        for t in run.thresholds:
            danger, ordinary = (counted(pooled[key], probs[name], flags, t) for key in ("danger", "ordinary"))
            guard = [counted(sets["everyday"][key], probs[name], flags, t) for key in ("everyday", "walks")]
            if within_guard(guard) or (name, t) == run.baseline:
                validation[(name, t)] = (danger, ordinary)
            print(
                f"  {t:<5} {cell(*danger):>24}   {cell(*ordinary):>27}   {guard[0][0]}, {guard[1][0]}"
                + ("" if within_guard(guard) else "  (outside the everyday guard)")
            )
    chosen = choose(validation, run.baseline)
    budget = f"ordinary flagged no more than {run.baseline[0]} at {run.baseline[1]}"
    print(f"\nchosen on {' + '.join(run.validation)} ({budget}): {chosen[0]} at {chosen[1]}")
    if not judged:
        return 0
    # Only now, and only counts: the blind set and the everyday guard, for the choice and for the product.
    for name, t in dict.fromkeys([chosen, run.baseline]):
        judge = [counted(sets[run.judge][key], probs[name], flags, t) for key in ("danger", "ordinary")]
        guard = [counted(sets["everyday"][key], probs[name], flags, t) for key in ("everyday", "walks")]
        print(
            f"  {name} at {t}: {run.judge} (blind) danger caught {cell(*judge[0])}, ordinary flagged "
            f"{cell(*judge[1])}; everyday flagged {guard[0][0]}/{guard[0][1]}, "
            f"walks flagged {guard[1][0]}/{guard[1][1]}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
