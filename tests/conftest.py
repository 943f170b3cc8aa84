"""Project-wide test settings, the slow kinds of test and their pytest-xdist groups.

Property tests must not fail because a loaded two-core CI machine was slow: Hypothesis' default 200 ms
deadline is a timing assertion in disguise. Tests that need another setting declare their own.

Passwords: argon2 at production cost takes about 100 ms a hash, and the suite creates thousands of users, so
the whole suite (this process, the CLI and product processes it starts, which inherit the environment) hashes
with the cheapest parameters argon2 accepts. `tests/store/test_users.py` checks the production parameters.
SQLite commits the same way: the suite commits tens of thousands of times, and a disk flush on each
(production's synchronous=FULL) cost tens of seconds of the quick lane, so the suite uses synchronous=NORMAL,
which survives any crash of a process (what the tests do) though not a power cut.
`tests/store/test_durability.py` checks production's setting.

Shared fixtures live in `tests/fixtures` (loaded below): `database_url`, a per-test copy of one SQLite file
migrated once per session; the shipped question `bank`; the hand-moved `Clock`; the `browser`, one Debian
Chromium per session (per worker) with every context closed after each test. A folder's conftest overrides
`database_url` where it needs more (tests/store and one review module run on PostgreSQL too: one server per
run and a migrated template, `postgres_databases` and `postgres_url` in tests/fixtures/postgres.py).

pytest-xdist (`make test`, `make test-quick`: `-n 2 --dist loadgroup`): what must share a process runs on one
worker as one group (`xdist_group_of`): each end-to-end module (its module-scoped servers start once; each
worker starts its own product, engine, action server and app, once per session, when its first end-to-end
test arrives), the tests of one `bot run --scaled` stack (`e2e-scaled`), those of one `bot run`
(`e2e-bot-run`), the two deploy-manifest files (`deploy-manifests`: one validator run between them),
the action server's probes and token files (`action-server`: one real action server between them), and the
PostgreSQL tests (the run's one server, tests/fixtures/postgres.py); every other
test goes wherever a worker is free. The heaviest kinds
are handed out first (`run_order`): the scaled stack's, PostgreSQL's, the end-to-end modules, then browser
tests, then the rest, so that the last minutes of a run are thousands of small tests shared by both
workers rather than one worker finishing a long group alone. The groups
are marked (`xdist_group`) and also given to xdist's scheduler from the test's id
(`pytest_xdist_make_scheduler` below): with pytest 9.2 xdist 3.8's own loadgroup no longer sees the marks
(pytest-dev/pytest-xdist#1386: it renames `item._nodeid`, which pytest no longer reads), and groups silently
stop. Counts of what a run started are printed at its end
(tests/fixtures/counts.py), and the CPU seconds of the costliest test files (tests/fixtures/cpu_costs.py:
steady under load, where wall times are not).
"""

import gc
import os

import pytest
from hypothesis import settings
from xdist.scheduler import LoadGroupScheduling

from bot.crypto.key_ring import parse_key_ring
from bot.store.db import use_sqlite_durability
from bot.store.encrypted_text import use_key_ring
from bot.store.passwords import use_hashing
from tests.fixtures.hypothesis_lanes import FULL_LANE_EXAMPLES

pytest_plugins = [
    "tests.fixtures.counts",
    "tests.fixtures.cpu_costs",
    "tests.fixtures.databases",
    "tests.fixtures.postgres",
    "tests.fixtures.questions",
    "tests.fixtures.browsers",
    "tests.fixtures.library_caches",
]

TEST_PASSWORD_HASHING = "insecure-fast-for-tests"
TEST_SQLITE_DURABILITY = "fast-for-tests"
# Issue #32: the suite signs leads and admins in through the real form thousands of times; only the second
# factor's own tests (tests/web/test_second_factor*.py, which set it back to true) ask them for a code.
TEST_TOTP_REQUIRED = "false"
SCALED_STACK_FILES = ("tests/e2e/test_run_scaled.py", "tests/e2e/test_run_scaled_faults.py")
BOT_RUN_FILES = ("tests/e2e/test_bot_run_probes.py", "tests/e2e/test_bot_run_restarts.py")
DEPLOY_MANIFEST_FILES = ("tests/test_deploy_manifests.py", "tests/test_deploy_manifests_scaled.py")
ACTION_SERVER_FILES = ("tests/actions/test_action_probes.py", "tests/actions/test_action_server_token.py")
os.environ["BOT_PASSWORD_HASHING"] = TEST_PASSWORD_HASHING
use_hashing(TEST_PASSWORD_HASHING)
os.environ["BOT_SQLITE_DURABILITY"] = TEST_SQLITE_DURABILITY
os.environ["BOT_TOTP_REQUIRED"] = TEST_TOTP_REQUIRED
use_sqlite_durability(TEST_SQLITE_DURABILITY)
# Issue #31: one data key for this process and every product process it starts, so that a record written by
# one is read by another (a fixed test key: production's come from BOT_DATA_KEYS_FILE).
TEST_DATA_KEYS = "test1:" + "7e" * 32
os.environ["BOT_DATA_KEYS"] = TEST_DATA_KEYS
use_key_ring(parse_key_ring(TEST_DATA_KEYS))

