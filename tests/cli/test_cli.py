"""The `bot` command against a data folder in tmp_path: what it prints, refuses and changes in the store,
called in-process (tests/cli/in_process.py); the console script run for real as a subprocess (`run`) where
the process is part of what is tested: `db upgrade`'s exit code, a password read from a real pipe, UTF-8 on
a real stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from bot.domain.records import AnswerIn
from bot.store import db
from bot.store.models import AuditEvent, User
from bot.store.sealed_columns import SEALED_COLUMNS
from bot.store.services import Store
from tests.builders import give_answer
from tests.cli.in_process import run_in_process
from tests.cli.subprocess_env import subprocess_env
from tests.fixtures.databases import MigratedSqlite

BOT = Path(sys.executable).parent / "bot"
PASSWORD = "a long enough password"
TEXT = "  Ça m’inquiète 😟\r\nhe said “soon”\u200b  "


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def run(
    data_dir: Path, *args: str, stdin: str | None = "", production_hashing: bool = False, **extra_env: str
) -> subprocess.CompletedProcess[bytes]:
    env = subprocess_env(data_dir, production_hashing=production_hashing, **extra_env)
    return subprocess.run(
        [str(BOT), *args],
        input=None if stdin is None else stdin.encode(),
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )


def database_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'store.db'}"


@pytest.fixture
def upgraded(data_dir: Path, migrated_sqlite: MigratedSqlite) -> Path:
    """A data folder with the schema in place (a copy of the session's migrated SQLite file, at
    `database_url(data_dir)`: `bot db upgrade` has its own test)."""
    data_dir.mkdir()
    assert migrated_sqlite(data_dir / "store.db") == database_url(data_dir)
    return data_dir


def test_console_script_is_installed() -> None:
    assert BOT.exists(), "run `uv sync` to install the bot console script"


def test_db_upgrade_creates_the_schema(data_dir: Path) -> None:
    result = run(data_dir, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert f"is at revision {db.head_revision()}".encode() in result.stdout
    assert db.is_up_to_date(database_url(data_dir))
    again = run(data_dir, "db", "upgrade")
    assert again.returncode == 0


def test_user_add_reads_the_password_from_stdin(upgraded: Path) -> None:
    result = run(
        upgraded,
        "user",
        "add",
        "lee.lead",
        "--role",
        "lead",
        "--team",
        "North Team",
        "--create-team",
        stdin=PASSWORD + "\n",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "added lead 'lee.lead' (id 1) to team 'North Team'\n"
    assert PASSWORD.encode() not in result.stdout + result.stderr
    service = Store(db.make_session_factory(database_url(upgraded)))
    user = service.users.authenticate("lee.lead", PASSWORD)
    assert user is not None
    assert (user.role, user.team) == ("lead", "North Team")


def test_without_the_test_profile_the_command_hashes_at_production_cost(upgraded: Path) -> None:
    """The one subprocess that hashes as production does (BOT_PASSWORD_HASHING unset, the only setting
    production accepts): every other `run` uses the suite's cheap profile (tests/cli/subprocess_env.py)."""
    added = run(
        upgraded,
        "user",
        "add",
        "pat",
        "--role",
        "practitioner",
        "--team",
        "T",
        "--create-team",
        stdin=PASSWORD,
        production_hashing=True,
    )
    assert added.returncode == 0, added.stderr
    with db.make_session_factory(database_url(upgraded))() as session:
        stored = session.scalars(select(User.password_hash)).one()
    standard = PasswordHasher()  # argon2's defaults: what bot.store.passwords uses in production
    assert stored.startswith(
        f"$argon2id$v=19$m={standard.memory_cost},t={standard.time_cost},p={standard.parallelism}$"
    )


def test_user_add_is_audited_as_the_cli(upgraded: Path) -> None:
    run_in_process(
        upgraded, "user", "add", "ann", "--role", "admin", "--team", "Admins", "--create-team", stdin=PASSWORD
    )
    sessions = db.make_session_factory(database_url(upgraded))
    with sessions() as session:
        kinds = {e.actor_kind for e in session.scalars(select(AuditEvent))}
    assert kinds == {"cli"}


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("pat",), "short\n", "password: must be at least 12 characters"),
        (("pat",), "", "no password given"),
        (("has space",), PASSWORD, "username: may contain only"),
        (("pat", "--team", " padded", "--create-team"), PASSWORD, "team: must not start or end with spaces"),
    ],
)
def test_user_add_refusals_are_one_clear_line(
    upgraded: Path, args: tuple[str, ...], stdin: str, message: str
) -> None:
    team = () if "--team" in args else ("--team", "T", "--create-team")
    result = run_in_process(upgraded, "user", "add", *args, "--role", "practitioner", *team, stdin=stdin)
    assert result.returncode == 1
    assert message in result.stderr.decode()
    assert b"Traceback" not in result.stderr
    assert len(result.stderr.decode().strip().splitlines()) == 1


