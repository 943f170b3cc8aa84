"""What every `bot` command shares: the one-line failure, the private data folder, the store, the output.

Every command that touches the data folder makes it private first (folders 0700, files 0600) and runs under a
umask of 077, so what it creates (the SQLite file and its -wal and -shm files, development secrets) is private
from the start, as under `bot run` (bot.runtime.data_folder, issue #28). Files written with `--output` are
0600 too: an export holds a whole case.
"""

from __future__ import annotations

import os
import pwd
import stat
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from bot.settings import Settings
    from bot.store.services import Store

EXIT_OK = 0
EXIT_FAILED = 1
OUTPUT_MODE = 0o600
STDOUT = "-"

# The engines this command's stores opened, disposed of by close_stores() when it ends (bot.cli.main): a
# command called in-process (a test, a script) must not keep a PostgreSQL connection open after it.
_opened: list[Engine] = []


class CliFailure(Exception):
    """A failure to report as one line on stderr."""


def private_settings() -> Settings:
    """The settings, with the data folder (made by reading them) private to this account.

    The caller has set a umask of 077 already (bot.cli.main), so anything new is private from the start;
    this puts right what an earlier command, or an older version, left readable by others."""
    from bot.runtime.data_folder import DataFolderError, make_private
    from bot.settings import Settings  # not at the top: `--help` and usage errors need no settings

    settings = Settings.from_env()
    try:
        make_private(settings.data_dir)
    except DataFolderError as error:
        raise CliFailure(str(error)) from None
    return settings


def open_store(settings: Settings) -> Store:
    """Imported lazily so that `bot run` and `--help` do not load SQLAlchemy."""
    from bot.domain.records import Actor
    from bot.store import db
    from bot.store.encrypted_text import use_key_ring
    from bot.store.passwords import use_hashing
    from bot.store.services import Store

    use_hashing(settings.password_hashing)  # type: ignore[arg-type]  # checked by Settings
    db.use_sqlite_durability(settings.sqlite_durability)  # type: ignore[arg-type]  # checked by Settings
    use_key_ring(settings.data_keys)
    if not db.is_up_to_date(settings.database_url):
        raise CliFailure("the database schema is missing or out of date; run `bot db upgrade` first")
    factory = db.make_session_factory(settings.database_url)
    _opened.append(factory.kw["bind"])
    return Store(factory, actor=Actor("cli", os_user()))


def close_stores() -> None:
    """Dispose of every engine open_store opened: their pooled connections are closed now, not at exit."""
    while _opened:
        _opened.pop().dispose()


def os_user() -> str:
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return str(os.getuid())


def binary_to_terminal(output: str | None) -> bool:
    """Would binary output (xlsx, PDF) go to a terminal? Refused unless asked for with `--output -`."""
    return output is None and sys.stdout.isatty()


def write_output(output_path: str | None, output: bytes) -> int:
    """Bytes to the file (mode 0600, whatever the umask or the file's mode before), or to stdout as they are
    (UTF-8 whatever the locale: words must come out intact) for no `--output` or `--output -`."""
    if output_path and output_path != STDOUT:
        try:
            descriptor = os.open(output_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OUTPUT_MODE)
            with open(descriptor, "wb") as file:
                if stat.S_ISREG(os.fstat(descriptor).st_mode):  # not /dev/stdout or a named pipe
                    os.fchmod(descriptor, OUTPUT_MODE)  # a file that was there before keeps no wider mode
                file.write(output)
        except OSError as error:
            raise CliFailure(f"could not write {output_path}: {error.strerror}") from None
        return EXIT_OK
    sys.stdout.flush()
    sys.stdout.buffer.write(output)
    sys.stdout.buffer.flush()
    return EXIT_OK
