"""The two things a run measures: our product, and Rasa's own `rasa init` bot as a yardstick.

Both are started with bot.runtime.processes, so they are stopped (process group and all) however the run
ends. Everything listens on 127.0.0.1 only, on ports chosen free at start.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.chat.gateway import WEBHOOK_PATH
from bot.runtime import processes
from bot.runtime.model import engine_env, ensure_model, rasa_command
from bot.settings import REPO_ROOT, Settings

SHARED_MODELS = REPO_ROOT / "var" / "models"  # where `make` keeps our trained models
BASELINE_CACHE = REPO_ROOT / "var" / "bench-baseline"
BASELINE_TRAIN_TIMEOUT = 1800.0
START_TIMEOUT = 240.0

Log = Callable[[str], None]


@dataclass
class Target:
    """A running engine a client can talk to: its REST webhook and the process whose tree we weigh."""

    name: str
    engine_url: str
    engine_pid: int
    ready_seconds: float
    other_pids: dict[str, int]
    open_conversation: Callable[[str], str]  # label -> sender id the engine will accept
    urgent_flags: Callable[[list[str]], list[str]] | None = None  # the messages the product flagged as danger
    model: str = ""  # the model file served, so figures can be tied to what was measured
    # Our engine takes messages only through our gateway channel, signed with the app's engine token
    # (issue #30); Rasa's own bot keeps its stock REST channel, unsigned.
    webhook_path: str = "/webhooks/rest/webhook"
    signing_key: bytes = b""

    def senders(self, label: str, count: int) -> list[str]:
        """Opened before the clock starts, so opening them is never part of a measured message."""
        return [self.open_conversation(f"{label}-{index:04d}") for index in range(count)]

    @property
    def webhook(self) -> str:
        return f"{self.engine_url}{self.webhook_path}"


def settings_in(data_dir: Path, *, product: bool = True) -> Settings:
    """Settings on free loopback ports, as the end-to-end tests make them. Only our product needs the
    embedded-mode secrets; for Rasa's bot, placeholders stop any being generated on disk."""
    env = {
        "BOT_DATA_DIR": str(data_dir),
        "BOT_ENGINE_PORT": str(processes.free_port()),
        "BOT_ACTIONS_PORT": str(processes.free_port()),
        "BOT_APP_PORT": str(processes.free_port()),
        "BOT_MODELS_DIR": str(SHARED_MODELS),
    }
    if not product:
        env |= {"BOT_SERVICE_TOKEN": "unused-by-rasa-init-bot", "BOT_SESSION_SECRET": "00" * 32}
    return Settings.from_env(env)


@contextlib.contextmanager
def our_product(data_dir: Path, log: Log) -> Iterator[Target]:
    """Our engine, action server and app, started exactly as the end-to-end tests start them."""
    from bot.store.db import make_session_factory, upgrade
    from bot.store.encrypted_text import use_key_ring
    from bot.store.services import Store

    settings = settings_in(data_dir)
    use_key_ring(settings.data_keys)  # the data folder's key, which the product's app reads too
    upgrade(settings.database_url)
    # Our store accepts answers only in conversations opened for a signed-in practitioner, as the web
    # gateway opens them; the benchmark does what the end-to-end tests do: one practitioner, opened directly.
    store = Store(make_session_factory(settings.database_url))
    practitioner = store.users.create_user(
        "bench-practitioner", secrets.token_urlsafe(16), "practitioner", "Bench"
    )
    model = ensure_model(settings, log=log)
    services = processes.product_services(settings, model)
    log(f"starting our product (engine on {settings.engine_url}, data in {data_dir})...")
    started = time.monotonic()
    with processes.running(services, timeout=START_TIMEOUT):
        ready = time.monotonic() - started
        pids = {s.name: s.process.pid for s in services if s.process is not None}
        log(f"our product is ready in {ready:.1f} s")
        yield Target(
            "ours",
            settings.engine_url,
            pids.pop("engine"),
            ready,
            pids,
            lambda _label: store.conversations.open_conversation(practitioner.id, "bench"),
            lambda senders: _urgent_flags(store, senders),
            model=str(model),
            webhook_path=WEBHOOK_PATH,
            signing_key=settings.engine_token.encode(),
        )


def _urgent_flags(store, senders: list[str]) -> list[str]:
    """Read back from the store after a level: the client itself never reads the bot's wording."""
    records = (store.assessments.get_assessment(conversation_id=sender) for sender in senders)
    return [flag.text for record in records if record is not None for flag in record.urgent_messages]


