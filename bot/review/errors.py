"""Refusals particular to the review, beyond the store's own errors."""

from __future__ import annotations

from bot.domain.errors import StoreError

LEADS_ONLY = (
    "Only a safeguarding lead can tag evidence with Vulnerability Assessment Framework dimensions. "
    "Nothing was changed."
)

LEADS_ONLY_RESPONSE = (
    "Only a safeguarding lead of the case's team can record what was done about an urgent flag. "
    "Nothing was saved."
)

LEADS_ONLY_STAND_DOWN = (
    "Only a safeguarding lead of the case's team can stand down an urgent flag. Nothing was changed."
)

LEADS_ONLY_LINKS = (
    "Only a safeguarding lead of the case's team can link it to a case record or assign it. "
    "Nothing was changed."
)


class LeadsOnlyError(StoreError):
    """The case is one the viewer may open, but the change asked for is a lead's alone (VAF tagging, or
    recording what was done about an urgent flag).

    Distinct from NotFoundError because the viewer can already see the case: saying so hides nothing, and
    "not found" would be untrue and confusing."""
