"""What the chat says when it refuses or cannot go on, and the payloads it sends the engine itself.

Kept apart from bot.chat.conversation_service so that the pages, the Teams channel and the tests name one
message once.
"""

from __future__ import annotations

from bot.domain.protocol import Payload

START_PAYLOAD = Payload.START_ASSESSMENT
RESUME_PAYLOAD = Payload.RESUME
DANGER_PAYLOAD = Payload.REPORT_DANGER
CHANNEL = "web"
# The engine's session_config.session_expiration_time in domain.yml (a test keeps the two in step).
ENGINE_SESSION_MINUTES = 60

ENGINE_DOWN_MESSAGE = (
    "The assistant is not available right now; your answers so far are saved. Try again in a few minutes."
)
NO_SUCH_ASSESSMENT_MESSAGE = "There is no assessment of yours with this reference."
NOT_STARTED_MESSAGE = "This screening has not started yet. Choose 'Start the screening' to begin."
SUBMITTED_MESSAGE = (
    "This assessment has been sent to your lead and can no longer be changed. To add something, choose "
    "'Add to this assessment': that starts a new assessment linked to this one."
)
STALE_PAGE_MESSAGE = (
    "The conversation has moved on since this page was shown. Read the latest message, then answer again."
)
NO_SUCH_OPTION_MESSAGE = "That option is no longer available. Choose one of the options shown."
NOT_SUBMITTED_MESSAGE = (
    "Only a submitted assessment can be added to. This one is still a draft: carry on with it instead."
)
NOT_PERMITTED_MESSAGE = (
    "Your account cannot start this kind of assessment. Concerns about a real young person are raised "
    "by practitioners and trainers; practice runs are started by trainers. If someone is in danger now, "
    "call 999."
)
BOTH_GIVEN_MESSAGE = (
    "You chose an option and also typed an answer. Send your typed answer with 'Send', "
    "or clear the box and choose the option again."
)
# Said on the page when the danger control could not reach the assistant: the flag was raised directly.
DANGER_WITHOUT_ENGINE_MESSAGE = (
    "If anyone is in immediate danger, call 999 now, then tell your safeguarding lead. The assistant is not "
    "available right now, but this assessment has been flagged as urgent and your team's leads can see it."
)
DANGER_TITLE = "Someone is in danger now"
DANGER_BUTTON_FLAG = "Immediate danger reported with the 'Someone is in danger now' button."
