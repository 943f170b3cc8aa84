"""Load the question bank from YAML, check all of it, and reload it when the files change.

Why YAML files and not Python: the wording belongs to practitioners and safeguarding leads, who must be able
to change a question, or add one, without touching code or restarting anything. Why a folder of files (an
`index.yaml` holding the version and the section order, then one file per section): a reviewer of a wording
change sees one short file and a small diff, and line numbers in error messages point somewhere small.
A single file holding `version` and inline `sections` also loads (handy for tests and experiments), and the
index may mix file names with inline sections.

Everything is checked before a bank is used, and every problem is reported at once with its file, line and
field, in a BankError (the schema itself is in question_reader.py). `load_bank` keeps the last bank per path
and reuses it while the files' modification times, sizes and inodes are unchanged: one directory scan per
call, and an edit is picked up on the next call. A bank that fails its checks is never cached, so the next
call after a fix loads it.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import Node, ScalarNode

from bot.questions.condition_checks import check_conditions
from bot.questions.evidence import with_evidence
from bot.questions.flow import QuestionBank
from bot.questions.model import UNSURE, BankError, BankProblem, Choice, Question, Section
from bot.questions.per_choice import expand, per_choice_problem
from bot.questions.question_reader import DEFAULT_UNSURE_LABEL, SectionDraft, SectionReader
from bot.questions.required_checks import MUST_BE_REQUIRED, check_required
from bot.questions.yaml_nodes import STR_TAG, NodeReader, compose, joined

DEFAULT_BANK_PATH = Path(__file__).resolve().parent / "bank"
INDEX_NAME = "index.yaml"
INDEX_KEYS = ("version", "sections")
# The bank check's allow-lists (bot.questions.bank_checks): the loader accepts them and leaves them to it.
ALLOW_LISTS = ("no_unsure", "evidence_pending", "presumes_pending")
INDEX_OPTIONAL = (MUST_BE_REQUIRED, *ALLOW_LISTS)


def load_bank(path: str | os.PathLike[str] | None = None) -> QuestionBank:
    """The bank at `path` (a bank folder with index.yaml, or a single YAML file); the shipped bank if None."""
    root = Path(path) if path is not None else DEFAULT_BANK_PATH
    key = str(root.resolve())
    signature = _signature(root)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None and cached[0] == signature:
        return cached[1]
    bank = _load(root)
    with _cache_lock:
        _cache[key] = (signature, bank)
    return bank


def reload_bank(path: str | os.PathLike[str] | None = None) -> QuestionBank:
    """The bank at `path` read afresh, never from the cache (bot.questions.provider decides when)."""
    return _load(Path(path) if path is not None else DEFAULT_BANK_PATH)


def bank_from_text(text: str, *, filename: str = "<text>") -> QuestionBank:
    """A single-file bank from YAML text (sections inline); for tests and tools that hold the text already."""
    builder = _BankBuilder()
    builder.read_index(text, filename, folder=None, raw=text.encode("utf-8", "surrogatepass"))
    return builder.finish()


@dataclass(frozen=True)
class BankReading:
    """A bank as read, with every problem the loader finds in it, for checks beyond the loader's own."""

    sections: tuple[SectionDraft, ...]
    # In bank order, with the generated source prompts.
    questions: tuple[Question, ...]
    # The index's reader and its allow-list nodes (key -> the list's node); None for an unreadable index.
    index: NodeReader | None
    allow_lists: dict[str, Node]
    problems: list[BankProblem]


def read_bank(path: str | os.PathLike[str]) -> BankReading:
    """The bank at `path` as the loader reads it, never raising and never cached (`bot questions check`)."""
    root = Path(path)
    try:
        _signature(root)
    except BankError as error:
        return BankReading((), (), None, {}, list(error.problems))
    builder = _reading(root)
    questions, _ = builder.assemble()
    builder.check(questions)
    index = builder.index[0] if builder.index is not None else None
    return BankReading(
        tuple(builder.sections), tuple(questions), index, builder.allow_lists, builder.problems
    )


_cache: dict[str, tuple[tuple[object, ...], QuestionBank]] = {}
_cache_lock = threading.Lock()


