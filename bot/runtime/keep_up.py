"""Keep the product's processes up while `bot run` runs (issue #35).

A process that exits on its own is logged (which one, its exit code or the signal that killed it, its log)
and started again after the back-off of bot.runtime.backoff, while the others keep running: a chat that
loses its action server for a few seconds recovers instead of the whole product going down. One that keeps
dying makes `tick` return the message to stop the product with, rather than looping forever.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.runtime import processes
from bot.runtime.backoff import BackOff, RestartPolicy
from bot.runtime.processes import Service


def describe_exit(returncode: int) -> str:
    """How a process ended, in words: Popen gives a signal as a negative return code."""
    if returncode < 0:
        try:
            return f"was killed by signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"was killed by signal {-returncode}"
    return f"exited with code {returncode}"


@dataclass
class _Watched:
    service: Service
    policy: RestartPolicy
    restart_at: float | None = None  # dead, to be started again at this time
    starting: bool = False  # started again, not yet answering its health check


class Keeper:
    """Watches the running services; `tick` (called every half second or so) does what is due."""

    def __init__(
        self,
        services: list[Service],
        start: Callable[[Service], None],
        say: Callable[[str], None],
        backoff: BackOff | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._start = start
        self._say = say
        self._clock = clock
        now = clock()
        self._watched = []
        for service in services:
            policy = RestartPolicy(backoff)
            policy.started(now)
            self._watched.append(_Watched(service, policy))

    def tick(self) -> str | None:
        """Notice deaths, start again what is due, note what answers again. Returns None while the product
        runs, or the one message to stop it with when a process keeps dying."""
        for watched in self._watched:
            service = watched.service
            now = self._clock()
            if watched.restart_at is not None:
                if now >= watched.restart_at:
                    watched.restart_at = None
                    self._start(service)
                    watched.policy.started(now)
                    watched.starting = True
                    self._say(f"starting {service.name} again")
                continue
            if service.process is None:  # started before it was watched; `python -O` would strip an assert
                raise AssertionError(f"unreachable: {service.name} was never started")
            returncode = service.process.poll()
            if returncode is not None:
                processes.reap_group(service)  # anything it spawned goes with it, so its port is free
                delay = watched.policy.died(now)
                ended = describe_exit(returncode)
                if delay is None:
                    policy = watched.policy
                    return (
                        f"{service.name} {ended}: it stopped unexpectedly {policy.recent_deaths} times in "
                        f"{policy.backoff.window:.0f} s, so the whole product is stopping rather than "
                        f"starting it again. Last lines of {service.log_path}:\n{service.log_tail()}"
                    )
                watched.restart_at = now + delay
                watched.starting = False
                self._say(
                    f"{service.name} {ended} unexpectedly (log: {service.log_path}); the others keep "
                    f"running; starting it again in {delay:g} s"
                )
                continue
            if watched.starting and self._answers(service):
                watched.starting = False
                self._say(f"{service.name} is answering again")
        return None

    def _answers(self, service: Service) -> bool:
        if not (service.probe() if service.probe is not None else processes.is_healthy(service.health_url)):
            return False
        if service.ready_check is not None:
            service.ready_check()  # the engine's tracker store: a misconfigured restart stops start-up too
        return True
