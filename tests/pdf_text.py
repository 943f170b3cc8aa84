"""A PDF's text as a reader meets it, read with poppler's pdftotext (tools/system-deps.sh)."""

from __future__ import annotations

import subprocess


def pdftotext(pdf: bytes) -> str:
    """The text in the order the document draws it: each table cell whole, then the cell beside it.

    Why `-raw`: pdftotext's default mode rebuilds a reading order from where words sit on the page, and it
    joins a line of a table's question column to the line beside it in the answer column whenever the gap
    between them is narrow, so an answer came out with a line of its question inside its words depending on
    how wide a random case reference printed (about one document in ten). WeasyPrint draws the boxes in the
    document's order, so the content stream's order is the reading order, the same on every run."""
    done = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")
