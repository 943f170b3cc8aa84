"""Issue #35: the back-off `bot run` restarts a dead process with, on a clock the test moves, and the Keeper
that applies it to real (tiny) processes."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from bot.runtime import processes
from bot.runtime.backoff import BackOff, RestartPolicy
from bot.runtime.keep_up import Keeper, describe_exit


def test_the_wait_doubles_to_the_cap_and_resets_after_a_stable_run() -> None:
    policy = RestartPolicy(BackOff(first_delay=1, max_delay=8, stable_after=60, max_deaths=100, window=300))
    now = 0.0
    delays = []
    for _ in range(6):
        policy.started(now)
        now += 1  # dies a second after each start
        delays.append(policy.died(now))
    assert delays == [1, 2, 4, 8, 8, 8]
    policy.started(now)
    now += 60  # stayed up a minute: it was working, so the next wait is short again
    assert policy.died(now) == 1
    policy.started(now)
    assert policy.died(now + 1) == 2


def test_it_gives_up_on_the_fifth_death_within_the_window_only() -> None:
    policy = RestartPolicy(BackOff(first_delay=1, max_delay=60, stable_after=1000, max_deaths=5, window=300))
    for now in (0.0, 10.0, 20.0, 30.0):
        policy.started(now)
        assert policy.died(now + 5) is not None
    assert policy.died(200.0) is None  # five deaths between 5 s and 200 s
    assert policy.recent_deaths == 5

    spread = RestartPolicy(BackOff(first_delay=1, max_delay=60, stable_after=1000, max_deaths=5, window=300))
    for now in (0.0, 100.0, 200.0, 300.0, 400.0, 500.0, 600.0):  # never five within 300 s
        spread.started(now)
        assert spread.died(now + 90) is not None


def test_an_exit_is_described_by_code_or_signal() -> None:
    assert describe_exit(3) == "exited with code 3"
    assert describe_exit(-signal.SIGKILL) == "was killed by signal SIGKILL"


def service(tmp_path: Path, code: str) -> processes.Service:
    return processes.Service(
        "worker", [sys.executable, "-c", code], {}, "unused", tmp_path / "worker.log", probe=lambda: True
    )


def test_the_keeper_starts_a_dead_process_again_after_the_wait_then_gives_up(tmp_path: Path) -> None:
    worker = service(tmp_path, "import sys; print('worker ran', flush=True); sys.exit(3)")
    processes.start(worker)
    worker.process.wait()
    clock = [100.0]
    said: list[str] = []
    starts: list[float] = []

    def start(svc: processes.Service) -> None:
        starts.append(clock[0])
        processes.start(svc)
        svc.process.wait()  # it dies again at once

    backoff = BackOff(first_delay=1, max_delay=60, stable_after=120, max_deaths=3, window=300)
    keeper = Keeper([worker], start, said.append, backoff, clock=lambda: clock[0])
    assert keeper.tick() is None
    assert said == ["worker exited with code 3 unexpectedly (log: " + f"{worker.log_path}); the others keep "
                    "running; starting it again in 1 s"]  # fmt: skip
    clock[0] += 0.5
    assert keeper.tick() is None and starts == []  # not yet due
    clock[0] += 0.5
    assert keeper.tick() is None and starts == [101.0]
    assert keeper.tick() is None and said[-1].endswith("starting it again in 2 s")
    clock[0] += 2
    keeper.tick()
    assert starts == [101.0, 103.0]
    stopped = keeper.tick()  # third death within the window
    assert stopped is not None
    assert stopped.startswith("worker exited with code 3: it stopped unexpectedly 3 times in 300 s")
    assert "worker ran" in stopped  # the end of its log, to say why


def test_the_keeper_notes_a_restarted_process_that_answers(tmp_path: Path) -> None:
    worker = service(tmp_path, "import time; time.sleep(60)")
    processes.start(worker)
    said: list[str] = []
    clock = [0.0]
    keeper = Keeper([worker], processes.start, said.append, clock=lambda: clock[0])
    try:
        assert keeper.tick() is None and said == []
        worker.process.send_signal(signal.SIGKILL)
        worker.process.wait()
        keeper.tick()
        assert "was killed by signal SIGKILL" in said[-1]
        clock[0] += 1
        keeper.tick()
        assert said[-1] == "starting worker again"
        keeper.tick()
        assert said[-1] == "worker is answering again"
        assert worker.process.poll() is None
    finally:
        processes.stop(worker)
