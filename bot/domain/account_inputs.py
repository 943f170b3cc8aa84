"""The inputs of account management (bot.store.users, bot.store.accounts, bot.store.second_factor), each a
strict model that checks itself when built, so the service it is handed to never checks it again.

They are built from plain arguments (the CLI, the admin pages and sign-in pass names, passwords and reasons
as typed), so each rule is asked of the value as given and words a wrong type itself, as the store always
did. A password is judged against the account's name (it must not contain it): the name is a field where the
input makes the account, and otherwise the context key USERNAME.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo, field_validator

from bot.domain import rules
from bot.domain.fields import Email, Reason, TeamName, Username, plain
from bot.domain.roles import ROLES
from bot.domain.strict import StrictModel, refusal

# Validation context key: the name of the account whose password is being set.
USERNAME = "username"
MAX_ISSUER_CHARS = 512  # the column oidc_links.issuer (tests/domain checks they agree)
MAX_SUBJECT_CHARS = 255  # the column oidc_links.subject (OpenID Connect Core 1.0, 2)
NO_ISSUER = "enter the provider's issuer address, such as https://login.example.org/v2.0"
NO_SUBJECT = f"enter the subject: 1 to {MAX_SUBJECT_CHARS} characters, no spaces"

RoleName = Annotated[str, plain(lambda value: rules.choice_problem(value, ROLES))]


def _password(value: Any, username: object) -> Any:
    named = username if isinstance(username, str) else None
    if (message := rules.password_problem(value, username=named)) is not None:
        raise refusal(message)
    return value


class NewUserIn(StrictModel):
    """A new account: `bot user add`, the first admin, a test's fixture."""

    username: Username
    password: str
    role: RoleName
    team: TeamName
    email: Email | None = None

    @field_validator("password", mode="before")
    @classmethod
    def _not_weak(cls, value: Any, info: ValidationInfo) -> Any:
        # A refused username is not in info.data; the password is then judged on its own.
        return _password(value, info.data.get("username"))


class ResetPasswordIn(StrictModel):
    """A password set by a reset link: build it with `read({"password": ...}, {USERNAME: name})`."""

    password: str

    @field_validator("password", mode="before")
    @classmethod
    def _not_weak(cls, value: Any, info: ValidationInfo) -> Any:
        return _password(value, (info.context or {}).get(USERNAME))


class ChangePasswordIn(StrictModel):
    """A password changed by its owner, named as the form names it; built as ResetPasswordIn is."""

    new_password: str

    @field_validator("new_password", mode="before")
    @classmethod
    def _not_weak(cls, value: Any, info: ValidationInfo) -> Any:
        return _password(value, (info.context or {}).get(USERNAME))


class EmailIn(StrictModel):
    """The address an account's urgent notices go to."""

    email: Email


class ReasonIn(StrictModel):
    """Why an account is changed (kept verbatim in account_changes): every change takes one."""

    reason: Reason


class NewAccountIn(ReasonIn):
    """An account an admin creates from the pages, with the reason: no password (the person sets their own
    by a one-time link), and an existing team only."""

    username: Username
    role: RoleName
    team: TeamName
    email: Email | None = None


class RoleChangeIn(ReasonIn):
    role: RoleName


class TeamChangeIn(ReasonIn):
    team: TeamName


class EmailChangeIn(ReasonIn):
    """A new address for an account's urgent notices, from the admin pages (with the reason)."""

    email: Email


def _issuer(value: Any) -> str:
    text = value.strip().rstrip("/") if isinstance(value, str) else ""
    if not text.startswith(("https://", "http://")) or not _plain(text, MAX_ISSUER_CHARS):
        raise refusal(NO_ISSUER)
    return text


def _subject(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not _plain(text, MAX_SUBJECT_CHARS):
        raise refusal(NO_SUBJECT)
    return text


# As sign-in will compare them: no surrounding spaces, no trailing "/" on the issuer (as bot.oidc_config
# reads BOT_OIDC_ISSUER). The one place input is tidied rather than refused: these are addresses and ids an
# admin copies from a provider's page, never a person's words.
Issuer = Annotated[str, BeforeValidator(_issuer)]
Subject = Annotated[str, BeforeValidator(_subject)]


class OidcIdentityIn(StrictModel):
    """An issuer and subject an admin typed."""

    issuer: Issuer
    subject: Subject


class OidcLinkIn(ReasonIn):
    """Link an organisation account by hand, with the reason."""

    issuer: Issuer
    subject: Subject


class OidcUnlinkIn(ReasonIn):
    """Remove the link at one issuer, with the reason."""

    issuer: Issuer


def _plain(value: str, limit: int) -> bool:
    """Printable ASCII without spaces (what OpenID Connect issuers and subjects are), within the column."""
    return 0 < len(value) <= limit and all("!" <= character <= "~" for character in value)
