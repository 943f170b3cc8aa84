"""bench/soak.py's exit code rests on check_verbatim (issue #34): a typed answer stored zero times or
twice, or a question answered twice, is reported; a process with a new pid between samples was restarted."""

from __future__ import annotations

import os

from bench.procfs import rss_bytes, status_bytes
from bench.soak_product import Sample, check_verbatim
from bench.soak_report import figures, restarts
from bench.soak_walker import Tally

MB = 2**20

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
        return Sample(0.0, {}, {}, {}, {}, {}, pids)

    assert restarts([sample({"engine-1": 10, "app-1": 20}), sample({"engine-1": 10, "app-1": 20})]) == []
    assert restarts([sample({"engine-1": 10}), sample({"engine-1": 11}), sample({"engine-1": 11})]) == [
        "engine-1"
    ]


def test_private_and_shared_memory_are_read_from_proc() -> None:
    mine = status_bytes(os.getpid(), "RssAnon", "RssFile", "RssShmem")
    assert mine["RssAnon"] > 0
    assert sum(mine.values()) <= rss_bytes(os.getpid()) + MB  # VmRSS is their sum (read a moment apart)


def test_memory_growth_is_judged_on_private_memory_not_on_shared_buffers_touched() -> None:
    """A PostgreSQL whose backends touched more shared buffers (RSS +40%) with private memory flat is within
    the 10% rule; an app whose private memory grew 15% is not."""

    def sample(at: float, rss: int, private: dict[str, int], shared: int) -> Sample:
        labels = {"postgresql": rss * MB, "app-1": (100 + private["app-1"]) * MB}
        return Sample(
            at,
            labels,
            dict(labels),
            {label: value * MB for label, value in private.items()},
            {"postgresql": shared * MB, "app-1": 0},
            {"postgresql": 1.0, "app-1": 1.0},
            {"postgresql": 10, "app-1": 20},
        )

    warm = sample(60.0, 100, {"postgresql": 20, "app-1": 100}, 40)
    end = sample(120.0, 140, {"postgresql": 20, "app-1": 115}, 80)
    run = figures(Tally(), [warm, end], warm, end, 0.0, 60.0, 120.0)

    postgresql = run["memory"]["postgresql"]
    assert (postgresql["growth_percent"], postgresql["private_growth_percent"]) == (40.0, 0.0)
    assert (postgresql["shared_warmup_end_mb"], postgresql["shared_end_mb"]) == (40.0, 80.0)
    assert run["private_growth_over_limit"] == ["app-1"]