def test_user_add_twice_is_refused(upgraded: Path) -> None:
    args = ("user", "add", "pat", "--role", "practitioner", "--team", "T", "--create-team")
    assert run_in_process(upgraded, *args, stdin=PASSWORD).returncode == 0
    result = run_in_process(upgraded, *args, stdin=PASSWORD)
    assert result.returncode == 1
    assert "already exists" in result.stderr.decode()


def test_user_add_with_an_unknown_role_is_a_usage_error(upgraded: Path) -> None:
    result = run_in_process(
        upgraded, "user", "add", "pat", "--role", "boss", "--team", "T", "--create-team", stdin=PASSWORD
    )
    assert result.returncode == 2
    assert b"invalid choice: 'boss'" in result.stderr


def test_user_add_with_an_email_for_urgent_notices(upgraded: Path) -> None:
    args = ("user", "add", "lee.lead", "--role", "lead", "--team", "North Team", "--create-team")
    result = run_in_process(upgraded, *args, "--email", "lee.lead@example.org", stdin=PASSWORD)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().endswith("to team 'North Team' with email lee.lead@example.org\n")
    service = Store(db.make_session_factory(database_url(upgraded)))
    assert service.users.find_user("lee.lead").email == "lee.lead@example.org"  # type: ignore[union-attr]


@pytest.mark.parametrize("address", ["lee.lead", "lee lead@example.org", "lee@example.org\nBcc: x@y.org"])
def test_user_add_with_a_bad_email_is_one_clear_line_and_adds_nobody(upgraded: Path, address: str) -> None:
    args = (
        "user",
        "add",
        "lee.lead",
        "--role",
        "lead",
        "--team",
        "North Team",
        "--create-team",
        "--email",
        address,
    )
    result = run_in_process(upgraded, *args, stdin=PASSWORD)
    assert result.returncode == 1
    stderr = result.stderr.decode()
    assert "email: " in stderr and "is not an email address such as name@example.org" in stderr
    assert len(stderr.strip().splitlines()) == 1
    service = Store(db.make_session_factory(database_url(upgraded)))
    assert service.users.find_user("lee.lead") is None


