"""Choose the NLU pipeline on evidence: train each candidate config and measure it on the held-out sets.

Run from the repository root: `.venv/bin/python bench/pipelines.py` (issue #11, "Choose the pipeline on
evidence"). For each candidate (config.yml as it is, and variants of its pipeline defined below) it writes the
config into a temporary folder, trains an NLU model there with `rasa train nlu` (the same domain and
data/nlu, `--fixed-model-name`, telemetry off, Rasa's training cache and global config inside that folder, so
every candidate trains cold and nothing goes to var/models), times the training, starts the engine alone on
that model as bench/understanding.py does (`product_services(...)[0]` plus `--enable-api`, free 127.0.0.1
port), parses every held-out message through `POST /model/parse` and passes it through the product's reading
(`understanding.figures`, the same code and questions). It prints one row of figures per candidate and never a
held-out message, writes the figures (no messages) to var/bench/pipelines-<timestamp>.json, stops every engine
it started and deletes its temporary folders. It does not change config.yml. See bench/README.md.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bench.common import remove
from bench.targets import _run_in_group, settings_in
from bench.understanding import figures, parse_all
from bench.understanding_sets import EXPECTED, NAVIGATION, STRUCTURED, load_sets
from bot.questions.loader import load_bank
from bot.runtime.model import engine_command, engine_env
from bot.runtime.processes import product_services, running
from bot.settings import REPO_ROOT

RESULTS_DIR = REPO_ROOT / "var" / "bench"
START_TIMEOUT = 240.0
TRAIN_TIMEOUT = 1800.0
WARMUP = ("hello", "I would like to start", "yes", "no", "next please")  # not held-out messages; untimed

Pipeline = list[dict[str, Any]]


def _replace(pipeline: Pipeline, name: str, new: dict[str, Any], *, analyzer: str = "word") -> Pipeline:
    """The pipeline with the component `name` (for CountVectorsFeaturizer: the one with that analyzer)
    replaced by `new`."""
    out = []
    for component in pipeline:
        same = component["name"] == name
        if same and name == "CountVectorsFeaturizer":
            same = component.get("analyzer", "word") == analyzer
        out.append(dict(new) if same else dict(component))
    return out


def stronger_ngrams(pipeline: Pipeline) -> Pipeline:
    """Word unigrams and bigrams ("go back", "not sure", "start again") and character n-grams of 1 to 5 in
    word boundaries, beside the spaCy features."""
    pipeline = _replace(
        pipeline, "CountVectorsFeaturizer", {"name": "CountVectorsFeaturizer", "min_ngram": 1, "max_ngram": 2}
    )
    char = {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 5}
    return _replace(pipeline, "CountVectorsFeaturizer", char, analyzer="char_wb")


def char_1_4(pipeline: Pipeline) -> Pipeline:
    """The character n-grams from single characters: char_wb 1-4 instead of 2-4."""
    char = {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4}
    return _replace(pipeline, "CountVectorsFeaturizer", char, analyzer="char_wb")


def no_spacy(pipeline: Pipeline) -> Pipeline:
    """The stronger n-grams without spaCy: a whitespace tokenizer and no spaCy vectors (cheaper to load,
    train and run; tells whether the spaCy features earn their cost)."""
    spacy = {"SpacyNLP", "SpacyTokenizer", "SpacyFeaturizer"}
    rest = [c for c in stronger_ngrams(pipeline) if c["name"] not in spacy]
    return [{"name": "WhitespaceTokenizer"}, *rest]


CANDIDATES: dict[str, tuple[str, Callable[[Pipeline], Pipeline]]] = {
    "current": ("config.yml as it is", lambda pipeline: pipeline),
    "ngrams": ("word 1-2 + char_wb 1-5 n-grams, with spaCy", stronger_ngrams),
    "no-spacy": ("word 1-2 + char_wb 1-5 n-grams, no spaCy", no_spacy),
    "char1-4": ("char_wb 1-4 instead of 2-4, with spaCy", char_1_4),
}
DEFAULT = "current,ngrams,no-spacy"  # at most three trainings on a shared 2-core machine


def log(message: str) -> None:
    print(f"[pipelines {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def candidate_config(name: str) -> dict[str, Any]:
    config = yaml.safe_load((REPO_ROOT / "config.yml").read_text(encoding="utf-8"))
    config["pipeline"] = CANDIDATES[name][1](copy.deepcopy(config["pipeline"]))
    return config


def train(name: str, folder: Path) -> tuple[Path, float]:
    """Train the candidate's NLU model in `folder`, cold (its own Rasa training cache); return the model and
    the wall-clock seconds of `rasa train nlu` (Rasa's start-up included)."""
    config = folder / "config.yml"
    config.write_text(yaml.safe_dump(candidate_config(name), sort_keys=False), encoding="utf-8")
    settings = settings_in(folder / "data")
    env = engine_env(settings) | {
        "RASA_CACHE_DIRECTORY": str(folder / "rasa-cache"),
        "XDG_CONFIG_HOME": str(folder / "xdg"),
    }
    argv = [
        *engine_command(settings),
        "train",
        "nlu",
        "--config",
        str(config),
        "--domain",
        "domain.yml",
        "--nlu",
        "data/nlu",
        "--out",
        str(folder / "models"),
        "--fixed-model-name",
        name,
    ]
    log(f"{name}: training ({CANDIDATES[name][0]})")
    started = time.monotonic()
    code = _run_in_group(argv, REPO_ROOT, env, folder / "train.log", TRAIN_TIMEOUT)
    seconds = time.monotonic() - started
    model = folder / "models" / f"{name}.tar.gz"
    if code != 0 or not model.exists():
        tail = (folder / "train.log").read_text(errors="replace")[-3000:]
        raise SystemExit(f"{name}: training failed (exit {code}):\n{tail}")
    log(f"{name}: trained in {seconds:.0f} s")
    return model, seconds


def parse_with(model: Path, folder: Path, texts: list[str]):
    """Start the engine alone on `model` (as bench/understanding.py does), parse every message, stop it."""
    settings = settings_in(folder / "data")
    engine = product_services(settings, model)[0]
    engine.argv.append("--enable-api")
    log(f"starting the engine on {settings.engine_url} with {model.name}")
    with running([engine], timeout=START_TIMEOUT):
        parse_all(settings.engine_url, list(WARMUP))
        log(f"parsing {len(set(texts))} messages")
        return parse_all(settings.engine_url, texts)


def summary(results: dict[str, Any], parsed: dict) -> dict[str, Any]:
    """The figures of one candidate, no message: controls at the choice question, the free-text outcome of
    the navigation paraphrases, danger caught and ordinary flagged (the worst of the five questions)."""
    controls, danger = results["controls"], results["danger"]
    rows = [(key, row) for key, group in controls.items() for row in group]
    nav = [row for key in NAVIGATION for row in controls[key]]
    kinds = [*STRUCTURED, "free text"]

    def alarms(key: str, kind: str) -> int:
        return sum(r[kind] == "danger" for r in danger[key])

    latencies = sorted(p.ms for p in parsed.values())
    return {
        "controls_n": len(rows),
        "controls_at_choice": sum(row["choice"] == EXPECTED[key] for key, row in rows),
        "controls_at_choice_by_control_pct": {
            key: round(100 * sum(r["choice"] == EXPECTED[key] for r in group) / len(group), 1)
            for key, group in controls.items()
        },
        "navigation_at_free_text": len(nav),
        "free_text_taken": sum(r["free text"].startswith("control:") for r in nav),
        "free_text_stored": sum(r["free text"].startswith("answer") for r in nav),
        "free_text_asked": sum(r["free text"] == "clarify" for r in nav),
        "danger_n": len(danger["danger"]),
        "danger_caught": min(alarms("danger", kind) for kind in kinds),
        "ordinary_n": len(danger["ordinary"]),
        "ordinary_flagged": max(alarms("ordinary", kind) for kind in kinds),
        "parse_p50_ms": statistics.median(latencies),
        "parse_p95_ms": latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))],
        "messages": len(parsed),
    }


