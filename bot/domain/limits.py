"""Limits shared by the gateway, the action server, the store and its inputs: all refuse the same input."""

# A practitioner's answer can be long (a detailed account), but a 20,000-character paste is almost always a
# mistake (a whole document). Refuse it whole, with a message, rather than truncating someone's words.
MAX_ANSWER_CHARS = 10_000

# Usernames and references appear in URLs and audit lines.
MAX_NAME_CHARS = 100
