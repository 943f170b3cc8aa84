"""Figures for the safeguarding board and scrutiny: counts of live concerns, with nobody identifiable."""
