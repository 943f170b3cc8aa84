"""The one place a running process gets its question bank: loaded once, reloaded when the files change.

Why one provider, injected: the app used to keep the bank it started with while the chat and the action
server reloaded theirs on change, so after an edit a new assessment could record one version and be asked
from another. Every part of a process (the chat, the reviews, Teams, the actions) now asks the same provider,
and each call hands out one bank object, which carries its version (`bank.version`) with it: whoever records
a version and asks a question from one `current()` cannot mix two.

Why a content hash and not modification times: an edit inside the same timestamp tick, or a copy that keeps
the old times, changes the words without changing the times. The bank is a few dozen kilobytes, so hashing
every file on each call costs far less than one store query.

Why banks are shared by content: each provider (every app, chat and action server a process creates; the
test suite creates hundreds) would otherwise parse and check the same files again. A bank is immutable, so
providers whose files hash the same share one parsed bank; an entry is kept only if the files still hash the
same after they were read (an edit during the read is never cached under the old content).

A bank that fails its checks after an edit is not served: the last good one stays current (and the failure is
logged once per content), so a half-saved file cannot stop conversations in progress. At start-up there is no
last good bank, so a bad bank refuses to start, as before.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from pathlib import Path

from bot.domain.yaml_files import yaml_files_digest
from bot.questions.flow import QuestionBank
from bot.questions.loader import DEFAULT_BANK_PATH, reload_bank
from bot.questions.model import BankError, BankProblem

log = logging.getLogger(__name__)

# Names another bank folder (or single-file bank) in place of the shipped one: tests and trial wording.
BANK_PATH_VARIABLE = "BOT_BANK_PATH"


def bank_path(env: Mapping[str, str]) -> Path:
    """The bank this process uses: BOT_BANK_PATH if set, else the shipped bank."""
    value = env.get(BANK_PATH_VARIABLE, "").strip()
    return Path(value) if value else DEFAULT_BANK_PATH


class BankProvider:
    """The current bank of one folder (or single file), reloaded when any of its files' contents change."""

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, fixed: QuestionBank | None = None
    ) -> None:
        self._lock = threading.Lock()
        self._refused: str | None = None
        # A fixed bank has no files to watch (see `holding`).
        self.path: Path | None = None if fixed is not None else Path(path or DEFAULT_BANK_PATH)
        self._hash = _content_hash(self.path) if self.path is not None else ""
        # reload_bank raises BankError: a process never starts on a bad bank.
        self._bank = fixed if fixed is not None else _parsed(self.path, self._hash)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> BankProvider:
        return cls(bank_path(os.environ if env is None else env))

    @classmethod
    def holding(cls, bank: QuestionBank) -> BankProvider:
        """A provider that always hands out `bank` (tools and tests over a bank already loaded)."""
        return cls(fixed=bank)

    def current(self) -> QuestionBank:
        """The bank as the files now are (its version is `.version`); the last good one if they fail."""
        if self.path is None:
            return self._bank
        with self._lock:
            try:
                seen = _content_hash(self.path)
            except BankError as error:
                self._refuse(str(error), "unreadable")
                return self._bank
            if seen == self._hash or seen == self._refused:
                return self._bank
            try:
                bank = _parsed(self.path, seen)
            except BankError as error:
                self._refuse(str(error), seen)
                return self._bank
            if bank.version == self._bank.version and bank.digest != self._bank.digest:
                # Two wordings under one version cannot be told apart in a record: say so to whoever edits.
                log.warning("question bank %s changed without a new version (%s)", self.path, bank.version)
            self._hash, self._bank, self._refused = seen, bank, None
            return bank

    def _refuse(self, problem: str, seen: str) -> None:
        if seen != self._refused:
            log.error(
                "question bank %s not reloaded, keeping version %s: %s",
                self.path,
                self._bank.version,
                problem,
            )
        self._refused = seen


_PARSED_KEPT = 8  # distinct bank contents kept: the shipped one, plus a few edited copies in tests or a trial
_parsed_banks: dict[tuple[str, str], QuestionBank] = {}
_parsed_lock = threading.Lock()


def _parsed(path: Path, content_hash: str) -> QuestionBank:
    """The bank whose files hash to `content_hash`, parsed once per process (BankError as reload_bank)."""
    key = (str(path.resolve()), content_hash)
    with _parsed_lock:
        bank = _parsed_banks.get(key)
    if bank is not None:
        return bank
    bank = reload_bank(path)
    if _content_hash(path) == content_hash:  # unchanged while it was read, so the key names what was parsed
        with _parsed_lock:
            while len(_parsed_banks) >= _PARSED_KEPT:
                del _parsed_banks[next(iter(_parsed_banks))]
            _parsed_banks[key] = bank
    return bank


def provided(source: QuestionBank | BankProvider) -> BankProvider:
    """A service's bank as a provider: a plain bank (tests, one-off tools) is held fixed."""
    return source if isinstance(source, BankProvider) else BankProvider.holding(source)


def _content_hash(root: Path) -> str:
    """sha256 over every bank file's name and bytes; a folder's files in name order."""
    try:
        return yaml_files_digest(root)
    except OSError as error:
        raise BankError(
            [BankProblem(str(root), 0, "(file)", f"cannot read the bank: {error.strerror}")]
        ) from None
