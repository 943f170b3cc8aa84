"""Signing what the app sends to the engine: the `X-Bot-Signature` header its gateway channel checks.

The engine checks it in engine/extensions/signed_hop.py, which cannot import our package (it runs in the
engine's own environment), so the format is written twice; tests/chat/test_hop_signature.py signs here and
verifies there, so the two cannot drift apart. The time is the wall clock (`time.time`), never the app's
settable test clock: the engine compares it with its own wall clock.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

HEADER = "X-Bot-Signature"


def sign(key: bytes, body: bytes, *, timestamp: int | None = None, nonce: str | None = None) -> str:
    """The header value for `body`: `t=<unix seconds>,n=<nonce>,v1=<hex HMAC-SHA256(key, "t.n." + body)>`.
    A fresh random nonce every time, so the engine can refuse the same request sent twice."""
    if not key:
        raise ValueError("the engine token must not be empty")
    t = int(time.time()) if timestamp is None else timestamp
    n = secrets.token_urlsafe(18) if nonce is None else nonce
    digest = hmac.new(key, f"{t}.{n}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},n={n},v1={digest}"
