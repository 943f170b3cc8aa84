"""What the bot says back to one Teams activity, using the conversation service the web pages drive too.

A Teams user speaks only through the account an administrator linked to their Teams identity; unlinked users
are told so and nothing reaches the engine. A linked user's messages go to `ConversationService` exactly as
the web page's do (same refusals, same per-user lock, same display log), so an assessment started on either
channel continues on the other at the same question.

A Teams chat is one thread for all of a practitioner's assessments. Typed text answers the assessment they
last said something in (on either channel) while it is a draft; otherwise, and when they first open the
chat, a card offers "Start a new screening" and "Carry on" for each draft. Every card button names its
assessment, so an old card can never answer a question in another one, and every card has "Someone is in
danger now". Only one-to-one chats are served: in a group
chat the answers would be shown to everyone in it.
"""

from __future__ import annotations

import asyncio

from bot.chat.chat_view import ChatRefused, ChatView
from bot.chat.choosing import checkbox_options
from bot.chat.conversation_service import ConversationService
from bot.chat.gateway import EMPTY_TEXT_MESSAGE
from bot.chat.messages import NO_SUCH_OPTION_MESSAGE
from bot.chat.where import where_stopped
from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.shared_state.deliveries import DeliveryGuard, MemoryDeliveryGuard
from bot.store.teams_identities import TeamsIdentityService
from bot.teams import cards
from bot.teams.activity import Activity
from bot.teams.move_to_live import TeamsMoves
from bot.teams.practice_mark import PracticeMarks, marked
from bot.teams.replies import Reply, card_reply, text_reply
from bot.teams.withheld import for_teams

CHANNEL = "teams"
WELCOME_MESSAGE = (
    "Hello. I help you record a screening about a child or young person you are worried about, one question "
    "at a time, and keep your answers for your safeguarding lead. You can start here and carry on in the web "
    "chat, or the other way round. If anyone is in immediate danger, call 999 now."
)
UNLINKED_MESSAGE = (
    "Your Teams account is not linked to an assessment account yet, so I can't record anything for you. "
    "Ask your administrator to link it (they need your Teams sign-in), then message me again. If anyone "
    "is in immediate danger, call 999 now, then tell your safeguarding lead."
)
DEACTIVATED_MESSAGE = (
    "Your assessment account is no longer active, so I can't record anything for you and nothing you send "
    "here is kept. If anyone is in immediate danger, call 999 now, then tell your safeguarding lead. If you "
    "think this is a mistake, ask your administrator."
)
NOT_PERSONAL_MESSAGE = (
    "I only work in a one-to-one chat, so that your answers stay private. Message me directly."
)
NO_SCREENING_MESSAGE = (
    "There is no screening in progress here. Start a new one, or carry on one of your drafts."
)
HOME_MESSAGE = "Your assessments: start a new screening, or carry on one of your drafts."


