"""What the app processes must agree on (issue #34, scaled mode): live sessions, sign-in failure windows,
one person's conversation lock and the Teams delivery guard.

Embedded mode (BOT_SHARED_STATE_URL unset, the default of `make run`) keeps all four in this process's memory,
exactly as before. Scaled mode names a Redis database, and every app process behind the load balancer reads
and writes the same four there, so any process can serve any request. Each concern is one small interface
with a memory and a Redis implementation; `bot.shared_state.choice` picks one pair, once, for the app.

Redis holds no case content and no user name: session ids, account names and addresses are hashed, users
and Teams activities appear only as ids or hashes, and every key has a TTL equal to the lifetime of what it
holds, so the database never grows without bound. Times are stored as values read with the app's clock,
which decides expiry (tests move it); a TTL only bounds growth.

The client is redis-py's asyncio client, not a hand-written one: it brings connection pooling, reconnects,
the wire protocol and a maintained, reviewed lock (with its atomic release and extend scripts).
"""
