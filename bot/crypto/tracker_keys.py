"""The engine's tracker keys, derived from the data keys (issue #31).

The engine seals what it writes to its tracker store (engine/extensions/tracker_seal.py), but it must not hold
the data keys: those open every answer and chat message in the store, and the engine never reads the store
(issue #30 keeps each process to the secrets it uses). So the app, the one process that reads BOT_DATA_KEYS,
derives one tracker key per data key with HKDF-SHA256 and the fixed label TRACKER_INFO, under the same key id,
and passes only those to the engine as BOT_TRACKER_KEYS (bot.runtime.process_env). HKDF is one-way: a tracker
key reveals nothing of the data key it came from. Deriving rather than configuring a second key list means one
key file to keep, and rotating a data key rotates the tracker key with the same id.

The app keeps the same derived ring to read the transcript (bot.review.transcript) and to re-seal tracker rows
(`bot keys rotate`). Sealed values use the store's own format, with the conversation id where the store has a
column name: `enc1:<key id>:<b64>`, associated data `enc1|<key id>|<table>|<conversation id>`.
"""

from __future__ import annotations

from functools import lru_cache

from bot.crypto.key_ring import KeyRing, format_key

# Fixed forever: changing it changes every tracker key, and sealed tracker rows would no longer open.
TRACKER_INFO = b"enc1 engine tracker key"
VARIABLE = "BOT_TRACKER_KEYS"
# The engine's two tables (engine/extensions/checkpoint_store.py), named in each sealed value's
# associated data.
EVENTS_TABLE = "events"
CHECKPOINT_TABLE = "tracker_checkpoints"


@lru_cache(maxsize=4)  # one ring per process in practice; the tests' rings are few
def tracker_key_ring(data_keys: KeyRing) -> KeyRing:
    return KeyRing(data_keys.derived_keys(TRACKER_INFO))


def tracker_keys_value(data_keys: KeyRing) -> str:
    """BOT_TRACKER_KEYS for the engine: `id:64 hex digits` entries, comma separated, oldest first."""
    return ",".join(format_key(key) for key in data_keys.derived_keys(TRACKER_INFO))


def tracker_keys_file_text(data_keys: KeyRing) -> str:
    """The same keys as a file for BOT_TRACKER_KEYS_FILE (`bot keys tracker-keys`): one a line, oldest first,
    like the data key file; the engine's reader takes commas or new lines alike."""
    return "".join(f"{format_key(key)}\n" for key in data_keys.derived_keys(TRACKER_INFO))
