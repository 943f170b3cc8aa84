"""Proof that the app's outbox had its chance: instead of sleeping "long enough for a notice to arrive, were
one wrongly sent", a test waits for the outbox worker to go round.

The worker (bot/notify/outbox_worker.py) runs one pass at a time: escalate, claim what is due, deliver it all,
then poll again. A marker notice queued now is claimed by a pass that starts after now; a second marker,
queued once the first has arrived, can only be claimed by a later pass, so when it arrives the whole pass
that took the first (every delivery in it included) is over. Anything the action under test queued, or a
pass would have escalated or sent again, has had its turn by then. The markers go to an address of their
own, which the test leaves out of what it checks.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from email.message import Message

from bot.store.models import utcnow
from bot.store.urgent_models import Notification
from tests.e2e.conftest import Product, _service
from tests.e2e.mail_server import MailServer

MARKER_SECONDS = 30  # generous: a pass comes about once a second


def is_marker(recipients: list[str]) -> bool:
    return any(r.startswith("outbox-marker-") for r in recipients)


def not_markers(mail: MailServer) -> list[tuple[list[str], Message]]:
    """Everything the inbox holds except the markers."""
    return [(rcpt, m) for rcpt, m in mail.inbox.messages if not is_marker(rcpt)]


async def outbox_went_round(product: Product, mail: MailServer, assessment_id: int) -> None:
    """Return once a whole outbox pass has started and finished after this call (the mail server running).
    The markers are about `assessment_id` (a notice needs an assessment; the markers say nothing of it)."""
    assert mail.running, "the markers travel by mail"
    address = f"outbox-marker-{secrets.token_hex(4)}@example.invalid"
    *_, recipient_id = product.new_user("lead", f"Outbox markers {address}", email=address)
    for number in (1, 2):
        with _service(product.settings).session_factory.begin() as session:
            now = utcnow()
            session.add(
                Notification(
                    assessment_id=assessment_id,
                    recipient_id=recipient_id,
                    purpose="submitted_for_review",
                    channel="email",
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
            )

        deadline = time.monotonic() + MARKER_SECONDS
        while len(mail.inbox.to(address)) < number:
            assert time.monotonic() < deadline, f"outbox marker {number} never arrived"
            await asyncio.sleep(0.05)