settings.register_profile("project", deadline=None)
# `make test-quick` (--hypothesis-profile=quick): a quarter of the examples, for the edit-test loop;
# `make test` keeps the full count. Tests naming their own count scale it: tests/fixtures/hypothesis_lanes.py.
settings.register_profile("quick", deadline=None, max_examples=FULL_LANE_EXAMPLES // 4)
settings.load_profile("project")


def xdist_group_of(nodeid: str) -> str | None:
    """The worker group a test must share: its end-to-end module's, PostgreSQL's, or none. Read from the
    test's id alone, so that xdist's controller (which collects nothing) can use it."""
    if nodeid.startswith(SCALED_STACK_FILES):
        # One `bot run --scaled` stack, started by the first of these tests and shared by them all
        # (tests/e2e/scaled_fixture.py): they must run on one worker.
        return "e2e-scaled"
    if nodeid.startswith(BOT_RUN_FILES):
        # One `bot run`, likewise started by the first of these tests and shared by them all
        # (tests/e2e/bot_run_stack.py).
        return "e2e-bot-run"
    if nodeid.startswith(DEPLOY_MANIFEST_FILES):
        # One `kubernetes-validate` run per process serves both files (tests/fixtures/manifest_validation.py):
        # on two workers it ran twice (about 5 CPU s each).
        return "deploy-manifests"
    if nodeid.startswith(ACTION_SERVER_FILES):
        return "action-server"  # one real action server for both (tests/fixtures/action_server.py)
    if nodeid.startswith("tests/e2e/"):
        # By module, not all in one group: one worker running every end-to-end test left the other idle for
        # minutes, and two fixed halves (by a hash of the id) finished minutes apart. A module's tests share
        # only what the module starts; the product is the worker's.
        return "e2e:" + nodeid.split("::")[0]
    if runs_on_postgresql(nodeid):
        return "postgresql"
    return None


def runs_on_postgresql(nodeid: str) -> bool:
    """A PostgreSQL case of a test run on both backends, or a test of a PostgreSQL-only module."""
    module = nodeid.split("::")[0]
    return "[postgresql" in nodeid or "postgres" in module.rsplit("/", 1)[-1]


class GroupScheduling(LoadGroupScheduling):
    """`--dist loadgroup`, with the groups of `xdist_group_of` (see the module's note), handed out in
    collection order (`run_order`), not largest group first: xdist counts tests, and a count says nothing of
    cost (the 1,278 dialogue tests take 4 s; one end-to-end test takes 90)."""

    def __init__(self, config: pytest.Config, log=None) -> None:
        config.option.loadscopereorder = False
        super().__init__(config, log)

    def _split_scope(self, nodeid: str) -> str:
        return xdist_group_of(nodeid.split("@")[0]) or super()._split_scope(nodeid)


def pytest_xdist_make_scheduler(config: pytest.Config, log) -> LoadGroupScheduling | None:
    """The groups are kept with `-n 2` alone too, whose distribution is xdist's plain `load`: that one ignores
    groups, so each worker took some PostgreSQL tests and started a server of its own (two `initdb` for
    tests/store under `pytest -n 2`), and the e2e tests would start products in any worker."""
    if config.getvalue("dist") in ("load", "loadgroup"):
        return GroupScheduling(config, log)
    return None


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow kinds, so the quick lane (`make test-quick`, `-m "not slow"`) can leave them out:
    tests that start the real product (tests/e2e), drive Chromium, run on PostgreSQL, or need the engine's own
    environment (marked `engine`: the quick lane does not build .venv-engine). CI runs them all."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        kinds = []
        if "tests/e2e/" in item.nodeid:
            kinds.append("e2e")
        if "browser" in fixtures:
            kinds.append("browser")
        if runs_on_postgresql(item.nodeid):
            kinds.append("postgresql")
        if item.get_closest_marker("engine") and "engine" not in kinds:
            kinds.append("engine")
        for kind in kinds:
            item.add_marker(kind)
        if kinds:
            item.add_marker("slow")
        group = xdist_group_of(item.nodeid)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=run_order)  # stable: a module's tests keep their order


def run_order(item: pytest.Item) -> int:
    """Largest units of work first (see the module's note): every worker sorts its collection the same way,
    and the scheduler hands out groups in that order. The scaled stack's group (minutes of one worker) and
    PostgreSQL's (hundreds of tests) before the end-to-end modules, which are many smaller units."""
    if item.nodeid.startswith(SCALED_STACK_FILES):
        return 0
    if runs_on_postgresql(item.nodeid):
        return 1
    if item.nodeid.startswith("tests/e2e/"):
        return 2
    if "browser" in getattr(item, "fixturenames", ()):
        return 3
    return 4


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection built (modules, fixtures' definitions, the question bank) lives as long as the run:
    move it out of the garbage collector's sight, so each full collection during the tests walks only what
    the tests made. Nothing that is garbage is kept: `gc.freeze` only moves objects alive now."""
    gc.freeze()
