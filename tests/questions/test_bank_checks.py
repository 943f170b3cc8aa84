"""The bank check (`bot questions check`, bot.questions.bank_checks; issue #18): the shipped bank passes it,
and each kind of problem in a bank written into tmp_path is reported at its file and line, all at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.questions.bank_checks import check_bank
from bot.questions.loader import DEFAULT_BANK_PATH, load_bank
from tests.cli.in_process import as_text, run_in_process

# A single-file bank: line numbers below are this text's (line 1 is `version`).
CLEAN = """\
version: "1"
sections:
  - id: noticed
    title: What you noticed
    intro: Tell us what was said or done.
    questions:
      - id: cause_mentioned
        text: Have they talked about something they support?
        type: yes_no_unsure
        vaf: engagement
        ask_source: true
        why: What they said matters more than a label.
      - id: cause_words
        text: What did they say about the cause, in their words?
        type: free_text
        show_if: {question: cause_mentioned, equals: "yes"}
        why: Their words can be checked.
      - id: openness
        text: How do they respond to a different view?
        type: single_choice
        vaf: intent
        choices:
          - value: listens
            label: They listen
          - value: rejects
            label: They reject it
        why: Openness is a strength.
      - id: openness_example
        text: What did they say or do, and when?
        type: free_text
        show_if: {question: openness, equals: rejects}
        why: An example a lead can check.
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def lines(tmp_path: Path, text: str) -> list[str]:
    return [str(problem) for problem in check_bank(write(tmp_path, text))]


def edited(old: str, new: str) -> str:
    assert old in CLEAN
    return CLEAN.replace(old, new, 1)


def test_the_shipped_bank_passes_the_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert [str(problem) for problem in check_bank()] == []
    assert main(["questions", "check"]) == 0
    assert capsys.readouterr().out == ""


def test_a_clean_bank_prints_nothing_and_loads(tmp_path: Path) -> None:
    assert lines(tmp_path, CLEAN) == []
    load_bank(write(tmp_path, CLEAN))


NO_EXAMPLE = CLEAN[: CLEAN.index("      - id: openness_example")]
EVIDENCE_MESSAGE = (
    "can raise a concern but no answer opens what was said or done, when and how it is known: leave "
    "concern: false off the choices that raise it (or list it in index.yaml evidence_pending)"
)
NO_CONCERN = NO_EXAMPLE.replace(
    "            label: They reject it\n", "            label: They reject it\n            concern: false\n"
).replace("            label: They listen\n", "            label: They listen\n            concern: false\n")


def test_a_concern_is_followed_by_what_when_and_how_it_is_known_without_writing_them(tmp_path: Path) -> None:
    assert lines(tmp_path, NO_EXAMPLE) == []
    ids = [q.id for q in load_bank(write(tmp_path, NO_EXAMPLE)).questions]
    assert ids[ids.index("openness") :] == [
        "openness",
        "openness__what",
        "openness__when",
        "openness__source",
        "openness__source_role",
    ]


def test_a_concern_no_answer_can_raise_is_reported_at_its_vaf(tmp_path: Path) -> None:
    assert lines(tmp_path, NO_CONCERN) == [
        f"{tmp_path / 'bank.yaml'}:21: sections[0].questions[2].vaf: 'openness' {EVIDENCE_MESSAGE}"
    ]


def test_evidence_true_marks_a_question_without_a_vaf_tag(tmp_path: Path) -> None:
    text = NO_CONCERN.replace("        vaf: intent\n", "        evidence: true\n")
    assert lines(tmp_path, text) == [
        f"{tmp_path / 'bank.yaml'}:21: sections[0].questions[2].evidence: 'openness' {EVIDENCE_MESSAGE}"
    ]


def test_evidence_pending_lets_a_concern_through_and_a_stale_entry_is_reported(tmp_path: Path) -> None:
    text = NO_CONCERN + "evidence_pending: [openness, cause_mentioned]\n"
    assert lines(tmp_path, text) == [
        f"{tmp_path / 'bank.yaml'}:30: evidence_pending: 'cause_mentioned' has its evidence follow-up now: "
        "remove it from here"
    ]
    # An emptied list (the key left with nothing under it) is an empty list.
    assert lines(tmp_path, CLEAN + "evidence_pending:\n") == []


def test_a_show_if_on_a_later_question_is_reported_at_its_line(tmp_path: Path) -> None:
    text = edited(
        "        vaf: engagement\n",
        "        vaf: engagement\n        show_if: {question: openness, equals: listens}\n",
    )
    assert lines(tmp_path, text) == [
        f"{tmp_path / 'bank.yaml'}:11: sections[0].questions[0].show_if.question: refers to 'openness', "
        "which is asked later: a follow-up must come after the question it depends on"
    ]


def test_a_show_if_on_a_value_the_question_does_not_have_is_reported(tmp_path: Path) -> None:
    text = edited("equals: rejects}", "equals: shouts}")
    assert lines(tmp_path, text) == [
        f"{tmp_path / 'bank.yaml'}:31: sections[0].questions[3].show_if.equals: 'shouts' is not a choice of "
        "'openness' (choices: listens, rejects)"
    ]


