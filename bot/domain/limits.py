"""Limits shared by the gateway, the action server, the store and its inputs: all refuse the same input."""

# A practitioner's answer can be long (a detailed account), but a 20,000-character paste is almost always a
# mistake (a whole document). Refuse it whole, with a message, rather than truncating someone's words.
MAX_ANSWER_CHARS = 10_000

# Usernames and references appear in URLs and audit lines.
MAX_NAME_CHARS = 100

# Issue #26: how long the lead notices of a danger report read in typed text wait for the practitioner's
# answer to "is anyone in immediate danger now?" (bot.store.danger_check): long enough to read the 999
# advice and press a button, short enough that a real emergency nobody confirms still reaches the leads
# within minutes.
DEFAULT_TYPED_DANGER_CHECK_SECONDS = 90.0

# What the bot said, in the web chat's display log: the bank's longest question with its help, with room.
MAX_BOT_MESSAGE_CHARS = 100_000

# How long each hop waits for the one after it when the database is down (issue #34). Each wait is longer
# than the one it waits on, so an answer always comes from the hop that knows: the store gives up on a
# database that does not come back and answers 503, having written nothing; only then does the action server
# give up on the store, and only then the app on the engine (within the conversation lock's 60 s,
# bot.shared_state.locks). Were the action server's wait the shorter, it
# would say "not saved" while the store, still waiting, could save the answer a moment later, and the answer
# sent again would then be stored twice.
# A new PostgreSQL connection waits this long for a restarting server (a fast restart takes 1-2 s; `bot run
# --scaled` starts a stopped one again within about 10 s).
STORE_RESTART_WAIT_SECONDS = 20.0
# The action server's wait for one call to the store's JSON API: the store's wait, and time to answer.
STORE_CALL_TIMEOUT_SECONDS = STORE_RESTART_WAIT_SECONDS + 10.0
# The app's wait for the engine's reply to one message: one store call that waits out the database (a
# message whose store call fails makes no second one, actions.turn_records), and the engine's own work.
ENGINE_REPLY_TIMEOUT_SECONDS = STORE_CALL_TIMEOUT_SECONDS + 15.0
# The "Someone is in danger now" press waits no longer than this for the engine before raising the report
# itself and showing the 999 guidance (bot.chat.conversation_service.report_danger): the engine answers a
# press in well under a second, and a practitioner reporting danger must not wait out a database restart
# (ENGINE_REPLY_TIMEOUT_SECONDS) to be told what to do. The report is raised once whoever is first: both
# calls carry the count of reports seen before the press (bot.store.assessments.report_danger).
DANGER_PRESS_ENGINE_WAIT_SECONDS = 10.0
