"""The documents a lead sends (issue #12), as data: one YAML file per document type in bot/review/documents/,
naming the pathways it is made from and the bank sections and questions each of its sections draws on.

What a document contains changes with local practice (a force's form, the front door's headings), so it is
data a council edits, not code. `check_against` ties every named question and section to the bank, and every
pathway to bot/domain/pathways.yaml, so a typo fails the tests rather than leaving a section silently empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.domain.pathways import PATHWAY_BY_KEY
from bot.domain.vocabulary import DOCUMENT_KINDS
from bot.domain.yaml_files import read_yaml
from bot.questions import QuestionBank
from bot.review.document_records import DETAIL_LABELS

DOCUMENTS_DIR = Path(__file__).with_name("documents")


@dataclass(frozen=True)
class DocumentSection:
    heading: str
    bank_sections: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    identifying: bool = False  # the identifying details the lead entered go here
    referrer: bool = False  # the practitioner (the referrer or lead worker) and the lead sending it
    consent: bool = False  # the decision's consent position and lawful bases
    request: bool = False  # the pathway's rationale and what is shared, in the lead's words


@dataclass(frozen=True)
class DocumentType:
    key: str
    title: str
    pathways: tuple[str, ...]
    intro: str
    sections: tuple[DocumentSection, ...]
    recipient: str | None = None  # None: the partner named on the decision's pathway
    # Identifying-details fields this document leaves out unless the lead unticks them: field id -> why,
    # in words the form shows beside the field (data minimisation: share only what the recipient needs).
    left_out_by_default: dict[str, str] = field(default_factory=dict)

    @property
    def needs_partner(self) -> bool:
        return self.recipient is None


def _strings(path: Path, row: dict[str, Any], name: str) -> tuple[str, ...]:
    value = row.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{path}: '{name}' must be a list of ids")
    return tuple(value)


def _section(path: Path, row: object) -> DocumentSection:
    if not isinstance(row, dict) or not isinstance(row.get("heading"), str):
        raise ValueError(f"{path}: every section needs a heading: {row!r}")
    return DocumentSection(
        heading=row["heading"],
        bank_sections=_strings(path, row, "bank_sections"),
        questions=_strings(path, row, "questions"),
        identifying=bool(row.get("identifying")),
        referrer=bool(row.get("referrer")),
        consent=bool(row.get("consent")),
        request=bool(row.get("request")),
    )


def _left_out_by_default(path: Path, data: dict[str, Any]) -> dict[str, str]:
    value = data.get("left_out_by_default", {})
    if not isinstance(value, dict) or not all(isinstance(why, str) and why.strip() for why in value.values()):
        raise ValueError(f"{path}: 'left_out_by_default' maps a field id to why it is left out")
    unknown = [name for name in value if name not in DETAIL_LABELS]
    if unknown:
        raise ValueError(
            f"{path}: 'left_out_by_default' names unknown fields {unknown}; known: {list(DETAIL_LABELS)}"
        )
    return dict(value)


def load_document_type(path: Path) -> DocumentType:
    """One document type; ValueError naming the file and the problem if it is incomplete."""
    data = read_yaml(path)
    if not all(isinstance(data.get(k), str) for k in ("key", "title", "intro")):
        raise ValueError(f"{path}: a document needs a key, a title and an intro")
    if data["key"] not in DOCUMENT_KINDS:
        raise ValueError(f"{path}: unknown document key {data['key']!r} (a new one needs a migration)")
    pathways = _strings(path, data, "pathways")
    unknown = [key for key in pathways if key not in PATHWAY_BY_KEY]
    if not pathways or unknown:
        raise ValueError(f"{path}: 'pathways' must name pathways of bot/domain/pathways.yaml: {unknown}")
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        raise ValueError(f"{path}: a document needs sections")
    recipient = data.get("recipient")
    if recipient is None and not all(PATHWAY_BY_KEY[key].needs_partner for key in pathways):
        raise ValueError(f"{path}: without a recipient, every pathway must name a partner")
    return DocumentType(
        key=data["key"],
        title=data["title"],
        pathways=pathways,
        intro=data["intro"],
        sections=tuple(_section(path, row) for row in sections),
        recipient=recipient if isinstance(recipient, str) else None,
        left_out_by_default=_left_out_by_default(path, data),
    )


def load_document_types(folder: Path = DOCUMENTS_DIR) -> dict[str, DocumentType]:
    found = [load_document_type(path) for path in sorted(folder.glob("*.yaml"))]
    types = {kind.key: kind for kind in found}
    if len(types) != len(found):
        raise ValueError(f"{folder}: a document key appears twice")
    return types


def check_against(kind: DocumentType, bank: QuestionBank) -> list[str]:
    """Every bank section and question the document names that the bank does not have."""
    section_ids = {section.id for section in bank.sections}
    missing = [
        f"{kind.key}: {section.heading}: {name}"
        for section in kind.sections
        for name in section.bank_sections
        if name not in section_ids
    ]
    missing += [
        f"{kind.key}: {section.heading}: {qid}"
        for section in kind.sections
        for qid in section.questions
        if qid not in bank
    ]
    return missing


DOCUMENT_TYPES: dict[str, DocumentType] = load_document_types()
