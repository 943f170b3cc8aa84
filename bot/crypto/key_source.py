"""Where the data key ring comes from (issue #31): BOT_DATA_KEYS, or BOT_DATA_KEYS_FILE (read by
bot.production.with_secret_files like every other secret), never the database.

Production refuses a missing key and a key file inside the data folder (bot.production): a key kept beside
the records it protects protects nothing against whoever copies the folder or a backup of it. Embedded mode
generates a development key under the data folder's `secrets/` on first use and says so on stderr, like the
other generated secrets, so that a fresh clone runs with no set-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bot.crypto.key_ring import KeyRing, KeyRingError, format_key, new_key, parse_key_ring
from bot.dev_secrets import dev_secret_file

DEV_KEY_FILE = "data-keys"  # under <data folder>/secrets
DEV_KEY_ID = "dev1"


def data_key_ring(env: Mapping[str, str], data_dir: Path) -> KeyRing:
    """The ring from BOT_DATA_KEYS (NAME_FILE already read), else the development one; a bad value stops
    start-up with one line naming the variable, never the key."""
    value = env.get("BOT_DATA_KEYS", "").strip() or _dev_keys(data_dir)
    try:
        return parse_key_ring(value)
    except KeyRingError as error:
        raise SystemExit(str(error)) from None


def key_file_inside(env: Mapping[str, str], data_dir: Path) -> str | None:
    """The production problem with a BOT_DATA_KEYS_FILE inside the data folder, or None."""
    given = env.get("BOT_DATA_KEYS_FILE", "").strip()
    if not given:
        return None
    path = Path(given).resolve()
    if path == data_dir or data_dir in path.parents:
        return (
            f"BOT_DATA_KEYS_FILE ({path}) is inside the data folder ({data_dir}): keep the data keys apart "
            "from the records and their backups"
        )
    return None


def _dev_keys(data_dir: Path) -> str:
    return dev_secret_file(
        data_dir,
        DEV_KEY_FILE,
        lambda: format_key(new_key(DEV_KEY_ID)),
        "data key",
        "set BOT_DATA_KEYS_FILE in production",
    )
