"""Security headers on every response, including static files and error pages.

Added when a response is prepared rather than in a middleware so that nothing (a static file, an
exception turned into a response) goes out without them. Pages hold details about children, so none of them
may be kept in a browser or proxy cache; only the static files may be.
"""

from __future__ import annotations

from aiohttp import web

from bot.production import HSTS
from bot.web.state import SETTINGS

# Everything the pages load is our own: app.css, chat.js and govuk-frontend's built files under /static/govuk/
# (its JavaScript is an ES module, which script-src 'self' covers; the page template's inline snippets are
# files here, so nothing inline is ever needed). font-src 'self': govuk-frontend's stylesheet declares the GDS
# Transport font at /assets/fonts/; no element uses it (app.css sets a system font) and the files are not
# served, so nothing is fetched, but Chromium checks every declared font source against the policy when the
# stylesheet loads and, with no font source allowed, logs four violations on every page. img-src 'self'
# covers the one image the stylesheet names (the crest, which no page uses).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


# A handler may allow inline <style> elements it wrote itself by their hashes (the reports page's charts):
# `response[STYLE_HASHES] = ("'sha256-...'", ...)`. Nothing else inline is ever allowed.
STYLE_HASHES = web.ResponseKey("style_hashes", tuple[str, ...])


async def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)
    if hashes := response.get(STYLE_HASHES):
        policy = CONTENT_SECURITY_POLICY.replace("style-src 'self'", f"style-src 'self' {' '.join(hashes)}")
        response.headers["Content-Security-Policy"] = policy
    if request.app[SETTINGS].production:
        # Production is served over HTTPS only (BOT_PUBLIC_URL is https://): browsers must never fall back.
        response.headers["Strict-Transport-Security"] = HSTS
    if not request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"
