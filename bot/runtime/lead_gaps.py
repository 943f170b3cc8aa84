"""Teams whose urgent reports would reach no lead, said where an administrator will see it: after
`bot user add` (for the user's team) and when `bot run` starts (for every team); and, when `bot run` starts,
a product with no channel at all that could tell a lead (`no_channel_warning`).

A danger report in such a team tells the practitioner at once to phone their lead (bot.store.notices), but
nobody in the service hears of it: the fix is an account, which only an administrator can make.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from bot.domain.records import TeamLeadGap

if TYPE_CHECKING:  # the store (and SQLAlchemy) loads only when a caller hands one over
    from bot.settings import Settings
    from bot.store.users import UserService


def lead_gap_warnings(
    users: UserService,
    team: str | None = None,
    adding: tuple[str, bool] | None = None,
    *,
    pages: bool = False,
) -> list[str]:
    """One warning per team (or for the one named) whose urgent reports would reach no lead, saying what
    to do about it; none when every team's reports reach a lead. With `adding` (a role, and whether the
    account has an address): as it would be once that account is made (the admin's check-answers page).
    `pages`: the fix in the admin pages' words, not the command line's (an admin there may have no shell)."""
    return [describe(gap, pages=pages) for gap in users.teams_without_reachable_lead(team, adding)]


def describe(gap: TeamLeadGap, *, pages: bool = False) -> str:
    if gap.no_lead:
        people = "1 person" if gap.raisers == 1 else f"{gap.raisers} people"
        fix = (
            "Create an account with the role Lead in this team, with an email address"
            if pages
            else f"bot user add NAME --role lead --team {shlex.quote(gap.team)} --email ADDRESS"
        )
        return (
            f"warning: team {gap.team!r} has no safeguarding lead, so urgent reports from its "
            f"{people} who may raise concerns would reach nobody (each reporter is told to phone their "
            f"lead instead). Add one: {fix}"
        )
    leads = (
        "its lead has no email address and no linked Microsoft Teams chat"
        if gap.leads == 1
        else f"none of its {gap.leads} leads has an email address or a linked Microsoft Teams chat"
    )
    fix = (
        "on a lead's account page, Change email address (or Link a Teams identity, then they message the "
        "bot once in Teams)"
        if pages
        else "bot user set-email NAME ADDRESS (or bot user link-teams NAME ..., then message the bot once "
        "in Teams)"
    )
    return f"warning: team {gap.team!r}: {leads}, so urgent reports from it would reach nobody. Fix: {fix}"


def no_channel_warning(settings: Settings) -> str | None:
    """One line when no notice of danger could reach any lead: outside embedded mode (which starts a local
    mail sink) with no mail server (BOT_SMTP_URL) and no Microsoft Teams (BOT_TEAMS_APP_ID). Every notice
    then fails and is retried, and each reporter is told to phone their lead only when the deadline passes
    (issue #28: this used to be said only by a line missing from the ready summary). None otherwise."""
    if settings.dev_mode or settings.smtp is not None or settings.teams_app_id:
        return None
    return (
        "warning: no channel can reach a lead about danger: no mail server (BOT_SMTP_URL) and no "
        "Microsoft Teams (BOT_TEAMS_APP_ID) are set, so no urgent notice can be sent and each reporter is "
        f"told to phone their lead only after {settings.urgent_lead_deadline_seconds:g} s. Set "
        "BOT_SMTP_URL, or Teams (docs/teams-setup.md)"
    )
