"""OpenID Connect sign-in settings (issue #32), read once with the others (bot.settings).

Off unless BOT_OIDC_ISSUER is set. Which account a verified person is, and whether they may use it, comes from
a YAML file named by BOT_OIDC_MAPPING_FILE (data, not code: a council changes its groups without a release):
the claim that names the local account at a first sign-in (then linked by subject), and which claim values
(groups or app roles) give which role in which team. A half-configured or malformed set-up stops start-up
with a message naming the variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.domain.roles import Role

DEFAULT_SCOPES = ("openid", "profile", "email")
CALLBACK_PATH = "/sign-in/oidc/callback"


@dataclass(frozen=True)
class RoleGrant:
    """One line of the mapping: people whose `claim` holds `value` may be a `role` in `team`."""

    value: str
    role: str
    team: str


@dataclass(frozen=True)
class OidcMapping:
    username_claim: str
    groups_claim: str
    grants: tuple[RoleGrant, ...]
    # The claim a person's link to their account is kept by (bot.store.oidc_links): "sub", or Entra ID's
    # "oid" (the same object id in every app of the tenant). Never a name the provider may change or reuse.
    subject_claim: str = "sub"

    def allowed(self, claims: Mapping[str, Any]) -> set[tuple[str, str]]:
        """The (role, team) pairs these claims give; a single string claim counts as a list of one."""
        held = claims.get(self.groups_claim, [])
        values = {held} if isinstance(held, str) else {v for v in held if isinstance(v, str)}
        return {(g.role, g.team) for g in self.grants if g.value in values}


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    redirect_uri: str
    scopes: tuple[str, ...]
    mapping: OidcMapping
    # The button's words on the sign-in page, such as "Sign in with your council account".
    label: str = "Sign in with your organisation account"


def read_oidc(env: Mapping[str, str], public_url: str, app_port: int) -> OidcConfig | None:
    """BOT_OIDC_* as an OidcConfig (the secret already read from BOT_OIDC_CLIENT_SECRET_FILE if given)."""
    issuer = env.get("BOT_OIDC_ISSUER", "").strip().rstrip("/")
    if not issuer:
        return None
    if not issuer.startswith(("https://", "http://")):
        raise SystemExit(f"BOT_OIDC_ISSUER must be an https:// address, got {issuer!r}")
    client_id = env.get("BOT_OIDC_CLIENT_ID", "").strip()
    secret = env.get("BOT_OIDC_CLIENT_SECRET", "")
    mapping_file = env.get("BOT_OIDC_MAPPING_FILE", "").strip()
    for name, value in (("BOT_OIDC_CLIENT_ID", client_id), ("BOT_OIDC_MAPPING_FILE", mapping_file)):
        if not value:
            raise SystemExit(f"BOT_OIDC_ISSUER is set: set {name} as well")
    if not secret:
        raise SystemExit("BOT_OIDC_ISSUER is set: set BOT_OIDC_CLIENT_SECRET or BOT_OIDC_CLIENT_SECRET_FILE")
    scopes = tuple(env.get("BOT_OIDC_SCOPES", " ".join(DEFAULT_SCOPES)).replace(",", " ").split())
    if "openid" not in scopes:
        raise SystemExit("BOT_OIDC_SCOPES must include openid")
    base = (public_url or f"http://127.0.0.1:{app_port}").rstrip("/")
    label = env.get("BOT_OIDC_LABEL", "").strip() or OidcConfig.label
    return OidcConfig(
        issuer, client_id, secret, base + CALLBACK_PATH, scopes, read_mapping(Path(mapping_file)), label
    )


def read_mapping(path: Path) -> OidcMapping:
    """The mapping file, checked in full: an unknown role or an empty list stops start-up."""
    # PyYAML is loaded here, not with the settings: only a deployment with OpenID Connect has this file, and
    # every `bot` command (a process each) reads the settings.
    from bot.domain.yaml_files import read_yaml

    where = f"BOT_OIDC_MAPPING_FILE ({path})"
    data = read_yaml(path, SystemExit, where=where)
    if not isinstance(data.get("grants"), list) or not data["grants"]:
        raise SystemExit(f"{where} must have a non-empty list under 'grants'")
    grants = []
    roles = {role.value for role in Role}
    for number, item in enumerate(data["grants"], start=1):
        ok = isinstance(item, dict) and all(isinstance(item.get(k), str) for k in ("value", "role", "team"))
        if not ok or item["role"] not in roles:
            raise SystemExit(
                f"{where}: grant {number} needs value, role (one of {', '.join(sorted(roles))}) and team"
            )
        grants.append(RoleGrant(item["value"], item["role"], item["team"]))
    username_claim = data.get("username_claim", "preferred_username")
    groups_claim = data.get("groups_claim", "groups")
    subject_claim = data.get("subject_claim", "sub")
    if not all(isinstance(claim, str) for claim in (username_claim, groups_claim, subject_claim)):
        raise SystemExit(f"{where}: username_claim, groups_claim and subject_claim must be claim names")
    if subject_claim not in ("sub", "oid"):
        raise SystemExit(f"{where}: subject_claim must be sub or oid (a name that never changes)")
    return OidcMapping(username_claim, groups_claim, tuple(grants), subject_claim)
