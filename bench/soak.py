"""Soak: many simulated practitioners walking screenings on `bot run --scaled` for a while, with think time.

Run from the repository root: `.venv/bin/python bench/soak.py [options]`. For each engine count asked for
(`--engines 1,2` runs the same soak on one engine and then on two, and prints them side by side) it starts
`bot run --scaled` in a temporary folder, makes `--users` practitioner accounts, and has each sign in through
the form and walk screenings (bench/soak_walker.py) for `--minutes`, sampling every process's memory and CPU
every 10 s. Then it reads every assessment back and checks that each typed answer is stored once, verbatim.

It prints errors by kind, messages, reply p50 / p95 / max, memory of each process at the end of the warm-up
and at the end, and messages per engine CPU-second; everything goes to var/bench/soak-<time>.json. A bench,
not a test: it exits 1 only when an answer was lost or stored twice (130 when interrupted).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import secrets
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import log, positive, remove, terminate
from bench.report import write_json
from bench.soak_product import (
    PASSWORD,
    ProcessSampler,
    Sample,
    add_practitioners,
    check_verbatim,
    exported_answers,
    scaled_product,
    shared_buffers_bytes,
)
from bench.soak_report import figures, print_run, print_side_by_side
from bench.soak_walker import Tally, practitioner
from bot.settings import REPO_ROOT

RESULTS_DIR = REPO_ROOT / "var" / "bench"
SIGN_INS_PER_SECOND = 5.0  # half the app's default ceiling of password checks a second


def engine_counts(text: str) -> list[int]:
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected 1, 2 or 1,2, got {text!r}") from None
    if not counts or any(count not in (1, 2) for count in counts):
        raise argparse.ArgumentTypeError("each engine count must be 1 or 2")
    return counts


def minutes(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=positive, default=300, help="simulated practitioners at once (300)")
    parser.add_argument("--minutes", type=minutes, default=10.0, help="walking time, warm-up included (10)")
    # Three minutes: 300 sign-ins take one (SIGN_INS_PER_SECOND), and on two cores the queues, and with them
    # HAProxy's pools of connections and buffers, reach their peak about three minutes in. In the 300-user
    # soak of 7 December HAProxy's RSS rose 17.9 -> 18.6 MB between minutes two and three, then 18.6 -> 18.9
    # over the last seven: a two-minute warm-up charged the filling of its pools as growth.
    parser.add_argument(
        "--warmup-minutes", type=minutes, default=3.0, help="first part not measured for memory growth (3)"
    )
    parser.add_argument("--engines", type=engine_counts, default=[2], help="1, 2, or 1,2 to compare (2)")
    parser.add_argument("--think", type=float, nargs=2, default=(2.0, 8.0), metavar=("MIN", "MAX"),
                        help="seconds between a reply and the next message, uniform (2 8)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None, help="where to write (var/bench/soak-<time>.json)")
    args = parser.parse_args(argv)
    if args.warmup_minutes >= args.minutes:
        parser.error("--warmup-minutes must be shorter than --minutes")
    return args


def load_average() -> list[float]:
    return [float(value) for value in Path("/proc/loadavg").read_text().split()[:3]]


async def walk_all(
    app_url: str,
    users: list[str],
    args: argparse.Namespace,
    tally: Tally,
    run_id: str,
    sampler: ProcessSampler,
) -> tuple[float, float, Sample, list[float], Sample]:
    """Every walker until the deadline; the sample and load average taken at the end of the warm-up, and the
    sample taken at the deadline.

    Memory growth is judged from the end of the warm-up to the deadline: the steady state. After the deadline
    the walkers stop mid-conversation and close their connections with requests in flight, and the apps
    open fresh Redis connections for the requests cut off (the soak of 7 December: Redis RSS 12.4 MB at every
    sample from minute four to the deadline, 12.8 MB six seconds after it, HAProxy 17.6 -> 17.9 MB). That
    is the soak ending, not the product growing; those samples stay in the JSON."""
    started = time.monotonic()
    warm_end, deadline = started + args.warmup_minutes * 60, started + args.minutes * 60
    walkers = [
        practitioner(
            app_url, name, PASSWORD, tally, seed=args.seed * 100_003 + n, marker=f"soak-{run_id} u{n}",
            think=tuple(args.think), deadline=deadline, start_after=n / SIGN_INS_PER_SECOND,
        )
        for n, name in enumerate(users)
    ]  # fmt: skip

    async def at_warm_end() -> tuple[Sample, list[float]]:
        await asyncio.sleep(max(0.0, warm_end - time.monotonic()))
        return await asyncio.to_thread(sampler.sample), load_average()

    async def at_deadline() -> Sample:
        await asyncio.sleep(max(0.0, deadline - time.monotonic()))
        return await asyncio.to_thread(sampler.sample)

    marker = asyncio.create_task(at_warm_end())
    last = asyncio.create_task(at_deadline())
    await asyncio.gather(*walkers)
    warm_sample, warm_load = await marker
    return started, warm_end, warm_sample, warm_load, await last


def soak(engines: int, args: argparse.Namespace, folder: Path, run_id: str) -> dict[str, Any]:
    result: dict[str, Any] = {"engines": engines, "load_average": {"start": load_average()}}
    with scaled_product(folder / f"engines-{engines}", engines, log) as scaled:
        users = add_practitioners(scaled, args.users, f"{run_id}{engines}")
        result["postgresql_shared_buffers_mb"] = round(shared_buffers_bytes(scaled) / 2**20, 1)
        log(f"{len(users)} practitioners added; walking for {args.minutes:g} min with {engines} engine(s)")
        tally = Tally()
        with ProcessSampler(scaled) as sampler:
            started, warm_end, warm_sample, warm_load, end_sample = asyncio.run(
                walk_all(scaled.app_url, users, args, tally, f"{run_id}{engines}", sampler)
            )
            ended = time.monotonic()
        result["load_average"] |= {"warmup_end": warm_load, "end": load_average()}
        log(f"walk over: {len(tally.replies)} messages; reading {len(tally.started)} assessments back")
        stored = exported_answers(scaled, tally.started)
        result["verbatim"] = check_verbatim(tally.typed, stored)
        result["summary"] = scaled.summary.splitlines()[-12:]
    result |= figures(tally, sampler.samples, warm_sample, end_sample, started, warm_end, ended)
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, terminate)
    started = dt.datetime.now().astimezone()
    run_id = secrets.token_hex(2)
    json_path = args.json or RESULTS_DIR / f"soak-{started:%Y%m%dT%H%M%S}.json"
    record: dict[str, Any] = {
        "benchmark": "soak",
        "started": started.isoformat(timespec="seconds"),
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "machine": {"cpus": os.cpu_count()},
        "runs": [],
    }
    folder = Path(tempfile.mkdtemp(prefix="bench-soak-"))
    try:
        for engines in args.engines:
            record["runs"].append(soak(engines, args, folder, run_id))
    except KeyboardInterrupt:
        log("interrupted; `bot run --scaled` has been stopped")
        record["interrupted"] = True
    finally:
        remove(folder)
    record["finished"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    write_json(json_path, record)
    for run in record["runs"]:
        print_run(run, args)
    if len(record["runs"]) > 1:
        print_side_by_side(record["runs"])
    print(f"\nresults: {json_path}")
    if record.get("interrupted"):
        return 130
    broken = [
        run
        for run in record["runs"]
        if any(run["verbatim"][k] for k in ("lost", "doubled", "questions_stored_twice"))
    ]
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
