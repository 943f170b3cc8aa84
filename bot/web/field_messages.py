"""Turning the store's field messages ("must be at least 12 characters") into sentences a person can act on,
named for the field they are about ("The new password must be at least 12 characters.")."""

from __future__ import annotations

from collections.abc import Mapping

# The store's messages that continue a sentence about the field, rather than stand alone.
_CONTINUATIONS = ("must ", "is ", "are ", "contains ", "has ")


def sentences(fields: Mapping[str, str], labels: Mapping[str, str]) -> dict[str, str]:
    """Each field's message as a sentence; a field with no label (the store's "_") keeps its own words."""
    return {name: sentence(labels.get(name), message) for name, message in fields.items()}


def sentence(label: str | None, message: str) -> str:
    text = message.strip().rstrip(".")
    if label and text.startswith(_CONTINUATIONS):
        text = f"{label} {text}"
    return text[:1].upper() + text[1:] + "."
