"""The case page's confirmation messages, one for each change a handler redirects back with (?done=<key>).

A key nobody knows shows nothing: the address bar is the reader's to edit, and a message must never claim a
change that was not made.
"""

from __future__ import annotations


def notice_for(done: str | None) -> str | None:
    """The case page's confirmation after a change (each handler redirects with ?done=<key>)."""
    return {
        "decision": "The decision has been recorded.",
        "closed": "The case has been closed.",
        "reopened": "The case has been reopened and is in review again.",
        "tagged": "The answer has been tagged.",
        "tag-unchanged": "The answer already had those tags. Nothing was changed.",
        "untagged": "The tag has been removed. The case's change history still shows it was there.",
        "untag-unchanged": "That tag had already been removed. Nothing was changed.",
        "responded": "What you did has been recorded.",
        "stood-down": "The urgent flag has been stood down. A new danger report would raise it again.",
        "shared": "The information shared has been recorded.",
        "outcome": "The outcome has been recorded.",
        "review": "The review date has been set.",
        "full-asked": "The practitioner has been asked for the full assessment. The case comes back to you "
        "when they submit it; any decision already recorded stays on the case.",
        # Issue #12: identifying details corrected on their own (bot.web.review_details).
        "details-changed": "The identifying details have been changed. The next document is offered them; "
        "documents already made keep the version they used.",
        "details-unchanged": "The identifying details were as you left them. Nothing was changed.",
        # Issue #12: the case-record link and the assignment (bot.web.review_links).
        "linked": "The case is linked to the child's case record. Its chronology is below.",
        "unlinked": "The case is no longer linked to the child's case record.",
        "unlink-unchanged": "The case was not linked to a case record. Nothing was changed.",
        "assigned": "The case has been assigned.",
        "unassigned": "The case is no longer assigned to anyone.",
        # Issue #31: the legal hold (bot.web.legal_holds).
        "hold-set": "The case is under a legal hold. The retention job will not erase it until the hold "
        "is lifted.",
        "hold-lifted": "The legal hold has been lifted. The case is kept for as long as the retention "
        "schedule says.",
    }.get(done or "")
