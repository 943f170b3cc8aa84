"""The engine's tracker keys (issue #31): derived from the data keys, so the engine never holds a key that
opens the store; what the engine seals (engine/extensions/tracker_seal.py) the app opens with its derived
ring, only for the conversation and table it was sealed for; plain rows from before still read; and a
production engine without tracker keys is refused."""

from __future__ import annotations

import json

import pytest

from bot.crypto.key_ring import KeyRingError, parse_key_ring
from bot.crypto.tracker_keys import CHECKPOINT_TABLE, EVENTS_TABLE, tracker_key_ring, tracker_keys_value
from tests.engine.engine_tracker_seal import tracker_seal

OLD = "old1:" + "11" * 32
NEW = "new2:" + "22" * 32
SENTENCE = "She told me «он придёт» after school \U0001f642"
EVENT = json.dumps({"event": "user", "text": SENTENCE})


def test_tracker_keys_keep_the_ids_and_order_but_not_the_data_keys() -> None:
    value = tracker_keys_value(parse_key_ring(f"{OLD},{NEW}"))
    ids = [entry.partition(":")[0] for entry in value.split(",")]
    assert ids == ["old1", "new2"]
    assert "11" * 32 not in value and "22" * 32 not in value
    # Fixed derivation: the same data keys give the same tracker keys in every process, every time.
    assert value == tracker_keys_value(parse_key_ring(f"{OLD},{NEW}"))
    # A data key's ring does not open what its tracker key sealed, nor the other way round.
    sealed = tracker_seal.parse_keys(value).seal(EVENT, EVENTS_TABLE, "c-1")
    with pytest.raises(KeyRingError):
        parse_key_ring(f"{OLD},{NEW}").open(sealed, EVENTS_TABLE, "c-1")


def test_what_the_engine_seals_the_apps_derived_ring_opens_verbatim() -> None:
    data_keys = parse_key_ring(f"{OLD},{NEW}")
    engine = tracker_seal.parse_keys(tracker_keys_value(data_keys))
    sealed = engine.seal(EVENT, EVENTS_TABLE, "c-1")
    assert sealed.startswith("enc1:new2:") and "придёт" not in sealed and "school" not in sealed
    assert tracker_key_ring(data_keys).open(sealed, EVENTS_TABLE, "c-1") == EVENT
    assert engine.open(sealed, EVENTS_TABLE, "c-1") == EVENT
    # The app's ring seals in the same format, so the engine opens what `bot keys rotate` re-seals.
    resealed = tracker_key_ring(data_keys).seal(EVENT, CHECKPOINT_TABLE, "c-1")
    assert engine.open(resealed, CHECKPOINT_TABLE, "c-1") == EVENT


def test_an_older_tracker_key_still_opens_and_the_newest_seals() -> None:
    before = tracker_seal.parse_keys(tracker_keys_value(parse_key_ring(OLD)))
    after = tracker_seal.parse_keys(tracker_keys_value(parse_key_ring(f"{OLD},{NEW}")))
    under_old = before.seal(EVENT, EVENTS_TABLE, "c-1")
    assert after.open(under_old, EVENTS_TABLE, "c-1") == EVENT
    only_new = tracker_seal.parse_keys(tracker_keys_value(parse_key_ring(NEW)))
    with pytest.raises(tracker_seal.TrackerSealError, match="'old1', which is not in BOT_TRACKER_KEYS"):
        only_new.open(under_old, EVENTS_TABLE, "c-1")


def test_a_row_moved_to_another_conversation_or_table_or_changed_does_not_open() -> None:
    engine = tracker_seal.parse_keys(tracker_keys_value(parse_key_ring(NEW)))
    sealed = engine.seal(EVENT, EVENTS_TABLE, "c-1")
    for table, sender in ((EVENTS_TABLE, "c-2"), (CHECKPOINT_TABLE, "c-1")):
        with pytest.raises(tracker_seal.TrackerSealError, match="does not open"):
            engine.open(sealed, table, sender)
    changed = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    with pytest.raises(tracker_seal.TrackerSealError, match="does not open"):
        engine.open(changed, EVENTS_TABLE, "c-1")


def test_rows_written_before_sealing_read_as_they_are() -> None:
    engine = tracker_seal.parse_keys(tracker_keys_value(parse_key_ring(NEW)))
    assert engine.open(EVENT, EVENTS_TABLE, "c-1") == EVENT


def test_a_production_engine_without_tracker_keys_is_refused_and_bad_keys_are_named() -> None:
    with pytest.raises(tracker_seal.TrackerSealError, match="a production engine needs BOT_TRACKER_KEYS"):
        tracker_seal.seal_from_env({"BOT_ENV": "production"})
    assert tracker_seal.seal_from_env({"BOT_ENV": "development"}) is None
    with pytest.raises(tracker_seal.TrackerSealError, match="64 hex digits") as refused:
        tracker_seal.seal_from_env({"BOT_TRACKER_KEYS": "k1:abcd", "BOT_ENV": "production"})
    assert "abcd" not in str(refused.value)
