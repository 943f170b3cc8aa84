"""Moving a practice run about a real child to live from Teams (issue #13), as the web's confirm page does.

"This is about a real child: move to live" on a practice run's card shows a card that says what the web page
says (the same words, bot/chat/move_to_live.yaml) with a box for the reason; its "Move to live" sends the
reason, exactly as typed, to the store's PracticeMoveService, the one implementation of the move: it decides
who may move which run, keeps the reason, audits the move and queues the leads' notices. Its refusals (live
already, purged, not yours, an empty reason) are its own messages, so Teams says what the web says. The
reason is typed in the card's box rather than as a chat message, so it is not left in the Teams chat
history, which is outside this product's retention (bot.teams.withheld).
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.chat.move_to_live import MoveWords
from bot.domain.errors import NotFoundError, NotPermittedError, ValidationError
from bot.domain.records import Actor
from bot.store.practice_move import REASON_LIMIT, MovableRun, MovedRun, PracticeMoveService
from bot.teams import cards
from bot.teams.replies import Reply, card_reply, text_reply


class TeamsMoves:
    def __init__(self, moves: PracticeMoveService, words: MoveWords) -> None:
        self._moves = moves
        self.words = words

    async def offer(self, user_id: int, reference: str, problem: str = "", sent: str = "") -> list[Reply]:
        """The confirm card; a run this user may not move is refused as the web refuses it."""
        try:
            run = await asyncio.to_thread(self._as(user_id).movable_run, user_id, reference)
        except NotFoundError as error:
            return [self._refused(error.message)]
        return [card_reply(confirm_card(self.words, run, problem, sent))]

    async def move(self, user_id: int, reference: str, reason: str) -> MovedRun | list[Reply]:
        """The move, or what to say instead: the refusal, or the card again with the problem and the reason
        as typed (a ValidationError changes nothing)."""
        try:
            return await asyncio.to_thread(self._as(user_id).move_to_live, user_id, reference, reason)
        except NotPermittedError as refused:
            return [self._refused(refused.message)]
        except NotFoundError as error:
            return [self._refused(error.message)]
        except ValidationError as problem:
            return await self.offer(user_id, reference, problem=problem.message, sent=reason)

    def moved(self, submitted: bool) -> Reply:
        return text_reply(self.words.moved(submitted))

    def _refused(self, message: str) -> Reply:
        return text_reply(f"{message} {self.words.nothing_changed}")

    def _as(self, user_id: int) -> PracticeMoveService:
        """Audited as the linked user, as the web audits the signed-in user."""
        return self._moves.for_actor(Actor.user(user_id))


def confirm_card(words: MoveWords, run: MovableRun, problem: str = "", sent: str = "") -> dict[str, Any]:
    """What moving the run means, the warning, the reason box and "Move to live"; the other actions (cancel,
    danger) leave the box out, so the reason goes nowhere but the move."""
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": f"Practice run {run.reference}", "isSubtle": True, "wrap": True},
        {"type": "TextBlock", "text": words.title, "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": words.intro, "wrap": True},
        *({"type": "TextBlock", "text": f"• {line}", "wrap": True} for line in words.what_happens(run)),
        {"type": "TextBlock", "text": f"Warning: {words.warning}", "color": "Attention", "wrap": True},
    ]
    if problem:
        body.append({"type": "TextBlock", "text": f"Error: {problem}", "color": "Attention", "wrap": True})
    body.append(
        {
            "type": "Input.Text",
            "id": cards.REASON_INPUT,
            "label": words.reason_label,
            "placeholder": words.hint(),
            "isMultiline": True,
            "maxLength": REASON_LIMIT,
            "value": sent,
        }
    )
    made = cards.card(
        "",
        [
            (words.confirm, {"action": cards.MOVE_ACTION, "reference": run.reference}),
            (words.cancel, {"action": cards.RESUME_ACTION, "reference": run.reference}),
        ],
        danger=run.reference,
    )
    content = made["content"]
    content["body"] = body
    for action in content["actions"][1:]:
        action["associatedInputs"] = "none"
    return made
