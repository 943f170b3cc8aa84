"""Run by tests/engine/test_tracker_sealed_at_rest.py with the ENGINE's Python (it imports Rasa).

Writes one conversation with the checkpointed store before sealing (no tracker keys: plain JSON, as every
tracker written before issue #31), then, with BOT_TRACKER_KEYS set, carries it on and writes a second one;
prints, as JSON, what each retrieval gives back.

Usage: python engine_sealed_store_check.py TRACKER_DB SENTENCE  (BOT_TRACKER_KEYS in the environment)
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

from checkpoint_store import CheckpointedSQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [inform]
slots:
  note:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
"""
)


def turn(text: str) -> list:
    return [UserUttered(text, {"name": "inform"}), SlotSet("note", text), ActionExecuted(ACTION_LISTEN_NAME)]


async def main(tracker_db: str, sentence: str) -> None:
    keys = os.environ.pop("BOT_TRACKER_KEYS")
    plain = CheckpointedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=tracker_db)
    assert plain.seal is None
    old = DialogueStateTracker.from_events("c-old", [ActionExecuted(ACTION_LISTEN_NAME), *turn("before")], [])
    await plain.save(old)

    os.environ["BOT_TRACKER_KEYS"] = keys
    store = CheckpointedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=tracker_db)
    carried_on = await store.retrieve("c-old")
    assert carried_on is not None
    for event in turn(f"carried on: {sentence}"):
        carried_on.update(event)
    await store.save(carried_on)

    new = DialogueStateTracker.from_events("c-new", [ActionExecuted(ACTION_LISTEN_NAME)], DOMAIN.slots)
    for number in range(3):
        for event in turn(f"{sentence} ({number})"):
            new.update(event)
        await store.save(new)
        again = CheckpointedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=tracker_db)
        new = await again.retrieve("c-new")  # a fresh store: read back from the file, not memory

    def said(tracker: DialogueStateTracker | None) -> list:
        assert tracker is not None
        return [e.text for e in tracker.events if isinstance(e, UserUttered)]

    print(
        json.dumps(
            {
                "old_latest": said(await store.retrieve("c-old")),
                "old_full": said(await store.retrieve_full_tracker("c-old")),
                "new_latest": said(await store.retrieve("c-new")),
                "new_full": said(await store.retrieve_full_tracker("c-new")),
                "new_slot": (await store.retrieve("c-new")).get_slot("note"),
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
