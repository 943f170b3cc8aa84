"""Run by tests/e2e/test_engine_checkpoints.py with the ENGINE's Python (it imports Rasa).

For every conversation in a tracker database, rebuild the tracker twice: the slow way (every event of
the latest session, as Rasa's own SQL store does, through the store's `_retrieve`, which opens the sealed
events) and the way the engine now does (checkpoint plus the
events after it), and print, as JSON, whether the state the engine acts on is the same.

Usage: python engine_tracker_check.py TRACKER_DB DOMAIN_YML
"""

from __future__ import annotations

import asyncio
import json
import sys

from checkpoint_store import CheckpointedSQLTrackerStore, _observable
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker


async def main(tracker_db: str, domain_path: str) -> None:
    domain = Domain.load(domain_path)
    fast = CheckpointedSQLTrackerStore(domain=domain, dialect="sqlite", db=tracker_db)
    results = {}
    for sender in await fast.keys():
        full = await fast._retrieve_all(sender)
        quick = await fast.retrieve(sender)
        assert full is not None and quick is not None
        slow_state, fast_state = _observable(full), _observable(quick)
        results[sender] = {
            "same_state": slow_state == fast_state,
            "differences": {
                key: [slow_state.get(key), fast_state.get(key)]
                for key in slow_state.keys() | fast_state.keys()
                if slow_state.get(key) != fast_state.get(key)
            },
            "events_replayed": len(quick.events),
            # Sessions expire from the latest message (see checkpoint_store's docstring), which Rasa's own
            # rebuild may not count inside a form.
            "expiry_from_latest_message": _last_user_time(quick)
            == max(e.timestamp for e in full.events if isinstance(e, UserUttered)),
            "events_in_session": len(full.events),
        }
    print(json.dumps(results, default=str))


def _last_user_time(tracker: DialogueStateTracker) -> float | None:
    event = tracker.get_last_event_for(UserUttered)
    return event.timestamp if event else None


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
