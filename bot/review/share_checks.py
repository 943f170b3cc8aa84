"""The two choices every share of a case's information makes, whether a document sent or an entry in the
sharing log: how it goes, and on what lawful basis (prevent-reference.md: consent and lawful basis). One
place, so the document form and the sharing log refuse the same values with the same words."""

from __future__ import annotations

from bot.domain.strict import refusal
from bot.domain.vocabulary import LAWFUL_BASES, SHARING_METHODS

NO_LAWFUL_BASIS = "Select the lawful basis for sharing it"


def sharing_method(value: str, missing: str) -> str:
    """`value` if it is one of the sharing methods; else the form's own words for "choose one"."""
    if value not in SHARING_METHODS:
        raise refusal(missing)
    return value


def lawful_basis(value: str) -> str:
    if value not in LAWFUL_BASES:
        raise refusal(NO_LAWFUL_BASIS)
    return value
