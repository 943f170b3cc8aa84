"""The scenario library a running process serves: read when first needed, read again when its files or the
question bank change.

Why: trainers add and edit scenarios as data (library/, debrief.yaml), and the bank the scenarios are
checked against is reloaded on change (bot.questions.provider). A library read once at start-up kept serving
scenarios checked against the first bank, and a new scenario appeared only after a restart. Changes are
noticed by content (bot.domain.yaml_files.yaml_files_digest), as the bank's are.

A library that fails its checks after an edit is not served: the last good one stays (the problems are
logged once per content), so a half-saved file does not take the practice pages or a debrief down. With no
good library yet, the problems are raised (ScenarioError), as loading it always did.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from bot.domain.yaml_files import yaml_files_digest
from bot.questions.provider import BankProvider
from bot.scenarios.debrief_data import DEBRIEF_DATA, DebriefData, load_debrief_data
from bot.scenarios.loader import DEFAULT_LIBRARY, ScenarioError, read_library
from bot.scenarios.model import Scenario

log = logging.getLogger(__name__)


def _digest(path: Path) -> str:
    try:
        return yaml_files_digest(path)
    except OSError:
        return "unreadable"  # read_library / load_debrief_data name the problem


class LibraryProvider:
    """The current scenario library (by id, in file-name order) and the debrief's settings, for one bank."""

    def __init__(
        self,
        banks: BankProvider,
        folder: str | os.PathLike[str] | None = None,
        debrief_path: str | os.PathLike[str] | None = None,
    ) -> None:
        self._banks = banks
        self.folder = Path(folder) if folder is not None else DEFAULT_LIBRARY
        self.debrief_path = Path(debrief_path) if debrief_path is not None else DEBRIEF_DATA
        self._lock = threading.Lock()
        self._key: tuple[str, str] | None = None  # (bank digest, library digest) of what is served
        self._refused: tuple[str, str] | None = None
        self._scenarios: dict[str, Scenario] | None = None
        self._debrief_key: tuple[str, str] | None = None
        self._debrief: DebriefData | None = None

    def scenarios(self) -> dict[str, Scenario]:
        bank = self._banks.current()
        key = (bank.digest or bank.version, _digest(self.folder))
        with self._lock:
            if self._scenarios is not None and key in (self._key, self._refused):
                return self._scenarios
            found, problems = read_library(self.folder, bank)
            if problems:
                if self._scenarios is None:
                    raise ScenarioError(problems)
                log.error(
                    "scenario library %s not reloaded, keeping the last good one: %s",
                    self.folder,
                    ScenarioError(problems),
                )
                self._refused = key
                return self._scenarios
            self._key, self._refused = key, None
            self._scenarios = {scenario.id: scenario for scenario in found}
            return self._scenarios

    def debrief_data(self) -> DebriefData:
        """debrief.yaml checked against the current bank; the last good one if an edit broke it."""
        bank = self._banks.current()
        key = (bank.digest or bank.version, _digest(self.debrief_path))
        with self._lock:
            if self._debrief is not None and key == self._debrief_key:
                return self._debrief
            try:
                data = load_debrief_data(bank, self.debrief_path)
            except ScenarioError as error:
                if self._debrief is None:
                    raise
                log.error("%s not reloaded, keeping the last good one: %s", self.debrief_path, error)
                self._debrief_key = key
                return self._debrief
            self._debrief_key, self._debrief = key, data
            return data