def test_user_set_email(upgraded: Path) -> None:
    added = run_in_process(
        upgraded, "user", "add", "kim", "--role", "lead", "--team", "T", "--create-team", stdin=PASSWORD
    )
    assert added.returncode == 0
    result = run_in_process(upgraded, "user", "set-email", "kim", "kim@example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "urgent notices for 'kim' now go to kim@example.org\n"
    service = Store(db.make_session_factory(database_url(upgraded)))
    assert service.users.find_user("kim").email == "kim@example.org"  # type: ignore[union-attr]

    nobody = run_in_process(upgraded, "user", "set-email", "nobody", "x@example.org")
    assert (nobody.returncode, nobody.stderr.decode()) == (
        1,
        "bot: no user called 'nobody'; add them first with `bot user add`\n",
    )
    bad = run_in_process(upgraded, "user", "set-email", "kim", "not-an-address")
    assert bad.returncode == 1 and len(bad.stderr.decode().strip().splitlines()) == 1


def test_user_add_warns_while_the_team_has_no_lead_and_not_once_it_has(upgraded: Path) -> None:
    args = ("user", "add", "pat", "--role", "practitioner", "--team", "North Team", "--create-team")
    pat = run_in_process(upgraded, *args, stdin=PASSWORD)
    assert pat.returncode == 0, pat.stderr  # the account is made all the same
    assert pat.stdout.decode() == "added practitioner 'pat' (id 1) to team 'North Team'\n"
    [warning] = pat.stderr.decode().splitlines()
    assert warning.startswith("bot: warning: team 'North Team' has no safeguarding lead")
    assert "urgent reports from its 1 person who may raise concerns would reach nobody" in warning
    assert warning.endswith("bot user add NAME --role lead --team 'North Team' --email ADDRESS")

    lead = (
        "user",
        "add",
        "lee",
        "--role",
        "lead",
        "--team",
        "North Team",
        "--create-team",
        "--email",
        "lee@example.org",
    )
    assert run_in_process(upgraded, *lead, stdin=PASSWORD).stderr == b""
    tia = run_in_process(
        upgraded,
        "user",
        "add",
        "tia",
        "--role",
        "trainer",
        "--team",
        "North Team",
        "--create-team",
        stdin=PASSWORD,
    )
    assert (tia.returncode, tia.stderr) == (0, b"")


def test_user_add_warns_of_a_lead_nobody_can_reach(upgraded: Path) -> None:
    lead = run_in_process(
        upgraded, "user", "add", "kim", "--role", "lead", "--team", "East", "--create-team", stdin=PASSWORD
    )
    assert lead.returncode == 0
    assert lead.stderr.decode() == (
        "bot: warning: team 'East': its lead has no email address and no linked Microsoft Teams chat, so "
        "urgent reports from it would reach nobody. Fix: bot user set-email NAME ADDRESS (or bot user "
        "link-teams NAME ..., then message the bot once in Teams)\n"
    )
    assert run_in_process(upgraded, "user", "set-email", "kim", "kim@example.org").returncode == 0
    pat = run_in_process(
        upgraded,
        "user",
        "add",
        "pat",
        "--role",
        "practitioner",
        "--team",
        "East",
        "--create-team",
        stdin=PASSWORD,
    )
    assert (pat.returncode, pat.stderr) == (0, b"")


def test_user_add_of_someone_who_raises_no_concerns_to_a_team_with_no_lead_is_quiet(upgraded: Path) -> None:
    result = run_in_process(
        upgraded,
        "user",
        "add",
        "casey",
        "--role",
        "coordinator",
        "--team",
        "Board",
        "--create-team",
        stdin=PASSWORD,
    )
    assert (result.returncode, result.stderr) == (0, b"")


def test_commands_before_upgrade_say_what_to_do(data_dir: Path) -> None:
    result = run_in_process(
        data_dir, "user", "add", "pat", "--role", "lead", "--team", "T", "--create-team", stdin=PASSWORD
    )
    assert result.returncode == 1
    assert "run `bot db upgrade` first" in result.stderr.decode()


@pytest.fixture
def assessment(upgraded: Path) -> tuple[str, str]:
    """(conversation id, reference) of an assessment with two revisions of one answer."""
    service = Store(db.make_session_factory(database_url(upgraded)))
    conversation = service.conversations.open_conversation(None, "web")
    reference = service.assessments.start_or_resume(conversation, "2026.1").reference
    give_answer(
        service,
        conversation,
        AnswerIn(
            question_id="q1",
            revision=1,
            wording="What happened?",
            text="first",
            value="first",
            status="answered",
        ),
    )
    give_answer(
        service,
        conversation,
        AnswerIn(
            question_id="q1", revision=2, wording="What happened?", text=TEXT, value=TEXT, status="answered"
        ),
    )
    return conversation, reference


def test_export_by_conversation_prints_utf8_json_with_history(
    upgraded: Path, assessment: tuple[str, str]
) -> None:
    conversation, reference = assessment
    result = run(upgraded, "assessments", "export", "--conversation", conversation)
    assert result.returncode == 0, result.stderr
    assert TEXT.replace("\r\n", "\\r\\n").encode("utf-8") in result.stdout  # not \\u escapes
    assert result.stdout.startswith(b'{\n  "format"')  # indent=2
    exported = json.loads(result.stdout.decode("utf-8"))
    assert exported["assessment"]["reference"] == reference
    assert [r["text"] for r in exported["answers"][0]["revisions"]] == ["first", TEXT]


def test_export_by_reference_or_number(upgraded: Path, assessment: tuple[str, str]) -> None:
    _, reference = assessment
    by_reference = run_in_process(upgraded, "assessments", "export", "--id", reference, "--format", "json")
    by_number = run_in_process(upgraded, "assessments", "export", "--id", "1")
    assert by_reference.returncode == by_number.returncode == 0
    assert json.loads(by_reference.stdout)["assessment"] == json.loads(by_number.stdout)["assessment"]


def test_export_is_audited(upgraded: Path, assessment: tuple[str, str]) -> None:
    run_in_process(upgraded, "assessments", "export", "--id", assessment[1])
    with db.make_session_factory(database_url(upgraded))() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "assessment.exported")).one()
    assert event.actor_kind == "cli"


