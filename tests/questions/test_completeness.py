"""The completeness summary over the real bank (issue #18): which concerns lack a when, a how-known or who
told them, which questions were skipped or answered "not sure"; facts, never a figure."""

from __future__ import annotations

from bot.questions.completeness import Part, completeness
from bot.questions.loader import load_bank
from bot.questions.model import SKIPPED

MARCH = {"as_typed": "March 2024", "earliest": "2024-03-01", "latest": "2024-03-31"}
YEAR_9 = {"as_typed": "since Year 9", "earliest": None, "latest": None}  # no age: kept as typed, no range
DONT_KNOW = {"as_typed": "don't know", "earliest": None, "latest": None}


def full_evidence(when: object = MARCH) -> dict[str, object]:
    return {
        "device_secrecy": "yes",
        "device_secrecy__what": "Turns the screen away when I come in",
        "device_secrecy__when": when,
        "device_secrecy__source": "seen_or_heard_myself",
    }


def test_a_concern_with_full_evidence_is_not_listed_and_a_rough_date_is_a_when() -> None:
    bank = load_bank()
    assert completeness(bank, full_evidence()).complete
    assert completeness(bank, full_evidence(YEAR_9)).complete


def test_a_dont_know_when_and_a_skipped_source_are_listed_under_their_concern_only() -> None:
    bank = load_bank()
    answers = {
        **full_evidence(DONT_KNOW),
        "device_secrecy__source": None,
        SKIPPED: ["device_secrecy__source"],
    }
    found = completeness(bank, answers)
    assert [(gap.concern.id, [part for part, _ in gap.missing]) for gap in found.concerns] == [
        ("device_secrecy", [Part.WHEN, Part.HOW])
    ]
    assert found.concerns[0].words == "when, how it is known"
    assert found.skipped == () and found.not_sure == ()  # not listed twice


def test_someone_else_told_them_without_their_role_lacks_who_told_them() -> None:
    bank = load_bank()
    answers = {
        **full_evidence(),
        "device_secrecy__source": "someone_else_told_me",
        "device_secrecy__source_role": None,
    }
    (gap,) = completeness(bank, answers).concerns
    assert [(part, question.id) for part, question in gap.missing] == [
        (Part.WHO, "device_secrecy__source_role")
    ]
    answers["device_secrecy__source_role"] = "class teacher"
    assert completeness(bank, answers).complete


def test_an_uncertain_concern_is_answered_not_sure_and_still_needs_its_evidence() -> None:
    bank = load_bank()
    found = completeness(bank, {"device_secrecy": None})
    assert [q.id for q in found.not_sure] == ["device_secrecy"]
    (gap,) = found.concerns
    assert [part for part, _ in gap.missing] == [Part.WHAT, Part.WHEN, Part.HOW]
    described = completeness(bank, {**full_evidence(), "device_secrecy": None})
    assert described.concerns == () and [q.id for q in described.not_sure] == ["device_secrecy"]


def test_no_concern_and_a_skipped_concern_open_nothing_to_list_as_missing() -> None:
    bank = load_bank()
    assert completeness(bank, {"device_secrecy": "no"}).complete
    skipped = completeness(bank, {"device_secrecy": None, SKIPPED: ["device_secrecy"]})
    assert skipped.concerns == () and [q.id for q in skipped.skipped] == ["device_secrecy"]


def test_other_questions_skipped_or_not_sure_are_listed_in_bank_order() -> None:
    bank = load_bank()
    answers = {
        "practitioner_role": None,
        "household": None,
        "concern_kinds": None,
        "communication_needs": "none",
        SKIPPED: ["household", "practitioner_role"],
    }
    found = completeness(bank, answers)
    assert [q.id for q in found.skipped] == ["practitioner_role", "household"]
    assert [q.id for q in found.not_sure] == ["concern_kinds"]
    assert found.concerns == ()
