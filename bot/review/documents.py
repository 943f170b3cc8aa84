"""The documents a lead sends from a decision (issue #12): a Prevent referral, a children's social care
referral, a Request for Support to a community partner; each as tagged PDF and as JSON.

Only leads of the case's team make or read them (Action.SEND_DOCUMENTS): scope first (a case outside it is
"not found", audited), then the permission (403, audited). A submitted case may have them, and so may a
Request for Support sent back for the full assessment while the practitioner completes it: such a document
carries the screening answers only and says that the full assessment is awaited (bot.review.document_basis).

The case's identifying details are stored once, apart from the assessment (bot.review.case_details): the
form offers them pre-filled, and a lead who changes them makes the case's next version, audited with the
names of the fields changed. A field ticked "leave out of this document" is left out of that one document
(kept on its row, named by id in its audit event) and leaves the case's details and their version as they
are. Making a document checks the form (bad input raises ValidationError and saves nothing), keeps the
details' version, records the share in the information-sharing log and writes an audit event, all in one
transaction. The details are read back only to pre-fill the form for the case's leads and to merge them into
a document as it is generated; the audit trail holds ids and field names, never details.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.roles import Action, permits
from bot.review import case_details, document_content
from bot.review.document_basis import basis_of, note_for
from bot.review.document_checks import check_document
from bot.review.document_records import (
    DETAIL_LABELS,
    Details,
    DetailsVersion,
    DocumentChoice,
    DocumentForm,
    DocumentIn,
    MadeDocument,
    SentDocument,
)
from bot.review.document_types import DOCUMENT_TYPES
from bot.review.errors import LeadsOnlyError
from bot.review.next_records import PathwayChoice
from bot.review.partners import PARTNER_BY_KEY
from bot.review.records import Viewer
from bot.review.unit import Refused, ReviewUnit, unwrap
from bot.store import next_writes, referral_documents, repository, review_reads
from bot.store.case_rows import CaseRow
from bot.store.document_rows import DetailsRow

REFUSED = AuditAction.CASE_DOCUMENT_REFUSED
LEADS_ONLY = "Only a lead of the case's team can enter identifying details and send documents."


def document_choices(session: Session, assessment: CaseRow) -> tuple[DocumentChoice, ...]:
    """A document for each pathway of the standing decision that one is made from, in the lead's order."""
    referral = review_reads.referral_of(session, assessment.id)
    decisions = review_reads.decisions_of(session, referral.id) if referral else []
    if not decisions:
        return ()
    rows = review_reads.pathways_of(session, [decisions[0].id])[decisions[0].id]
    return tuple(
        DocumentChoice(kind.key, kind.title, PathwayChoice(row.id, row.pathway), row.partner)
        for row in rows
        for kind in DOCUMENT_TYPES.values()
        if row.pathway in kind.pathways
    )


def documents_made(session: Session, assessment: CaseRow) -> tuple[MadeDocument, ...]:
    """The documents made for the case, oldest first: what the case page lists for its leads."""
    rows = referral_documents.documents_of(session, assessment.id)
    names = review_reads.usernames(session, [row.made_by for row in rows])
    versions = case_details.version_numbers(session, assessment.id)
    return tuple(
        MadeDocument(
            id=row.id,
            kind=row.kind,
            title=DOCUMENT_TYPES[row.kind].title,
            partner=_partner_name(row.partner),
            made_by=names.get(row.made_by, "unknown"),
            made_at=row.made_at,
            details_version=versions.get(row.details_id) if row.details_id else None,
            basis=row.basis,
            left_out=tuple(DETAIL_LABELS[name] for name in row.left_out or () if name in DETAIL_LABELS),
        )
        for row in rows
    )


def _partner_name(key: str | None) -> str | None:
    partner = PARTNER_BY_KEY.get(key or "")
    return partner.name if partner else key  # a partner since left the directory keeps its key


