"""Every table the store defines, registered on `Base.metadata` by importing each `*_models` module.

Alembic's environment and the migration tests compare the whole schema with the migrations' head. A module
that no one has imported yet has not registered its tables, so a hand-kept import list falls behind as
modules are added (four had, and the comparison then passed only when other tests had imported them first):
the modules are found by name instead.
"""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import MetaData

import bot.store
from bot.store.models import Base

SUFFIX = "_models"


def metadata() -> MetaData:
    """`Base.metadata` with every `bot.store.*_models` module imported."""
    for module in pkgutil.iter_modules(bot.store.__path__):
        if module.name.endswith(SUFFIX):
            importlib.import_module(f"{bot.store.__name__}.{module.name}")
    return Base.metadata