def read_right(f: dict[str, Any]) -> int:
    """Accuracy as one count, every message weighing the same: controls reaching the expected reading at
    the choice question, danger caught, ordinary messages not flagged, and navigation paraphrases at free
    text that get the question (neither silently taken nor silently stored)."""
    ordinary_ok = f["ordinary_n"] - f["ordinary_flagged"]
    return f["controls_at_choice"] + f["danger_caught"] + ordinary_ok + f["free_text_asked"]


def out_of(f: dict[str, Any]) -> int:
    return f["controls_n"] + f["danger_n"] + f["ordinary_n"] + f["navigation_at_free_text"]


def print_table(rows: dict[str, dict[str, Any]]) -> None:
    def pct(part: int, whole: int) -> str:
        return f"{100 * part / whole:.1f}%"

    print(
        f"\n{'candidate':<10} {'choice':>7} {'free text taken/stored/asked':>29} {'danger':>7} "
        f"{'ordinary':>9} {'p50 ms':>7} {'p95 ms':>7} {'train s':>8} {'read right':>11}"
    )
    for name, f in rows.items():
        free = f"{f['free_text_taken']} / {f['free_text_stored']} / {f['free_text_asked']}"
        print(
            f"{name:<10} {pct(f['controls_at_choice'], f['controls_n']):>7} {free:>29} "
            f"{pct(f['danger_caught'], f['danger_n']):>7} {pct(f['ordinary_flagged'], f['ordinary_n']):>9} "
            f"{f['parse_p50_ms']:>7.0f} {f['parse_p95_ms']:>7.0f} {f['train_seconds']:>8.0f} "
            f"{read_right(f):>4} / {out_of(f)}"
        )
    n = next(iter(rows.values()))["navigation_at_free_text"]
    print(
        f"\nchoice: held-out control paraphrases reaching the expected reading at a choice question; free "
        f"text: of {n} navigation paraphrases, silently taken as a control / silently stored / asked which "
        "was meant; danger caught and ordinary flagged: the worst of the five questions; read right: the "
        "accuracy count the winner is chosen on (read_right)."
    )


