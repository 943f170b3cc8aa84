"""README.md and docs/ link only to files in the repository, or to public documentation over https (#28).

Links once pointed at `../shared/...`, outside the repository: dead in any clone. This reads every Markdown
link and image (inline and reference-style) outside fenced code blocks, and every code span that names a
`../` path, in README.md and docs/**/*.md, and checks that each relative target is a file or folder inside the
repository and that each `#anchor` names a heading of the page it points at.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

REPO = Path(__file__).resolve().parent.parent
PAGES = sorted([REPO / "README.md", *(REPO / "docs").rglob("*.md")])

FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
CODE_PATH = re.compile(r"`(\.\./[^`\s]*)`")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
ALLOWED_SCHEMES = ("https://", "mailto:")


def without_code_blocks(text: str) -> str:
    return FENCE.sub("", text)


def links(text: str) -> list[str]:
    prose = without_code_blocks(text)
    return INLINE.findall(prose) + REFERENCE.findall(prose) + CODE_PATH.findall(prose)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, markup and punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*\*|__|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    return {slug(heading) for heading in HEADING.findall(without_code_blocks(page.read_text()))}


def problem(page: Path, target: str, root: Path = REPO) -> str | None:
    """What is wrong with one link on `page`, or None if it is fine."""
    if target.startswith(ALLOWED_SCHEMES):
        return None
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
        return "only https links may leave the repository"
    path_part, _, anchor = target.partition("#")
    destination = (page.parent / unquote(path_part)).resolve() if path_part else page
    if not destination.is_relative_to(root):
        return "points outside the repository"
    if not destination.exists():
        return "no such file in the repository"
    if anchor and destination.suffix == ".md" and anchor.lower() not in anchors(destination):
        return f"no heading #{anchor} in {destination.relative_to(root)}"
    return None


def all_links() -> list[tuple[Path, str]]:
    return [(page, target) for page in PAGES for target in links(page.read_text())]


def test_the_pages_checked_include_the_readme_and_the_docs() -> None:
    names = {page.relative_to(REPO).as_posix() for page in PAGES}
    assert {"README.md", "docs/guardrails.md", "docs/engine.md", "docs/architecture.md"} <= names
    assert len(all_links()) > 20


def test_every_link_resolves_inside_the_repository() -> None:
    broken = [
        f"{page.relative_to(REPO)}: {target}: {why}"
        for page, target in all_links()
        if (why := problem(page, target)) is not None
    ]
    assert not broken, "\n".join(broken)


def test_nothing_names_the_shared_folder_outside_the_repository() -> None:
    for page in PAGES:
        assert "../shared" not in page.read_text(), page.relative_to(REPO)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("other.md", None),
        ("other.md#a-heading", None),
        ("#here-too", None),
        ("https://www.gov.uk/", None),
        ("other.md#missing", "no heading #missing in docs/other.md"),
        ("missing.md", "no such file in the repository"),
        ("../../shared/design/engine-notes.md", "points outside the repository"),
        ("http://example.org/", "only https links may leave the repository"),
        ("file:///etc/passwd", "only https links may leave the repository"),
    ],
)
def test_the_checker_itself(tmp_path: Path, target: str, expected: str | None) -> None:
    (tmp_path / "docs").mkdir()
    page = tmp_path / "docs" / "page.md"
    page.write_text("# Page\n\n## Here too\n")
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n## A heading\n")
    assert problem(page, target, root=tmp_path) == expected


def test_links_in_code_blocks_are_not_read_and_code_spans_with_parent_paths_are() -> None:
    text = "```\n[x](../nowhere.md)\n```\nsee `../shared/a.md` and [b](b.md) and\n\n[c]: https://c.example/\n"
    assert links(text) == ["b.md", "https://c.example/", "../shared/a.md"]
