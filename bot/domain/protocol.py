"""What the app, the dialogue and the action server send each other, spelled once (issue #29).

Button payloads are the engine's intents with a leading slash (Rasa reads "/skip" as the intent `skip`);
`domain.yml` and `data/` keep their own spellings, and tests/test_protocol_literals.py checks that every
payload here is an intent the domain declares and that no product module writes one as a bare string.
"""

from __future__ import annotations

from enum import StrEnum


class Payload(StrEnum):
    START_ASSESSMENT = "/start_assessment"
    RESUME = "/resume"
    REPORT_DANGER = "/report_danger"
    GO_BACK = "/go_back"
    SKIP = "/skip"
    HELP = "/help"
    PAUSE = "/pause"
    STOP = "/stop"
    START_AGAIN = "/start_again"
    SUBMIT = "/submit"

    @property
    def intent(self) -> str:
        return self.value.removeprefix("/")


# Message metadata: the practitioner's typed text, byte for byte, beside the message the engine classifies.
TYPED_TEXT = "typed_text"

# The engine's parse of a message: its second opinion on danger, a probability (engine/extensions/
# danger_second_opinion.py spells it in the engine's own environment, where this package is not installed;
# tests/test_protocol_literals.py checks that the two agree).
DANGER_OPINION = "danger_second_opinion"

# The store API's answer to a turn it cannot vouch for either way (bot.web.store_down): a 503 carrying this
# header with this value says the turn may have been written (its connection was cut after the database may
# have committed it, and the database could not be reached again to find out). A 503 without it means the
# turn was not written.
OUTCOME_HEADER = "X-Bot-Outcome"
OUTCOME_UNKNOWN = "unknown"
