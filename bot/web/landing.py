"""Where someone lands once signed in: the page their link pointed at, else their role's own home (issue #26).

A signed-out GET is sent to the sign-in page with the path and query it asked for (`/sign-in?next=/cases/3`);
the sign-in form carries it in a hidden field, also after a wrong password, and a successful sign-in goes
there. Only a path on this site is ever followed: one `/` then no second `/` or `\\`, printable ASCII with no
space or control character, at most `MAX_RETURN_CHARS` long, and no scheme or host. Anything else is
ignored, as if there were none, and the person goes to their home page. Whether they may open the page is
the page's own rule, as for any other request (403, 404).

A role's home is read from the permission table (bot.domain.roles), never from role names: the first of
`HOMES` whose action the role has, else `DEFAULT_HOME`. `/` and the sign-in both ask `home_for`.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from aiohttp import web

from bot.domain.roles import Action, Role, permits

SIGN_IN_PATH = "/sign-in"
IDLE_REASON = "idle"  # /sign-in?reason=idle: the session ended for want of activity
LIFETIME_REASON = "lifetime"  # /sign-in?reason=lifetime: signed in for the longest a session may last
NEXT_FIELD = "next"  # the query parameter and the sign-in form's hidden field
MAX_RETURN_CHARS = 1000

# In order: the first action a role has names its home page.
HOMES: tuple[tuple[Action, str], ...] = (
    # A lead: their team's live cases, every urgent one first.
    (Action.REVIEW_LIVE_CASES, "/cases"),
    # A coordinator: the organisation's figures (a lead, who may also see reports, stopped above).
    (Action.VIEW_TEAM_REPORTS, "/reports"),
)
# Practitioners and trainers: their assessments. Admins have no permission at all; this is the one page every
# signed-in user may open, so it is theirs too.
DEFAULT_HOME = "/chat"


def home_for(role: str | Role | None) -> str:
    """The page a role starts from."""
    for action, path in HOMES:
        if permits(role, action):
            return path
    return DEFAULT_HOME


def safe_return_path(value: object) -> str | None:
    """`value` if it is a path on this site that is safe to redirect to, else None."""
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_RETURN_CHARS:
        return None
    if not value.startswith("/") or value.startswith("//"):
        return None
    # Printable ASCII only: no control character (browsers drop tabs and newlines, so "/\t/evil" would
    # become "//evil"), no space, and no backslash (which browsers read as "/").
    if any(not "!" <= character <= "~" for character in value) or "\\" in value:
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path == SIGN_IN_PATH:
        return None
    return value


def return_path_of(request: web.Request) -> str | None:
    """What a GET asked for (path and query, as sent), to come back to after signing in; None for anything
    else, for `/` (the home page is where a sign-in goes anyway), and for an address that is not safe."""
    if request.method != "GET":
        return None
    asked = request.rel_url.raw_path_qs
    return None if asked == "/" else safe_return_path(asked)


def sign_in_address(reason: str | None = None, return_path: str | None = None) -> str:
    """The sign-in page's address, with why the person is there and where to go after."""
    query = []
    if reason:
        query.append(f"reason={quote(reason, safe='')}")
    if return_path:
        query.append(f"{NEXT_FIELD}={quote(return_path, safe='/')}")
    return SIGN_IN_PATH + ("?" + "&".join(query) if query else "")
