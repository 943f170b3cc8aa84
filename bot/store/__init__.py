"""The referral store: the system of record for assessments, answers and their audit trail.

Import submodules directly (`bot.store.services`, `bot.domain.records`); this package file stays empty so that
a client that only needs the plain records does not pull in SQLAlchemy.
"""
