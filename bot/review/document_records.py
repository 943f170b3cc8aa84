"""The documents a lead sends (issue #12), as posted and as generated. Free text (the practitioner's answers,
the lead's rationale, the identifying details) is carried exactly as stored; nothing here is a score or label.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.review.next_records import PathwayChoice


@dataclass(frozen=True)
class DocumentIn:
    """The sending form exactly as posted. Every identifying detail is optional: a document needs only those
    its recipient must have, and the lead decides which (data minimisation)."""

    pathway: str = ""  # a decision_pathways id of the standing decision
    method: str = ""  # how it is sent (SHARING_METHODS)
    lawful_basis: str = ""  # LAWFUL_BASES
    child_name: str = ""
    date_of_birth: str = ""
    address: str = ""
    school: str = ""
    carers: str = ""  # parents' or carers' names and contacts
    # Field ids (DETAIL_LABELS) ticked "leave out of this document": left out of this one document only,
    # so the case's details and their version stay as they are. Checked against DETAIL_LABELS.
    left_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class Details:
    """Identifying details as entered (None where the lead left a field empty)."""

    child_name: str | None = None
    date_of_birth: date | None = None
    address: str | None = None
    school: str | None = None
    carers: str | None = None

    @property
    def empty(self) -> bool:
        return all(value is None for value in self.__dict__.values())


# Each identifying-details field's id and the label a document and the form give it (in Details' order).
DETAIL_LABELS: dict[str, str] = {
    "child_name": "Name",
    "date_of_birth": "Date of birth",
    "address": "Address",
    "school": "School or education setting",
    "carers": "Parents or carers: names and contacts",
}


@dataclass(frozen=True)
class DetailsVersion:
    """One version of a case's identifying details (bot.review.case_details): leads only."""

    id: int
    number: int  # 1 for the first details entered for the case
    details: Details
    entered_by: str
    entered_at: datetime


@dataclass(frozen=True)
class DocumentAnswer:
    """One answer as a document shows it: the question as asked, the words verbatim, how and when known."""

    question_id: str
    wording: str
    text: str
    source: str | None
    fact_date: date | None  # an exact date, or a rough date's first day (then `fact_until` is its last)
    recorded_at: datetime
    fact_until: date | None = None  # a rough date's last day: the answer is a range, never its first day
    undated: bool = False  # a "when" that gives no date ("don't know"): shown as not dated


@dataclass(frozen=True)
class DocumentPart:
    heading: str
    answers: tuple[DocumentAnswer, ...]
    details: Details | None = None  # the identifying section only, and only if the lead gave any
    identifying: bool = False
    referrer: bool = False
    consent: bool = False
    request: bool = False


@dataclass(frozen=True)
class Request:
    """What the decision's pathway asks of the recipient, in the lead's words."""

    pathway: str  # a pathway key
    rationale: str
    shared: str | None
    owner: str | None


@dataclass(frozen=True)
class Recipient:
    name: str
    offer: str | None = None  # a partner's offer, from the directory
    contact: str | None = None  # a partner's contact route


@dataclass(frozen=True)
class SentDocument:
    """A document as generated: built by bot.review.document_content, rendered as JSON and as tagged PDF."""

    id: int
    kind: str
    title: str
    intro: str
    reference: str  # the case's reference
    mode: str  # live or rehearsal: a rehearsal document is marked as fictional on every page
    recipient: Recipient
    parts: tuple[DocumentPart, ...]
    request: Request
    consent: str  # CONSENT_DECISIONS key
    consent_reason: str | None
    lawful_bases: tuple[str, ...]
    sharing_basis: str  # the lawful basis recorded for this share
    practitioner: str | None
    practitioner_email: str | None
    sent_by: str
    made_at: datetime
    basis: str | None = None  # DOCUMENT_BASES; None for a document made before it was kept
    basis_note: str | None = None  # what the document says of its basis (bot/review/document_bases.yaml)
    details_version: int | None = None  # the version of the case's identifying details it used
    left_out: tuple[str, ...] = ()  # field ids the lead left out of this document (absent from it)

    @property
    def left_out_labels(self) -> tuple[str, ...]:
        return tuple(DETAIL_LABELS[name] for name in self.left_out)


@dataclass(frozen=True)
class DocumentChoice:
    """A document the lead may make from the standing decision: the form's choices."""

    kind: str
    title: str
    pathway: PathwayChoice
    partner: str | None = None


@dataclass(frozen=True)
class MadeDocument:
    """A document already made for a case, as the case page lists it (leads only): no identifying details."""

    id: int
    kind: str
    title: str
    partner: str | None  # the partner's name from the directory, for a partner request
    made_by: str
    made_at: datetime
    details_version: int | None = None
    basis: str | None = None
    left_out: tuple[str, ...] = ()  # labels of the fields left out of it, never their values


@dataclass(frozen=True)
class DocumentForm:
    """What the sending form offers: the standing decision's documents, the case's details as they stand
    (to pre-fill it), and what a document made now would be based on."""

    choices: tuple[DocumentChoice, ...]
    details: DetailsVersion | None
    basis: str
