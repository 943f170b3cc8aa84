"""/.well-known/security.txt (RFC 9116): how someone who finds a weakness in this deployment reaches the
council that runs it. The council sets the contact (BOT_SECURITY_CONTACT, bot.settings); without one the
address is 404, so that the product never shows a placeholder that reaches nobody."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiohttp import web

from bot.web.state import SETTINGS

# RFC 9116 requires an Expires field and advises less than a year ahead. The contact is read from the
# running settings, so the file is as current as the deployment: it is dated from each answer.
VALID_FOR = timedelta(days=180)
PATH = "/.well-known/security.txt"


async def security_txt(request: web.Request) -> web.StreamResponse:
    contact = request.app[SETTINGS].security_contact
    if not contact:
        raise web.HTTPNotFound(text="This deployment has set no security contact (BOT_SECURITY_CONTACT).\n")
    expires = (datetime.now(UTC) + VALID_FOR).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    lines = [f"Contact: {contact}", f"Expires: {expires}", "Preferred-Languages: en"]
    return web.Response(text="\n".join(lines) + "\n", content_type="text/plain", charset="utf-8")