def test_an_ideology_word_in_a_choice_label_is_reported_at_the_label(tmp_path: Path) -> None:
    text = edited("label: They reject it", "label: They reject FAR-RIGHT ideas")
    assert lines(tmp_path, text) == [
        f"{tmp_path / 'bank.yaml'}:26: sections[0].questions[2].choices[1].label: names 'FAR-RIGHT': "
        "keep the bot's wording free of ideologies, religions, places and communities "
        "(neutral_wording.yaml); ask what was said or done"
    ]


def test_named_words_match_whole_words_in_titles_intros_and_why(tmp_path: Path) -> None:
    text = edited("intro: Tell us what was said or done.", "intro: Tell us about Syria or romance.")
    text = text.replace("why: Openness is a strength.", "why: As at the mosque.")
    problems = lines(tmp_path, text)
    assert [problem.split(": names ")[0] for problem in problems] == [
        f"{tmp_path / 'bank.yaml'}:5: sections[0].intro",
        f"{tmp_path / 'bank.yaml'}:27: sections[0].questions[2].why",
    ]
    assert "'Syria'" in problems[0] and "'mosque'" in problems[1]  # "romance" is not "roma"


def test_a_presuming_question_without_show_if_is_reported(tmp_path: Path) -> None:
    text = edited('        show_if: {question: cause_mentioned, equals: "yes"}\n', "")
    assert lines(tmp_path, text) == [
        f"{tmp_path / 'bank.yaml'}:14: sections[0].questions[1].text: 'cause_words' says 'the cause', which "
        "takes a concern for granted, but is asked of everyone: give it a show_if on the answer that raises "
        "the concern"
    ]
    assert lines(tmp_path, text + "presumes_pending: [cause_words]\n") == []


def test_a_removed_not_sure_is_reported_unless_listed(tmp_path: Path) -> None:
    text = edited("        vaf: intent\n", "        vaf: intent\n        allow_unsure: false\n")
    assert lines(tmp_path, text) == [
        f"{tmp_path / 'bank.yaml'}:22: sections[0].questions[2].allow_unsure: 'openness' offers no \"Not "
        'sure": a practitioner who does not know must guess; list it in index.yaml no_unsure if that is meant'
    ]
    assert lines(tmp_path, text + "no_unsure: [openness]\n") == []
    assert lines(tmp_path, CLEAN + "no_unsure: [openness, nowhere]\n") == [
        f"{tmp_path / 'bank.yaml'}:33: no_unsure: 'openness' offers \"Not sure\": remove it from here",
        f"{tmp_path / 'bank.yaml'}:33: no_unsure: no question 'nowhere' in the bank",
    ]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = edited('        show_if: {question: cause_mentioned, equals: "yes"}\n', "")
    text = text.replace("label: They listen", "label: They listen, like a Sikh")
    text = text.replace("        vaf: intent\n", "        vaf: intent\n        allow_unsure: false\n")
    text = text.replace("equals: rejects}", "equals: shouts}")
    fields = [problem.split(": ")[1] for problem in lines(tmp_path, text)]
    assert sorted(fields) == [
        "sections[0].questions[1].text",
        "sections[0].questions[2].allow_unsure",
        "sections[0].questions[2].choices[0].label",
        "sections[0].questions[3].show_if.equals",
    ]


def test_evidence_true_on_a_free_text_question_is_refused_by_the_loader(tmp_path: Path) -> None:
    text = edited(
        "        type: free_text\n        show_if: {question: cause_mentioned",
        "        type: free_text\n        evidence: true\n        show_if: {question: cause_mentioned",
    )
    assert lines(tmp_path, text) == [
        f"{tmp_path / 'bank.yaml'}:16: sections[0].questions[1].evidence: marks a yes/no or choice question "
        "whose answer can raise a concern"
    ]


def test_the_command_prints_file_line_message_and_exits_1(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(DEFAULT_BANK_PATH, bank)
    section = bank / "s05_identity_belonging.yaml"
    # Every answer to the question marked as raising nothing: the pattern could only open on "not sure".
    text = section.read_text(encoding="utf-8")
    for label in ("Sometimes they listen, sometimes they shut it down", "They reject other views outright"):
        text = text.replace(f"label: {label}\n", f"label: {label}\n        concern: false\n")
    section.write_text(
        text.replace(
            "label: They become angry or threatening\n",
            "label: They become angry or threatening\n        concern: false\n",
        ),
        encoding="utf-8",
    )
    run = as_text(run_in_process(tmp_path / "data", "questions", "check", "--bank", str(bank)))
    assert (run.returncode, run.stderr) == (1, "")
    assert run.stdout.splitlines() == [
        f"{bank / 's05_identity_belonging.yaml'}:100: questions[8].vaf: 'response_to_other_views' "
        + EVIDENCE_MESSAGE
    ]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    run = as_text(run_in_process(tmp_path / "data", "questions", "check", "--bank", str(tmp_path / "none")))
    assert run.returncode == 2 and run.stdout == ""
    assert "--bank" in run.stderr and "no such folder or file" in run.stderr


def test_a_bank_that_is_not_there_is_one_problem_not_a_traceback(tmp_path: Path) -> None:
    assert lines(tmp_path, "") == [f"{tmp_path / 'bank.yaml'}:1: (file): the file is empty"]
    problems = [str(problem) for problem in check_bank(tmp_path / "none")]
    assert problems == [f"{tmp_path / 'none'}:0: (file): cannot read the bank: No such file or directory"]
