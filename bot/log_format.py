"""How our processes (the app and the action server) write their logs: JSON lines or plain text.

BOT_LOG_FORMAT=json gives one JSON object a line (python-json-logger: a stdlib logging.Formatter, so every
logger we, aiohttp, Sanic and rasa-sdk already use writes JSON without its call sites changing), with the
time, level, logger, message, which process wrote it, and the request id of the request being handled
(bot.request_ids; null outside a request). BOT_LOG_FORMAT=text is the same for a person at a console. JSON
is the default in production, text in embedded mode (`make run`), where a person reads the console.

What goes in a message is the caller's responsibility and the rule is the same in both formats: no answer
text, no message text, no token (the end-to-end test greps every log of a walk for a typed marker).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from types import TracebackType
from typing import TextIO

from pythonjsonlogger.json import JsonFormatter

from bot.production import is_production
from bot.request_ids import current

FORMATS = ("json", "text")
JSON_FIELDS = "%(levelname)s %(name)s %(service)s %(request_id)s %(message)s"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(service)s %(name)s [%(request_id)s] %(message)s"


def log_format(env: Mapping[str, str]) -> str:
    """BOT_LOG_FORMAT (json or text); unset, json in production and text in embedded mode."""
    value = env.get("BOT_LOG_FORMAT", "").strip().lower()
    if not value:
        return "json" if is_production(env) else "text"
    if value not in FORMATS:
        raise SystemExit(f"BOT_LOG_FORMAT must be json or text, got {value!r}")
    return value


class _RequestContext(logging.Filter):
    """Stamps each record with the process's name and the id of the request being handled."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self._service
        record.request_id = current.get()
        return True


def formatter(fmt: str) -> logging.Formatter:
    if fmt == "json":
        return JsonFormatter(
            JSON_FIELDS,
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",  # ISO 8601 in UTC, whatever the machine's zone
        )
    return logging.Formatter(TEXT_FORMAT)


def configure_logging(
    service: str, fmt: str, level: int = logging.INFO, stream: TextIO | None = None
) -> None:
    """Send every log record of this process to stderr in `fmt`, replacing any handler set before (a
    Sanic worker calls this again after it starts). Warnings and uncaught exceptions go the same way, so
    that in JSON mode every line of the process's log parses."""
    handler = logging.StreamHandler(sys.stderr if stream is None else stream)
    handler.setFormatter(formatter(fmt))
    handler.addFilter(_RequestContext(service))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught


def _log_uncaught(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    logging.getLogger("uncaught").critical("the process stopped on an error", exc_info=(kind, error, trace))
