"""The engine's tracker store as the app reads, erases, rotates and backs it up (issues #31, #34).

The engine writes it (engine/extensions/checkpoint_store.py); the app only reads the transcript from it,
erases expired conversations, re-seals rows under a new key and copies it into a backup. All four open it
through `bot.tracker.database`, so the SQLite file of embedded mode and the PostgreSQL database of scaled mode
(BOT_TRACKER_URL) are handled alike.
"""
