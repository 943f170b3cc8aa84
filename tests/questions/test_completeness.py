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


SINCE = {"as_typed": "last summer", "earliest": "2025-06-01", "latest": "2025-08-31"}


def full_need(**changed: object) -> dict[str, object]:
    """One family need ticked with its whole record: who, what, how known, since when and service."""
    answers: dict[str, object] = {
        "other_needs": ["substance_misuse"],
        "need__substance_misuse": ["parent_or_carer"],
        "need__substance_misuse__what": "Mum drinks most evenings",
        "need__substance_misuse__what__source": "seen_or_heard_myself",
        "need__substance_misuse__when": SINCE,
        "need__substance_misuse__service": "none that I know of",
    }
    return answers | changed


def test_a_family_need_lacking_a_since_when_or_a_service_is_listed_like_a_concern() -> None:
    bank = load_bank()
    assert completeness(bank, full_need()).complete
    answers = full_need(need__substance_misuse__when=DONT_KNOW, need__substance_misuse__service=None)
    answers[SKIPPED] = ["need__substance_misuse__service"]
    found = completeness(bank, answers)
    (need,) = found.needs
    assert (need.need_value, need.need, need.asks.id) == (
        "substance_misuse",
        "Drug or alcohol misuse",
        "need__substance_misuse",
    )
    assert [part for part, _ in need.missing] == [Part.WHEN, Part.SERVICE]
    assert need.words == "when, which service is involved"
    assert found.skipped == () and found.concerns == ()  # listed under its need only
    assert not found.complete


def test_a_need_whose_family_member_is_not_sure_and_whose_what_is_missing_lists_both() -> None:
    bank = load_bank()
    answers = full_need(need__substance_misuse=None)
    del answers["need__substance_misuse__what"], answers["need__substance_misuse__what__source"]
    (need,) = completeness(bank, answers).needs
    assert [part for part, _ in need.missing] == [Part.MEMBER, Part.WHAT]  # its source is asked after a what


def test_a_need_not_ticked_lists_nothing_even_with_old_answers() -> None:
    bank = load_bank()
    assert completeness(
        bank, full_need(other_needs=["none"], need__substance_misuse__when=DONT_KNOW)
    ).complete


def test_in_progress_follow_ups_not_reached_are_kept_apart_from_what_is_missing() -> None:
    """An urgent case opened before it is submitted: the concern's "when" and "how" and the need's service
    have no answer yet. They are not reached, not missing; a "don't know" already given is missing."""
    bank = load_bank()
    answers: dict[str, object] = {
        "device_secrecy": "yes",
        "device_secrecy__what": "Turns the screen away when I come in",
        **full_need(need__substance_misuse__when=DONT_KNOW),
    }
    del answers["need__substance_misuse__service"]

    found = completeness(bank, answers, in_progress=True)
    assert found.in_progress and found.concerns == ()
    (need,) = found.needs
    assert [part for part, _ in need.missing] == [Part.WHEN]
    assert [(gap.label, gap.not_reached_words) for gap in found.not_reached] == [
        (bank.question("device_secrecy").text, "when, how it is known"),
        ("Drug or alcohol misuse", "which service is involved"),
    ]

    # The same answers once submitted: nothing is still to come, so all of it is missing.
    submitted = completeness(bank, answers)
    assert submitted.not_reached == () and not submitted.in_progress
    assert [[p for p, _ in gap.missing] for gap in submitted.concerns] == [[Part.WHEN, Part.HOW]]
    assert [[p for p, _ in gap.missing] for gap in submitted.needs] == [[Part.WHEN, Part.SERVICE]]


def test_in_progress_with_nothing_missing_is_complete_though_not_everything_is_reached() -> None:
    bank = load_bank()
    found = completeness(bank, {"device_secrecy": "yes"}, in_progress=True)
    assert found.complete and [gap.concern.id for gap in found.not_reached] == ["device_secrecy"]