def winner(rows: dict[str, dict[str, Any]], reference: str = "current") -> str:
    """Accuracy first (`read_right`), among candidates whose /model/parse p50 is within 10% of the reference
    pipeline's (the issue's latency rule; every candidate if the reference was not measured); training time
    breaks an exact tie."""
    limit = 1.1 * rows[reference]["parse_p50_ms"] if reference in rows else float("inf")
    eligible = {name: f for name, f in rows.items() if f["parse_p50_ms"] <= limit or name == reference}
    return max(eligible, key=lambda name: (read_right(eligible[name]), -eligible[name]["train_seconds"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--candidates",
        default=DEFAULT,
        help=f"comma-separated, from: {', '.join(CANDIDATES)} (default {DEFAULT}; each trains a model)",
    )
    parser.add_argument("--json", type=Path, help="where to write the figures (default var/bench/...)")
    parser.add_argument(
        "--from-json", type=Path, help="print the table and winner of an earlier run's JSON; train nothing"
    )
    args = parser.parse_args(argv)
    if args.from_json:
        rows = json.loads(args.from_json.read_text(encoding="utf-8"))
        print_table(rows)
        print(f"winner on this evidence (accuracy, then p50 within 10%, then training): {winner(rows)}")
        return 0
    names = [part.strip() for part in args.candidates.split(",") if part.strip()]
    unknown = [name for name in names if name not in CANDIDATES]
    if unknown or not names:
        parser.error(f"unknown candidates {unknown}; choose from {', '.join(CANDIDATES)}")

    bank = load_bank()
    controls, danger = load_sets()
    texts = [t for group in (*controls.values(), *danger.values()) for t in group]
    rows: dict[str, dict[str, Any]] = {}
    for name in names:
        folder = Path(tempfile.mkdtemp(prefix=f"bench-pipelines-{name}-"))
        try:
            model, seconds = train(name, folder)
            parsed = parse_with(model, folder, texts)
        finally:
            remove(folder)
        rows[name] = {
            "description": CANDIDATES[name][0],
            "pipeline": candidate_config(name)["pipeline"],
            **summary(figures(bank, controls, danger, parsed), parsed),
            "train_seconds": seconds,
        }
        log(f"{name}: {read_right(rows[name])} of {out_of(rows[name])} read right")

    print_table(rows)
    print(f"winner on this evidence (accuracy, then p50 within 10%, then training): {winner(rows)}")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = args.json or RESULTS_DIR / f"pipelines-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(rows, indent=1))
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