def _signature(root: Path) -> tuple[object, ...]:
    """What changes when any bank file is edited, renamed, added or removed."""
    try:
        if root.is_dir():
            with os.scandir(root) as entries:
                stats = sorted(
                    (entry.name, entry.stat().st_mtime_ns, entry.stat().st_size, entry.inode())
                    for entry in entries
                    if entry.name.endswith((".yaml", ".yml"))
                )
            return ("dir", *stats)
        stat = root.stat()
    except OSError as error:
        problem = BankProblem(str(root), 0, "(file)", f"cannot read the bank: {error.strerror}")
        raise BankError([problem]) from None
    return ("file", stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _load(root: Path) -> QuestionBank:
    return _reading(root).finish()


def _reading(root: Path) -> _BankBuilder:
    index = root / INDEX_NAME if root.is_dir() else root
    builder = _BankBuilder(folder=root.is_dir())
    read = builder.read_file(index, None, "")
    if read is not None:
        builder.read_index(read[1], str(index), folder=index.parent, raw=read[0])
    return builder


class _BankBuilder:
    """One load: the index, then each section in order, then the checks that need the whole bank."""

    def __init__(self, *, folder: bool = False) -> None:
        # A bank folder is what the product loads: it must name its must-be-required questions.
        self.folder = folder
        self.index: tuple[NodeReader, Node] | None = None
        self.must_be_required: list[tuple[str, Node]] | None = None
        self.problems: list[BankProblem] = []
        self.version: str | None = None
        self.sections: list[SectionDraft] = []
        self.section_reader = SectionReader()
        self.files: list[tuple[str, bytes]] = []
        self.section_files: set[str] = set()
        self.allow_lists: dict[str, Node] = {}

    def read_file(
        self, path: Path, entry: tuple[NodeReader, Node] | None, field: str
    ) -> tuple[bytes, str] | None:
        """The file's bytes and text; a problem (at the index entry naming it, if any) when unreadable."""
        try:
            data = path.read_bytes()
        except OSError as error:
            if entry is None:
                self.problems.append(BankProblem(str(path), 0, "(file)", f"cannot read: {error.strerror}"))
            else:
                entry[0].add(entry[1], field, f"cannot read {path.name}: {error.strerror}")
            return None
        try:
            return data, data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            self.problems.append(BankProblem(str(path), line, "(file)", "not UTF-8 text"))
            return None

    def read_index(self, text: str, name: str, *, folder: Path | None, raw: bytes) -> None:
        self.files.append((Path(name).name, raw))
        root = compose(text, name, self.problems)
        if root is None:
            return
        reader = NodeReader(name, self.problems)
        fields = reader.mapping(root, "", required=INDEX_KEYS, optional=INDEX_OPTIONAL)
        if fields is None:
            return
        self.index = (reader, root)
        self.allow_lists = {key: fields[key] for key in ALLOW_LISTS if key in fields}
        if MUST_BE_REQUIRED in fields:
            self._read_must_be_required(reader, fields[MUST_BE_REQUIRED])
        if "version" in fields:
            self.version = reader.scalar_text(fields["version"], "version")
        entries = reader.sequence(fields["sections"], "sections") if "sections" in fields else None
        for n, entry in enumerate(entries or ()):
            field = joined("sections", n)
            if isinstance(entry, ScalarNode) and entry.tag == STR_TAG:
                self._read_section_file(reader, entry, field, folder)
            else:
                self._add_section(reader, entry, field)

    def _read_must_be_required(self, reader: NodeReader, node: Node) -> None:
        self.must_be_required = []
        for n, item in enumerate(reader.sequence(node, MUST_BE_REQUIRED) or ()):
            qid = reader.identifier(item, joined(MUST_BE_REQUIRED, n))
            if qid is not None:
                self.must_be_required.append((qid, item))

    def _read_section_file(
        self, reader: NodeReader, entry: ScalarNode, field: str, folder: Path | None
    ) -> None:
        name = entry.value.strip()
        if folder is None:
            reader.add(entry, field, "a section file needs a bank folder; write the section here instead")
            return
        if not name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name or name.startswith("."):
            reader.add(entry, field, f"{name!r} must be the name of a .yaml file in the same folder")
            return
        if name == INDEX_NAME or name in self.section_files:
            reader.add(entry, field, f"{name!r} is listed twice")
            return
        self.section_files.add(name)
        path = folder / name
        read = self.read_file(path, (reader, entry), field)
        if read is None:
            return
        self.files.append((name, read[0]))
        root = compose(read[1], str(path), self.problems)
        if root is not None:
            self._add_section(NodeReader(str(path), self.problems), root, "")

    def _add_section(self, reader: NodeReader, node: Node, field: str) -> None:
        section = self.section_reader.read_section(reader, node, field)
        if section is not None:
            self.sections.append(section)

    def finish(self) -> QuestionBank:
        questions, sections = self.assemble()
        self.check(questions)
        if self.problems:
            raise BankError(self.problems)
        digest = hashlib.sha256()
        for name, data in self.files:
            digest.update(name.encode() + b"\0" + data + b"\0")
        return QuestionBank(self.version or "", tuple(sections), tuple(questions), digest.hexdigest())

    def assemble(self) -> tuple[list[Question], list[Section]]:
        """The questions in bank order, each followed by its generated source prompts and each concern by its
        evidence pattern (bot.questions.evidence), and the sections."""
        questions: list[Question] = []
        sections: list[Section] = []
        unsure = Choice(UNSURE, DEFAULT_UNSURE_LABEL)
        for draft in self.sections:
            authored = self._expanded([q.question for q in draft.questions], questions)
            in_section = with_evidence(authored, unsure)
            questions.extend(in_section)
            sections.append(Section(draft.id, draft.title, draft.part, tuple(in_section), draft.intro))
        return questions, sections

    @staticmethod
    def _expanded(authored: list[Question], earlier: list[Question]) -> list[Question]:
        """Each `per_choice` template replaced by its follow-ups (bot.questions.per_choice); a template that
        cannot be expanded is dropped here and reported by `check`."""
        by_id = {question.id: question for question in earlier}
        out: list[Question] = []
        for question in authored:
            if question.per_choice is None:
                out.append(question)
                by_id[question.id] = question
            elif per_choice_problem(question, by_id) is None:
                out.extend(expand(question, by_id[question.per_choice]))
        return out

    def check(self, questions: list[Question]) -> None:
        """The checks that need the whole bank; their problems join the readers' shared list."""
        check_conditions(self.sections, questions)
        self._check_per_choice()
        index_reader, index_root = self.index if self.index is not None else (None, None)
        check_required(
            self.sections,
            index_reader,
            index_root,
            self.must_be_required,
            folder=self.folder,
            read_whole=not self.problems,
        )
        if not self.problems and not questions:
            self.problems.append(BankProblem("(bank)", 0, "sections", "the bank has no questions"))

    def _check_per_choice(self) -> None:
        """A `per_choice` template names an earlier single or multiple choice question (file:line)."""
        earlier: dict[str, Question] = {}
        for section in self.sections:
            for draft in section.questions:
                question = draft.question
                if question.per_choice is None:
                    earlier[question.id] = question
                    continue
                problem = per_choice_problem(question, earlier)
                if problem is not None and draft.reader is not None and draft.node is not None:
                    draft.reader.add(draft.node, joined(draft.field, "per_choice"), problem)
