"""Urgent notices, delivered off the request path.

A danger report writes its notices into the outbox (`notifications`, bot.store.notices) in the flag's own
transaction; the worker here (`outbox_worker`), running inside the app process, delivers them by email
(`mailer`, SMTP) and Teams (`teams`, a proactive message), retrying with back-off, and tells the
practitioner to phone their lead when no lead has been reached in time. `messages` writes what a notice
says, which is never case content; `mail_sink` is the embedded mode's local mail server.
"""
