"""How well the bot understands people: the held-out control and danger sets, read as the bot reads them.

Run from the repository root: `.venv/bin/python bench/understanding.py` (issue #11). It starts the engine
alone on the current trained model (`ensure_model`, as `make run` and the end-to-end tests get it) with
`rasa run --enable-api` on a free 127.0.0.1 port, telemetry off; sends every message of
tests/nlu/heldout_controls.yml and tests/nlu/heldout_danger.yml to `POST /model/parse`; passes the intent,
its confidence and the ranking of intents (as the action server does) through the product's own reading
(`bot.dialogue.plans.read_reply`, which calls `bot.dialogue.reading.read_message` with the open question's
choice words, then the question's own parser)
with a record open at real questions of the bank; prints the figures and the misses; writes everything to
var/bench/understanding-<timestamp>.json; and stops the engine it started. It prints figures and never
judges them: the targets are in issue #11. See bench/README.md.

The later sets are parsed in the same run and reported after the older figures, each under its own name and
with two lists of its own read at the free-text question (real answers that look a bit like a control, and
navigation paraphrases): "fresh" (tests/nlu/fresh_*.yml, written later by someone who had seen neither the
training data nor the older sets, which had shaped the training data at one remove), "third" and "fourth"
(third_*.yml, fourth_*.yml, each written blind in the same way while the set before it was being tuned
against), "fifth" and "sixth" (fifth_*.yml, sixth_*.yml, each written blind before anyone tuned against
the set before it; both now tuning sets themselves), "seventh" (seventh_*.yml, written blind before anyone
tuned against the sixth; now a tuning set too), "eighth" (eighth_*.yml, written blind before anyone tuned
against the seventh; now a tuning set too), "ninth" (ninth_*.yml, written blind before anyone tuned against
the eighth; now a tuning set too), "tenth" (tenth_*.yml, written blind before anyone tuned against the
ninth; now a tuning set too), "eleventh" (eleventh_*.yml, written blind before anyone tuned against the
tenth; now a tuning set too), "twelfth" (twelfth_*.yml, written blind before anyone tuned against the
eleventh; now a tuning set too), "thirteenth" (thirteenth_*.yml, written blind before anyone tuned against
the twelfth: the one nobody has tuned against; read its figures only, with --figures-only) and the development
set "dev". The sets are loaded
by bench/understanding_sets.py (`LATER`) and printed by bench/understanding_report.py. Last, the everyday
guard (tests/nlu/everyday_answers.yml, bench/everyday.py): plain answers and the walks' own, read at the
free-text question, counted as read as danger, taken as a control, asked about or stored.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actions.conduct import danger_opinion_of, ranking_of
from bench.targets import settings_in
from bench.understanding_report import print_by_control, print_figures, print_free_text, print_reasons
from bench.understanding_sets import FREE_TEXT, STRUCTURED, load_later, load_sets
from bot.dialogue.plans import read_reply
from bot.dialogue.reading import DangerReason, danger_reason
from bot.domain.records import AssessmentRecord
from bot.questions import QuestionBank
from bot.questions.answers import AnswerProblem, parse_answer
from bot.questions.loader import load_bank
from bot.runtime.model import ensure_model
from bot.runtime.processes import product_services, running
from bot.settings import REPO_ROOT

RESULTS_DIR = REPO_ROOT / "var" / "bench"
START_TIMEOUT = 240.0


@dataclass(frozen=True)
class Parsed:
    text: str
    intent: str | None
    confidence: float
    ms: float
    # The classifier's intents best first, as the action server passes them to the product's reading (a
    # free-text question weighs the second guess too: bot.dialogue.clarify).
    ranking: tuple[tuple[str, float], ...] = ()
    # The engine's second opinion on danger (bot.dialogue.reading.danger_reason), as the action server reads
    # it from the parse; None from a model without it.
    opinion: float | None = None

    def danger(self) -> DangerReason:
        """Why the product's danger rule does or does not flag this message."""
        return danger_reason(self.text, self.intent, self.confidence, self.opinion)


