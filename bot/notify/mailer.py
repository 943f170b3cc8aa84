"""Sending one notice by email over SMTP, with the standard library (called in a worker thread).

Every failure becomes a `DeliveryFailed` with a label for the audit trail and a short sentence of ours for
the outbox row, never a traceback and never the message itself.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from bot.notify.messages import Notice
from bot.settings import SmtpServer

SMTP_TIMEOUT_SECONDS = 20  # well within the outbox lease (bot.store.notices.LEASE)


class DeliveryFailed(Exception):
    """One attempt failed; `kind` is a label (audited), `reason` a short sentence (kept on the row)."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


class Mailer:
    def __init__(self, server: SmtpServer | None, sender: str) -> None:
        self._server = server
        self._sender = sender

    def send(self, to: str | None, notice: Notice) -> None:
        """Deliver `notice` to `to`, or raise DeliveryFailed. Blocking: run it in a thread."""
        server = self._server
        if server is None:
            raise DeliveryFailed("smtp_not_configured", "no mail server is configured (BOT_SMTP_URL unset)")
        if not to:
            raise DeliveryFailed("no_address", "the recipient has no email address")
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = to
        message["Subject"] = notice.subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=self._sender.rpartition("@")[2])
        message.set_content(notice.text)
        try:
            with _connect(server) as smtp:
                if server.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if server.username:
                    smtp.login(server.username, server.password)
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as error:  # ssl.SSLError is an OSError
            raise DeliveryFailed(*_described(error, f"{server.host}:{server.port}")) from None


def _described(error: Exception, where: str) -> tuple[str, str]:
    """(label, short reason) for a failed attempt; the server's own words are left out (they may quote
    addresses)."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return "smtp_auth", f"the mail server {where} refused our login ({error.smtp_code})"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "smtp_refused", f"the mail server {where} refused the recipient"
    if isinstance(error, smtplib.SMTPResponseException):
        return "smtp_refused", f"the mail server {where} answered {error.smtp_code}"
    if isinstance(error, smtplib.SMTPException | ssl.SSLError):
        return "smtp_error", f"SMTP with {where} failed ({type(error).__name__})"
    detail = getattr(error, "strerror", None) or type(error).__name__  # refused, unreachable, timed out
    return "smtp_unreachable", f"cannot reach the mail server {where} ({detail})"


def _connect(server: SmtpServer) -> smtplib.SMTP:
    if server.implicit_tls:
        return smtplib.SMTP_SSL(
            server.host, server.port, timeout=SMTP_TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    return smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT_SECONDS)
