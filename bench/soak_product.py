"""What bench/soak.py does to the product around the walkers: start `bot run --scaled` and stop it, make the
practitioners' accounts, sample every process's memory and CPU, and read every assessment back.

`bot run --scaled` is started as a person starts it (its own data folder in a temporary directory, free
loopback ports, the shared model cache) and stopped with SIGINT, as Ctrl-C stops it. Accounts are made and
assessments exported through the store's own API, as `bot user add` and `bot assessments export` do, but in
this process: hundreds of `bot` commands would each pay the interpreter's start-up on a machine the soak is
measuring.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.procfs import PROC, cpu_seconds, parent_map, pss_bytes, rss_bytes, status_bytes
from bot.runtime.processes import free_port
from bot.settings import REPO_ROOT, Settings

BOT = Path(sys.executable).parent / "bot"
READY = "Press Ctrl-C to stop them all."
PORTS = ("BOT_APP_PORT", "BOT_ENGINE_PORT", "BOT_ACTIONS_PORT", "BOT_DEV_MAIL_PORT")
TEAM = "Soak team"
PASSWORD = "soak walker passphrase, not a secret"  # noqa: S105  # throwaway accounts in a temporary store
START_TIMEOUT = 900.0  # a model may have to be trained first


@dataclass
class Scaled:
    pid: int
    env: dict[str, str]  # with the private cluster's store URL, for the store's API
    app_url: str
    summary: str
    output: Path
    names: dict[str, str]  # "engine :port" -> the summary's name for it, e.g. engine-1


@contextlib.contextmanager
def scaled_product(folder: Path, engines: int, log: Any) -> Iterator[Scaled]:
    """`bot run --scaled` with `engines` engines; SIGINT on the way out, also on Ctrl-C or SIGTERM."""
    keep = ("PYTHONPATH",)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_") or k in keep} | {
        "BOT_DATA_DIR": str(folder / "data"),
        "BOT_MODELS_DIR": str(REPO_ROOT / "var" / "models"),
        # The development profile's cheap hash: thousands of sign-ins would otherwise measure Argon2.
        "BOT_PASSWORD_HASHING": "insecure-fast-for-tests",
        "BOT_SCALED_ENGINES": str(engines),
        **{name: str(free_port()) for name in PORTS},
    }
    folder.mkdir(parents=True, exist_ok=True)
    output = folder / "bot-run-scaled.out"
    log(f"starting `bot run --scaled` with {engines} engine(s); its output: {output}")
    with output.open("wb") as out:
        run = subprocess.Popen(  # noqa: S603  # our own command
            [str(BOT), "run", "--scaled"], env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True, cwd=REPO_ROOT,
        )  # fmt: skip
    try:
        summary = _wait_for_ready(output, run)
        postgres = re.search(r"PostgreSQL: +127\.0\.0\.1:(\d+)", summary)
        if not postgres:
            raise RuntimeError(f"no PostgreSQL in the summary:\n{summary}")
        password = (folder / "data" / "secrets" / "scaled-postgres-password").read_text().strip()
        store = f"postgresql+psycopg://store:{password}@127.0.0.1:{postgres.group(1)}/store"
        yield Scaled(
            run.pid, env | {"BOT_DATABASE_URL": store}, f"http://127.0.0.1:{env['BOT_APP_PORT']}", summary,
            output, _names(summary),
        )  # fmt: skip
    finally:
        if run.poll() is None:
            run.send_signal(signal.SIGINT)
        try:
            code = run.wait(timeout=180)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
            code = run.wait()
        log(f"`bot run --scaled` stopped (exit code {code})")


def _wait_for_ready(output: Path, run: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        text = output.read_text(errors="replace")
        if READY in text:
            return text
        if run.poll() is not None:
            raise RuntimeError(f"`bot run --scaled` ended with code {run.returncode}:\n{text[-3000:]}")
        time.sleep(1)
    raise RuntimeError(f"`bot run --scaled` not ready after {START_TIMEOUT:.0f} s")


def _names(summary: str) -> dict[str, str]:
    """The summary's "apps: 127.0.0.1:P, ..." lines as "app :P" -> "app-1", in the summary's order."""
    names = {}
    for kind, label in (("apps", "app"), ("engines", "engine"), ("action servers", "actions")):
        found = re.search(rf"{kind}: +([0-9.:, ]+)\(behind", summary)
        ports = re.findall(r":(\d+)", found.group(1)) if found else []
        names |= {f"{label} :{port}": f"{label}-{n}" for n, port in enumerate(ports, 1)}
    return names


def settings_of(scaled: Scaled) -> Settings:
    return Settings.from_env(scaled.env)


def add_practitioners(scaled: Scaled, count: int, run_id: str) -> list[str]:
    """`count` practitioners in one team, through the store's API as `bot user add` makes them."""
    from bot.cli.common import close_stores, open_store

    store = open_store(settings_of(scaled))
    names = [f"soak-{run_id}-{n:04d}" for n in range(1, count + 1)]
    try:
        for n, name in enumerate(names):
            store.users.create_user(name, PASSWORD, "practitioner", TEAM, create_team=n == 0)
    finally:
        close_stores()
    return names


def shared_buffers_bytes(scaled: Scaled) -> int:
    """PostgreSQL's `shared_buffers`, in bytes: the bound its shared memory grows towards and stops at."""
    from sqlalchemy import text

    from bot.store import db

    engine = db.make_engine(settings_of(scaled).database_url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(text("SELECT pg_size_bytes(current_setting('shared_buffers'))")))
    finally:
        engine.dispose()