class TeamsTurns:
    def __init__(
        self,
        identities: TeamsIdentityService,
        chat: ConversationService,
        moves: TeamsMoves,
        marks: PracticeMarks,
        show_answers: bool = False,
        deliveries: DeliveryGuard | None = None,
    ) -> None:
        self._identities = identities
        self._marks = marks  # a practice run says so on every card and text reply, as the web page does (#13)
        self._moves = moves  # a practice run about a real child moves to live as on the web (issue #13)
        # Off by default: Teams' history is outside this product's retention (bot.teams.withheld).
        self._show_answers = show_answers
        self._chat = chat  # and its bank provider, so Teams asks from the bank the web chat records
        # The Bot Framework redelivers an activity it thinks we missed, perhaps to another app process; an
        # answer must not be sent twice (bot.shared_state.deliveries: memory, or Redis in scaled mode).
        self._deliveries: DeliveryGuard = deliveries if deliveries is not None else MemoryDeliveryGuard()

    async def replies(self, activity: Activity) -> list[Reply]:
        if activity.type == "conversationUpdate":
            added = activity.recipient_id is not None and activity.recipient_id in activity.members_added
            if not (added and _personal(activity)):
                return []
            user = await self._linked_user(activity)
            if user is None:
                return [card_reply(cards.home_card(WELCOME_MESSAGE, []))]
            return [await self._home_card(user.id, WELCOME_MESSAGE)]
        if activity.type != "message":
            return []  # typing, reactions, installs: nothing to say
        if not _personal(activity):
            return [text_reply(NOT_PERSONAL_MESSAGE)]
        if activity.id is not None and not await self._deliveries.first_delivery(
            activity.conversation_id, activity.id
        ):
            return []
        user = await self._linked_user(activity)
        if user is None:
            return [text_reply(await self._not_linked_message(activity))]
        # Where to message this person first (an urgent notice, if they are a lead): their latest chat.
        await asyncio.to_thread(
            self._identities.remember_teams_chat,
            user.id,
            activity.service_url,
            activity.conversation_id,
            activity.recipient_id or "",
        )
        try:
            reference = await self._act(user.id, activity)
        except ChatRefused as refused:
            return [text_reply(refused.message)]
        except _NoScreening:
            return [await self._home_card(user.id, NO_SCREENING_MESSAGE)]
        except _ShowHome:
            return [await self._home_card(user.id, HOME_MESSAGE)]
        except _Said as said:
            return said.replies
        except _Moved as moved:
            if not moved.own:  # a trainer's submit for a trainee's run: not their conversation to show
                return [text_reply(self._moves.words.moved_by_trainer)]
            view = await self._chat.view(user.id, moved.reference)
            # Now live: the conversation carries on in the same record, at the same question.
            return [
                self._moves.moved(view.read_only),
                *bot_turn(view, self._chat.bank, self._marks, self._show_answers, self._moves.words.title),
            ]
        return bot_turn(
            await self._chat.view(user.id, reference),
            self._chat.bank,
            self._marks,
            self._show_answers,
            self._moves.words.title,
        )

    async def _act(self, user_id: int, activity: Activity) -> str:
        """Carry out what the activity asks; returns the reference of the assessment whose turn to show."""
        typed = activity.text or ""
        if activity.value is not None:
            try:
                submit = cards.read_submit(activity.value)
            except cards.BadSubmit:
                raise ChatRefused(NO_SUCH_OPTION_MESSAGE) from None
            if isinstance(submit, cards.HomeSubmit):
                raise _ShowHome
            if isinstance(submit, cards.StartSubmit):
                return await self._chat.start_new(user_id, channel=CHANNEL)
            if isinstance(submit, cards.ResumeSubmit):
                await self._chat.resume(user_id, submit.reference)
                return submit.reference
            if isinstance(submit, cards.DangerSubmit):
                return await self._chat.report_danger(user_id, submit.reference, channel=CHANNEL)
            if isinstance(submit, cards.MoveOfferSubmit):
                raise _Said(await self._moves.offer(user_id, submit.reference))
            if isinstance(submit, cards.CaseCardSubmit):
                shown = self._marks.case_card(await self._chat.view(user_id, submit.reference))
                if shown is None:  # a live run, or its scenario gone from the library: no card to show
                    raise ChatRefused(NO_SUCH_OPTION_MESSAGE)
                raise _Said(shown)
            if isinstance(submit, cards.MoveSubmit):
                done = await self._moves.move(user_id, submit.reference, submit.reason)
                if isinstance(done, list):
                    raise _Said(done)
                raise _Moved(done.reference, done.own)
            reference = submit.reference or await self._current(user_id)
            if isinstance(submit, cards.ManySubmit):
                picked = [str(i) for i in submit.chosen]
                await self._chat.choose_many(user_id, reference, picked, str(submit.seen), typed=typed)
                return reference
            await self._chat.choose(user_id, reference, str(submit.choice), str(submit.seen), typed=typed)
            return reference
        if not typed.strip():
            raise ChatRefused(EMPTY_TEXT_MESSAGE)
        reference = await self._current(user_id)
        view = await self._chat.view(user_id, reference)
        # Typed text answers whatever the conversation shows now, as the practitioner saw it in Teams.
        await self._chat.send_text(user_id, reference, typed, str(view.seen))
        return reference

    async def _current(self, user_id: int) -> str:
        """The draft this practitioner last said something in; none (or a submitted one) offers the card."""
        last = await self._chat.last_used(user_id)
        if last is None or last.submitted:
            raise _NoScreening
        return last.reference

    async def _home_card(self, user_id: int, text: str) -> Reply:
        drafts = [a for a in await self._chat.assessments(user_id) if not a.submitted]
        listed = [(a.reference, where_stopped(self._chat.bank, a), self._marks.tag(a)) for a in drafts]
        return card_reply(cards.home_card(text, listed))

    async def _linked_user(self, activity: Activity) -> UserInfo | None:
        tenant = activity.tenant_ids[0] if activity.tenant_ids else ""
        return await asyncio.to_thread(
            self._identities.user_for_teams, tenant, activity.from_aad_object_id or ""
        )

    async def _not_linked_message(self, activity: Activity) -> str:
        tenant = activity.tenant_ids[0] if activity.tenant_ids else ""
        deactivated = await asyncio.to_thread(
            self._identities.deactivated_identity, tenant, activity.from_aad_object_id or ""
        )
        return DEACTIVATED_MESSAGE if deactivated else UNLINKED_MESSAGE


class _NoScreening(Exception):
    """A message arrived with no draft to answer."""


class _ShowHome(Exception):
    """The practitioner asked for their assessments (the card's "My assessments")."""


class _Said(Exception):
    """The activity is answered by these replies alone (moving a practice run: its card, or a refusal)."""

    def __init__(self, replies: list[Reply]) -> None:
        super().__init__("said")
        self.replies = replies


class _Moved(Exception):
    """A practice run was moved to live; `own`: the mover's own run, whose conversation carries on."""

    def __init__(self, reference: str, own: bool) -> None:
        super().__init__(reference)
        self.reference = reference
        self.own = own


def bot_turn(
    view: ChatView,
    bank: QuestionBank,
    marks: PracticeMarks,
    show_answers: bool = False,
    move: str | None = None,
) -> list[Reply]:
    """The bot's latest turn as Teams messages; the message whose buttons are live becomes a card (with a
    multi-select list for a multiple choice question's options); answers only if `show_answers`. A practice
    run's card also offers `move` (moving it to live), as the web page links it beside every turn and after
    submission; a turn with no buttons then ends with a card of its own for it. Every reply of a practice
    run carries its mark (bot.teams.practice_mark), added here, where all of them are built."""
    start = view.turn_start
    if start is None:
        return []
    move = move if view.rehearsal else None
    replies = []
    for index in range(start, len(view.messages)):
        message = view.messages[index]
        text = message.text if show_answers else for_teams(message.text)
        if index == view.choices_index:
            many = checkbox_options(bank, view.assessment, message.buttons)
            card = cards.choice_card(text, message.buttons, view.seen, view.reference, many, move)
            replies.append(card_reply(card))
        elif text:
            replies.append(text_reply(text))
    if move and view.choices_index is None:
        replies.append(
            card_reply(cards.card("", [(move, cards.move_offer_data(view.reference))], view.reference))
        )
    return marked(replies, marks.of(view))


def _personal(activity: Activity) -> bool:
    return activity.conversation_type == "personal"
