"""The delivery worker: an asyncio task inside the app process that empties the notice outbox (urgent notices,
and the review notices of issue #26).

About once a second it (1) escalates live danger reports that no lead has been told about in time, then
(2) claims the notices that are due and (3) sends each, recording every attempt. All state is in the
`notifications` table, so the worker holds nothing worth losing: a restarted app, or a second app process
on the same database, carries on from the table, and the claim's lease keeps any notice from being sent
twice by two processes at once. Store calls run in threads (`asyncio.to_thread`), so a slow database or
mail server never holds up a practitioner's reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime

from aiohttp import web
from sqlalchemy.orm import Session, sessionmaker

from bot.notify import messages
from bot.notify.mailer import DeliveryFailed, Mailer
from bot.notify.messages import Notice
from bot.notify.teams import TeamsSender
from bot.settings import Settings
from bot.store.clock import utcnow
from bot.store.notices import NoticeJob, NoticeService
from bot.store.review_reminders import queue_due_review_reminders
from bot.teams.connector import Connector

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
STOP_GRACE_SECONDS = 30.0  # a send in flight may take the SMTP timeout (20 s) to give up


class OutboxWorker:
    def __init__(
        self,
        notices: NoticeService,
        mailer: Mailer,
        teams: TeamsSender,
        *,
        link_base_url: str,
        lead_deadline_seconds: float,
        poll_seconds: float = POLL_SECONDS,
        reminders: Callable[[], int] | None = None,
    ) -> None:
        self._notices = notices
        self._reminders = reminders  # queues the review reminders that have fallen due (issue #12)
        self._mailer = mailer
        self._teams = teams
        self._links = link_base_url.rstrip("/")
        self._deadline = lead_deadline_seconds
        self._poll_seconds = poll_seconds

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        session_factory: sessionmaker[Session],
        connector: Connector | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> OutboxWorker:
        notices = NoticeService(
            session_factory,
            retry_seconds=settings.notify_retry_seconds,
            retry_max_seconds=settings.notify_retry_max_seconds,
            max_attempts=settings.notify_max_attempts,
            clock=clock,
        )
        return cls(
            notices,
            Mailer(settings.smtp, settings.mail_from),
            TeamsSender(connector),
            link_base_url=settings.link_base_url,
            lead_deadline_seconds=settings.urgent_lead_deadline_seconds,
            reminders=lambda: queue_due_review_reminders(session_factory, clock()),
        )

    async def run_once(self) -> int:
        """One pass: escalate what is overdue, queue reviews fallen due, deliver what is due (how many)."""
        await asyncio.to_thread(self._notices.escalate_unreached, self._deadline)
        if self._reminders is not None:
            await asyncio.to_thread(self._reminders)
        jobs = await asyncio.to_thread(self._notices.claim_due)
        sent = await asyncio.gather(*(self._deliver(job) for job in jobs))
        return sum(sent)

    async def run(self, stop: asyncio.Event) -> None:
        """Pass after pass until `stop` is set; a failed pass (database away, say) is logged and retried."""
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception("notice delivery: the pass failed; trying again shortly")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._poll_seconds)

    async def _deliver(self, job: NoticeJob) -> bool:
        notice = self.notice_for(job)
        try:
            if job.channel == "email":
                await asyncio.to_thread(self._mailer.send, job.email, notice)
            else:
                await self._teams.send(job, notice)
        except DeliveryFailed as failed:
            kind, reason = failed.kind, failed.reason
        except Exception as error:  # a bug must cost a retry, not the notice
            log.exception("notice %s: unexpected failure", job.id)
            kind, reason = "unexpected", f"unexpected failure ({type(error).__name__})"
        else:
            await asyncio.to_thread(self._notices.record_sent, job)
            log.info("notice %s (%s, %s) sent", job.id, job.purpose, job.channel)
            return True
        outcome = await asyncio.to_thread(self._notices.record_failure, job, kind, reason)
        log.warning(
            "notice %s (%s, %s) not sent: %s; now %s",
            job.id,
            job.purpose,
            job.channel,
            reason,
            outcome.status,
        )
        return False

    def notice_for(self, job: NoticeJob) -> Notice:
        """What the notice says: the reference, its state and a link (the practitioner's own chat page, or
        the case page for a lead); never case content."""
        chat_url = f"{self._links}/chat/{job.reference}"
        case_url = f"{self._links}/cases/{job.assessment_id}"
        match job.purpose:
            case "lead_unreached":
                return messages.lead_unreached_for_practitioner(job.reference, chat_url)
            case "submitted_for_review":
                return messages.submitted_for_lead(job.reference, case_url)
            case "review_due":
                return messages.review_due_for_lead(job.reference, case_url)
            case "case_assigned":
                return messages.assigned_to_lead(job.reference, case_url)
            case "full_assessment_requested":
                return messages.full_assessment_for_practitioner(job.reference, chat_url)
            case "decision_recorded" | "feedback_given":
                feedback = job.purpose == "feedback_given"
                return messages.decision_for_practitioner(job.reference, chat_url, feedback=feedback)
            case _:
                return messages.urgent_for_lead(job.reference, job.submitted, case_url)


def delivery_context(
    settings: Settings,
    session_factory: sessionmaker[Session],
    connector: Connector | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> Callable[[web.Application], AsyncIterator[None]]:
    """For `app.cleanup_ctx`: start the worker with the app and stop it, letting a send in flight finish,
    before the app's connections close. `clock`: the worker's wall clock (the tests' settable one, or now)."""

    async def delivery(_app: web.Application) -> AsyncIterator[None]:
        worker = OutboxWorker.from_settings(settings, session_factory, connector, clock=clock)
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run(stop), name="urgent-notice-delivery")
        yield
        stop.set()
        try:
            await asyncio.wait_for(task, STOP_GRACE_SECONDS)
        except TimeoutError:
            log.warning("urgent notice delivery did not stop in time; pending notices resume on restart")

    return delivery
