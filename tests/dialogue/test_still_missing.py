"""The completeness summary in "Check your answers" (issue #18): the concerns lacking a when, how it is known
or who told them, and the skipped and "not sure" questions, numbered so "change N" reaches them; submitting
is still offered. The shipped bank, the real dialogue plans."""

from __future__ import annotations

import re
from datetime import date

from bot.dialogue.plans import ask, plan_answer, plan_control
from bot.dialogue.still_missing import STILL_MISSING_HEADING
from bot.domain.positions import AtQuestion, AtReview
from bot.questions import load_bank
from bot.teams.withheld import MISSING_WITHHELD, for_teams
from tests.dialogue.records import answer, record

BANK = load_bank()
TODAY = date(2025, 3, 13)
BASE = [
    answer("immediate_danger", "no", "No"),
    answer("concern_summary", "He said he wants to fight", "He said he wants to fight"),
    answer("own_account_confirmed", "confirmed", "I confirm"),
]


def test_a_concern_without_when_or_source_and_a_skip_are_listed_and_submitting_is_still_offered() -> None:
    at = record(
        AtReview(),
        *BASE,
        answer("household", None, "", status="skipped"),
        answer("device_secrecy", "yes", "Yes"),
        answer("device_secrecy__what", "Turns the screen away", "Turns the screen away"),
        answer(
            "device_secrecy__when", {"as_typed": "don't know", "earliest": None, "latest": None}, "don't know"
        ),
        answer("device_secrecy__source", None, "", status="skipped"),
        answer("practitioner_role", None, "Not sure", status="unsure"),
    )

    summary = ask(BANK, at)

    text = summary.text or ""
    block = text[text.index(STILL_MISSING_HEADING) :]
    number = {
        q: int(n) for n, q in re.findall(r"^(\d+)\. (.+)$", text[: text.index(STILL_MISSING_HEADING)], re.M)
    }
    secrecy, when, source = (
        number[BANK.question(q).text]
        for q in ("device_secrecy", "device_secrecy__when", "device_secrecy__source")
    )
    assert (
        f"{secrecy}. {BANK.question('device_secrecy').text}\n   no when ({when}), how it is known ({source})"
        in block
    )
    assert f"Skipped:\n{number[BANK.question('household').text]}. {BANK.question('household').text}" in block
    assert f"Answered 'Not sure':\n{number[BANK.question('practitioner_role').text]}." in block
    assert "%" not in block and "score" not in block.lower()
    assert ("Submit to my lead", "/submit") in [(b.title, b.payload) for b in summary.buttons]
    assert plan_answer(BANK, at, f"change {when}", today=TODAY).move_to == AtQuestion("device_secrecy__when")
    assert plan_control(BANK, at, "submit").submit  # nothing missing here blocks submission
    teams = for_teams(text)
    assert MISSING_WITHHELD in teams and BANK.question("device_secrecy").text not in teams


def test_a_concern_with_full_evidence_adds_no_block() -> None:
    at = record(
        AtReview(),
        *BASE,
        answer("device_secrecy", "yes", "Yes"),
        answer("device_secrecy__what", "Turns the screen away", "Turns the screen away"),
        answer(
            "device_secrecy__when",
            {"as_typed": "March 2024", "earliest": "2024-03-01", "latest": "2024-03-31"},
            "March 2024",
        ),
        answer("device_secrecy__source", "seen_or_heard_myself", "I saw or heard it myself"),
    )

    text = ask(BANK, at).text or ""

    assert STILL_MISSING_HEADING not in text
    assert MISSING_WITHHELD not in for_teams(text)


def test_a_family_need_without_a_since_when_or_a_service_is_listed_with_the_numbers_to_change() -> None:
    at = record(
        AtReview(),
        *BASE,
        answer("other_needs", ["substance_misuse"], "Drug or alcohol misuse"),
        answer("need__substance_misuse", ["parent_or_carer"], "A parent or carer"),
        answer("need__substance_misuse__what", "Mum drinks most evenings", "Mum drinks most evenings"),
        answer("need__substance_misuse__what__source", "seen_or_heard_myself", "I saw or heard it myself"),
        answer(
            "need__substance_misuse__when",
            {"as_typed": "don't know", "earliest": None, "latest": None},
            "don't know",
        ),
        answer("need__substance_misuse__service", None, "", status="skipped"),
    )

    text = ask(BANK, at).text or ""
    block = text[text.index(STILL_MISSING_HEADING) :]
    number = {
        q: int(n) for n, q in re.findall(r"^(\d+)\. (.+)$", text[: text.index(STILL_MISSING_HEADING)], re.M)
    }
    who, when, service = (
        number[BANK.question(q).text]
        for q in ("need__substance_misuse", "need__substance_misuse__when", "need__substance_misuse__service")
    )
    assert (
        f"Family needs that lack details:\n{who}. Drug or alcohol misuse\n"
        f"   no when ({when}), which service is involved ({service})"
    ) in block
    assert "Skipped:" not in block  # the skipped service is listed under its need only
    assert plan_answer(BANK, at, f"change {service}", today=TODAY).move_to == AtQuestion(
        "need__substance_misuse__service"
    )
