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

The fresh set (tests/nlu/fresh_*.yml, written later by someone who had seen neither the training data nor the
older sets, which had shaped the training data at one remove) is parsed in the same run and reported after the
older figures, under "fresh", with two lists of its own read at the free-text question: real answers that look
a bit like a control, and navigation paraphrases.
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
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from actions.conduct import ranking_of
from bench.targets import settings_in
from bot.dialogue.plans import read_reply
from bot.dialogue.reading import DangerReason, danger_reason
from bot.domain.records import AssessmentRecord
from bot.questions import QuestionBank
from bot.questions.answers import AnswerProblem, parse_answer
from bot.questions.loader import load_bank
from bot.runtime.model import ensure_model
from bot.runtime.processes import product_services, running
from bot.settings import REPO_ROOT

CONTROLS_FILE = REPO_ROOT / "tests" / "nlu" / "heldout_controls.yml"
DANGER_FILE = REPO_ROOT / "tests" / "nlu" / "heldout_danger.yml"
FRESH_CONTROLS_FILE = REPO_ROOT / "tests" / "nlu" / "fresh_controls.yml"
FRESH_DANGER_FILE = REPO_ROOT / "tests" / "nlu" / "fresh_danger.yml"
FRESH_FREE_TEXT_FILE = REPO_ROOT / "tests" / "nlu" / "fresh_free_text.yml"
RESULTS_DIR = REPO_ROOT / "var" / "bench"
START_TIMEOUT = 240.0

# Where each held-out control should land today. Two controls of issue #11 have no control of their own
# yet: "explain differently" counts as help (the nearest: it explains the question) and "change an earlier
# answer" as back (how an earlier answer is changed mid-assessment). "Not sure" is no control: at a question
# that allows it, it is the answer "not sure" (status unsure).
EXPECTED = {
    "help": "control:help",
    "explain_differently": "control:help",
    "back": "control:back",
    "change_answer": "control:back",
    "skip": "control:skip",
    "not_sure": "answer:unsure",
    "pause": "control:pause",
    "stop": "control:stop",
    "start_again": "control:start_again",
    "danger": "danger",
}
# Questions of the shipped bank the messages are read at: four kinds that parse an answer, and free text.
# The choice question is a single choice: Yes / Not yet / I tried but couldn't reach them / Not sure.
STRUCTURED = {
    "choice": "discussed_with_lead",
    "yes/no": "is_a_change",
    "date": "first_noticed_date",
    "age": "young_person_age",
}
FREE_TEXT = "change_from_what"
# At free text, these are navigation: they should never be silently taken, nor silently stored (issue #11).
NAVIGATION = [k for k in EXPECTED if k not in ("not_sure", "danger")]


@dataclass(frozen=True)
class Parsed:
    text: str
    intent: str | None
    confidence: float
    ms: float
    # The classifier's intents best first, as the action server passes them to the product's reading (a
    # free-text question weighs the second guess too: bot.dialogue.clarify).
    ranking: tuple[tuple[str, float], ...] = ()


def log(message: str) -> None:
    print(f"[understanding {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_sets() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    controls = yaml.safe_load(CONTROLS_FILE.read_text(encoding="utf-8"))["controls"]
    danger = yaml.safe_load(DANGER_FILE.read_text(encoding="utf-8"))
    return controls, {"danger": danger["danger"], "ordinary": danger["ordinary"]}


def load_fresh() -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, Any]]:
    """The fresh controls (no danger list: danger has its own file), danger and ordinary, and the free-text
    lists (`answers`, and `navigation` by control)."""
    controls = yaml.safe_load(FRESH_CONTROLS_FILE.read_text(encoding="utf-8"))["controls"]
    danger = yaml.safe_load(FRESH_DANGER_FILE.read_text(encoding="utf-8"))
    free_text = yaml.safe_load(FRESH_FREE_TEXT_FILE.read_text(encoding="utf-8"))
    return controls, {"danger": danger["danger"], "ordinary": danger["ordinary"]}, free_text


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
        bank, record, parsed.text, parsed.intent, parsed.confidence, today=today, ranking=parsed.ranking
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
        parsed[text] = Parsed(text, intent.get("name"), confidence, ms, ranking_of(result))
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


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "  n/a"


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
    """The fresh free-text lists read at the free-text question: what became of each message."""
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


