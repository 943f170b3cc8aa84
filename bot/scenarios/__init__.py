"""The scenario library for rehearsal (issue #13): fictional cases as data, one YAML file each.

A trainer's scenario gives a trainee a case card to read, the facts a good assessment of it captures (each
with the bank question it belongs to, its source and date, and the words that show it was captured), the
traps it sets, an optional immediate-danger moment, and the right route. `model` holds the typed records,
`loader` reads and checks the library (every problem at once, `file:line: field: message`), `checks` the
checks against the question bank, the pathways and the neutral-wording list.

Depends only on bot.domain and bot.questions (tests/test_import_rules.py).
"""

from bot.scenarios.loader import DEFAULT_LIBRARY, ScenarioError, load_library, read_library
from bot.scenarios.model import Scenario

__all__ = ["DEFAULT_LIBRARY", "Scenario", "ScenarioError", "load_library", "read_library"]
