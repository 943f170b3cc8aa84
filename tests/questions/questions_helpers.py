"""Small builders for bank YAML in tests, so each test shows only the part of a bank it is about."""

from __future__ import annotations

from typing import Any

import yaml


def question(qid: str, answer_type: str = "yes_no_unsure", **extra: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": qid, "text": f"Question {qid}?", "type": answer_type, "why": "Because."}
    if answer_type in ("single_choice", "multiple_choice") and "choices" not in extra:
        entry["choices"] = [{"value": "alpha", "label": "Alpha"}, {"value": "beta", "label": "Beta"}]
    entry.update(extra)
    return entry


def section(section_id: str, *questions: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"id": section_id, "title": f"Section {section_id}", **extra, "questions": list(questions)}


def bank_yaml(*sections: dict[str, Any], version: str = "1") -> str:
    return yaml.safe_dump(
        {"version": version, "sections": list(sections)}, sort_keys=False, allow_unicode=True
    )
