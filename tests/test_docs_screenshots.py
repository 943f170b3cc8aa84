"""The role guides' screenshots are in the repository and linked (#28).

docs/images/screenshots.yaml lists the pictures the browser tests take (`make docs-screenshots`). Each must be
committed, linked as a Markdown image from some guide, and small; every image a guide links must exist; and no
PNG under docs/images may be left over that no guide shows.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "docs" / "images"
PAGES = sorted([REPO / "README.md", *(REPO / "docs").rglob("*.md")])
IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+\.png)>?\s*\)")
MAX_BYTES = 250 * 1024  # a guide's picture, not a 4 MB whole-page capture


def listed() -> dict[str, str]:
    return yaml.safe_load((IMAGES / "screenshots.yaml").read_text(encoding="utf-8"))["images"]


def linked() -> dict[Path, list[tuple[Path, str]]]:
    """Each image a page links -> the pages and alt texts that link it."""
    found: dict[Path, list[tuple[Path, str]]] = {}
    for page in PAGES:
        for alt, target in IMAGE.findall(page.read_text(encoding="utf-8")):
            found.setdefault((page.parent / target).resolve(), []).append((page, alt))
    return found


def test_every_linked_image_exists_and_says_what_it_shows() -> None:
    for image, uses in linked().items():
        assert image.is_file(), f"{[str(p.relative_to(REPO)) for p, _ in uses]} link a missing image {image}"
        for page, alt in uses:
            assert len(alt.split()) >= 3, (
                f"{page.relative_to(REPO)}: the alt text of {image.name} must say what it shows"
            )


def test_every_listed_screenshot_is_committed_small_and_linked() -> None:
    shown = linked()
    for name in listed():
        path = (IMAGES / name).resolve()
        assert path.is_file(), f"docs/images/{name} is listed but not in the repository"
        assert path.stat().st_size <= MAX_BYTES, (
            f"docs/images/{name} is over 250 KB: see tools/shrink_docs_images.py"
        )
        assert path in shown, f"docs/images/{name} is listed but no guide links it"


def test_no_png_under_docs_images_is_orphaned() -> None:
    names = set(listed())
    shown = linked()
    for path in sorted(IMAGES.rglob("*.png")):
        assert path.name in names, f"{path.relative_to(REPO)} is not listed in docs/images/screenshots.yaml"
        assert path.resolve() in shown, f"{path.relative_to(REPO)} is linked from no guide"
