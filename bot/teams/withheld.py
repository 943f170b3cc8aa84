"""What a Teams reply leaves out: the practitioner's answers, and the summary of them (issue #30).

A Teams chat's history is kept by Microsoft 365 under the organisation's Teams retention, outside this
product's, and is searchable there. So, unless BOT_TEAMS_SHOW_ANSWERS=true, a reply never repeats an answer:
the "Check your answers" summary becomes its heading and a pointer to the web chat (with its buttons, so the
practitioner can still submit, go back or pause), and a question asked again shows that an answer exists,
not what it was. The record itself is unchanged: the answers are kept verbatim and shown in the web chat.
"""

from __future__ import annotations

from bot.dialogue.at_question import ANSWER_WAS, KEEP_OR_CHANGE, STILL_NEEDED
from bot.dialogue.at_review import REVIEW_HEADING
from bot.dialogue.still_missing import STILL_MISSING_HEADING

SUMMARY_WITHHELD = (
    "Your answers are not shown in Teams, so that they stay out of the Teams chat history. Open this "
    "assessment in the web chat to read them and to change one; you can submit here or there."
)
# Which concerns lack details would tell what was answered, so Teams says only that something is missing.
MISSING_WITHHELD = (
    "Some details are still missing (a when, how it is known, who told you, or skipped and 'Not sure' "
    "answers): the web chat lists them. You can add them there, or submit as it is."
)
ANSWERED_ALREADY = "You have answered this already (your answer is shown in the web chat, not in Teams)."


def for_teams(text: str) -> str:
    """`text` as Teams may show it: the same words, less any answer of the practitioner's."""
    if text.startswith(REVIEW_HEADING):
        heading = text.split("\n", 1)[0]  # "Check your answers", and "(practice)" in rehearsal
        missing = f"\n\n{MISSING_WITHHELD}" if f"\n{STILL_MISSING_HEADING}" in text else ""
        return f"{heading}\n\n{SUMMARY_WITHHELD}{missing}"
    marker = f"\n\n{ANSWER_WAS}"
    start = text.rfind(marker)
    if start == -1:
        return text
    for tail in (KEEP_OR_CHANGE, STILL_NEEDED):
        if text.endswith(f". {tail}"):
            return f"{text[:start]}\n\n{ANSWERED_ALREADY} {tail}"
    return text
