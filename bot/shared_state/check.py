"""At start, before serving anyone: does the shared-state Redis accept our password (issue #34)?

Without this check a wrong or missing password surfaced as a failed request per person, long after start.
Now the app stops at once with one line naming the settings to fix, never the password. A Redis that is
not reachable yet is not refused here: it may be restarting, and requests meet it as they did before.
"""

from __future__ import annotations

import ssl

from bot.redis_url import CA_FILE, PASSWORD, RedisAddress
from bot.shared_state.url import VARIABLE

TIMEOUT_SECONDS = 5.0


def refuse_unless_signed_in(address: RedisAddress | None) -> None:
    """SystemExit with one line when the Redis at `address` refuses our password (or needs one we lack)."""
    if address is None:
        return
    # Imported past the check above: an embedded-mode start never loads redis-py (issue #27).
    from redis import Redis
    from redis.backoff import NoBackoff
    from redis.exceptions import AuthenticationError, RedisError
    from redis.retry import Retry

    # One attempt: redis-py retries a refused connection, and a refused password too (it is a
    # ConnectionError to it), ten times with back-off by default, so a wrong password stopped the app only
    # after about four seconds. Whether the answer is "refused" or "not there yet", once is enough to know.
    client = Redis(
        **address.client_options(),
        socket_timeout=TIMEOUT_SECONDS,
        socket_connect_timeout=TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),
    )
    try:
        client.ping()
    except AuthenticationError:  # a ConnectionError to redis-py, so caught first
        raise SystemExit(refusal(address)) from None
    except RedisError as error:
        # A certificate we cannot trust will not become trustworthy by waiting: say so now.
        if isinstance(error.__context__, ssl.SSLCertVerificationError):
            raise SystemExit(
                f"The Redis at {VARIABLE} ({address.url}) has a certificate that {CA_FILE} "
                f"({address.ca_file}) does not vouch for"
            ) from None
        return
    finally:
        client.close()


def refusal(address: RedisAddress) -> str:
    given = "was refused" if address.password else "is not set, and the server asks for one"
    return f"The Redis at {VARIABLE} ({address.url}) refused us: {PASSWORD} (or {PASSWORD}_FILE) {given}"
