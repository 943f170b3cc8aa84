"""Scaled mode's PostgreSQL server as one process `bot run` can keep up, whoever restarts it (issue #34).

`bot run --scaled` owns a private cluster and keeps its server up like any other process. An operator may
restart that server the usual way, `pg_ctl restart -m fast -D <data>`: pg_ctl stops the running server and
starts a new one itself, outside the command's process group. When the command ran the server directly,
its keeper saw the server exit, started another on the same data folder, which PostgreSQL refused (pg_ctl's
server holds the folder's lock file), again and again, and after the fifth refusal stopped the whole
product, leaving pg_ctl's server running on a folder it then deleted.

This process stands for "the cluster's server, whichever process that is": it starts the server, or takes
on one already running on the data folder; when that server ends and another takes the folder within
FOLLOW_SECONDS (pg_ctl's restart), it follows the new one; it ends, so that the keeper starts it again,
only when no server is left. A stop signal is passed on to whichever server is current, so Ctrl-C stops
it with the rest. Standard library only: it runs before anything else of the product is needed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

# pg_ctl starts the new server as soon as the old one has removed its lock file: well under a second.
FOLLOW_SECONDS = 5.0
STOP_SECONDS = 30.0
POLL_SECONDS = 0.2


def server_pid(data: Path) -> int | None:
    """The pid of the live server that holds `data` (its postmaster.pid), or None."""
    try:
        pid = int((data / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
    return pid if is_server(pid) else None


def is_server(pid: int) -> bool:
    """A live (not zombie: nobody may reap one we did not start) PostgreSQL process; a pid left in a stale
    lock file may have been reused by anything else."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0", 1)[0]
    except (OSError, IndexError):
        return False
    return state != "Z" and Path(os.fsdecode(command)).name in ("postgres", "postmaster")


class Follower:
    def __init__(self, data: Path, argv: list[str], user: str | None) -> None:
        self.data = data
        self.argv = argv
        self.user = user
        self.own: subprocess.Popen[bytes] | None = None  # the server we started, if the current one is ours
        self.pid: int | None = None  # the current server
        self.stop_signal: int | None = None

    def start(self) -> None:
        found = server_pid(self.data)
        if found is not None:
            say(f"a server is already running on {self.data} (pid {found}): following it")
            self.pid = found
            return
        self.own = subprocess.Popen(self.argv, user=self.user)  # noqa: S603  # argv from scaled_servers
        self.pid = self.own.pid

    def on_signal(self, signum: int, _frame: object) -> None:
        self.stop_signal = signum
        self.pass_on(signum)

    def pass_on(self, signum: int) -> None:
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def current_alive(self) -> bool:
        if self.own is not None and self.own.pid == self.pid:
            return self.own.poll() is None
        return self.pid is not None and is_server(self.pid)

    def run(self) -> int:
        """Follow the servers until none is left (its exit code) or a stop signal has stopped the current
        one (0)."""
        self.start()
        while True:
            while self.current_alive():
                time.sleep(POLL_SECONDS)
            code = self.own.returncode if self.own is not None and self.own.pid == self.pid else 1
            successor = None if self.stop_signal is not None else self.successor()
            if self.stop_signal is not None:
                return 0
            if successor is None:
                return code  # ended on its own and nobody restarted it: the keeper starts it again
            say(f"the server (pid {self.pid}) was restarted by someone else: following pid {successor}")
            self.pid = successor

    def successor(self) -> int | None:
        deadline = time.monotonic() + FOLLOW_SECONDS
        while time.monotonic() < deadline and self.stop_signal is None:
            found = server_pid(self.data)
            if found is not None and found != self.pid:
                return found
            time.sleep(POLL_SECONDS)
        return None

    def wait_stopped(self) -> None:
        deadline = time.monotonic() + STOP_SECONDS
        while self.current_alive() and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)


def say(text: str) -> None:
    print(f"postgres_follow: {text}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.runtime.postgres_follow", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--data", type=Path, required=True, help="the cluster's data folder")
    parser.add_argument("--user", help="the account to run the server as (under root: postgres)")
    parser.add_argument("server", nargs=argparse.REMAINDER, help="-- and the server's command line")
    args = parser.parse_args(argv)
    server = args.server[1:] if args.server[:1] == ["--"] else args.server
    follower = Follower(args.data, server, args.user)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, follower.on_signal)
    code = follower.run()
    follower.wait_stopped()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
