"""Turn what a practitioner typed (or the button they pressed) into a structured answer, by answer type.

One parser per answer type, not one per question: a new question in the YAML is parsed with no code change.
The structured value is what the flow's conditions and the lead's summary use; the text as typed is kept
separately by the caller and is never replaced by it. A free-text answer's value *is* that text, byte for
byte. Anything that cannot be read gives an AnswerProblem whose message tells the practitioner what to type,
and nothing is recorded.

Values: yes_no_unsure "yes"/"no"; single_choice the choice value; multiple_choice a list of choice values
in the bank's order; age an int; date an ISO 8601 string at the precision given ("2024-03-05", "2024-03",
"2024") with `fact_date` the first day it covers; rough_date {"as_typed", "earliest", "latest"} (ISO days or
None) with `fact_date` the earliest; free_text the text. "Not sure" on any question that allows
it gives status "unsure" and value None.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from bot.domain.limits import MAX_ANSWER_CHARS
from bot.questions.dates import month_first_reading, read_date_detail
from bot.questions.model import NONE_VALUE, UNSURE, AnswerType, Question
from bot.questions.phrases import (
    MAYBE_PHRASES,
    NO_PHRASES,
    NUMBER_WORDS,
    UNSURE_PHRASES,
    YES_PHRASES,
    is_unsure,
    leading_yes_no,
    match_key,
    negates_knowing,
    opens_unsure,
    opens_unsure_at_free_text,
)
from bot.questions.rough_dates import read_rough_date

MIN_AGE, MAX_AGE = 0, 25
DATE_EXAMPLES = {
    "past": "Try 'March 2024', 'last Tuesday' or '03/04/2024'",
    "future": "Try 'next Thursday', '10 December' or '10/12/2026'",
    "any": "Try 'next Thursday', 'last Tuesday', 'March 2024' or '03/04/2024'",
}


@dataclass(frozen=True)
class ParsedAnswer:
    value: object
    status: Literal["answered", "unsure"]
    fact_date: date | None = None


@dataclass(frozen=True)
class AnswerProblem:
    message: str


Parsed = ParsedAnswer | AnswerProblem
UNSURE_ANSWER = ParsedAnswer(None, "unsure")


def parse_answer(question: Question, text: str, *, today: date, age: int | None = None) -> Parsed:
    """Read `text` as an answer to `question`; `today` anchors relative dates and the future-date check, and
    `age` (the young person's, where known) school years in a rough date."""
    if len(text) > MAX_ANSWER_CHARS:
        return AnswerProblem(
            f"That answer is {len(text):,} characters long, more than the {MAX_ANSWER_CHARS:,} I can take. "
            "Please shorten it or split it over more than one answer; nothing has been saved."
        )
    if not text.strip():
        return AnswerProblem("I didn't get an answer there. Please type your answer, or say 'not sure'.")
    key = match_key(text)
    if question.allow_unsure and (is_unsure(key) or key == match_key(_unsure_label(question))):
        return UNSURE_ANSWER
    if question.answer_type == AnswerType.ROUGH_DATE:
        parsed = _parse_rough_date(text, today, age)
    else:
        parsed = _PARSERS[question.answer_type](question, text, key, today)
    # "not sure, her carer never mentioned it": no option, date or age, but plainly "not sure" with its reason
    # (issue #11). Better read so (the words are kept as typed) than refused with "I couldn't match that".
    if isinstance(parsed, AnswerProblem) and question.allow_unsure and opens_unsure(text):
        return UNSURE_ANSWER
    # At free text too, with the words kept as typed: "no idea, mum never said" is "not sure" and its reason.
    if (
        question.answer_type == AnswerType.FREE_TEXT
        and question.allow_unsure
        and opens_unsure_at_free_text(text)
    ):
        return UNSURE_ANSWER
    # "nobody has told me", "we haven't heard": the "not sure" family, where one answer is asked for.
    if (
        isinstance(parsed, AnswerProblem)
        and question.allow_unsure
        and question.answer_type != AnswerType.MULTIPLE_CHOICE
        and negates_knowing(key)
    ):
        return UNSURE_ANSWER
    return parsed


ROUGH_DATE_EXAMPLES = "Try '12 March 2024', 'March 2024', 'last summer', 'since Year 9' or 'don't know'."


def _parse_rough_date(text: str, today: date, age: int | None) -> Parsed:
    """A date or a rough one, kept as typed with the range it means (bot.questions.rough_dates)."""
    reading = read_rough_date(text, today=today, age=age)
    if reading is None:
        return AnswerProblem(f"I couldn't read that as a date up to today. {ROUGH_DATE_EXAMPLES}")
    return ParsedAnswer(reading.to_value(), "answered", reading.earliest)


def _parse_free_text(question: Question, text: str, key: str, today: date) -> Parsed:
    return ParsedAnswer(text, "answered")


def _parse_yes_no(question: Question, text: str, key: str, today: date) -> Parsed:
    if question.allow_unsure and key in MAYBE_PHRASES:
        return UNSURE_ANSWER
    if key in YES_PHRASES:
        return ParsedAnswer("yes", "answered")
    if key in NO_PHRASES:
        return ParsedAnswer("no", "answered")
    leading = leading_yes_no(text)
    if leading:
        return ParsedAnswer(leading, "answered")
    value = _choice_keys(question).get(_option_number(key))
    if value is not None:
        return UNSURE_ANSWER if value == UNSURE else ParsedAnswer(value, "answered")
    return AnswerProblem(
        "Please answer yes, no or not sure." if question.allow_unsure else "Please answer yes or no."
    )


def _parse_single_choice(question: Question, text: str, key: str, today: date) -> Parsed:
    keys = _choice_keys(question)
    value = keys.get(_option_number(key))
    if value is None and key in YES_PHRASES | NO_PHRASES:  # "yep" for a choice worded or aliased "yes"
        value = keys.get("yes" if key in YES_PHRASES else "no")
    if value is not None:
        return UNSURE_ANSWER if value == UNSURE else ParsedAnswer(value, "answered")
    if question.allow_unsure and key in MAYBE_PHRASES:  # "maybe?" picks none of the options: it is "not sure"
        return UNSURE_ANSWER
    several = _segment(question, text)
    if several is not None and len(set(several)) > 1:
        return AnswerProblem(f"Please pick just one option. {_options_hint(question)}")
    return AnswerProblem(f"I couldn't match that to one of the options. {_options_hint(question)}")


_ALL = {
    match_key(phrase)
    for phrase in ("all", "all of them", "all of these", "all of the above", "all the above")
}


def _parse_multiple_choice(question: Question, text: str, key: str, today: date) -> Parsed:
    whole = _choice_keys(question).get(_option_number(key))
    if whole is not None:
        values = [whole]
    elif question.allow_unsure and key in MAYBE_PHRASES:  # after the labels: an option may be "Partly"
        return UNSURE_ANSWER
    elif key in _ALL:
        values = [c.value for c in question.choices if c.value not in (UNSURE, NONE_VALUE)]
    else:
        segmented = _segment(question, text)
        if segmented is None:
            unmatched = ", ".join(f"'{part}'" for part in _unmatched_parts(question, text))
            return AnswerProblem(f"I couldn't match {unmatched} to the options. {_options_hint(question)}")
        values = segmented
    if UNSURE in values:
        if set(values) == {UNSURE}:
            return UNSURE_ANSWER
        return AnswerProblem(
            f"You chose '{_unsure_label(question)}' together with other options. Please choose either "
            f"'{_unsure_label(question)}' or the options that apply."
        )
    if NONE_VALUE in values and len(set(values)) > 1:
        label = next(choice.label for choice in question.choices if choice.value == NONE_VALUE)
        return AnswerProblem(
            f"'{label}' can't be combined with other options. Please choose one or the other."
        )
    order = [choice.value for choice in question.choices]
    return ParsedAnswer(sorted(set(values), key=order.index), "answered")


_YEAR_GROUP = re.compile(
    r"^(?:in\s+)?(?:school\s+)?(?:year|yr|y)\s*\d{1,2}$|^(?:reception|nursery|sixth form)$"
)
_AGE = re.compile(
    r"^(?:(?:aged?|about|around|approx|approximately|roughly|just)\s+)*(?P<number>[a-z0-9 ]+?)"
    r"(?:\s+and a half)?(?:\s*(?:years?|yrs?|y)(?:\s+old)?|\s*y\s*o|\s+old)?$"
)
_AGE_WORDS = {
    word: n for word, n in NUMBER_WORDS.items() if word not in ("a", "an", "a couple of", "couple of")
}


def _parse_age(question: Question, text: str, key: str, today: date) -> Parsed:
    if _YEAR_GROUP.match(key):
        return AnswerProblem(
            "That looks like a school year group rather than an age. How old is the young person in years? "
            "For example '14'."
        )
    if re.search(r"\d\s*[-–]\s*\d|^\s*-", text):
        return AnswerProblem("Please give one age in whole years, for example '14', or say 'not sure'.")
    if re.search(r"\b(?:months?|weeks?|days?)\b", key):
        return AnswerProblem("Please give the age in whole years; for a baby under one, reply 0.")
    if read_date_detail(text, today=today) is not None and not key.isdigit():
        return AnswerProblem(
            "Please give the young person's age in years rather than a date, for example '14'."
        )
    match = _AGE.match(key)
    number = match["number"].strip() if match else ""
    age = int(number) if number.isdecimal() and len(number) <= 3 else _AGE_WORDS.get(number)
    if age is None:
        return AnswerProblem(
            "Please give one age in whole years, for example '14' or 'fourteen', or say 'not sure'."
        )
    if not MIN_AGE <= age <= MAX_AGE:
        return AnswerProblem(
            f"I need an age between {MIN_AGE} and {MAX_AGE} years; this assessment is for children and young "
            "people. Please check the age, or say 'not sure'."
        )
    return ParsedAnswer(age, "answered")


def _parse_date(question: Question, text: str, key: str, today: date) -> Parsed:
    date_range = question.date_range or "past"
    reading = read_date_detail(text, today=today, prefer=date_range)
    examples = DATE_EXAMPLES[date_range] + (", or say 'not sure'." if question.allow_unsure else ".")
    if reading is None:
        meant = month_first_reading(text)
        if meant is not None:
            return AnswerProblem(
                f"I read dates day first, so '{text.strip()}' isn't a date. "
                f"Did you mean {meant:%d/%m/%Y} ({meant.day} {meant:%B %Y})?"
            )
        if question.allow_unsure and _starts_unsure(key):
            return UNSURE_ANSWER  # "not sure when, sometime last spring": kept, as typed, beside "not sure"
        return AnswerProblem(f"I couldn't read that as a date. {examples}")
    if reading.weekday_mismatch is not None:
        named = calendar.day_name[reading.weekday_mismatch]
        return AnswerProblem(
            f"{reading.date.day} {reading.date:%B %Y} is a {reading.date:%A}, not a {named}, so I'm not sure "
            f"which date you mean. Please give the date again with its year, for example "
            f"'{reading.date:%d/%m/%Y}', or say 'not sure'."
        )
    if date_range == "past" and reading.date > today:
        return AnswerProblem(
            f"That date is after today ({today.day} {today:%B %Y}). For when something happened, please give "
            "a date up to today, or say 'not sure'."
        )
    if date_range == "future" and reading.end < today:
        return AnswerProblem(
            f"That date has already passed (today is {today.day} {today:%B %Y}). Please give a date from "
            "today onwards, or say 'not sure'."
        )
    return ParsedAnswer(reading.iso(), "answered", reading.date)


def _starts_unsure(key: str) -> bool:
    """A date answer that opens with "not sure" and goes on in words ("not sure when, sometime last spring"):
    the practitioner is telling us the date is unknown, and their rough words are worth keeping for the lead;
    asking again would only push them to invent a date or to drop what they know."""
    words = key.split()
    return any(" ".join(words[:n]) in UNSURE_PHRASES for n in range(1, min(len(words), 5) + 1))


_PARSERS: dict[AnswerType, Callable[[Question, str, str, date], Parsed]] = {
    AnswerType.YES_NO_UNSURE: _parse_yes_no,
    AnswerType.SINGLE_CHOICE: _parse_single_choice,
    AnswerType.MULTIPLE_CHOICE: _parse_multiple_choice,
    AnswerType.FREE_TEXT: _parse_free_text,
    AnswerType.DATE: _parse_date,
    AnswerType.AGE: _parse_age,
}


@lru_cache(maxsize=1024)
def _choice_keys(question: Question) -> dict[str, str]:
    """Every way to name each choice: its number in the list, its value, its label and its aliases."""
    keys: dict[str, str] = {}
    for number, choice in enumerate(question.choices, start=1):
        for wording in (str(number), choice.value, choice.label, *choice.aliases):
            keys.setdefault(match_key(wording), choice.value)
    return keys


_OPTION_PREFIX = re.compile(r"^(?:option|number|no|choice)\s+(?=\d+$)")


def _option_number(key: str) -> str:
    """'option 2' and 'no. 2' as '2'."""
    return _OPTION_PREFIX.sub("", key)


_SEPARATORS = re.compile(r"\s*(?:[,;\n+&]|\band\b|\bplus\b|\balso\b)\s*", re.IGNORECASE)
MAX_PARTS = 40


def _parts(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for separator in _SEPARATORS.finditer(text):
        spans.append((start, separator.start()))
        start = separator.end()
    spans.append((start, len(text)))
    return spans


def _segment(question: Question, text: str) -> list[str] | None:
    """The choices named in a list such as "2, 5 and bullying", or None if some part names none.

    Parts are joined back together where that makes a label, so a label that itself contains commas or
    "and" ("Bullying, racism or hate incidents") still matches as one choice."""
    keys = _choice_keys(question)
    spans = _parts(text)
    if len(spans) > MAX_PARTS:
        return None
    best: list[list[str] | None] = [[]] + [None] * len(spans)
    for end in range(1, len(spans) + 1):
        for start in range(end - 1, -1, -1):
            found = best[start]
            if found is None:
                continue
            key = _option_number(match_key(text[spans[start][0] : spans[end - 1][1]]))
            if not key:
                best[end] = found
                break
            if key in keys:
                best[end] = [*found, keys[key]]
                break
    return best[-1]


def _unmatched_parts(question: Question, text: str) -> list[str]:
    keys = _choice_keys(question)
    parts = [text[start:end].strip() for start, end in _parts(text)]
    unmatched = [part for part in parts if part and _option_number(match_key(part)) not in keys]
    return unmatched or [text.strip()]


def _options_hint(question: Question) -> str:
    listed = "; ".join(f"{n} {choice.label}" for n, choice in enumerate(question.choices, start=1))
    if question.answer_type == AnswerType.MULTIPLE_CHOICE:
        return f"Reply with the numbers or words of every option that applies, for example '1, 3': {listed}."
    return f"Reply with the number or the words of one option: {listed}."


def _unsure_label(question: Question) -> str:
    choice = question.choice(UNSURE)
    return choice.label if choice else "not sure"
