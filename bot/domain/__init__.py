"""The domain core: who may do what, the referral's life, the vocabularies and the typed records.

Pure Python on purpose: no SQLAlchemy, no aiohttp, no Jinja. Every layer (store, review, web, Teams, CLI,
actions) asks these modules the same questions, so a rule is changed in one place and read everywhere. A test
(`tests/test_import_rules.py`) keeps the arrows pointing inward: nothing here imports another package of ours.
"""
