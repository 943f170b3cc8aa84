"""What bench/understanding.py prints: the tables, the misses, and the counts-only views (issue #11).

Split from the runner to keep each module to one job. `--figures-only`, `--reasons` and `--by-control` print
counts only, never a held-out message, so whoever writes training data can read them and the sets stay unseen.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from bench.understanding_sets import EXPECTED, NAVIGATION, STRUCTURED
from bot.dialogue.reading import DangerReason

if TYPE_CHECKING:  # the runner imports this module: a type only, no import cycle at run time
    from bench.understanding import Parsed


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "  n/a"


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
        reason = p.danger()
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
    print("By control at the date and age questions (counts): right of n, then each wrong outcome")
    for key, rows in results["controls"].items():
        cells = []
        for kind in ("date", "age"):
            counts = by_control_counts(rows, EXPECTED[key], kind)
            wrong = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()) if k != "right")
            cells.append(f"{kind} {counts['right']}/{len(rows)}" + (f" ({wrong})" if wrong else ""))
        print(f"  {key:<20} " + "; ".join(cells))
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
