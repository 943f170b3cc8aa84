"""ReviewService: everything a lead, a trainer or a practitioner does with submitted cases, one job a module.

- reading (the list, the case page, the transcript, the exports): bot.review.case_reading, over the one
  case document (bot.review.case_document);
- the referral's decision and moves: bot.review.decisions, through the domain's state machine;
- VAF tags on the evidence: bot.review.tagging;
- what a lead did about an urgent flag: bot.review.urgent_follow_up;
- a lead standing an urgent flag down, with a reason: bot.review.urgent_stand_down;
- what happened next (sharing log, outcomes per pathway, review dates): bot.review.what_next;
- asking for the full assessment after a Request for Support: bot.review.full_request;
- the documents a lead sends (referrals, partner requests) with identifying details: bot.review.documents,
  and correcting those details on their own: bot.review.details_change;
- the council's case-record ID, one chronology per child, and assignment to a named lead:
  bot.review.child_links;
- the debrief of a submitted practice run, for the trainee and their trainer: bot.review.practice_debrief,
  and a trainer's feedback note to the trainee beside it: bot.review.practice_feedback.

Each runs one transaction per request with its audit events (bot.review.unit). Who may do what is the
domain's permission table (bot.domain.roles); which cases they may reach is bot.review.scope.
"""

from __future__ import annotations

from bot.review.case_reading import PAGE_SIZE, CaseReading
from bot.review.child_links import ChildLinks
from bot.review.decisions import DecisionRecording
from bot.review.details_change import IdentifyingDetailsChanges
from bot.review.full_request import FullAssessmentRequest
from bot.review.practice_debrief import PracticeDebriefs
from bot.review.practice_feedback import PracticeFeedbackNotes
from bot.review.tagging import EvidenceTagging
from bot.review.training import TrainingOverview
from bot.review.unit import NOT_SUBMITTED
from bot.review.urgent_follow_up import UrgentFollowUp
from bot.review.urgent_stand_down import UrgentStandingDown
from bot.review.what_next import WhatHappenedNext

__all__ = ["NOT_SUBMITTED", "PAGE_SIZE", "ReviewService"]


class ReviewService(
    CaseReading,
    ChildLinks,
    DecisionRecording,
    EvidenceTagging,
    IdentifyingDetailsChanges,  # extends ReferralDocuments
    FullAssessmentRequest,
    TrainingOverview,  # before PracticeDebriefs, which it extends
    PracticeFeedbackNotes,  # the same
    PracticeDebriefs,
    UrgentFollowUp,
    UrgentStandingDown,
    WhatHappenedNext,
):
    """The review jobs over one shared unit (bot.review.unit.ReviewUnit): one object for the app to hold."""
