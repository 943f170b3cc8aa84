"""The one email rule (bot.domain.rules.email_problem): what it accepts, and each refusal's message."""

from __future__ import annotations

import pytest

from bot.domain.rules import MAX_EMAIL_CHARS, email_problem

NOT_AN_ADDRESS = "is not an email address such as name@example.org"


@pytest.mark.parametrize("address", ["lead@example.org", "a.b+notices@council.gov.uk", "x@y"])
def test_a_plain_address_is_fine(address: str) -> None:
    assert email_problem(address) is None


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("", "must be an email address such as name@example.org"),
        (None, "must be an email address such as name@example.org"),
        (42, "must be an email address such as name@example.org"),
        ("a@" + "b" * MAX_EMAIL_CHARS, f"must be at most {MAX_EMAIL_CHARS} characters"),
        ("Lead <lead@example.org>", f"'Lead <lead@example.org>' {NOT_AN_ADDRESS}"),
        ("lead@example.org\nBcc: x@y", f"'lead@example.org\\nBcc: x@y' {NOT_AN_ADDRESS}"),
        ("a" * 65 + "@example.org", f"'{'a' * 65}@example.org' {NOT_AN_ADDRESS}"),
    ],
)
def test_anything_else_is_refused_with_a_message(given: object, message: str) -> None:
    assert email_problem(given) == message
