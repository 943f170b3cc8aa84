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
