"""Issue #35, "Must show", on the product `bot run` starts and keeps up (what `make run` calls), driven
through the pages' own forms by a signed-in practitioner:

- `/readyz` answers 200 with everything up, 503 naming the engine within 5 s of the engine `bot run` started
  being killed with SIGKILL, and 200 again once `bot run` has started it again; the practitioner who was
  mid-screening carries on at the question they had reached, and that answer is stored once, verbatim.
- `/metrics` (the app's and the action server's), read from 127.0.0.1 as the default BOT_METRICS_ALLOW lets
  it be, parses with Prometheus' own text parser, its message and latency counters move by at least the
  messages of a whole screening, and neither the typed marker, the reference nor the user name is in it.

One `bot run` on its own data folder and ports, shared with tests/e2e/test_bot_run_restarts.py (its start is
most of the time; tests/e2e/bot_run_stack.py). Each test makes its own assessment, compares counters before
and after its own walk and reads only what the command printed after it began, so they do not depend on each
other's order; the test that kills the engine waits until `bot run` has it answering again.
"""

from __future__ import annotations

import os
import secrets
import signal
import time
import urllib.error
import urllib.request
from typing import Any

import aiohttp

from bot.settings import Settings
from tests.e2e.bot_run_process import dev_password, export, ready_answer
from tests.e2e.bot_run_stack import ALL_UP, BotRun, shared_bot_run  # noqa: F401  # the `bot_run` fixture
from tests.e2e.screening import is_route_choice
from tests.e2e.web_practitioner import CONTROLS, WebPractitioner
from tests.web.web_helpers import metric_samples, sign_in

# The bound: a probe must see the engine gone within this long of the kill. The only timing asserted.
NOTICED_WITHIN_SECONDS = 5.0
POLL_EVERY_SECONDS = 0.25
# Starting the engine again loads its model: generous, on a shared two-core machine.
RESTARTED_WITHIN_SECONDS = 300.0
PRACTITIONER = "dev-practitioner"

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(url: str) -> tuple[str, Samples]:
    """A `/metrics` page read from 127.0.0.1, and its samples (parsing it is the format check)."""
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version="), response.headers
        body = response.read().decode("utf-8")
    return body, metric_samples(body)


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    key = (name, tuple(sorted(labels.items())))
    assert key in after, sorted(k for k in after if k[0] == name)
    return after[key] - before.get(key, 0.0)


async def signed_in(client: aiohttp.ClientSession, env: dict[str, str]) -> None:
    assert (await sign_in(client, PRACTITIONER, dev_password(env, PRACTITIONER))).status == 303  # type: ignore[arg-type]


async def test_a_screening_walk_moves_the_metrics_and_puts_no_case_text_in_them(bot_run: BotRun) -> None:
    # Nothing sets who may read /metrics: the default (127.0.0.1, where this test reads from) applies.
    assert "BOT_METRICS_ALLOW" not in bot_run.env
    settings = bot_run.settings
    app_metrics = f"{settings.app_url}/metrics"
    actions_metrics = f"http://127.0.0.1:{settings.actions_port}/metrics"
    _, app_before = scrape(app_metrics)
    _, actions_before = scrape(actions_metrics)

    marker = f"metricsmarker-{secrets.token_hex(6)}"
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(base_url=settings.app_url, cookie_jar=jar) as client:
        await signed_in(client, bot_run.env)
        me = WebPractitioner(client, marker=marker)
        reference = await me.start_new()  # itself a message to the engine: the assessment's start
        for _ in range(60):  # the whole screening, up to "send it now or carry on?" (issue #12)
            if is_route_choice((await me.page(reference)).latest_bot_text):
                break
            await me.answer(reference)
        else:
            raise AssertionError("the screening should end with the choice to send it or carry on")
    typed = me.typed.get(reference, [])
    assert typed and all(marker in text for text in typed), "the walk typed no marked answer"
    messages = me.turns + 1
    print(f"\nscreening walked: {messages} messages to the engine, {len(typed)} typed with {marker}")

    app_body, app_after = scrape(app_metrics)
    assert moved(app_before, app_after, "bot_messages_handled_total", outcome="replied") >= messages
    assert moved(app_before, app_after, "bot_reply_seconds_count") >= messages
    assert moved(app_before, app_after, "bot_reply_seconds_sum") > 0
    actions_body, actions_after = scrape(actions_metrics)
    # Every answer is taken by an action the engine asks the action server to run.
    assert moved(actions_before, actions_after, "bot_action_calls_total", status="200") >= messages
    assert moved(actions_before, actions_after, "bot_action_seconds_count") >= messages

    password = dev_password(bot_run.env, PRACTITIONER)
    for body in (app_body, actions_body):
        for secret in (marker, reference, PRACTITIONER, password, *typed):
            assert secret not in body, secret
    # Labels are fixed words: no sample is labelled with anything the practitioner or the case gave.
    for name, labels in (*app_after, *actions_after):
        for _label, value in labels:
            assert marker not in value and reference not in value and PRACTITIONER not in value, (
                name,
                labels,
            )


