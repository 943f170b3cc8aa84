"""Per-message latency, throughput and engine memory of our product, next to Rasa's own default bot.

Run from the repository root: `.venv/bin/python bench/turns.py [options]` (or `make bench`). It starts our
product exactly as the end-to-end tests do, in a temporary data folder on free loopback ports, drives
scripted assessments through the engine's REST channel, then does the same to `rasa init`'s bot as a
baseline, prints a table and writes the figures to var/bench/turns-<timestamp>.json. It prints figures and
never judges them. See bench/README.md for how to read the table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import platform
import secrets
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.conversations import run_conversations
from bench.procfs import (
    RssSampler,
    cpu_seconds,
    is_alive,
    machine_busy_seconds,
    tree_cpu_seconds,
    tree_rss_bytes,
)
from bench.report import LevelResult, level_json, ratios, ratios_table, results_table, write_json
from bench.stats import EDGE_TURNS, RunSummary
from bench.targets import (
    BaselineFiles,
    Target,
    baseline_bot,
    baseline_model,
    our_product,
    rasa_version,
    settings_in,
)
from bot.runtime.processes import ServiceFailed
from bot.settings import REPO_ROOT

RESULTS_DIR = REPO_ROOT / "var" / "bench"
LEGEND = """
ms per message, POST to the whole reply. first20 / last20: the first and last {edge} messages of each
conversation; last/first: ratio of their p50s. err: failed requests (HTTP error, timeout, bad body);
empty: replies with no message; refused: answers after which the same question came back; odd: replies
with no question in them; urgent: danger flags the product raised in these conversations (read back
from our store afterwards); submit: conversations that reached the end and submitted; CPU ms/msg:
CPU time the engine process tree used during the level, divided by messages (action server and app: JSON);
other load: cores kept busy by processes this run did not start (other tests, builds), on average."""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def concurrency_list(text: str) -> list[int]:
    try:
        levels = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, got {text!r}") from None
    if not levels or any(level < 1 or level > 1000 for level in levels):
        raise argparse.ArgumentTypeError("each concurrency must be between 1 and 1000")
    return levels


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", "-n", type=positive, default=20, help="per concurrency level (20)")
    parser.add_argument(
        "--concurrency", "-c", type=concurrency_list, default=[4], help="one or more, e.g. 1,10,50 (4)"
    )
    parser.add_argument(
        "--turns", "-t", type=positive, default=60, help="messages per conversation at most (60)"
    )
    parser.add_argument("--targets", choices=("both", "ours", "baseline"), default="both")
    parser.add_argument(
        "--seed", type=int, default=1, help="seeds every choice the scripted client makes (1)"
    )
    parser.add_argument(
        "--nav-every",
        type=int,
        default=15,
        help="press /help, /skip, /go_back in turn every N messages; 0: never",
    )
    parser.add_argument(
        "--warmup", type=int, default=5, help="unmeasured messages sent to each engine first (5)"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds one message may take (120)")
    parser.add_argument(
        "--json", type=Path, default=None, help="where to write results (var/bench/turns-<time>.json)"
    )
    parser.add_argument(
        "--baseline-length",
        choices=("match", "turns"),
        default="match",
        help="baseline conversations as long as ours were at the same level (match), or --turns long",
    )
    parser.add_argument("--keep-data", action="store_true", help="keep the temporary data folders and logs")
    return parser.parse_args(argv)


def measure(
    target: Target, args: argparse.Namespace, run_id: str, lengths: dict[int, list[int]]
) -> tuple[list[LevelResult], dict[str, Any]]:
    """`lengths`: per concurrency, how many messages each conversation may send (else --turns)."""
    info: dict[str, Any] = {
        "model": target.model,
        "ready_seconds": round(target.ready_seconds, 2),
        "engine_rss_at_ready_bytes": tree_rss_bytes(target.engine_pid),
    }
    kind = "ours" if target.name == "ours" else "moodbot"
    common = {
        "seed": args.seed,
        "nav_every": args.nav_every,
        "timeout": args.timeout,
        "signing_key": target.signing_key,
    }
    if args.warmup:
        warm, _ = asyncio.run(
            run_conversations(
                target.webhook, kind, target.senders(f"warmup-{run_id}", 1), concurrency=1,
                turns=args.warmup, **common,
            )
        )  # fmt: skip
        info["warmup_ms"] = [round(t * 1000, 1) for t in warm[0].latencies]
        info["warmup_errors"] = warm[0].errors
    levels = []
    for concurrency in args.concurrency:
        log(
            f"{target.name}: {args.conversations} conversations, up to {args.turns} messages, C={concurrency}"
            + (" (as long as ours were)" if concurrency in lengths else "")
        )
        senders = target.senders(f"c{concurrency}-{run_id}", args.conversations)
        limits = lengths.get(concurrency) or [args.turns] * len(senders)
        pids = {"engine": target.engine_pid} | target.other_pids
        samplers = {name: RssSampler(pid) for name, pid in pids.items()}
        cpu_before = {name: tree_cpu_seconds(pid) for name, pid in pids.items()}
        machine_before, client_before = machine_busy_seconds(), cpu_seconds(os.getpid())
        with contextlib.ExitStack() as sampling:
            for sampler in samplers.values():
                sampling.enter_context(sampler)
            conversations, wall = asyncio.run(
                run_conversations(
                    target.webhook, kind, senders, concurrency=concurrency, turns=limits, **common,
                )
            )  # fmt: skip
        cpu = {name: tree_cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
        cpu["client"] = cpu_seconds(os.getpid()) - client_before  # this process alone
        # Whatever else ran on the machine meanwhile (other test runs, builds): figures taken while it was
        # busy are not comparable with a quiet run, so the table shows it.
        background = machine_busy_seconds() - machine_before - sum(cpu.values())
        level = LevelResult(
            target=target.name,
            concurrency=concurrency,
            summary=RunSummary.of([c.latencies for c in conversations], wall),
            conversations=conversations,
            engine_peak_rss=samplers.pop("engine").peak,
            others_peak_rss={name: s.peak for name, s in samplers.items()},
            engine_alive_after=is_alive(target.engine_pid),
            urgent_messages=target.urgent_flags(senders) if target.urgent_flags else None,
            cpu_seconds=cpu,
            background_cores=max(background, 0.0) / wall if wall > 0 else None,
        )
        s = level.summary
        log(
            f"{target.name} C={concurrency}: {level.messages} messages in {wall:.1f} s, "
            f"p50 {s.overall.p50_ms or 0:.0f} ms, p95 {s.overall.p95_ms or 0:.0f} ms, "
            f"errors {level.count('errors')}, refusals {level.count('refusals')}"
        )
        levels.append(level)
        if not level.engine_alive_after:
            log(f"{target.name}: the engine died; skipping its remaining levels")
            break
    return levels, info


def _terminate(signum: int, _frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C, so every `finally` stops what it started."""
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    started = dt.datetime.now().astimezone()
    run_id = secrets.token_hex(3)
    json_path = args.json or RESULTS_DIR / f"turns-{started:%Y%m%dT%H%M%S}.json"
    record: dict[str, Any] = {
        "benchmark": "turns",
        "started": started.isoformat(timespec="seconds"),
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "edge_turns": EDGE_TURNS,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "targets": {},
        "levels": [],
    }
    levels: list[LevelResult] = []
    tmp = Path(tempfile.mkdtemp(prefix="bench-turns-"))
    try:
        files: BaselineFiles | None = None
        if args.targets in ("both", "baseline"):
            # Trained before anything runs, so training never competes with a measurement for the CPU.
            files = baseline_model(settings_in(tmp / "settings", product=False), log)
            record["rasa_version"] = rasa_version(settings_in(tmp / "settings", product=False))
        if args.targets in ("both", "ours"):
            levels += _run_target("ours", record, lambda: our_product(tmp / "ours", log), args, run_id, {})
        if files is not None:
            # Rasa's bot gets slower as its conversations grow, so by default each baseline conversation
            # sends as many messages as ours did (ours end at submit, before --turns in a long run).
            lengths = {}
            if args.baseline_length == "match":
                lengths = {lv.concurrency: [len(c.latencies) for c in lv.conversations] for lv in levels}
            levels += _run_target(
                "baseline", record, lambda: baseline_bot(tmp / "baseline", files, log), args, run_id, lengths
            )
    except KeyboardInterrupt:
        log("interrupted; every process this run started has been stopped")
        record["interrupted"] = True
    finally:
        if args.keep_data:
            log(f"data folders and logs kept in {tmp}")
        else:
            _remove(tmp)
    record["levels"] = [level_json(level) for level in levels]
    record["ratios"] = ratios(levels)
    record["finished"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    write_json(json_path, record)
    _print(levels, record, args, json_path)
    return 130 if record.get("interrupted") else 0


def _run_target(
    name: str,
    record: dict[str, Any],
    start,
    args: argparse.Namespace,
    run_id: str,
    lengths: dict[int, list[int]],
) -> list[LevelResult]:
    """Measure one target; if it cannot start, say why and go on to the next one."""
    try:
        with start() as target:
            levels, info = measure(target, args, run_id, lengths)
    except (ServiceFailed, SystemExit) as failure:  # SystemExit: ensure_model's training failed
        log(f"{name} did not start: {failure}")
        record["targets"][name] = {"failed_to_start": str(failure)[-4000:]}
        return []
    record["targets"][name] = info
    return levels


def _remove(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def _print(
    levels: list[LevelResult], record: dict[str, Any], args: argparse.Namespace, json_path: Path
) -> None:
    print()
    print(
        f"turns benchmark: {args.conversations} conversations per level, up to {args.turns} messages each, "
        f"concurrency {','.join(map(str, args.concurrency))}, seed {args.seed}, {os.cpu_count()} CPUs"
    )
    for name, info in record["targets"].items():
        if "failed_to_start" in info:
            print(f"  {name}: FAILED TO START (see JSON)")
        else:
            print(
                f"  {name}: {Path(info['model']).name}, ready in {info['ready_seconds']:.1f} s, "
                f"engine RSS at ready {info['engine_rss_at_ready_bytes'] / 2**20:.0f} MB"
            )
    print()
    if levels:
        print(results_table(levels))
        print(LEGEND.format(edge=EDGE_TURNS))
    if record["ratios"]:
        print()
        print(ratios_table(record["ratios"]))
    print(f"\nresults: {json_path}")


if __name__ == "__main__":
    sys.exit(main())
