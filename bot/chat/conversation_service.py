"""The conversation service, which the web chat pages and the Teams channel both drive: list a practitioner's
assessments, start one, show one, pass answers on, and report danger.

Each assessment has its own conversation with the engine, named by the store; the page names an assessment
only by its reference, and a reference that is not the signed-in practitioner's own finds nothing. So the
sender id the engine sees is always one the store bound to this practitioner: nothing the browser sends can
choose it. A button press arrives as an index into the latest bot message's buttons, and the server looks up
the payload, so the only payloads that ever reach the engine are ones it offered.

Store calls are synchronous (SQLAlchemy), so they run in a worker thread to keep the page responsive for
everyone else. One lock per user serialises that user's own requests: a double click or a second tab cannot
send one answer twice or start two screenings.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.chat.chat_view import ChatNotFound, ChatRefused, ChatView, alike
from bot.chat.choosing import NothingChosen, NotOffered, many_answer
from bot.chat.gateway import BotReply, EngineError, EngineGateway, TypedTextRefused, typed_text_problem
from bot.chat.messages import (
    BOTH_GIVEN_MESSAGE,
    CHANNEL,
    DANGER_BUTTON_FLAG,
    DANGER_PAYLOAD,
    DANGER_TITLE,
    DANGER_WITHOUT_ENGINE_MESSAGE,
    ENGINE_DOWN_MESSAGE,
    ENGINE_SESSION_MINUTES,
    NO_SUCH_OPTION_MESSAGE,
    NOT_PERMITTED_MESSAGE,
    NOT_STARTED_MESSAGE,
    NOT_SUBMITTED_MESSAGE,
    RESUME_PAYLOAD,
    STALE_PAGE_MESSAGE,
    START_PAYLOAD,
    SUBMITTED_MESSAGE,
)
from bot.chat.scenario_update import scenario_update
from bot.domain.assessment_summary import AssessmentSummary
from bot.domain.errors import ConflictError, NotFoundError, NotPermittedError
from bot.domain.lifecycle import Mode
from bot.domain.limits import DANGER_PRESS_ENGINE_WAIT_SECONDS
from bot.domain.records import Actor, ChatMessage
from bot.questions import BankProvider, QuestionBank
from bot.scenarios import Scenario
from bot.scenarios.provider import LibraryProvider
from bot.shared_state.locks import MemoryUserLocks, UserLocks

if TYPE_CHECKING:
    from bot.store.services import Store

log = logging.getLogger(__name__)


class ConversationService:
    def __init__(
        self,
        store: Store,
        gateway: EngineGateway,
        banks: BankProvider,
        locks: UserLocks | None = None,
        *,
        danger_press_wait: float = DANGER_PRESS_ENGINE_WAIT_SECONDS,
    ) -> None:
        self._store = store
        # Settings.danger_press_engine_wait_seconds: how long a danger press waits for the engine.
        self._danger_press_wait = danger_press_wait
        self._practitioners = store.practitioners
        self._gateway = gateway
        # The process's one provider (bot.questions.provider): the version recorded with a new assessment is
        # the one the action server asks it from, even after the bank is edited.
        self.banks = banks
        # One person's requests one at a time: in this process (embedded mode), or across every app process
        # (scaled mode, bot.shared_state.locks), whichever process each request reaches.
        self._locks: UserLocks = locks if locks is not None else MemoryUserLocks()
        # Read when a practice page or run first needs it, and again when its files or the bank change.
        self._library = LibraryProvider(banks)

    @property
    def bank(self) -> QuestionBank:
        """The current bank: which question is open, and whether it takes several options at once."""
        return self.banks.current()

    # -- reading -----------------------------------------------------------------------------------------

    async def assessments(self, user_id: int) -> list[AssessmentSummary]:
        """The practitioner's home page: drafts (most recently used first), then submitted ones."""
        return await asyncio.to_thread(self._practitioners.assessments_of, user_id)

    async def view(self, user_id: int, reference: str) -> ChatView:
        assessment = await asyncio.to_thread(self._practitioners.own_assessment, user_id, reference)
        if assessment is None:
            raise ChatNotFound()
        messages = await asyncio.to_thread(
            self._store.conversations.chat_messages, assessment.conversation_id
        )
        return ChatView(assessment, list(messages))

    def library(self) -> dict[str, Scenario]:
        """The scenario library by id, checked against the provider's current bank (issue #29: one bank for
        the practice pages, the chat and Teams), as its files now are (bot.scenarios.provider)."""
        return self._library.scenarios()

    def scenario(self, scenario_id: str | None) -> Scenario | None:
        """A practice run's scenario (its title and case card, #13); None for a live run or one gone from the
        library."""
        return self.library().get(scenario_id or "")

    async def last_used(self, user_id: int) -> AssessmentSummary | None:
        """The assessment this practitioner last said something in, on any channel."""
        return await asyncio.to_thread(self._practitioners.last_used, user_id)

    # -- changing ----------------------------------------------------------------------------------------

    async def start_new(
        self,
        user_id: int,
        *,
        channel: str = CHANNEL,
        linked_from: str | None = None,
        known: str | None = None,
        mode: str = Mode.LIVE,
        scenario_id: str | None = None,
    ) -> str:
        """Open a new assessment and ask the engine to begin it; returns its reference.

        The record exists before the engine is asked, so if the engine is down the practitioner still gets
        the assessment's page (ChatRefused names it) and can start it from there later. `known` is how many
        assessments like this one (see `alike`) the page that asked showed: if one was opened since (a double
        click, a second tab) and is still a draft, that one is returned rather than a second opened. `mode` is
        fixed here for good: "live" for a screening, "rehearsal" for a practice run (from a scenario, #13).
        """
        async with self._locks.hold(user_id):
            if known is not None:
                mine = await asyncio.to_thread(self._practitioners.assessments_of, user_id)
                same = alike(mine, linked_from, mode)
                newest = max(same, key=lambda a: a.created_at) if same else None
                if newest is not None and known != str(len(same)) and not newest.submitted:
                    return newest.reference
            opened = await self._open(user_id, channel, linked_from, mode, scenario_id)
            try:
                await self._begin(user_id, opened.conversation_id)
            except ChatRefused as refused:
                raise ChatRefused(refused.message, refused.status, opened.reference) from None
            return opened.reference

    async def start(self, user_id: int, reference: str) -> None:
        """Begin an assessment whose opening the engine never answered; a no-op once it has begun, except
        for one a lead sent back for the full assessment (issue #12): its chat ended with the Request for
        Support, so the engine is asked to carry on, once, and asks the first exploratory question."""
        async with self._locks.hold(user_id):
            view = await self.view(user_id, reference)
            if view.read_only:
                return
            if not view.messages:
                await self._begin(user_id, view.conversation_id)
                return
            asked_at, last = view.assessment.full_requested_at, view.messages[-1].created_at
            if asked_at is not None and last is not None and last <= asked_at:
                replies = await self._call_engine(self._gateway.send(view.conversation_id, RESUME_PAYLOAD))
                await self._append(user_id, view.conversation_id, None, replies)

    async def resume(self, user_id: int, reference: str) -> None:
        """Carry on a draft (the Teams card's "carry on" button): the engine asks where it stopped."""
        async with self._locks.hold(user_id):
            view = await self._open_draft(user_id, reference)
            payload = RESUME_PAYLOAD if view.messages else START_PAYLOAD
            replies = await self._call_engine(self._gateway.send(view.conversation_id, payload))
            await self._append(user_id, view.conversation_id, None, replies)

    async def report_danger(self, user_id: int, reference: str | None, *, channel: str = CHANNEL) -> str:
        """The "Someone is in danger now" control: flag the assessment and hear the guidance, from anywhere.

        With no reference, or on a submitted assessment, a new assessment is opened for the report (linked to
        the submitted one). The engine's action server raises the report and says the 999 guidance; then the
        store is asked to raise it again, keyed by how many reports the assessment held before the press
        (AssessmentService.report_danger), which writes nothing if the action server raised it and raises it
        if it could not. If the engine cannot be reached the same call raises it, and ChatRefused carries the
        999 guidance: a danger report never depends on the assistant being up. docs/danger-path.md draws it.
        Returns the reference of the assessment that holds the report.
        """
        async with self._locks.hold(user_id):
            view = await self.view(user_id, reference) if reference is not None else None
            if view is None or view.read_only:
                opened = await self._open(user_id, channel, view.reference if view is not None else None)
                conversation_id, reference, begun, known = opened.conversation_id, opened.reference, False, 0
            else:
                conversation_id, begun = view.conversation_id, bool(view.messages)
                known = await asyncio.to_thread(self._danger_reports, conversation_id)
            try:
                if not begun:
                    await self._begin(user_id, conversation_id)
                replies = await self._gateway.send(
                    conversation_id, DANGER_PAYLOAD, timeout=self._danger_press_wait
                )
            except (EngineError, ChatRefused) as error:
                log.warning("danger report without the engine: %s", error)
                await self._report_danger(user_id, conversation_id, known)
                raise ChatRefused(DANGER_WITHOUT_ENGINE_MESSAGE, status=503, reference=reference) from None
            await self._append(user_id, conversation_id, DANGER_TITLE, replies)
            await self._report_danger(user_id, conversation_id, known)
            return reference

    async def choose(self, user_id: int, reference: str, button: str, seen: str, typed: str = "") -> None:
        """Send the payload of button number `button` of the bot's latest message."""
        if typed.strip():
            raise ChatRefused(BOTH_GIVEN_MESSAGE)
        async with self._locks.hold(user_id):
            view = await self._current(user_id, reference, seen)
            choices = view.choices
            if not (button.isascii() and button.isdigit()) or int(button) >= len(choices):
                raise ChatRefused(NO_SUCH_OPTION_MESSAGE)
            chosen = choices[int(button)]
            if not chosen["payload"].startswith("/"):  # an answer's own words, not a control
                await self._reopen_forgotten_question(user_id, view)
            replies = await self._call_engine(self._gateway.send(view.conversation_id, chosen["payload"]))
            await self._append(user_id, view.conversation_id, chosen["title"], replies, view=view)

    async def choose_many(
        self, user_id: int, reference: str, picked: list[str], seen: str, typed: str = ""
    ) -> None:
        """Answer the open multiple choice question with the options ticked (`picked`: button indices), as
        one message (bot.chat.choosing); the chat shows it as the practitioner's answer."""
        if typed.strip():
            raise ChatRefused(BOTH_GIVEN_MESSAGE)
        async with self._locks.hold(user_id):
            view = await self._current(user_id, reference, seen)
            try:
                text = many_answer(self.bank, view.assessment, view.choices, picked)
            except NothingChosen as nothing:
                raise ChatRefused(str(nothing)) from None
            except NotOffered:
                raise ChatRefused(NO_SUCH_OPTION_MESSAGE) from None
            await self._send_text(user_id, view, text)

    async def send_text(self, user_id: int, reference: str, text: str, seen: str) -> None:
        """Send what the practitioner typed, exactly as the browser sent it."""
        async with self._locks.hold(user_id):
            await self._send_text(user_id, await self._current(user_id, reference, seen), text)

    async def _send_text(self, user_id: int, view: ChatView, text: str) -> None:
        try:
            if typed_text_problem(text) is None:
                await self._reopen_forgotten_question(user_id, view)
            replies = await self._call_engine(self._gateway.send_typed(view.conversation_id, text))
        except TypedTextRefused as refusal:
            raise ChatRefused(refusal.message) from None
        await self._append(user_id, view.conversation_id, text, replies, view=view)

    # -- plumbing ----------------------------------------------------------------------------------------

    async def _reopen_forgotten_question(self, user_id: int, view: ChatView) -> None:
        """Issue 17: after ENGINE_SESSION_MINUTES without a message the engine starts a new session, which
        has forgotten the open question, so an answer sent then (a message kept while signed out, a Teams
        card pressed hours later) would be read as small talk and not recorded. Ask the engine to carry on
        first: the store says where the assessment is, so it asks the question the page showed again, and
        the answer lands on it. Not when the bot is already offering to carry on (paused, stopped): then the
        message means what it would have meant without the gap. The last message is logged after the
        engine's last event, so a gap this long here is at least as long there."""
        if not view.messages or any(c["payload"] in (RESUME_PAYLOAD, START_PAYLOAD) for c in view.choices):
            return
        last = view.messages[-1].created_at
        if last is None or datetime.now(UTC) - last <= timedelta(minutes=ENGINE_SESSION_MINUTES):
            return
        replies = await self._call_engine(self._gateway.send(view.conversation_id, RESUME_PAYLOAD))
        await self._append(user_id, view.conversation_id, None, replies)

    async def _open(
        self,
        user_id: int,
        channel: str,
        linked_from: str | None,
        mode: str = Mode.LIVE,
        of: str | None = None,
    ) -> AssessmentSummary:
        """A new assessment; one that adds to another must add to a submitted one of this practitioner's."""
        try:
            return await asyncio.to_thread(
                self._as(user_id).practitioners.open_assessment,
                user_id,
                channel,
                self.bank.version,
                linked_from=linked_from,
                mode=mode,
                scenario_id=of,  # the scenario of a practice run (issue #13)
            )
        except NotPermittedError as refused:
            raise ChatRefused(NOT_PERMITTED_MESSAGE, status=403) from refused
        except NotFoundError:
            raise ChatNotFound() from None
        except ConflictError:
            raise ChatRefused(NOT_SUBMITTED_MESSAGE, status=409) from None

    async def _begin(self, user_id: int, conversation_id: str) -> None:
        replies = await self._call_engine(self._gateway.send(conversation_id, START_PAYLOAD))
        await self._append(user_id, conversation_id, None, replies)

    async def _open_draft(self, user_id: int, reference: str) -> ChatView:
        view = await self.view(user_id, reference)
        if view.read_only:
            raise ChatRefused(SUBMITTED_MESSAGE, status=409)
        return view

    async def _current(self, user_id: int, reference: str, seen: str) -> ChatView:
        """The assessment to answer in, provided the answer came from a page showing its latest state."""
        view = await self._open_draft(user_id, reference)
        if not view.messages:
            raise ChatRefused(NOT_STARTED_MESSAGE, status=409)
        if seen != str(view.seen):
            raise ChatRefused(STALE_PAGE_MESSAGE, status=409)
        return view

    async def _call_engine(self, call: Awaitable[list[BotReply]]) -> list[BotReply]:
        try:
            return await call
        except EngineError as error:
            log.warning("engine call failed: %s", error)
            raise ChatRefused(ENGINE_DOWN_MESSAGE, status=503) from error

    async def _append(
        self,
        user_id: int,
        conversation_id: str,
        said: str | None,
        replies: list[BotReply],
        *,
        view: ChatView | None = None,
    ) -> None:
        """Record the turn only after the engine answered, so the log never shows an answer it did not get.
        An answer in a practice run (`view`) that reaches its scenario's danger moment has the scenario's
        update said before the bot's next question."""
        messages = [] if said is None else [ChatMessage(direction="in", text=said)]
        if view is not None and view.assessment.scenario_id is not None and replies:
            update = await asyncio.to_thread(self._scenario_update, user_id, view)
            messages += [] if update is None else [update]
        messages += [ChatMessage(direction="out", text=r.text, buttons=r.buttons) for r in replies]
        if messages:
            await asyncio.to_thread(
                self._as(user_id).conversations.append_chat_messages, conversation_id, messages
            )

    def _scenario_update(self, user_id: int, view: ChatView) -> ChatMessage | None:
        """The danger moment's message if this turn reached it: the answers as the store now holds them
        (the engine's actions recorded this turn's), and the log for whether it was said already."""
        now = self._practitioners.own_assessment(user_id, view.reference)
        if now is None:
            return None
        scenario = self.scenario(now.scenario_id)
        return scenario_update(scenario, now.answer_values, view.messages)

    def _danger_reports(self, conversation_id: str) -> int:
        record = self._store.assessments.get_assessment(conversation_id)
        return record.danger_reports if record is not None else 0

    async def _report_danger(self, user_id: int, conversation_id: str, known: int) -> None:
        """The report made with the button, raised unless it is in already (the action server's)."""
        await asyncio.to_thread(
            self._as(user_id).assessments.report_danger, conversation_id, DANGER_BUTTON_FLAG, known=known
        )

    def _as(self, user_id: int) -> Store:
        """The store with changes audited as this practitioner's own."""
        return self._store.for_actor(Actor.user(user_id))
