"""Every column sealed at rest (issue #31), in one list: `bot keys rotate` walks it and the tests check it
against the models (each EncryptedText column is here, and nothing else is), so a column sealed later cannot
be left out of the rotation.

A sealed column cannot be compared by content, so a column that is looked up by value keeps a keyed digest
of it beside it (`LOOKUPS`): the rotation recomputes that digest under the newest key as it seals again.
Migrations keep their own frozen lists (0034, 0035, 0036): they describe the schema of their revision, not
today's.
"""

from __future__ import annotations

SEALED_COLUMNS: tuple[tuple[str, str], ...] = (
    # 0034: what the practitioner typed, and the chat log.
    ("answers", "text"),
    ("chat_messages", "text"),
    # 0035: the rest of what a practitioner, lead, trainer or admin types.
    ("answers", "source"),
    ("urgent_flags", "message"),
    ("urgent_responses", "note"),
    ("urgent_stand_downs", "reason"),
    ("referrals", "case_record_id"),
    ("referral_status_changes", "reason"),
    ("decisions", "rationale"),
    ("decisions", "consent_reason"),
    ("decisions", "feedback"),
    ("decision_pathways", "rationale"),
    ("decision_pathways", "shared"),
    ("decision_pathways", "owner"),
    ("decision_actions", "description"),
    ("decision_actions", "owner"),
    ("evidence_tags", "note"),
    ("sharing_entries", "shared_what"),
    ("sharing_entries", "recipient"),
    ("pathway_outcomes", "note"),
    ("identifying_details", "child_name"),
    ("identifying_details", "address"),
    ("identifying_details", "school"),
    ("identifying_details", "carers"),
    ("practice_feedback", "text"),
    ("practice_moves", "reason"),
    ("legal_holds", "reason"),
    ("legal_holds", "lifted_reason"),
    ("account_changes", "reason"),
    # 0036: answers' values other than closed ones (bot.store.answer_values), and the date of birth.
    ("answers", "sealed_value"),
    ("identifying_details", "date_of_birth"),
)

# (table, sealed column) -> the column holding its lookup digest (bot.crypto.key_ring.KeyRing.digest).
LOOKUPS: dict[tuple[str, str], str] = {
    # A lead links a team's cases by the child's case-record ID (bot.review.chronology).
    ("referrals", "case_record_id"): "case_record_lookup",
}
