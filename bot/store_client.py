"""Async client for the store's JSON API, used by the action server.

One ClientSession is reused for every call (connection pooling; creating one per call leaks sockets under
load). Calls that are safe to repeat (reads, start-or-resume, a turn that appends nothing) are retried a
couple of times on connection errors, so a store restart does not lose an answer; a turn that flags danger
appends a message, so it is never retried blindly. Every failure surfaces as `StoreClientError` with the
store's field messages, and with `outcome_unknown` when the store could not tell whether a turn was written.
A reply that is an assessment is decoded here, once, into the typed `AssessmentRecord` the dialogue works on;
other replies are the API's JSON (dicts), as described in bot/api/openapi.yaml.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any
from urllib.parse import quote

import aiohttp
from yarl import URL

from bot import request_ids
from bot.domain.limits import STORE_CALL_TIMEOUT_SECONDS
from bot.domain.protocol import OUTCOME_HEADER, OUTCOME_UNKNOWN
from bot.domain.records import AssessmentRecord, TurnIn

NO_RESPONSE = 0  # StoreClientError.status when the store could not be reached at all


class StoreClientError(Exception):
    """`outcome_unknown`: the store could not tell whether the request was written (its 503 said so,
    bot.web.store_down); otherwise a failure means nothing of the request was written."""

    def __init__(
        self,
        status: int,
        message: str,
        fields: dict[str, str] | None = None,
        *,
        outcome_unknown: bool = False,
    ) -> None:
        super().__init__(f"store answered {status}: {message}" if status else message)
        self.status = status
        self.message = message
        self.fields = fields or {}
        self.outcome_unknown = outcome_unknown


class StoreClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout_seconds: float = STORE_CALL_TIMEOUT_SECONDS,  # outlasts the store's wait for its database
        retries: int = 2,
        retry_delay_seconds: float = 0.2,
    ) -> None:
        self._base = base_url.rstrip("/") + "/api/v1"
        self._headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._retries = retries
        self._retry_delay = retry_delay_seconds
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> StoreClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def health(self) -> dict[str, Any]:
        return await self._request("GET", ["health"], idempotent=True)

    async def start_or_resume(
        self, conversation_id: str, bank_version: str, mode: str | None = None
    ) -> AssessmentRecord:
        body = {"conversation_id": conversation_id, "bank_version": bank_version, "mode": mode}
        return await self._record("POST", ["assessments"], body, idempotent=True)

    async def get_assessment(self, conversation_id: str) -> AssessmentRecord:
        return await self._record("GET", ["conversations", conversation_id, "assessment"], idempotent=True)

    async def apply_turn(self, conversation_id: str, turn: TurnIn) -> AssessmentRecord:
        """One message's changes in one transaction. Repeatable unless it adds an answer to a danger
        follow-up question (appended, so a retry would store it twice) or flags danger without the count
        that makes the report idempotent (`urgent_known`, AssessmentService.report_danger)."""
        unkeyed_report = turn.urgent_message is not None and turn.urgent_known is None
        return await self._record(
            "POST",
            ["conversations", conversation_id, "turn"],
            turn.to_json(),
            idempotent=turn.urgent_detail is None and not unkeyed_report,
        )

    def _session_for_call(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:  # created here: it must belong to a running loop
            self._session = aiohttp.ClientSession(headers=self._headers, timeout=self._timeout)
        return self._session

    async def _record(
        self, method: str, path: list[str], body: dict[str, Any] | None = None, *, idempotent: bool
    ) -> AssessmentRecord:
        return AssessmentRecord.from_json(await self._request(method, path, body, idempotent=idempotent))

    async def _request(
        self, method: str, path: list[str], body: dict[str, Any] | None = None, *, idempotent: bool
    ) -> Any:
        url = URL(self._base + "".join("/" + quote(part, safe="") for part in path), encoded=True)
        attempts = 1 + (self._retries if idempotent else 0)
        for attempt in range(1, attempts + 1):
            try:
                # The id of the engine message being acted on, so the store's lines match ours.
                headers = request_ids.header()
                async with self._session_for_call().request(
                    method, url, json=body, headers=headers
                ) as response:
                    return await _read(response)
            except aiohttp.ClientConnectionError as error:
                if attempt == attempts:
                    raise StoreClientError(
                        NO_RESPONSE, f"could not reach the store at {url}: {error}"
                    ) from error
                await asyncio.sleep(self._retry_delay * attempt)
            except TimeoutError as error:
                raise StoreClientError(NO_RESPONSE, f"the store did not answer in time ({url})") from error
        raise AssertionError("unreachable")


async def _read(response: aiohttp.ClientResponse) -> Any:
    try:
        data = await response.json(content_type=None)
    except ValueError:
        data = None
    if response.status < 400 and data is not None:
        return data
    fields = data.get("errors") if isinstance(data, dict) else None
    if isinstance(fields, dict):
        message = "; ".join(f"{name}: {text}" for name, text in fields.items())
        return _raise(response.status, message, {str(k): str(v) for k, v in fields.items()})
    unknown = response.status == 503 and response.headers.get(OUTCOME_HEADER) == OUTCOME_UNKNOWN
    reason = "may or may not have been written" if unknown else response.reason
    return _raise(response.status, reason or "unexpected reply from the store", {}, outcome_unknown=unknown)


def _raise(status: int, message: str, fields: dict[str, str], *, outcome_unknown: bool = False) -> Any:
    raise StoreClientError(status, message, fields, outcome_unknown=outcome_unknown)
