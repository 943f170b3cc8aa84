"""Issue #26 item 4, with the real engine: "next Thursday" typed at "When is it?" (something coming up) is
stored as typed, answered, with the coming Thursday; the classifier once took it for "skip" and it was
stored as skipped with no text."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from tests.builders import move
from tests.e2e.conftest import Product, _service
from tests.e2e.test_thin_path import current, last_text, start


def test_next_thursday_at_the_upcoming_event_date_is_kept_as_typed(product: Product) -> None:
    sender, _ = start(product)
    move(_service(product.settings), sender, "upcoming_event_date")
    replies = product.press(sender, "/resume")
    assert "When is it?" in last_text(replies), replies

    product.say(sender, "next Thursday")

    today = datetime.now(ZoneInfo("Europe/London")).date()
    stored = current(product.export(sender))["upcoming_event_date"]
    assert (stored["text"], stored["status"]) == ("next Thursday", "answered"), stored
    fact_date = date.fromisoformat(stored["fact_date"])
    assert fact_date > today and fact_date.weekday() == 3 and (fact_date - today).days <= 7, stored
    assert stored["value"] == fact_date.isoformat()
