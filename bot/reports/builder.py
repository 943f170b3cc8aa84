"""A report from the rows of a period: every table counted, then suppressed, before anything renders it.

Pure: rows in, Report out, so every figure can be checked against a seeded store and every suppression rule
against a table written by hand. Guardrail 1 holds here too: concerns are counted, never scored, and no
table says anything about a child; the durations are of the service's own work (submission to decision).
"""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.domain.local_time import LOCAL_ZONE, day_start
from bot.domain.pathways import PATHWAY_LIST, outcome_label
from bot.domain.vocabulary import PATHWAYS
from bot.questions.model import UNSURE, AnswerType
from bot.reports.breakdowns import Breakdown
from bot.reports.figures import HIDDEN_TEXT, SUPPRESSED_TEXT, Figure, Report, Row, Table
from bot.reports.suppression import suppressed_cells, with_totals
from bot.store.report_queries import AnswerCounts, ConcernCount, StandingCount

NOT_SURE = "Not sure"
NOT_ANSWERED = "Not answered"
NO_DECISION = "No decision yet"
REVIEW_SOON_DAYS = 28
MULTIPLE_NOTE = (
    "A concern can be counted in more than one row, so the rows do not add up to the concerns raised."
)


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive


@dataclass(frozen=True)
class Facts:
    """What the queries counted for one period and scope (bot.store.report_queries): counts, never rows of
    cases, except the days each decided concern waited for its first decision."""

    concerns: Sequence[ConcernCount]  # by month (index into the period's months), stage and urgency
    answers: dict[str, AnswerCounts]  # question id -> how many concerns have each current answer
    standing: Sequence[StandingCount]  # the decisions that stand, counted
    decision_days: Sequence[float]  # per decided concern: submission to first decision
    # Pathway key -> decided concerns whose standing decision includes it (two pathways: once under each).
    pathways: Mapping[str, int] = field(default_factory=dict)
    # Issue #12: (pathway, outcome) -> concerns with that outcome recorded on that pathway (current ones).
    outcomes: Mapping[tuple[str, str], int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(count.count for count in self.concerns)


def build_report(
    facts: Facts,
    breakdowns: Sequence[Breakdown],
    *,
    scope: str,
    period: Period,
    made_at: datetime,
    threshold: int,
) -> Report:
    counter = _Tables(threshold, facts.total)
    tables = [
        _by_month(counter, facts, period),
        _urgent(counter, facts),
        *(_breakdown(counter, facts, breakdown) for breakdown in breakdowns),
        _pathways(counter, facts),
        _time_to_decision(facts, threshold),
        _outcomes(counter, facts, review_window(made_at)[0]),
        _pathway_outcomes(counter, facts),
    ]
    return Report(scope, period.first, period.last, made_at, threshold, tuple(tables))


class _Tables:
    """Makes suppressed tables from counts, all with the one threshold."""

    def __init__(self, threshold: int, population: int) -> None:
        self.threshold = threshold
        self.population = population  # the period's concerns: every table counts some of them

    def table(
        self,
        *,
        id: str,
        title: str,
        label_heading: str,
        columns: tuple[str, ...],
        rows: list[tuple[str, list[int]]],
        row_totals: bool = False,
        column_totals: bool = True,
        chart: str = "bar",
        note: str | None = None,
        population: int | None = None,
        group: tuple[int, ...] = (),
    ) -> Table:
        """`population`: the concerns the table is about, if fewer than the period's (a sub-population);
        `group`: rows that together count one sub-population (suppressed whole when it is small)."""
        grid = with_totals([counts for _, counts in rows], row_totals=row_totals, column_totals=column_totals)
        groups = [[(r, c) for r in group for c in range(len(rows[0][1]))]] if group else []
        if population is None or 0 < self.population < self.threshold:  # few concerns: hide every table
            population = self.population
        hidden = suppressed_cells(grid, self.threshold, population=population, groups=groups)
        labels = [label for label, _ in rows] + (["Total"] if column_totals else [])
        shown = [
            Row(label, tuple(self._figure(count, (r, c) in hidden) for c, count in enumerate(line)))
            for r, (label, line) in enumerate(zip(labels, grid.cells, strict=True))
        ]
        columns = (*columns, "All concerns") if row_totals else columns
        total = shown.pop() if column_totals else None
        return Table(id, title, label_heading, columns, tuple(shown), total, chart, note)

    def _figure(self, count: int, hidden: bool) -> Figure:
        return Figure(None, HIDDEN_TEXT) if hidden else Figure(count, str(count))


def _by_month(counter: _Tables, facts: Facts, period: Period) -> Table:
    months = months_of(period)
    counts = [[0, 0] for _ in months]
    for count in facts.concerns:
        counts[count.month][1 if count.full else 0] += count.count
    return counter.table(
        id="concerns_by_month",
        title="Concerns raised, by month submitted",
        label_heading="Month",
        columns=("Screening only", "Full assessment"),
        rows=[(f"{date(year, month, 1):%B %Y}", counts[n]) for n, (year, month) in enumerate(months)],
        row_totals=True,
        chart="line",
    )


def _urgent(counter: _Tables, facts: Facts) -> Table:
    urgent = sum(count.count for count in facts.concerns if count.urgent)
    return counter.table(
        id="urgent_flags",
        title="Concerns that reported immediate danger",
        label_heading="Urgent flag",
        columns=("Concerns",),
        rows=[("Immediate danger reported", [urgent]), ("None reported", [facts.total - urgent])],
    )


def _breakdown(counter: _Tables, facts: Facts, breakdown: Breakdown) -> Table:
    question = breakdown.question
    labels = (
        [band.label for band in breakdown.bands]
        if breakdown.bands
        else [choice.label for choice in question.choices if choice.value != UNSURE]
    )
    counts = Counter({label: 0 for label in [*labels, NOT_SURE, NOT_ANSWERED]})
    answered = facts.answers.get(question.id, {})
    for (status, text), count in answered.items():
        for label in _labels_of(breakdown, status, None if text is None else json.loads(text)):
            counts[label] += count
    counts[NOT_ANSWERED] += facts.total - sum(answered.values())  # no current answer at all
    return counter.table(
        id=breakdown.table,
        title=breakdown.title,
        label_heading=breakdown.label_heading,
        columns=("Concerns",),
        rows=[(label, [count]) for label, count in counts.items()],
        column_totals=breakdown.adds_up,
        note=None if breakdown.adds_up else MULTIPLE_NOTE,
    )


def _labels_of(breakdown: Breakdown, status: str, value: object) -> list[str]:
    """The rows a concern with this answer counts in: its choices' labels, its age band, or not sure / not
    answered (skipped, or a value the bank no longer has)."""
    if status == "skipped":
        return [NOT_ANSWERED]
    if status == UNSURE:
        return [NOT_SURE]
    question = breakdown.question
    if question.answer_type == AnswerType.AGE:
        age = value if isinstance(value, int) and not isinstance(value, bool) else None
        band = next((b for b in breakdown.bands if age is not None and b.lowest <= age <= b.highest), None)
        return [band.label] if band else [NOT_ANSWERED]
    values = value if isinstance(value, list) else [value]
    found = [
        choice.label for v in values if isinstance(v, str) and (choice := question.choice(v)) is not None
    ]
    return found or [NOT_ANSWERED]


# Said on the page, because the column can add up to more than the decided concerns.
PATHWAYS_NOTE = (
    "A decision that combines pathways counts once under each, so the rows can add up to more than the "
    "concerns raised."
)


def _pathways(counter: _Tables, facts: Facts) -> Table:
    counts = Counter({label: 0 for label in [*PATHWAYS.values(), NO_DECISION]})
    for pathway, count in facts.pathways.items():
        counts[PATHWAYS.get(pathway, pathway)] += count
    counts[NO_DECISION] += facts.total - sum(standing.count for standing in facts.standing)
    decided = tuple(n for n, label in enumerate(counts) if label != NO_DECISION)  # the decided concerns
    return counter.table(
        id="decisions_by_pathway",
        title="Decisions, by the pathway the lead chose",
        label_heading="Pathway",
        columns=("Concerns",),
        rows=[(label, [count]) for label, count in counts.items()],
        column_totals=False,  # the rows may add up to more than the concerns: no total to mislead
        group=decided,
        note=PATHWAYS_NOTE,
    )


def _time_to_decision(facts: Facts, threshold: int) -> Table:
    days = sorted(facts.decision_days)
    if len(days) < threshold:
        hidden = Figure(None, f"not shown: {SUPPRESSED_TEXT.format(threshold=threshold)} decisions")
        median, ninetieth = hidden, hidden
    else:
        median = _days(statistics.median(days))
        ninetieth = _days(days[math.ceil(0.9 * len(days)) - 1])
    return Table(
        id="time_to_decision",
        title="Time from submission to the lead's first decision",
        label_heading="Measure",
        columns=("Days",),
        rows=(Row("Median", (median,)), Row("90th percentile", (ninetieth,))),
        chart="none",
        note="Counted over the concerns of the period that have a decision.",
    )


def _days(value: float) -> Figure:
    rounded = round(value, 1)
    return Figure(rounded, f"{rounded:g} day{'' if rounded == 1 else 's'}")


def _outcomes(counter: _Tables, facts: Facts, today: date) -> Table:
    open_ = [row for row in facts.standing if row.referral_status != "closed"]  # a closed case has no review
    rows = [
        ("Feedback given to the referrer", sum(row.count for row in facts.standing if row.feedback_given)),
        ("Case closed", sum(row.count for row in facts.standing if row.referral_status == "closed")),
        (
            f"Review due in the next {REVIEW_SOON_DAYS} days",
            sum(row.count for row in open_ if row.review == "due"),
        ),
        ("Review overdue", sum(row.count for row in open_ if row.review == "overdue")),
    ]
    return counter.table(
        id="outcomes_and_reviews",
        title="Outcomes recorded and reviews",
        label_heading="Outcome",
        columns=("Concerns",),
        rows=[(label, [count]) for label, count in rows],
        column_totals=False,
        population=sum(row.count for row in facts.standing),  # the decided concerns
        note=f"Reviews as of {today.day} {today:%B %Y}, by the review date of the decision that stands.",
    )


# Said on the page: the rows count concerns under every outcome they have, so they need not add up.
PATHWAY_OUTCOMES_NOTE = (
    "Counted by the outcomes leads recorded against each pathway (a corrected outcome counts as its "
    "correction). A concern with several outcomes counts once under each, so the rows do not add up."
)


def _pathway_outcomes(counter: _Tables, facts: Facts) -> Table:
    """Every outcome of every pathway, in the pathways' own order (data: bot/domain/pathways.yaml), then any
    stored outcome the data no longer has, under its key; counts only, suppressed like every table."""
    counts = {(p.key, o.key): 0 for p in PATHWAY_LIST for o in p.outcomes}
    for key, count in facts.outcomes.items():
        counts[key] = counts.get(key, 0) + count
    return counter.table(
        id="outcomes_by_pathway",
        title="Outcomes recorded, by pathway",
        label_heading="Pathway: outcome",
        columns=("Concerns",),
        rows=[
            (f"{PATHWAYS.get(pathway, pathway)}: {outcome_label(pathway, outcome)}", [count])
            for (pathway, outcome), count in counts.items()
        ],
        column_totals=False,
        population=sum(row.count for row in facts.standing),  # the decided concerns
        note=PATHWAY_OUTCOMES_NOTE,
    )


def review_window(made_at: datetime) -> tuple[date, date]:
    """Today, and the last day a review counts as due soon, in local time."""
    today = made_at.astimezone(LOCAL_ZONE).date()
    return today, today + timedelta(days=REVIEW_SOON_DAYS)


def month_starts(period: Period) -> list[datetime]:
    """The instants (UTC) at which the period's second and later months begin, in local time."""
    return [day_start(date(year, month, 1)) for year, month in months_of(period)[1:]]


def months_of(period: Period) -> list[tuple[int, int]]:
    months = []
    year, month = period.first.year, period.first.month
    while (year, month) <= (period.last.year, period.last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