def exported_answers(scaled: Scaled, references: list[str]) -> dict[str, list[list[str]]]:
    """Each assessment's stored answers, every revision's text per question, as `bot assessments export`
    prints them (the same service and the same JSON)."""
    from bot.cli.common import close_stores, open_store
    from bot.domain.records import Actor
    from bot.questions import BankProvider
    from bot.review.case_json import to_json
    from bot.review.services import ReviewService

    settings = settings_of(scaled)
    review = ReviewService(
        open_store(settings).session_factory,
        BankProvider(settings.bank_path),
        tracker_db=settings.tracker_database,
    )
    found = {}
    try:
        for reference in references:
            document = to_json(review.export_for_cli(Actor("cli", "soak"), None, reference, "json"))
            found[reference] = [[r["text"] for r in a["revisions"]] for a in document["answers"]]
    finally:
        close_stores()
    return found


def check_verbatim(typed: dict[str, list[str]], stored: dict[str, list[list[str]]]) -> dict[str, Any]:
    """Every typed answer a page took is stored once, byte for byte; no question's answer twice."""
    lost, doubled, twice = [], [], []
    for reference, texts in typed.items():
        all_texts = [text for revisions in stored.get(reference, []) for text in revisions]
        for text in texts:
            count = all_texts.count(text)
            (lost if count == 0 else doubled if count > 1 else []).append(text)
    for reference, answers in stored.items():
        twice += [f"{reference}: {revisions}" for revisions in answers if len(revisions) > 1]
    return {
        "typed_answers": sum(len(texts) for texts in typed.values()),
        "lost": lost,
        "doubled": doubled,
        "questions_stored_twice": twice,
    }


def _environ_port(pid: int, name: str) -> str | None:
    try:
        for item in (PROC / str(pid) / "environ").read_bytes().split(b"\0"):
            if item.startswith(f"{name}=".encode()):
                return item.split(b"=", 1)[1].decode()
    except OSError:
        pass
    return None


def label_of(pid: int, names: dict[str, str]) -> str:
    """What one of `bot run --scaled`'s children is: engine-1, app-2, postgresql, redis, haproxy, mail."""
    try:
        command = (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return f"gone {pid}"
    port = re.search(r"--port (\d+)", command)
    if "rasa" in command or "engine_start" in command:
        return names.get(f"engine :{port.group(1) if port else '?'}", f"engine {pid}")
    for module, label, variable in (
        ("actions.server", "actions", "BOT_ACTIONS_PORT"),
        ("bot.web", "app", "BOT_APP_PORT"),
    ):
        if f"-m {module}" in command:
            return names.get(f"{label} :{_environ_port(pid, variable)}", f"{label} {pid}")
    for word, label in (
        ("postgres", "postgresql"),
        ("redis", "redis"),
        ("haproxy", "haproxy"),
        ("mail_sink", "mail"),
    ):
        if word in command:
            return label
    return command.split(" ", 1)[0].rsplit("/", 1)[-1]


@dataclass
class Sample:
    at: float  # monotonic
    rss: dict[str, int]  # label -> summed VmRSS of that child's process tree
    pss: dict[str, int]  # the same as proportional set sizes (shared pages counted once over the machine)
    # Private memory (RssAnon) summed over the tree: what a leak grows. RSS also counts shared memory, which
    # in PostgreSQL grows in each backend towards shared_buffers as it touches more of them, and stops.
    private: dict[str, int]
    # Shared memory (RssShmem) of the tree's process that holds most of it: the part of a shared segment
    # touched so far, bounded by its size (PostgreSQL: shared_buffers and its smaller shared structures).
    shared: dict[str, int]
    cpu: dict[str, float]  # label -> CPU seconds of its live processes
    roots: dict[str, int]  # label -> the child's pid (a change is a restart)


@dataclass
class ProcessSampler:
    """Every `interval` seconds, each child of `bot run --scaled` (and its own process) with its tree."""

    scaled: Scaled
    interval: float = 10.0
    samples: list[Sample] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def sample(self) -> Sample:
        parents = parent_map()
        kids: dict[int, list[int]] = {}
        for pid, parent in parents.items():
            kids.setdefault(parent, []).append(pid)

        def tree(root: int) -> list[int]:
            found, frontier = [root], [root]
            while frontier:
                more = kids.get(frontier.pop(), [])
                found += more
                frontier += more
            return found

        me = self.scaled.pid
        mine = status_bytes(me, "RssAnon", "RssShmem")
        now = Sample(time.monotonic(), {"bot run": rss_bytes(me)}, {"bot run": pss_bytes(me)},
                     {"bot run": mine["RssAnon"]}, {"bot run": mine["RssShmem"]},
                     {"bot run": cpu_seconds(me)}, {"bot run": me})  # fmt: skip
        for child in kids.get(self.scaled.pid, []):
            label = label_of(child, self.scaled.names)
            pids = tree(child)
            parts = [status_bytes(p, "RssAnon", "RssShmem") for p in pids]
            now.rss[label] = now.rss.get(label, 0) + sum(rss_bytes(p) for p in pids)
            now.pss[label] = now.pss.get(label, 0) + sum(pss_bytes(p) for p in pids)
            now.private[label] = now.private.get(label, 0) + sum(part["RssAnon"] for part in parts)
            now.shared[label] = max(now.shared.get(label, 0), *(part["RssShmem"] for part in parts))
            now.cpu[label] = now.cpu.get(label, 0.0) + sum(cpu_seconds(p) for p in pids)
            now.roots[label] = child
        return now

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(self.sample())
            self._stop.wait(self.interval)

    def __enter__(self) -> ProcessSampler:
        self._thread = threading.Thread(target=self._run, name="soak-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        self.samples.append(self.sample())