def log(message: str) -> None:
    print(f"[understanding {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def record_at(bank: QuestionBank, question_id: str) -> AssessmentRecord:
    """A live assessment with nothing answered, open at one question of the bank."""
    now = dt.datetime.now(dt.UTC)
    return AssessmentRecord(
        id=0,
        reference="BENCH",
        conversation_id="bench-understanding",
        practitioner_id=None,
        practitioner=None,
        team=None,
        mode="live",
        status="in_progress",
        bank_version=bank.version,
        current_question_id=question_id,
        urgent=False,
        urgent_first_at=None,
        urgent_messages=(),
        created_at=now,
        updated_at=now,
        submitted_at=None,
        answers={},
    )


def outcome(bank: QuestionBank, question_id: str, parsed: Parsed, today: dt.date) -> str:
    """What the product makes of the message at that question: `control:<name>`, `danger`, `answer`
    (stored as given), `answer:unsure`, `refused` (the question asks again), or another reading kind."""
    record = record_at(bank, question_id)
    reading = read_reply(
        bank,
        record,
        parsed.text,
        parsed.intent,
        parsed.confidence,
        today=today,
        ranking=parsed.ranking,
        danger_opinion=parsed.opinion,
    )
    if reading.kind == "control":
        return f"control:{reading.control}"
    if reading.kind != "answer":
        return reading.kind
    answer = parse_answer(bank.question(question_id), parsed.text, today=today)
    if isinstance(answer, AnswerProblem):
        return "refused"
    return "answer:unsure" if answer.status == "unsure" else "answer"


def parse_all(engine_url: str, texts: list[str]) -> dict[str, Parsed]:
    parsed: dict[str, Parsed] = {}
    for text in texts:
        if text in parsed:
            continue
        body = json.dumps({"text": text}).encode()
        request = urllib.request.Request(  # noqa: S310  # settings.engine_url: always http://
            f"{engine_url}/model/parse", data=body, headers={"Content-Type": "application/json"}
        )
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310  # the request above
            result = json.load(response)
        ms = (time.perf_counter() - started) * 1000
        intent = result.get("intent") or {}
        confidence = float(intent.get("confidence") or 0.0)
        opinion = danger_opinion_of(result)
        parsed[text] = Parsed(text, intent.get("name"), confidence, ms, ranking_of(result), opinion)
    return parsed


def with_engine(texts: list[str], data_dir: Path) -> tuple[str, dict[str, Parsed]]:
    """Start the engine alone (our tracker store, no action server: /model/parse needs neither), parse
    every message, stop it."""
    settings = settings_in(data_dir)
    model = ensure_model(settings, log=log)
    engine = product_services(settings, model)[0]
    engine.argv.append("--enable-api")
    log(f"starting the engine on {settings.engine_url} with model {model.name}")
    with running([engine], timeout=START_TIMEOUT):
        log(f"parsing {len(set(texts))} messages")
        return model.name, parse_all(settings.engine_url, texts)


def figures(bank: QuestionBank, controls: dict[str, list[str]], danger: dict[str, list[str]], parsed):
    today = dt.date.today()
    where = {**STRUCTURED, "free text": FREE_TEXT}
    results: dict[str, Any] = {"controls": {}, "danger": {}}
    for key, texts in controls.items():
        results["controls"][key] = [
            {
                "text": t,
                "intent": parsed[t].intent,
                "confidence": round(parsed[t].confidence, 3),
                **{kind: outcome(bank, qid, parsed[t], today) for kind, qid in where.items()},
            }
            for t in texts
        ]
    for key, texts in danger.items():
        results["danger"][key] = [
            {
                "text": t,
                "intent": parsed[t].intent,
                "confidence": round(parsed[t].confidence, 3),
                **{kind: outcome(bank, qid, parsed[t], today) for kind, qid in where.items()},
            }
            for t in texts
        ]
    return results


def free_text_figures(bank: QuestionBank, free_text: dict[str, Any], parsed) -> dict[str, list[dict]]:
    """A later set's free-text lists read at the free-text question: what became of each message."""
    today = dt.date.today()

    def row(text: str, meant: str | None) -> dict:
        p = parsed[text]
        return {
            "text": text,
            "meant": meant,
            "intent": p.intent,
            "confidence": round(p.confidence, 3),
            "free text": outcome(bank, FREE_TEXT, p, today),
        }

    navigation = [row(t, f"control:{key}") for key, texts in free_text["navigation"].items() for t in texts]
    return {"answers": [row(t, None) for t in free_text["answers"]], "navigation": navigation}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", type=int, default=15, help="misses listed per set (all are in the JSON)")
    parser.add_argument(
        "--figures-only",
        action="store_true",
        help="print only the tables and totals, no messages (for whoever writes training data: the held-out "
        "sets stay unseen)",
    )
    parser.add_argument(
        "--reasons",
        action="store_true",
        help="also print, for the danger and ordinary sets, how many messages each danger rule decided "
        "(counts only, no messages)",
    )
    parser.add_argument(
        "--by-control",
        action="store_true",
        help="also print, per control, counts only (never a message): at the choice question right and each "
        "wrong outcome; at the free-text question asked, taken, stored",
    )
    parser.add_argument("--json", type=Path, help="where to write the results (default var/bench/...)")
    parser.add_argument("--keep-data", action="store_true", help="keep the temporary folder with the log")
    args = parser.parse_args(argv)

    # Here, not at the top: bench.everyday reads messages with this module's `outcome`.
    from bench.everyday import everyday_lists, read_lists

    bank = load_bank()
    controls, danger = load_sets()
    later = load_later()
    texts = [t for texts in (*controls.values(), *danger.values()) for t in texts]
    texts += [t for generation in later for t in generation.texts()]
    everyday = everyday_lists()
    texts += [t for texts in everyday.values() for t in texts]
    data_dir = Path(tempfile.mkdtemp(prefix="bench-understanding-"))
    model, parsed = with_engine(texts, data_dir)
    if not args.keep_data:
        shutil.rmtree(data_dir, ignore_errors=True)
    else:
        log(f"kept {data_dir}")

    results = figures(bank, controls, danger, parsed)
    latencies = [p.ms for p in parsed.values()]
    p50 = statistics.median(latencies)
    print(f"model {model}; {len(parsed)} messages parsed, /model/parse p50 {p50:.0f} ms")
    print_figures(results, args.misses, figures_only=args.figures_only)
    measured: dict[str, dict[str, Any]] = {}
    for generation in later:
        got = figures(bank, generation.controls, generation.danger, parsed)
        got["free_text"] = free_text_figures(bank, generation.free_text, parsed)
        measured[generation.name] = got
        print(f"\n=== {generation.name} ({generation.title}) ===")
        print_figures(got, args.misses, figures_only=args.figures_only)
        print_free_text(got["free_text"], args.misses, figures_only=args.figures_only)
    print("\n=== everyday (tests/nlu/everyday_answers.yml: plain answers, and the walks' own) ===")
    for read in read_lists(bank, everyday, parsed):
        print(read.line())
    measured["everyday"] = {read.name: read.outcomes for read in read_lists(bank, everyday, parsed)}
    if args.reasons:
        print_reasons("older sets", danger, parsed)
        for generation in later:
            print_reasons(generation.name, generation.danger, parsed)
    if args.by_control:
        print("\n=== by control, older sets ===")
        print_by_control(results)
        for name, got in measured.items():
            if name == "everyday":
                continue
            print(f"\n=== by control, {name} ===")
            print_by_control(got, got["free_text"])
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = args.json or RESULTS_DIR / f"understanding-{time.strftime('%Y%m%dT%H%M%S')}.json"
    questions = {**STRUCTURED, "free text": FREE_TEXT}
    out.write_text(json.dumps({"model": model, "questions": questions, **results, **measured}, indent=1))
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
