"""The bank-level check that the questions a lead cannot act without may never be skipped (issue #26).

Which questions those are is data, not code: the immediate-danger question is the one with
`effect: danger_if_yes`, and the others are listed by id in index.yaml's `must_be_required`. Each of them
must be in the bank, asked of everyone (no show_if) and marked `required: true`. A bank folder (what the
product loads) must have a danger question and a `must_be_required` list; a single-file bank (tests,
experiments) is held to them only as far as it declares them, but its danger question, if any, is checked
the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from yaml.nodes import Node

from bot.questions.question_reader import QuestionDraft, SectionDraft
from bot.questions.yaml_nodes import NodeReader, joined

DANGER_EFFECT = "danger_if_yes"
MUST_BE_REQUIRED = "must_be_required"


def check_required(
    sections: Sequence[SectionDraft],
    index: NodeReader | None,
    index_root: Node | None,
    listed: Sequence[tuple[str, Node]] | None,
    *,
    folder: bool,
    read_whole: bool = True,
) -> None:
    """Add a problem (to the readers' shared list) for each must-be-required question that is missing, shown
    only to some, or not marked required. `listed` is the index's `must_be_required` entries (id, node), None
    when it has none. `read_whole` is False when the bank has other problems (a question that could not be
    read may have been the danger question): what a folder lacks is then reported once those are fixed."""
    drafts = {draft.question.id: draft for section in sections for draft in section.questions}
    danger = [draft for draft in drafts.values() if draft.question.effect == DANGER_EFFECT]
    for draft in danger:
        _check_marked(draft, "the immediate-danger question (effect: danger_if_yes)")
    for qid, node in listed or ():
        draft = drafts.get(qid)
        if draft is None:
            if index is not None:
                index.add(node, MUST_BE_REQUIRED, f"no question {qid!r} in the bank; it must be asked")
            continue
        where = f"{index.file}:{node.start_mark.line + 1}" if index is not None else MUST_BE_REQUIRED
        _check_marked(draft, f"{qid!r}, listed in must_be_required ({where}),")
    if not folder or not read_whole or index is None or index_root is None:
        return
    if not danger:
        index.add(
            index_root,
            "sections",
            "no question has effect: danger_if_yes: the immediate-danger question must be in the bank, "
            "marked required: true",
        )
    if listed is None:
        index.add(
            index_root,
            MUST_BE_REQUIRED,
            "missing: list the ids of the questions a lead cannot act without (what was noticed, the "
            "practitioner's confirmation that this is their own account), each marked required: true",
        )


def _check_marked(draft: QuestionDraft, what: str) -> None:
    if draft.reader is None or draft.node is None:
        return
    if not draft.question.required:
        draft.reader.add(draft.node, joined(draft.field, "required"), f"{what} must be marked required: true")
    if draft.question.show_if:
        draft.reader.add(
            draft.node, joined(draft.field, "show_if"), f"{what} must be asked of everyone: remove show_if"
        )
