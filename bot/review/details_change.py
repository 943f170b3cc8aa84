"""Correcting a case's identifying details on their own (issue #12), without making a document: "Change
identifying details" on the case page.

The same rules as the documents form (bot.review.documents): leads of the case's team only (a case outside
the scope is "not found", audited; a trainer is refused, audited), on a case a document may be made from. The
form is pre-filled with the current version (a view of the details, audited); saving makes the next version
(bot.review.case_details), audited with the names of the fields changed, never their values; a save that
changes nothing makes nothing. Bad input raises ValidationError and saves nothing: the check runs before any
row is written, and the version and its audit event commit in one transaction.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.review.detail_checks import DetailsIn, check_details
from bot.review.document_records import DetailsVersion
from bot.review.documents import ReferralDocuments
from bot.review.unit import Refused, unwrap


class IdentifyingDetailsChanges(ReferralDocuments):
    def details_form(self, user_id: int, address: str, case_id: int) -> DetailsVersion | None:
        """The case's details as they stand, to pre-fill the form (None while no lead has entered any)."""

        def read(session: Session) -> Refused | DetailsVersion | None:
            found = self._lead_case(session, user_id, address, case_id, "details form")
            if isinstance(found, Refused):
                return found
            who, assessment, _basis = found
            return self._shown_details(session, who, assessment, form="details")

        return unwrap(self._write(read))

    def change_details(self, user_id: int, address: str, case_id: int, form: DetailsIn) -> int | None:
        """Keep the details as the case's next version; its number, or None when nothing changed."""

        def change(session: Session) -> Refused | int | None:
            found = self._lead_case(session, user_id, address, case_id, "details change")
            if isinstance(found, Refused):
                return found
            who, assessment, _basis = found
            now = self._clock()
            details = check_details(form, today=now.date())
            _row, version = self._keep_details(session, who, assessment, details, now, form="details")
            return version

        return unwrap(self._write(change))
