"""Microsoft Teams channel: our own Bot Framework endpoint at POST /api/messages.

We do not use Rasa's stock botframework channel: it fetches Microsoft's keys at start-up, uses the retired
multi-tenant token address and checks tokens only in part. Here every incoming request is checked in full
(`auth`), keys are fetched lazily (`keys`), replies go out with a single-tenant token (`connector`), and the
conversation itself is the one the web pages drive too (`bot.chat.conversation_service.ConversationService`),
so an assessment moves freely between the web page and Teams.
"""
