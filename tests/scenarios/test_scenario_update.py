"""The danger moment's message (bot.chat.scenario_update) over the shipped library's scenarios: said once the
danger moment's question is answered, marked as fictional, and never twice."""

from __future__ import annotations

from bot.chat.scenario_update import MARK, scenario_update
from bot.domain.records import ChatMessage
from bot.scenarios import load_library


def test_said_once_its_question_is_answered_and_never_again() -> None:
    scenario = next(s for s in load_library() if s.id == "a_plan_for_friday")
    assert scenario.danger is not None
    asked = scenario.danger.after_question
    assert scenario_update(scenario, {"threats": "yes"}, []) is None  # not there yet
    update = scenario_update(
        scenario, {asked: "Friday 3pm"}, [ChatMessage(direction="in", text="Friday 3pm")]
    )
    assert update == ChatMessage(direction="out", text=MARK + scenario.danger.told)
    assert update.text.startswith("Scenario update (fictional): ")
    assert scenario_update(scenario, {asked: "Friday 3pm"}, [update]) is None


def test_no_update_without_a_danger_moment_or_a_scenario() -> None:
    calm = next(s for s in load_library() if s.danger is None)
    assert scenario_update(calm, {fact.question: "x" for fact in calm.facts}, []) is None
    assert scenario_update(None, {"threats_detail": "x"}, []) is None
