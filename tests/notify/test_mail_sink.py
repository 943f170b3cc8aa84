"""Embedded mode's mail: `bot run` starts the local mail sink (a real subprocess) when no mail server is
configured and points the app at it; each message lands as a .eml file; the development accounts have
addresses under example.invalid, including accounts made before addresses existed."""

from __future__ import annotations

import time
from email import message_from_bytes
from pathlib import Path

from bot.notify.mailer import Mailer
from bot.notify.messages import urgent_for_lead
from bot.runtime import processes
from bot.runtime.supervisor import DEV_ACCOUNTS, DEV_TEAM, ensure_dev_sign_ins
from bot.settings import Settings
from bot.store.db import make_session_factory
from bot.store.services import Store
from tests.fixtures.databases import AtHead

WAIT_SECONDS = 20  # an upper bound on waiting for the file, not a timing assertion


def dev_settings(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env({"BOT_DATA_DIR": str(tmp_path / "data"), **env})


def app_service(settings: Settings) -> processes.Service:
    env = processes.product_env(settings)
    return processes.Service("app", ["true"], env, settings.app_url, settings.data_dir / "app.log")


def test_the_sink_is_used_only_in_embedded_mode_without_a_mail_server(tmp_path: Path) -> None:
    configured = dev_settings(tmp_path, BOT_SMTP_URL="smtp://mail.example.org:587?starttls=true")
    assert processes.use_dev_mail_sink(configured, [app_service(configured)]) is None
    production = dev_settings(tmp_path, BOT_SERVICE_TOKEN="a-real-token", BOT_SESSION_SECRET="ab" * 32)
    assert processes.use_dev_mail_sink(production, [app_service(production)]) is None


def test_the_sink_saves_what_the_app_sends_as_eml_files(tmp_path: Path) -> None:
    settings = dev_settings(tmp_path, BOT_DEV_MAIL_PORT=str(processes.free_port()))
    app = app_service(settings)
    services = [app]
    sink = processes.use_dev_mail_sink(settings, services)
    assert sink is not None and services == [sink, app]  # started first, stopped last
    assert app.env["BOT_SMTP_URL"] == f"smtp://127.0.0.1:{settings.dev_mail_port}"
    app_settings = Settings.from_env(app.env)  # what the app process will read

    with processes.running([sink], timeout=60):
        assert app_settings.smtp is not None
        Mailer(app_settings.smtp, app_settings.mail_from).send(
            "dev-lead@example.invalid", urgent_for_lead("A-7F3K2Q", False, "http://127.0.0.1:8080/cases/1")
        )
        deadline = time.monotonic() + WAIT_SECONDS
        while not list(settings.dev_mail_dir.glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.1)
    assert sink.process is not None and sink.process.returncode == 0  # stopped cleanly

    [saved] = list(settings.dev_mail_dir.glob("*.eml"))
    message = message_from_bytes(saved.read_bytes())
    assert message["X-Envelope-To"] == "dev-lead@example.invalid"
    assert message["Subject"] == "Urgent: safeguarding concern A-7F3K2Q needs a lead now"
    assert list(settings.dev_mail_dir.glob("*.part")) == []


def test_development_accounts_get_addresses_new_or_already_made(tmp_path: Path, at_head: AtHead) -> None:
    fresh = dev_settings(tmp_path / "fresh")
    at_head(fresh.database_url)
    ensure_dev_sign_ins(fresh)
    assert emails(fresh) == {name: f"{name}@example.invalid" for name, _ in DEV_ACCOUNTS}

    # A data folder from before addresses existed: accounts without one, and the sign-ins file.
    older = dev_settings(tmp_path / "older")
    at_head(older.database_url)
    service = Store(make_session_factory(older.database_url))
    lines = []
    for number, (name, role) in enumerate(DEV_ACCOUNTS):
        password = f"an old passphrase, number {number}"  # never the sign-in name (password rules, #32)
        service.users.create_user(name, password, role, DEV_TEAM)
        lines.append(f"{name}\t{role}\t{password}\n")
    sign_ins = older.data_dir / "secrets" / "dev-sign-ins.txt"
    sign_ins.write_text("".join(lines))

    listed = ensure_dev_sign_ins(older)

    assert emails(older) == {name: f"{name}@example.invalid" for name, _ in DEV_ACCOUNTS}
    assert sign_ins.read_text() == "".join(lines)
    assert [tuple(line.rstrip("\n").split("\t")) for line in lines] == listed
    lead = next(n for n, (name, _) in enumerate(DEV_ACCOUNTS) if name == "dev-lead")
    assert service.users.authenticate("dev-lead", f"an old passphrase, number {lead}") is not None


def emails(settings: Settings) -> dict[str, str | None]:
    sessions = make_session_factory(settings.database_url)
    try:
        found = {name: Store(sessions).users.find_user(name) for name, _ in DEV_ACCOUNTS}
    finally:
        sessions.kw["bind"].dispose()
    return {name: user.email if user else None for name, user in found.items()}
