"""A Teams identity as the store is given it (bot.store.teams_identities): the tenant and the Azure AD object
id that bind a Teams user's messages to an account, checked when built.

Both are GUIDs, kept in lower case because Teams sends them so and they are compared as text; anything else
is refused whole, never looked up (an admin's typo must not link, and a malformed activity finds no one).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from bot.domain.fields import plain
from bot.domain.rules import guid_problem
from bot.domain.strict import StrictModel

Guid = Annotated[str, plain(guid_problem), AfterValidator(str.lower)]


class TeamsIdentityIn(StrictModel):
    tenant_id: Guid
    aad_object_id: Guid