def print_free_text(rows: dict[str, list[dict]], misses: int, *, figures_only: bool) -> None:
    answers, navigation = rows["answers"], rows["navigation"]
    print(f"\nAt a free-text question, {len(answers)} real answers that look a bit like a control:")
    print(f"  stored as the answer: {sum(r['free text'] == 'answer' for r in answers)}")
    print(f"  asked about (clarify): {sum(r['free text'] == 'clarify' for r in answers)}")
    print(f"  silently taken as a control: {sum(r['free text'].startswith('control:') for r in answers)}")
    other = Counter(r["free text"] for r in answers if r["free text"] not in ("answer", "clarify"))
    other = {k: n for k, n in other.items() if not k.startswith("control:")}
    if other:
        print(f"  other: {other}")
    taken = [r for r in navigation if r["free text"].startswith("control:")]
    print(f"At a free-text question, {len(navigation)} navigation paraphrases typed there:")
    print(f"  asked about (clarify): {sum(r['free text'] == 'clarify' for r in navigation)}")
    right = sum(r["free text"] == r["meant"] for r in taken)
    print(f"  silently taken as a control: {len(taken)} ({right} of them the meant one)")
    print(f"  silently stored as the answer: {sum(r['free text'].startswith('answer') for r in navigation)}")
    other = Counter(r["free text"] for r in navigation if r["free text"] != "clarify" and r not in taken)
    other.pop("answer", None)
    if other:
        print(f"  other: {dict(other)}")
    if figures_only:
        return
    for label, wrong in (
        ("real answers not stored", [r for r in answers if r["free text"] != "answer"]),
        ("navigation stored silently", [r for r in navigation if r["free text"].startswith("answer")]),
    ):
        print(f"  {label}, {len(wrong)}:")
        for r in wrong[:misses]:
            print(f"    {r['text']!r}: {r['intent']} {r['confidence']:.2f} -> {r['free text']}")


def print_figures(results: dict[str, Any], misses: int, *, figures_only: bool = False) -> None:
    controls, danger = results["controls"], results["danger"]
    kinds = [*STRUCTURED, "free text"]
    print("\nControls: share reaching the expected reading at each kind of question")
    print(f"{'control':<20} {'n':>4} {'expected':<20} " + " ".join(f"{k:>10}" for k in kinds))
    totals = Counter[str]()
    for key, rows in controls.items():
        want = EXPECTED[key]
        cells = []
        for kind in kinds:
            hit = sum(row[kind] == want for row in rows)
            totals[kind] += hit
            cells.append(f"{pct(hit, len(rows)):>10}")
        print(f"{key:<20} {len(rows):>4} {want:<20} " + " ".join(cells))
    n = sum(len(rows) for rows in controls.values())
    print(f"{'all':<20} {n:>4} {'':<20} " + " ".join(f"{pct(totals[k], n):>10}" for k in kinds))

    nav = [row for key in NAVIGATION for row in controls[key]]
    taken = [row for row in nav if row["free text"].startswith("control:")]
    stored = [row for row in nav if row["free text"].startswith("answer")]
    words = max(len(row["text"].split()) for row in nav)
    print(
        f"\nAt a free-text question, {len(nav)} navigation paraphrases (every control but not sure and "
        f"danger; all short, at most {words} words):"
    )
    right = sum(row["free text"] == EXPECTED[key] for key in NAVIGATION for row in controls[key])
    print(f"  silently taken as a control: {len(taken)} ({right} of them the intended one)")
    print(f"  silently stored as the answer: {len(stored)}")
    other = Counter(row["free text"] for row in nav if row not in taken and row not in stored)
    if other:
        print(f"  other: {dict(other)}")

    print("\nDanger: messages that raise the alarm")
    for key, rows in danger.items():
        cells = ", ".join(f"{k} {pct(sum(r[k] == 'danger' for r in rows), len(rows)).strip()}" for k in kinds)
        label = "danger caught" if key == "danger" else "ordinary flagged"
        print(f"  {label:<17} (n={len(rows)}): {cells}")

    if figures_only:
        return
    print(f"\nMisses (first {misses} of each; `intent conf -> reading`)")
    for key, rows in controls.items():
        wrong = [r for r in rows if r["choice"] != EXPECTED[key]]
        if wrong:
            print(f"  {key} at the choice question, {len(wrong)} missed:")
            for r in wrong[:misses]:
                print(f"    {r['text']!r}: {r['intent']} {r['confidence']:.2f} -> {r['choice']}")
    for key, want in (("danger", True), ("ordinary", False)):
        wrong = [r for r in danger[key] if (r["free text"] == "danger") != want]
        label = "danger not caught" if want else "ordinary flagged"
        print(f"  {label} at free text, {len(wrong)}:")
        for r in wrong[:misses]:
            print(f"    {r['text']!r}: {r['intent']} {r['confidence']:.2f} -> {r['free text']}")


