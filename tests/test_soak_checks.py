"""bench/soak.py's exit code rests on check_verbatim (issue #34): a typed answer stored zero times or
twice, or a question answered twice, is reported; a process with a new pid between samples was restarted."""

from __future__ import annotations

from bench.soak_product import Sample, check_verbatim
from bench.soak_report import restarts

TEXT = '[A-ABC123] soak u1 answer 1: she said "not again" 😟\r\nand left.  '


def test_each_typed_answer_stored_once_byte_for_byte_passes() -> None:
    result = check_verbatim({"A-ABC123": [TEXT]}, {"A-ABC123": [["No"], [TEXT]]})
    assert result == {"typed_answers": 1, "lost": [], "doubled": [], "questions_stored_twice": []}


def test_an_answer_lost_changed_or_doubled_is_reported() -> None:
    assert check_verbatim({"A-ABC123": [TEXT]}, {"A-ABC123": [[TEXT.strip()]]})["lost"] == [TEXT]
    assert check_verbatim({"A-ABC123": [TEXT]}, {})["lost"] == [TEXT]
    assert check_verbatim({"A-ABC123": [TEXT]}, {"A-ABC123": [[TEXT], [TEXT]]})["doubled"] == [TEXT]
    twice = check_verbatim({}, {"A-ABC123": [["No", "Yes"]]})["questions_stored_twice"]
    assert twice == ["A-ABC123: ['No', 'Yes']"]


def test_a_process_with_a_new_pid_was_started_again() -> None:
    def sample(pids: dict[str, int]) -> Sample:
        return Sample(0.0, {}, {}, {}, pids)

    assert restarts([sample({"engine-1": 10, "app-1": 20}), sample({"engine-1": 10, "app-1": 20})]) == []
    assert restarts([sample({"engine-1": 10}), sample({"engine-1": 11}), sample({"engine-1": 11})]) == [
        "engine-1"
    ]
