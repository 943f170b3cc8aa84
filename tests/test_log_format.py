"""Issue #35: the log line formats (bot.log_format) and the request id rules (bot.request_ids)."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator

import pytest

from bot import request_ids
from bot.log_format import configure_logging, log_format


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    handlers, level, hook = list(root.handlers), root.level, sys.excepthook
    yield stream
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    sys.excepthook = hook
    logging.captureWarnings(False)


def test_json_lines_carry_the_service_and_the_request_id(captured: io.StringIO) -> None:
    configure_logging("actions", "json", stream=captured)
    logging.getLogger("somewhere").info("outside a request %s", 1)
    token = request_ids.current.set("abcdef0123456789")
    try:
        logging.getLogger("somewhere").warning("inside", extra={"status": 201})
        try:
            raise ValueError("broken")
        except ValueError:
            logging.getLogger("somewhere").exception("failed")
    finally:
        request_ids.current.reset(token)
    lines = [json.loads(line) for line in captured.getvalue().splitlines()]
    assert len(lines) == 3  # the traceback stays inside its line
    first, second, third = lines
    assert first["message"] == "outside a request 1" and first["request_id"] is None
    assert first["service"] == "actions" and first["level"] == "INFO" and first["logger"] == "somewhere"
    assert first["time"].endswith("+00:00")
    assert second["request_id"] == "abcdef0123456789" and second["status"] == 201
    assert "ValueError: broken" in third["exc_info"]


def test_text_lines_are_for_a_person(captured: io.StringIO) -> None:
    configure_logging("app", "text", stream=captured)
    logging.getLogger("bot.web").info("serving")
    line = captured.getvalue().strip()
    assert line.endswith("INFO app bot.web [None] serving")


def test_json_in_production_text_in_embedded_mode_unless_set() -> None:
    assert log_format({}) == "text"
    assert log_format({"BOT_ENV": "production"}) == "json"
    assert log_format({"BOT_ENV": "production", "BOT_LOG_FORMAT": "Text"}) == "text"
    assert log_format({"BOT_LOG_FORMAT": "json"}) == "json"
    with pytest.raises(SystemExit, match="BOT_LOG_FORMAT must be json or text, got 'xml'"):
        log_format({"BOT_LOG_FORMAT": "xml"})


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("0123456789abcdef", True),
        ("req-2024.01_ab", True),
        ("short", False),
        ("has space inside it", False),
        ("x" * 65, False),
        ("-leading-dash-x", False),
        ('"quoted"-value-x', False),
        (12345678, False),
    ],
)
def test_only_well_formed_ids_are_kept(given: object, kept: bool) -> None:
    assert (request_ids.safe_request_id(given) == given) is kept


def test_the_id_is_read_from_the_trackers_latest_message() -> None:
    tracker = {"latest_message": {"metadata": {"request_id": "0123456789abcdef", "typed_text": "words"}}}
    assert request_ids.from_tracker(tracker) == "0123456789abcdef"
    assert request_ids.from_tracker({"latest_message": {"metadata": {"request_id": "bad id"}}}) is None
    assert request_ids.from_tracker({"latest_message": {}}) is None
    assert request_ids.from_tracker(None) is None
    assert request_ids.header() == {}
