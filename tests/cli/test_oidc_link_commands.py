"""`bot user link-oidc` and `bot user unlink-oidc` (issue #32), called in-process (tests/cli/in_process.py;
`bot user add`'s subprocess test in test_cli covers the real executable): the link is made and removed with
a reason kept and audited as the CLI's; bad input gets one line and changes nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot.store import db
from bot.store.models import AuditEvent
from bot.store.services import Store
from tests.cli.in_process import run_in_process
from tests.cli.test_cli import PASSWORD, data_dir, database_url, upgraded

__all__ = ["data_dir", "upgraded"]  # the fixtures, shared with test_cli
ISSUER = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"
OID = "0b6a3d1c-6f51-4c4f-9d8e-1f0a2b3c4d5e"


def test_an_admin_links_and_unlinks_an_organisation_account_from_the_cli(upgraded: Path) -> None:
    added = run_in_process(
        upgraded,
        "user",
        "add",
        "pat",
        "--role",
        "practitioner",
        "--team",
        "North",
        "--create-team",
        stdin=PASSWORD,
    )
    assert added.returncode == 0, added.stderr
    store = Store(db.make_session_factory(database_url(upgraded)))
    pat = store.users.find_user("pat")
    assert pat is not None

    bad = run_in_process(
        upgraded, "user", "link-oidc", "pat", "--issuer", "login.example", "--subject", OID, "--reason", "x"
    )
    assert bad.returncode == 1 and bad.stderr.decode().count("\n") == 1 and "issuer" in bad.stderr.decode()
    assert store.accounts.account(pat.id).oidc_links == ()

    linked = run_in_process(
        upgraded,
        "user",
        "link-oidc",
        "pat",
        "--issuer",
        ISSUER,
        "--subject",
        OID,
        "--reason",
        "Entra ID from May",
    )
    assert linked.returncode == 0, linked.stderr
    assert OID in linked.stdout.decode()
    (link,) = store.accounts.account(pat.id).oidc_links
    assert (link.issuer, link.subject) == (ISSUER, OID)
    user, _ = store.users.sign_in_verified(ISSUER, OID, "pat.renamed", {("practitioner", "North")})
    assert user is not None and user.id == pat.id

    unlinked = run_in_process(
        upgraded, "user", "unlink-oidc", "pat", "--issuer", ISSUER, "--reason", "Wrong person"
    )
    assert unlinked.returncode == 0, unlinked.stderr
    account = store.accounts.account(pat.id)
    assert account.oidc_links == ()
    assert [c.reason for c in account.changes] == ["Wrong person", "Entra ID from May"]
    with store.session_factory() as session:
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.actor_kind == "cli")))
    assert actions[-2:] == ["oidc.linked", "oidc.unlinked"]  # the sign-in above was the app's, not the CLI's

    again = run_in_process(upgraded, "user", "unlink-oidc", "pat", "--issuer", ISSUER, "--reason", "again")
    assert again.returncode == 1 and "no link at this issuer" in again.stderr.decode()
    nobody = run_in_process(
        upgraded, "user", "link-oidc", "nobody", "--issuer", ISSUER, "--subject", OID, "--reason", "x"
    )
    assert nobody.returncode == 1 and "no user called 'nobody'" in nobody.stderr.decode()
