"""The question bank: the assessment's questions as data, the flow through them, and answer reading.

The bank is YAML under bot/questions/bank/ (see loader.py for the layout and bank/index.yaml for the
format). Nothing outside this package restates a question's id or wording: the dialogue, the store, the
summary and the export all take them from here, so a wording change is one YAML edit.

Source prompts. A question marked `ask_source: true` states a fact, and every fact needs a source
(guardrail 6). The loader synthesises two ordinary questions straight after it:

- `<id>__source`, single choice "How do you know this?" with the standard choices seen_or_heard_myself,
  young_person_told_me, someone_else_told_me, found_online, records (and the usual "Not sure"). It is
  shown once the parent has an answer with content: not skipped, unsure, "no", "none" or "not known".
- `<id>__source_role`, free text asking for the role (not the name) of the person who told you, shown only
  when the source is someone_else_told_me.

Both carry `source_of=<id>`, so a caller can store the source with the parent's answer as well as on its
own; `QuestionBank.source_question_for(id)` finds the first. Authored ids may not contain "__", so the
generated ids can never clash with a written one.

Follow-ups. `show_if` holds conditions on earlier answers (all must hold): `equals` for yes/no and single
choice, `includes` for multiple choice, `answered: true` for "has an answer with content", and `any_of: [...]`
when one of several is enough, whose alternatives may also be `raised` (a concern value or "not sure"). The
flow hides a question whose conditions fail, or whose conditions name a question that is itself hidden (an
alternative on a hidden question holds nothing).

Effects. A question's `effect` tells the dialogue what an answer does beyond being recorded (danger_if_yes,
recheck_danger_if_yes), so the dialogue never has to name a question id.

Buttons. Every choice question's `choices` ends with the "Not sure" option (value "unsure") unless the
question sets `allow_unsure: false`; a choice's value or its label works as a button payload.
"""

from bot.questions.answers import AnswerProblem, ParsedAnswer, parse_answer
from bot.questions.dates import DateReading, read_date, read_date_detail
from bot.questions.flow import QuestionBank
from bot.questions.loader import DEFAULT_BANK_PATH, bank_from_text, load_bank
from bot.questions.model import (
    UNSURE,
    AnswerType,
    BankError,
    BankProblem,
    Choice,
    Condition,
    Progress,
    Question,
    Section,
)
from bot.questions.provider import BankProvider, provided
from bot.questions.sources import SOURCE_CHOICES

__all__ = [
    "DEFAULT_BANK_PATH",
    "SOURCE_CHOICES",
    "UNSURE",
    "AnswerProblem",
    "AnswerType",
    "BankError",
    "BankProblem",
    "BankProvider",
    "Choice",
    "Condition",
    "DateReading",
    "ParsedAnswer",
    "Progress",
    "Question",
    "QuestionBank",
    "Section",
    "bank_from_text",
    "load_bank",
    "parse_answer",
    "provided",
    "read_date",
    "read_date_detail",
]
