"""Project-wide test settings.

Property tests must not fail because a loaded two-core CI machine was slow: Hypothesis' default 200 ms
deadline is a timing assertion in disguise. Tests that need another setting declare their own.
"""

from hypothesis import settings

settings.register_profile("project", deadline=None)
settings.load_profile("project")