def rasa_version(settings: Settings) -> str:
    """Read from the engine environment's package metadata: instant, where `rasa --version` takes seconds."""
    for metadata in sorted(settings.engine_venv.glob("lib/python*/site-packages/rasa-*.dist-info/METADATA")):
        match = re.search(r"^Version: (\S+)$", metadata.read_text(errors="replace"), re.MULTILINE)
        if match:
            return match.group(1)
    raise SystemExit(f"cannot find Rasa's package metadata under {settings.engine_venv}")


def _baseline_env(settings: Settings, config_home: Path) -> dict[str, str]:
    env = engine_env(settings)  # telemetry off, TensorFlow quiet
    # Rasa writes its global config under XDG_CONFIG_HOME; keep it out of the user's home, as `make` does.
    env.setdefault("XDG_CONFIG_HOME", str(config_home))
    return env


def _run_in_group(argv: list[str], cwd: Path, env: dict[str, str], log_path: Path, timeout: float) -> int:
    """Run a command in its own process group and kill the whole group on timeout, error or Ctrl-C."""
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603  # argv from the bench's own targets, no shell
            argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
    try:
        return process.wait(timeout=timeout)
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@dataclass(frozen=True)
class BaselineFiles:
    model: Path
    credentials: Path
    endpoints: Path

    def all_exist(self) -> bool:
        return all(p.exists() for p in (self.model, self.credentials, self.endpoints))


def baseline_model(settings: Settings, log: Log) -> BaselineFiles:
    """Rasa's default project (`rasa init`), trained once per Rasa version and cached under var/."""
    version = rasa_version(settings)
    cache = BASELINE_CACHE / f"rasa-{version}"
    files = BaselineFiles(cache / "model.tar.gz", cache / "credentials.yml", cache / "endpoints.yml")
    if files.all_exist():
        log(f"baseline model for Rasa {version} is cached ({files.model})")
        return files
    cache.mkdir(parents=True, exist_ok=True)
    log(
        f"training Rasa {version}'s default bot (`rasa init --no-prompt`) once; this takes a minute or two..."
    )
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-rasa-init-") as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        log_path = Path(tmp) / "init.log"
        argv = [str(rasa_command(settings)), "init", "--no-prompt", "--init-dir", "."]
        code = _run_in_group(
            argv, project, _baseline_env(settings, cache / "xdg"), log_path, BASELINE_TRAIN_TIMEOUT
        )
        trained = sorted((project / "models").glob("*.tar.gz"))
        if code != 0 or not trained:
            tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-40:])
            raise SystemExit(f"`rasa init` failed (exit {code}); last lines:\n{tail}")
        channels = yaml.safe_load((project / "credentials.yml").read_text()) or {}
        if "rest" not in channels:
            raise SystemExit(
                "rasa init's credentials.yml does not enable the REST channel; cannot benchmark it"
            )
        # Copy under temporary names, then rename: a half-written cache is never mistaken for a good one.
        sources = {files.credentials: project / "credentials.yml", files.endpoints: project / "endpoints.yml"}
        sources[files.model] = trained[-1]
        for target, source in sources.items():
            part = target.with_name(target.name + ".part")
            shutil.copyfile(source, part)
            part.replace(target)
    log(f"trained and cached the baseline model in {time.monotonic() - started:.0f} s")
    return files


def _label_sender(label: str) -> str:
    return f"bench-{label}"


@contextlib.contextmanager
def baseline_bot(data_dir: Path, files: BaselineFiles, log: Log) -> Iterator[Target]:
    """`rasa run` on the default bot: in-memory tracker store, no action server, REST channel only.

    Its own endpoints file is passed explicitly: `rasa run` otherwise reads endpoints.yml from its working
    folder, which is our repository, and would pick up our SQL tracker store and action server."""
    settings = settings_in(data_dir, product=False)
    port = settings.engine_port
    (data_dir / "logs").mkdir(parents=True, exist_ok=True)
    service = processes.Service(
        "baseline",
        [
            str(rasa_command(settings)),
            "run",
            "-m",
            str(files.model),
            "-i",
            "127.0.0.1",
            "-p",
            str(port),
            "--credentials",
            str(files.credentials),
            "--endpoints",
            str(files.endpoints),
        ],
        _baseline_env(settings, BASELINE_CACHE / "xdg"),
        f"http://127.0.0.1:{port}/",
        data_dir / "logs" / "baseline.log",
    )
    log(f"starting the baseline bot on http://127.0.0.1:{port} ...")
    started = time.monotonic()
    with processes.running([service], timeout=START_TIMEOUT):
        ready = time.monotonic() - started
        if service.process is None:  # running() started it; a check that `python -O` keeps
            raise AssertionError("unreachable: the baseline bot was never started")
        log(f"baseline bot is ready in {ready:.1f} s")
        yield Target(
            "baseline",
            f"http://127.0.0.1:{port}",
            service.process.pid,
            ready,
            {},
            _label_sender,
            model=str(files.model),
        )