async def test_readyz_names_the_killed_engine_and_the_screening_carries_on_once_bot_run_restarts_it(
    bot_run: BotRun,
) -> None:
    settings = bot_run.settings
    assert ready_answer(settings) == (200, ALL_UP)
    marker = f"readymarker-{secrets.token_hex(6)}"
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(base_url=settings.app_url, cookie_jar=jar) as client:
        await signed_in(client, bot_run.env)
        me = WebPractitioner(client)
        reference = await me.start_new()
        # Mid-screening: answered on (choices) up to the first question that takes typed text.
        for _ in range(30):
            chat = await me.page(reference)
            if not [title for _, title in (*chat.ticks, *chat.buttons) if title not in CONTROLS]:
                break
            await me.answer(reference)
        else:
            raise AssertionError("no question that takes typed text was reached")
        asked = chat.latest_bot_text
        before = export(bot_run.env, f"--id={reference}")
        reached = before["assessment"]["current_question_id"]
        assert me.turns >= 2 and len(before["answers"]) >= 2, before["answers"]

        engine = bot_run.engine_pid()
        killed_at = time.monotonic()
        os.killpg(engine, signal.SIGKILL)  # the engine's whole process group, as a crash or the OOM killer
        status, answer, seen = _first_503(settings, killed_at)
        print(f"\nfirst 503 from /readyz {seen:.2f} s after SIGKILL to the engine: {answer}")
        assert status == 503, f"no 503 within {NOTICED_WITHIN_SECONDS} s of the kill: {status} {answer}"
        assert answer["down"] == ["engine"], answer
        assert answer["checks"] == {"database": "ok", "engine": "down", "action_server": "ok"}, answer

        bot_run.wait_for("engine was killed by signal SIGKILL unexpectedly", 30)
        bot_run.wait_for("engine is answering again", RESTARTED_WITHIN_SECONDS)
        assert _ready_again(settings) == (200, ALL_UP)
        assert bot_run.engine_pid() != engine  # started again by `bot run`, not by this test

        # The practitioner's page still asks the question they had reached; their answer is taken there.
        assert (await me.page(reference)).latest_bot_text == asked
        typed = f'{marker}: she said "I can\'t go home" 😟\r\nand then went quiet.  '
        sent = await me.type(reference, typed)
        assert sent.status == 303, await sent.text()
        assert (await me.page(reference)).latest_bot_text != asked, "the answer was not taken"

    after = export(bot_run.env, f"--id={reference}")
    by_question = {answer["question_id"]: answer for answer in after["answers"]}
    assert [revision["text"] for revision in by_question[reached]["revisions"]] == [typed]
    stored = [revision["text"] for answer in after["answers"] for revision in answer["revisions"]]
    assert stored.count(typed) == 1
    # What was answered before the kill is as it was.
    for earlier in before["answers"]:
        assert by_question[earlier["question_id"]] == earlier


def _first_503(settings: Settings, killed_at: float) -> tuple[int, dict[str, Any], float]:
    """Poll /readyz every POLL_EVERY_SECONDS from the kill until its first 503 or the issue's bound. Every
    answer before the 503 must be a 200 (a 500 is a failure), and none may hang past the bound."""
    deadline = killed_at + NOTICED_WITHIN_SECONDS
    while True:
        left = deadline - time.monotonic()
        try:
            status, answer = ready_answer(settings, timeout=max(left, 0.1))
        except (TimeoutError, urllib.error.URLError) as error:
            raise AssertionError(
                f"/readyz did not answer within {NOTICED_WITHIN_SECONDS} s: {error}"
            ) from None
        seen = time.monotonic() - killed_at
        if status == 503 or seen >= NOTICED_WITHIN_SECONDS:
            return status, answer, seen
        assert status == 200, (status, answer)
        time.sleep(POLL_EVERY_SECONDS)


def _ready_again(settings: Settings) -> tuple[int, dict[str, Any]]:
    """/readyz once it answers 200 again (or its last answer, after a generous wait)."""
    deadline = time.monotonic() + RESTARTED_WITHIN_SECONDS
    status, answer = ready_answer(settings)
    while status != 200 and time.monotonic() < deadline:
        time.sleep(POLL_EVERY_SECONDS)
        status, answer = ready_answer(settings)
    return status, answer
