"""The signature on every message our app sends to the engine: an HMAC-SHA256 of the body, with its time.

A shared token in a header proves only that the sender once knew it: a request captured on the host (a proxy
log, a packet capture on loopback) could be sent again later, or with a different body. So the app signs each
request (bot/chat/hop_signature.py writes the same header):

    X-Bot-Signature: t=<unix seconds>,n=<random nonce>,v1=<hex HMAC-SHA256(key, "<t>.<n>." + body)>

with the engine token as the key, and the engine (gateway_channel.py) accepts it only when the HMAC matches
(compared in constant time), the time is within WINDOW_SECONDS of its own clock, either way, and the nonce
has not been seen before. The nonce cache is why a replay inside the window is refused too: it is kept in
memory only as long as a signature could still be current, so it stays small. A restart empties it, so a
request captured in the five minutes before a restart could be replayed once after it, until its time runs
out; that is the one gap, and it needs a captured request and a restart in the same five minutes.

Standard library only: this runs in the engine's Python 3.11 environment and never imports our package.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import deque
from collections.abc import Callable

HEADER = "X-Bot-Signature"
WINDOW_SECONDS = 300
MAX_NONCE_CHARS = 64


def signature(key: bytes, timestamp: int, nonce: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of `<timestamp>.<nonce>.<body>` under `key`."""
    signed = f"{timestamp}.{nonce}.".encode() + body
    return hmac.new(key, signed, hashlib.sha256).hexdigest()


def header_value(key: bytes, timestamp: int, nonce: str, body: bytes) -> str:
    return f"t={timestamp},n={nonce},v1={signature(key, timestamp, nonce, body)}"


def parse(value: str) -> tuple[int, str, str] | None:
    """(timestamp, nonce, hex signature) from a header value, or None when it is not one of ours."""
    parts: dict[str, str] = {}
    for item in value.split(","):
        name, equals, field = item.strip().partition("=")
        if not equals or name in parts:
            return None
        parts[name] = field
    if set(parts) != {"t", "n", "v1"}:
        return None
    if not parts["t"].isdigit() or len(parts["t"]) > 12:
        return None
    nonce = parts["n"]
    if not nonce or len(nonce) > MAX_NONCE_CHARS or not all(c.isalnum() or c in "-_" for c in nonce):
        return None
    return int(parts["t"]), nonce, parts["v1"]


class SignatureChecker:
    """Checks signed requests; holds the nonces seen while their signatures could still be current."""

    def __init__(self, key: bytes, clock: Callable[[], float] = time.time) -> None:
        if not key:
            raise ValueError("a signature key must not be empty")
        self._key = key
        self._clock = clock
        self._seen: set[str] = set()
        # (when the nonce may be forgotten, nonce) in the order they were seen, so pruning is from the left.
        self._forget: deque[tuple[float, str]] = deque()

    def problem(self, value: str | None, body: bytes) -> str | None:
        """Why a request with this header value and body is refused, or None when it is accepted (and its
        nonce is then remembered, so that the same request is refused the next time)."""
        if not value:
            return "unsigned"
        parsed = parse(value)
        if parsed is None:
            return "malformed signature"
        timestamp, nonce, given = parsed
        expected = signature(self._key, timestamp, nonce, body)
        # Constant time, so the signature cannot be found a character at a time from response times.
        if not hmac.compare_digest(given.encode(), expected.encode()):
            return "bad signature"
        now = self._clock()
        if abs(now - timestamp) > WINDOW_SECONDS:
            return "stale signature"
        self._prune(now)
        if nonce in self._seen:
            return "replayed signature"
        self._seen.add(nonce)
        # A timestamp up to WINDOW_SECONDS ahead stays current until now + 2 windows at the latest.
        self._forget.append((now + 2 * WINDOW_SECONDS, nonce))
        return None

    def _prune(self, now: float) -> None:
        while self._forget and self._forget[0][0] < now:
            self._seen.discard(self._forget.popleft()[1])
