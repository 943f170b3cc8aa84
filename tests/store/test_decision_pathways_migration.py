"""Revision 0015 on a SQLite database that already holds single-pathway decisions: each decision's pathway
and rationale is copied, byte for byte, into decision_pathways; the old columns stay readable; every pathway
in the data file is accepted by the migrated database and nothing else is."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.domain.vocabulary import PATHWAYS
from bot.store import db
from bot.store.encrypted_text import key_ring_in_use

# Foreign keys are not enforced on this connection (as in db.upgrade), so a decision needs no chain of rows.
OLD_DECISION = """
    INSERT INTO decisions (id, referral_id, decided_by, decided_at, pathway, rationale, lawful_bases, consent)
    VALUES (:id, 1, 1, '2026-01-01 00:00:00', :pathway, :rationale, '["art6_public_task"]', 'given')
"""
RATIONALE = "  Said it twice;\nfamily engaged. "
ROW = (
    "INSERT INTO decision_pathways (decision_id, position, pathway, rationale) VALUES (1, :n, :pathway, 'r')"
)


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'before.db'}"


def test_existing_single_pathway_decisions_are_copied_and_the_old_columns_stay(url: str) -> None:
    db.upgrade(url, "0014")
    engine = db.make_engine(url, enforce_foreign_keys=False)
    with engine.begin() as connection:
        connection.execute(text(OLD_DECISION), {"id": 1, "pathway": "early_help", "rationale": RATIONALE})
        connection.execute(
            text(OLD_DECISION), {"id": 2, "pathway": "prevent_referral", "rationale": "Because."}
        )
    db.upgrade(url)
    with engine.connect() as connection:
        copied = connection.execute(
            text(
                "SELECT decision_id, position, pathway, rationale, shared, owner, partner "
                "FROM decision_pathways ORDER BY decision_id"
            )
        ).all()
        old = connection.execute(text("SELECT id, pathway, rationale FROM decisions ORDER BY id")).all()
    engine.dispose()
    ring = key_ring_in_use()  # both rationales are sealed at rest since revision 0035
    copied = [(*row[:3], ring.open(row[3], "decision_pathways", "rationale"), *row[4:]) for row in copied]
    old = [(*row[:2], ring.open(row[2], "decisions", "rationale")) for row in old]
    assert copied == [
        (1, 1, "early_help", RATIONALE, None, None, None),
        (2, 1, "prevent_referral", "Because.", None, None, None),
    ]
    assert old == [(1, "early_help", RATIONALE), (2, "prevent_referral", "Because.")]
    assert db.is_up_to_date(url)


def test_the_migrated_check_accepts_every_pathway_in_the_data_and_refuses_others(url: str) -> None:
    db.upgrade(url)
    engine = db.make_engine(url, enforce_foreign_keys=False)
    with engine.begin() as connection:
        for n, key in enumerate(PATHWAYS, start=1):
            connection.execute(text(ROW), {"n": n, "pathway": key})
    with pytest.raises(IntegrityError, match="ck_decision_pathways_pathway"), engine.begin() as connection:
        connection.execute(text(ROW), {"n": 99, "pathway": "channel_panel"})
    with pytest.raises(IntegrityError), engine.begin() as connection:  # one row per pathway per decision
        connection.execute(text(ROW), {"n": 100, "pathway": "early_help"})
    engine.dispose()


def test_a_new_decision_leaves_the_old_columns_empty(url: str) -> None:
    """New decisions write their pathways only to decision_pathways: the old columns accept null now."""
    db.upgrade(url)
    engine = db.make_engine(url, enforce_foreign_keys=False)
    with engine.begin() as connection:
        connection.execute(text(OLD_DECISION), {"id": 1, "pathway": None, "rationale": None})
    engine.dispose()
