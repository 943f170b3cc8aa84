"""The data folder is made private whatever the umask: folders 0700, files 0600, links left alone."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.runtime.data_folder import check_private, make_private


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    before = os.umask(0o022)  # the common default: files 0644, folders 0755
    yield
    os.umask(before)


def test_everything_made_under_a_common_umask_is_made_private(tmp_path: Path, loose_umask: None) -> None:
    data = tmp_path / "var"
    (data / "engine").mkdir(parents=True)
    (data / "store.db").write_text("x")
    (data / "store.db-wal").write_text("x")
    (data / "engine" / "tracker.db").write_text("x")
    os.chmod(data / "store.db", 0o666)
    assert check_private(data)  # readable by others before

    changed = make_private(data)

    made = {data, data / "engine", data / "store.db", data / "store.db-wal", data / "engine" / "tracker.db"}
    assert {t.path for t in changed} == made
    assert mode(data) == mode(data / "engine") == 0o700
    assert mode(data / "store.db") == mode(data / "engine" / "tracker.db") == 0o600
    assert check_private(data) == []
    assert make_private(data) == []  # nothing left to change: the next start says nothing


def test_a_link_inside_is_not_followed(tmp_path: Path, loose_umask: None) -> None:
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("not ours to change")
    data = tmp_path / "var"
    data.mkdir()
    (data / "link").symlink_to(outside)
    make_private(data)
    assert mode(outside) == 0o644
