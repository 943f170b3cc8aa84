"""Every `BOT_*` variable that bot/settings.py (or its readers, bot/setting_values.py and bot/oidc_config.py)
reads is documented: in docs/production.md or in the README's Configuration table. A setting added without a
line for the people who deploy the product fails here.

The names are read from the modules' source (every string constant that is a whole `BOT_*` name), so a new
`env.get("BOT_SOMETHING")` is found without anyone listing it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NAME = re.compile(r"BOT_[A-Z0-9_]+")


def names_read_by_settings() -> set[str]:
    names: set[str] = set()
    for module in ("settings.py", "setting_values.py", "oidc_config.py"):
        tree = ast.parse((REPO / "bot" / module).read_text(encoding="utf-8"))
        names |= {
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and NAME.fullmatch(node.value)
        }
    return names


def readme_settings_table() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    return "\n".join(line for line in section.splitlines() if line.startswith("|"))


def documented() -> set[str]:
    production = (REPO / "docs" / "production.md").read_text(encoding="utf-8")
    return set(NAME.findall(production)) | set(NAME.findall(readme_settings_table()))


def test_the_settings_module_reads_the_names_this_test_looks_for() -> None:
    found = names_read_by_settings()
    assert {"BOT_SESSION_MAX_HOURS", "BOT_TEST_CLOCK_FILE", "BOT_ENGINE_TOKEN"} <= found
    assert len(found) > 30


def test_every_setting_is_documented() -> None:
    missing = sorted(names_read_by_settings() - documented())
    assert missing == [], f"document these in docs/production.md or the README's settings table: {missing}"