@pytest.mark.parametrize(
    ("flag", "value"), [("--conversation", "nope"), ("--id", "A-ZZZZZZ"), ("--id", "999")]
)
def test_export_of_something_missing_exits_1(upgraded: Path, flag: str, value: str) -> None:
    result = run_in_process(upgraded, "assessments", "export", flag, value)
    assert result.returncode == 1
    assert result.stdout == b""
    assert result.stderr.decode() == f"bot: no assessment found for {flag.removeprefix('--')} {value!r}\n"


def test_export_needs_exactly_one_selector(upgraded: Path) -> None:
    assert run_in_process(upgraded, "assessments", "export").returncode == 2
    assert (
        run_in_process(upgraded, "assessments", "export", "--id", "1", "--conversation", "c").returncode == 2
    )
    assert run_in_process(upgraded, "assessments", "export", "--id", "1", "--format", "csv").returncode == 2


def test_help_lists_the_commands(data_dir: Path) -> None:
    result = run_in_process(data_dir, "--help")
    assert result.returncode == 0
    for command in (b"db", b"user", b"assessments", b"run"):
        assert command in result.stdout


def test_an_unreachable_database_is_one_clear_line(data_dir: Path) -> None:
    # A socket folder that does not exist: nothing can answer there, and the driver says so at once. A refused
    # TCP port reads as a restarting server, which the store waits out (STORE_RESTART_WAIT_SECONDS, proven in
    # tests/store/test_postgres.py and tests/actions/test_postgres_down_past_the_wait.py) before raising the
    # same kind of error, which the CLI turns into this same line.
    url = f"postgresql+psycopg://nobody@/store?host={data_dir / 'no-server-here'}"
    result = run_in_process(data_dir, "db", "upgrade", BOT_DATABASE_URL=url)
    assert result.returncode == 1
    stderr = result.stderr.decode()
    assert stderr.startswith("bot: could not use the database: ")
    assert "Traceback" not in stderr


def test_keys_rotate_seals_again_under_a_new_key_and_reports_counts(
    data_dir: Path, migrated_sqlite: MigratedSqlite
) -> None:
    """Issue #31: a new key added at the end of BOT_DATA_KEYS; `bot keys rotate --batch 2` seals every answer
    and message again under it, then the old key can go and the answer still reads exactly."""
    data_dir.mkdir()
    url = migrated_sqlite(data_dir / "store.db")
    store = Store(db.make_session_factory(url))
    conversation = store.conversations.open_conversation(None, "web")
    store.assessments.start_or_resume(conversation, "2026.1")
    for n in range(3):
        answer = AnswerIn(
            question_id=f"q{n}", revision=1, wording="w", text=TEXT, value="yes", status="answered"
        )
        give_answer(store, conversation, answer)
    new = os.environ["BOT_DATA_KEYS"] + ",test2:" + "c3" * 32
    bad = run_in_process(data_dir, "keys", "rotate", "--batch", "0", BOT_DATA_KEYS=new)
    assert bad.returncode == 2 and "--batch: must be at least 1" in bad.stderr.decode()
    result = run_in_process(data_dir, "keys", "rotate", "--batch", "2", BOT_DATA_KEYS=new)
    assert result.returncode == 0, result.stderr
    # One line per sealed column (bot.store.sealed_columns), so the operator sees every one was covered.
    counts = {f"{table}.{column}": 0 for table, column in SEALED_COLUMNS} | {"answers.text": 3}
    assert result.stdout.decode() == (
        "".join(f"{name}: {n} sealed again under key test2\n" for name, n in counts.items())
        + "2 batch(es); 0 value(s) still under an older key\n"
        # The engine's tracker (none in this data folder), under the tracker key derived from test2.
        + "tracker events.data: 0 sealed again under key test2\n"
        + "tracker tracker_checkpoints.events: 0 sealed again under key test2\n"
        + "tracker: 0 batch(es); 0 row(s) still under an older key or none\n"
    )
    only_new = run_in_process(
        data_dir, "assessments", "export", "--conversation", conversation, BOT_DATA_KEYS="test2:" + "c3" * 32
    )
    assert only_new.returncode == 0, only_new.stderr
    exported = json.loads(only_new.stdout)
    assert json.dumps(exported).count(json.dumps(TEXT)) >= 3
    # The key that sealed them is gone from the ring: one line naming it, nothing half-written.
    without = run_in_process(
        data_dir, "assessments", "export", "--conversation", conversation, BOT_DATA_KEYS="test3:" + "d4" * 32
    )
    assert without.returncode == 1, without.stderr
    [line] = without.stderr.decode().splitlines()
    assert line.startswith("bot: could not read sealed text:") and "test2" in line, line
    assert without.stdout == b""
