"""The words of moving a practice run about a real child to live (issue #13), for both channels.

The web's confirm page and the Teams card say the same thing because both render `MoveWords`, read from
move_to_live.yaml beside this file; the refusals are the store's own messages (bot.store.practice_move), which
reach both channels through the service's errors. A file with a missing, unknown or non-text entry is refused
whole when first read, naming the file, so a typo never shows a practitioner half a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.chat.wording import read_words
from bot.store.practice_move import REASON_LIMIT, MovableRun

WORDS_FILE = Path(__file__).with_name("move_to_live.yaml")


class MoveWordsError(ValueError):
    """The wording file is not a mapping of exactly the expected names to text."""


@dataclass(frozen=True)
class MoveWords:
    title: str
    intro: str
    answers: str
    your_name: str
    their_name: str
    leads_at_once: str
    leads_once_submitted: str
    leads_urgent_flag: str
    urgent_notice: str
    not_practice: str
    not_deleted: str
    warning: str
    reason_label: str
    reason_hint: str
    confirm: str
    cancel: str
    nothing_changed: str
    moved_seen_now: str
    moved_seen_on_submit: str
    moved_by_trainer: str

    def what_happens(self, run: MovableRun) -> list[str]:
        """The list under `intro` for this run: whose name, which team, when leads see it, any notice."""
        whose = self.your_name if run.own else self.their_name.format(trainee=run.trainee)
        lines = [self.answers.format(whose=whose, team=run.team)]
        if run.submitted:
            lines.append(self.leads_at_once)
        else:
            lines.append(self.leads_once_submitted + (self.leads_urgent_flag if run.urgent else ""))
        if run.urgent:
            lines.append(self.urgent_notice)
        return [*lines, self.not_practice, self.not_deleted]

    def hint(self) -> str:
        return self.reason_hint.format(limit=f"{REASON_LIMIT:,}")

    def moved(self, submitted: bool) -> str:
        """Said once the run is live, in the trainee's chat."""
        return self.moved_seen_now if submitted else self.moved_seen_on_submit


@cache
def move_words(path: Path = WORDS_FILE) -> MoveWords:
    return read_words(path, MoveWords, MoveWordsError)
