"""The engine hop's signature (issue #30): the app signs with bot.chat.hop_signature, the engine checks with
engine/extensions/signed_hop.py. A wrong key, an altered body, an old or far-future time and a second sending
of the same request are each refused; a fresh, correct one is accepted."""

from __future__ import annotations

from typing import Any

import pytest

from bot.chat.hop_signature import sign
from tests.engine.engine_signed_hop import signed_hop

KEY = b"engine-token-for-tests"
BODY = b'{"sender": "c-1", "message": "hello"}'
NOW = 1_800_000_000


class Clock:
    def __init__(self) -> None:
        self.now = float(NOW)

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def checker(clock: Clock) -> Any:
    return signed_hop.SignatureChecker(KEY, clock=clock)


def test_the_apps_signature_is_accepted_by_the_engine(checker: Any) -> None:
    assert checker.problem(sign(KEY, BODY, timestamp=NOW), BODY) is None
    # Both sides write the same header for the same inputs.
    assert sign(KEY, BODY, timestamp=NOW, nonce="abc") == signed_hop.header_value(KEY, NOW, "abc", BODY)


def test_a_wrong_key_is_refused(checker: Any) -> None:
    assert checker.problem(sign(b"another-key", BODY, timestamp=NOW), BODY) == "bad signature"


def test_an_altered_body_is_refused(checker: Any) -> None:
    header = sign(KEY, BODY, timestamp=NOW)
    altered = BODY.replace(b"hello", b"/rehearsal")
    assert checker.problem(header, altered) == "bad signature"


def test_an_altered_time_or_nonce_is_refused(checker: Any) -> None:
    header = sign(KEY, BODY, timestamp=NOW, nonce="first")
    assert checker.problem(header.replace(f"t={NOW}", f"t={NOW + 1}"), BODY) == "bad signature"
    assert checker.problem(header.replace("n=first", "n=other"), BODY) == "bad signature"


def test_an_old_or_future_time_is_refused_even_when_signed(checker: Any, clock: Clock) -> None:
    window = signed_hop.WINDOW_SECONDS
    assert checker.problem(sign(KEY, BODY, timestamp=NOW - window - 1), BODY) == "stale signature"
    assert checker.problem(sign(KEY, BODY, timestamp=NOW + window + 1), BODY) == "stale signature"
    assert checker.problem(sign(KEY, BODY, timestamp=NOW - window), BODY) is None
    # A request signed now and held back past the window is refused.
    held = sign(KEY, BODY, timestamp=NOW)
    clock.now += window + 1
    assert checker.problem(held, BODY) == "stale signature"


def test_the_same_request_sent_twice_is_refused_within_the_window(checker: Any, clock: Clock) -> None:
    header = sign(KEY, BODY, timestamp=NOW)
    assert checker.problem(header, BODY) is None
    assert checker.problem(header, BODY) == "replayed signature"
    clock.now += signed_hop.WINDOW_SECONDS - 1
    assert checker.problem(header, BODY) == "replayed signature"
    # The same body sent again by the app carries a new nonce, and is accepted.
    assert checker.problem(sign(KEY, BODY, timestamp=int(clock.now)), BODY) is None


def test_nonces_are_forgotten_once_their_signatures_cannot_be_current(checker: Any, clock: Clock) -> None:
    for _ in range(50):
        assert checker.problem(sign(KEY, BODY, timestamp=int(clock.now)), BODY) is None
    clock.now += 2 * signed_hop.WINDOW_SECONDS + 1
    assert checker.problem(sign(KEY, BODY, timestamp=int(clock.now)), BODY) is None
    assert len(checker._seen) == 1


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer engine-token-for-tests",
        f"t={NOW},v1=00",
        f"t={NOW},n=abc,v1=00,v1=00",
        "t=-5,n=abc,v1=00",
        f"t={NOW},n=a b,v1=00",
        f"t={NOW},n={'a' * 65},v1=00",
    ],
)
def test_anything_but_a_signature_is_refused(checker: Any, header: str | None) -> None:
    assert checker.problem(header, BODY) in {"unsigned", "malformed signature"}


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(ValueError):
        signed_hop.SignatureChecker(b"")
    with pytest.raises(ValueError):
        sign(b"", BODY)
