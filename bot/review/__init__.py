"""The lead's review: referrals, decisions, VAF evidence tags and the case pages' view of an assessment.

Kept apart from bot/store so that the record of what a practitioner said (the store) never depends on how a
lead works through it. This package reads the store's tables and adds its own (bot/store/review_models.py);
every read of a case and every change is audited in the same transaction.
"""