class ReferralDocuments(ReviewUnit):
    def document_choices(self, user_id: int, address: str, case_id: int) -> tuple[DocumentChoice, ...]:
        """What the sending form offers (the documents of the standing decision's pathways)."""
        return self.document_form(user_id, address, case_id).choices

    def document_form(self, user_id: int, address: str, case_id: int) -> DocumentForm:
        """The sending form: its choices, the case's identifying details to pre-fill it (a view of them,
        audited) and what a document made now is based on."""

        def read(session: Session) -> Refused | DocumentForm:
            found = self._lead_case(session, user_id, address, case_id, "form")
            if isinstance(found, Refused):
                return found
            who, assessment, basis = found
            details = self._shown_details(session, who, assessment)
            return DocumentForm(document_choices(session, assessment), details, basis)

        return unwrap(self._write(read))

    def make_document(self, user_id: int, address: str, case_id: int, form: DocumentIn) -> int:
        """Store the details, log the share and audit it; returns the document's id."""

        def make(session: Session) -> Refused | int:
            found = self._lead_case(session, user_id, address, case_id, "make")
            if isinstance(found, Refused):
                return found
            who, assessment, basis = found
            now = self._clock()
            checked = check_document(form, today=now.date(), choices=document_choices(session, assessment))
            kind = DOCUMENT_TYPES[checked.choice.kind]
            details, _version = self._keep_details(session, who, assessment, checked.details, now)
            partner = checked.choice.partner if kind.needs_partner else None
            share_id = next_writes.add_sharing(
                session,
                assessment_id=assessment.id,
                shared_what=kind.title,
                recipient=kind.recipient,
                partner=partner,
                shared_on=now.date(),
                method=checked.method,
                lawful_basis=checked.lawful_basis,
                decision_pathway_id=checked.choice.pathway.id,
                corrects_id=None,
                recorded_by=who.user_id,
                recorded_at=now,
            )
            document_id = referral_documents.add_document(
                session,
                assessment_id=assessment.id,
                kind=kind.key,
                decision_pathway_id=checked.choice.pathway.id,
                partner=partner,
                details_id=details.id if details is not None else None,
                sharing_entry_id=share_id,
                made_by=who.user_id,
                made_at=now,
                basis=basis,
                left_out=checked.left_out,
            )
            # Ids and keys only: the details stay in their own table, never in the audit trail.
            self._audit(
                session,
                who,
                AuditAction.DOCUMENT_MADE,
                assessment=assessment,
                document_id=document_id,
                kind=kind.key,
                sharing_id=share_id,
                with_details=details is not None,
                basis=basis,
                left_out=list(checked.left_out),  # field ids, never their values
            )
            return document_id

        return unwrap(self._write(make))

    def read_document(
        self, user_id: int, address: str, case_id: int, document_id: int, format_: str
    ) -> SentDocument:
        """The document as generated now, with its details merged in; audited as read in `format_`."""

        def read(session: Session) -> Refused | SentDocument:
            found = self._lead_case(session, user_id, address, case_id, "read")
            if isinstance(found, Refused):
                return found
            who, assessment, _ = found
            row = referral_documents.document_of(session, assessment.id, document_id)
            if row is None:
                return self._refuse(session, who, case_id, REFUSED)
            sources = referral_documents.sources_of(session, row)
            stored = sources.details
            names = review_reads.usernames(session, [row.made_by])
            practitioner = assessment.practitioner
            made = document_content.Made(
                id=row.id,
                sent_by=names.get(row.made_by, "unknown"),
                made_at=row.made_at,
                sharing_basis=sources.share.lawful_basis,
                practitioner_email=practitioner.email if practitioner is not None else None,
                basis=row.basis,
                basis_note=note_for(row.basis),
                details_version=case_details.version_of(session, stored) if stored is not None else None,
                left_out=tuple(row.left_out or ()),
            )
            self._audit(
                session,
                who,
                AuditAction.DOCUMENT_GENERATED,
                assessment=assessment,
                document_id=row.id,
                kind=row.kind,
                format=format_,
            )
            return document_content.build(
                self._bank,
                repository.assessment_record(session, assessment),
                DOCUMENT_TYPES[row.kind],
                sources.decision,
                sources.pathway,
                case_details.details_of(stored) if stored is not None else None,
                made,
            )

        return unwrap(self._write(read))

    def _shown_details(
        self, session: Session, who: Viewer, assessment: CaseRow, **detail: str
    ) -> DetailsVersion | None:
        """The case's details as they stand, for a form to pre-fill; their showing is audited (by version
        number, never their text). None while no lead has entered any."""
        current = case_details.current_version(session, assessment.id)
        if current is not None:
            shown = AuditAction.DETAILS_SHOWN
            self._audit(session, who, shown, assessment=assessment, version=current.number, **detail)
        return current

    def _keep_details(
        self,
        session: Session,
        who: Viewer,
        assessment: CaseRow,
        details: Details,
        at: datetime,
        **detail: str,
    ) -> tuple[DetailsRow | None, int | None]:
        """Keep the details as the case's next version if they change any field, audited with the names of
        the fields changed (never their values). Returns the version that stands now (None while the case
        has none) and the new version's number (None when nothing changed)."""
        row, changed = case_details.keep_details(
            session, assessment.id, details, entered_by=who.user_id, at=at
        )
        if not changed:
            return row, None
        if row is None:  # keep_details returns details whenever it changed any
            raise AssertionError("unreachable: details changed but none kept")
        version = case_details.version_of(session, row)
        self._audit(
            session,
            who,
            AuditAction.DETAILS_CHANGED,
            assessment=assessment,
            fields=list(changed),  # the names of the fields changed, never their values
            version=version,
            **detail,
        )
        return row, version

    def _lead_case(
        self, session: Session, user_id: int, address: str, case_id: int, attempted: str
    ) -> Refused | tuple[Viewer, CaseRow, str]:
        who = self._viewer(session, user_id, address)
        assessment = review_reads.case_in_scope(session, who, case_id)
        if assessment is None:
            return self._refuse(session, who, case_id, REFUSED)
        if not permits(who.role, Action.SEND_DOCUMENTS):
            self._audit(session, who, REFUSED, assessment=assessment, attempted=attempted)
            return Refused(LeadsOnlyError({"case": LEADS_ONLY}))
        basis = basis_of(assessment)
        if basis is None:  # a draft (an urgent case still being written): nothing to send from yet
            return self._refuse_unsubmitted(session, who, assessment, f"document {attempted}")
        return who, assessment, basis
