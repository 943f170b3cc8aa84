"""The data key ring (issue #31): the newest key seals, every listed key opens, and a value that was
changed, sealed with another key, or moved to another column is refused with a clear error."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from bot.crypto.key_ring import KeyRing, KeyRingError, format_key, new_key, parse_key_ring
from bot.crypto.key_source import data_key_ring
from bot.production import production_problems
from bot.settings import Settings

OLD = "old1:" + "11" * 32
NEW = "new2:" + "22" * 32
VERBATIM = "  She said: «он придёт» 🙂\n\ttab, trailing space \r\n"


def test_a_value_reads_back_byte_for_byte_and_is_not_plain() -> None:
    ring = parse_key_ring(NEW)
    sealed = ring.seal(VERBATIM, "answers", "text")
    assert sealed.startswith("enc1:new2:")
    assert "придёт" not in sealed and "She said" not in sealed
    assert ring.open(sealed, "answers", "text") == VERBATIM
    assert ring.seal(VERBATIM, "answers", "text") != sealed  # a fresh nonce each time


def test_the_newest_key_seals_and_every_listed_key_opens() -> None:
    old = parse_key_ring(OLD)
    both = parse_key_ring(f"{OLD},{NEW}")
    under_old = old.seal("x", "answers", "text")
    assert both.open(under_old, "answers", "text") == "x"
    assert both.seal("x", "answers", "text").startswith("enc1:new2:")
    assert not both.is_newest(under_old)


def test_a_key_not_in_the_ring_is_named() -> None:
    sealed = parse_key_ring(OLD).seal("x", "answers", "text")
    with pytest.raises(KeyRingError, match="key 'old1', which is not in the key ring"):
        parse_key_ring(NEW).open(sealed, "answers", "text")


def test_the_wrong_key_under_the_same_id_is_refused() -> None:
    sealed = parse_key_ring(OLD).seal("x", "answers", "text")
    with pytest.raises(KeyRingError, match="does not open with key 'old1'"):
        parse_key_ring("old1:" + "33" * 32).open(sealed, "answers", "text")


def test_a_tampered_value_is_refused() -> None:
    ring = parse_key_ring(NEW)
    prefix, key_id, body = ring.seal("the child is safe", "answers", "text").split(":")
    raw = bytearray(base64.b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(KeyRingError, match="it was changed, or it belongs to another column"):
        ring.open(f"{prefix}:{key_id}:{base64.b64encode(bytes(raw)).decode()}", "answers", "text")


def test_a_value_moved_to_another_column_is_refused() -> None:
    ring = parse_key_ring(NEW)
    sealed = ring.seal("x", "answers", "text")
    with pytest.raises(KeyRingError, match=r"chat_messages\.text: .*belongs to another column"):
        ring.open(sealed, "chat_messages", "text")


@pytest.mark.parametrize("value", ["plain text", "enc1:new2", "enc9:new2:AAAA", "enc1:new2:not base64!"])
def test_a_value_that_is_not_sealed_is_refused(value: str) -> None:
    with pytest.raises(KeyRingError, match=r"answers\.text"):
        parse_key_ring(NEW).open(value, "answers", "text")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "empty"),
        ("bad id!:" + "11" * 32, "is not a key id"),
        ("k1:abcd", "64 hex digits"),
        (f"{OLD},{OLD}", "names a key id twice"),
    ],
)
def test_a_bad_key_ring_is_refused(value: str, message: str) -> None:
    with pytest.raises(KeyRingError, match=message):
        parse_key_ring(value)


def test_a_key_never_shows_in_its_repr() -> None:
    key = new_key("k1")
    assert key.secret.hex() not in repr(key)
    assert isinstance(parse_key_ring(format_key(key)), KeyRing)


def test_embedded_mode_generates_a_private_development_key_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = data_key_ring({}, tmp_path)
    assert "generated a development data key" in capsys.readouterr().err
    path = tmp_path / "secrets" / "data-keys"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = data_key_ring({}, tmp_path)
    assert again.open(first.seal("x", "answers", "text"), "answers", "text") == "x"
    assert capsys.readouterr().err == ""


def test_settings_read_the_keys_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "keys"
    key_file.write_text(f"{OLD}\n{NEW}\n")
    key_file.chmod(0o600)
    settings = Settings.from_env(
        {"BOT_DATA_DIR": str(tmp_path / "data"), "BOT_DATA_KEYS_FILE": str(key_file)}
    )
    assert settings.data_keys is not None and settings.data_keys.key_ids == ("old1", "new2")
    assert not (tmp_path / "data" / "secrets" / "data-keys").exists()


def test_production_refuses_a_missing_key() -> None:
    assert any(
        problem.startswith("BOT_DATA_KEYS (or BOT_DATA_KEYS_FILE) is not set")
        for problem in production_problems({})
    )


def test_production_refuses_a_key_file_inside_the_data_folder(tmp_path: Path) -> None:
    key_file = tmp_path / "secrets" / "keys"
    key_file.parent.mkdir()
    key_file.write_text(NEW)
    key_file.chmod(0o600)
    with pytest.raises(SystemExit, match=r"BOT_DATA_KEYS_FILE .* is inside the data folder"):
        Settings.from_env(_production_env(tmp_path) | {"BOT_DATA_KEYS_FILE": str(key_file)})


def _production_env(data_dir: Path) -> dict[str, str]:
    return {
        "BOT_ENV": "production",
        "BOT_DATA_DIR": str(data_dir),
        "BOT_SESSION_SECRET": "ab" * 32,
        "BOT_SERVICE_TOKEN": "s" * 32,
        "BOT_ENGINE_TOKEN": "e" * 32,
        "BOT_ACTIONS_TOKEN": "a" * 32,
        "BOT_PUBLIC_URL": "https://bot.example.org",
        "BOT_SMTP_URL": "smtp://mail.example.org:25",
        "BOT_CONTROLLER_NAME": "Example Council",
        "BOT_DPO_CONTACT": "dpo@example.org",
        "BOT_ICO_REGISTRATION": "Z1234567",
        "BOT_ACCESSIBILITY_CONTACT": "access@example.org",
    }