def reason_counts(texts: list[str], parsed: dict[str, Parsed]) -> Counter[str]:
    """How many messages `reads_as_danger` answered by each rule; a wrong top intent is counted by intent.
    Counts only: the held-out messages stay unseen by whoever writes training data."""
    counts = Counter[str]()
    for text in texts:
        p = parsed[text]
        reason = danger_reason(text, p.intent, p.confidence)
        label = str(reason)
        if reason is DangerReason.OTHER_INTENT:
            label = f"{reason} ({p.intent})"
        counts[label] += 1
    return counts


def print_reasons(title: str, danger: dict[str, list[str]], parsed: dict[str, Parsed]) -> None:
    print(f"\nWhy each message read as it did ({title}; counts only)")
    for key, texts in danger.items():
        counts = reason_counts(texts, parsed)
        flagged = sum(n for label, n in counts.items() if _flags(label))
        print(f"  {key} (n={len(texts)}, flagged {flagged}):")
        for label, n in sorted(counts.items(), key=lambda item: (not _flags(item[0]), -item[1], item[0])):
            print(f"    {'flagged' if _flags(label) else 'not flagged':<12} {n:>4}  {label}")


def _flags(label: str) -> bool:
    return any(label == str(r) for r in DangerReason if r.flags)


def by_control_counts(rows: list[dict], want: str, kind: str) -> Counter[str]:
    """Counts only: how many rows reached `want` at `kind`, and the rest by what they got instead, each
    wrong outcome named (`answer` stored, `refused`, `control:<name>`, `clarify`, ...)."""
    return Counter("right" if row[kind] == want else row[kind] for row in rows)


def print_by_control(results: dict[str, Any], free_text: dict[str, list[dict]] | None = None) -> None:
    """Per control, counts only (never a message, so whoever writes training data can read it): at the
    choice question how many reached the right reading and what the rest got; at the free-text question how
    many were asked about, taken as a control, stored as the answer."""
    print("\nBy control at the choice question (counts): right, then each wrong outcome")
    for key, rows in results["controls"].items():
        counts = by_control_counts(rows, EXPECTED[key], "choice")
        wrong = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()) if k != "right")
        print(f"  {key:<20} n={len(rows):<3} right {counts['right']:<3} {wrong}")
    print("By control at the free-text question (counts): asked (clarify), taken as a control, stored")
    nav = {key: results["controls"][key] for key in NAVIGATION if key in results["controls"]}
    if free_text is not None:
        for row in free_text["navigation"]:
            nav.setdefault(f"{row['meant'].removeprefix('control:')} (free-text list)", []).append(row)
    for key, rows in nav.items():
        got = Counter(row["free text"] for row in rows)
        taken = sum(n for k, n in got.items() if k.startswith("control:"))
        stored = sum(n for k, n in got.items() if k.startswith("answer"))
        other = len(rows) - got["clarify"] - taken - stored
        print(
            f"  {key:<34} n={len(rows):<3} asked {got['clarify']:<3} taken {taken:<3} stored {stored:<3}"
            + (f" other {other}" if other else "")
        )


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

    bank = load_bank()
    controls, danger = load_sets()
    fresh_controls, fresh_danger, fresh_free_text = load_fresh()
    fresh_lists = (*fresh_controls.values(), *fresh_danger.values(), fresh_free_text["answers"])
    fresh_lists += tuple(fresh_free_text["navigation"].values())
    texts = [t for texts in (*controls.values(), *danger.values(), *fresh_lists) for t in texts]
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
    fresh = figures(bank, fresh_controls, fresh_danger, parsed)
    fresh["free_text"] = free_text_figures(bank, fresh_free_text, parsed)
    print("\n=== fresh (tests/nlu/fresh_*.yml: written apart from the training data and the older sets) ===")
    print_figures(fresh, args.misses, figures_only=args.figures_only)
    print_free_text(fresh["free_text"], args.misses, figures_only=args.figures_only)
    if args.reasons:
        print_reasons("older sets", danger, parsed)
        print_reasons("fresh", fresh_danger, parsed)
    if args.by_control:
        print("\n=== by control, older sets ===")
        print_by_control(results)
        print("\n=== by control, fresh ===")
        print_by_control(fresh, fresh["free_text"])
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = args.json or RESULTS_DIR / f"understanding-{time.strftime('%Y%m%dT%H%M%S')}.json"
    questions = {**STRUCTURED, "free text": FREE_TEXT}
    out.write_text(json.dumps({"model": model, "questions": questions, **results, "fresh": fresh}, indent=1))
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
