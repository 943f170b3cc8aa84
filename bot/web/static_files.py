"""The site's own static files (our scripts and styles, GOV.UK Frontend's built files, the icon), from memory.

Why not aiohttp's `add_static`: its `FileResponse` opens the file in an executor thread, and when the
request's handler is cancelled while that thread runs (a server shutting down under a browser still fetching
the icon) the opened file is never closed; the full test run caught it as an unclosed-file warning. The set
here is small and fixed (about 250 KB, installed before the app starts), so each file is read whole, inside
one `with`, with no `await` between opening and closing, and kept. A file changed on disk (a developer
editing `chat.js` under `make run`) is read again: its size and modification time are checked per request.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

# Module scripts are refused by browsers unless served as JavaScript; mimetypes' answer depends on the host's
# /etc/mime.types, so the types we serve are fixed here.
TYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".ico": "image/x-icon",
}


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    content_type: str
    etag: str
    stamp: tuple[int, int]  # (size, modification time in ns) when read


def _stamp(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_size, status.st_mtime_ns


def _read(path: Path) -> StaticFile:
    stamp = _stamp(path)
    with path.open("rb") as opened:
        body = opened.read()
    content_type = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return StaticFile(body, content_type, hashlib.sha256(body).hexdigest()[:32], stamp)


class StaticFiles:
    """Every regular, non-hidden file under `directory` at start-up, by its path relative to it. Names are
    looked up in that set, never joined to the directory, so no request can reach a file outside it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.paths = {
            path.relative_to(directory).as_posix(): path
            for path in sorted(directory.rglob("*"))
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(directory).parts)
        }
        self.files = {name: _read(path) for name, path in self.paths.items()}

    def current(self, name: str) -> StaticFile | None:
        path = self.paths.get(name)
        if path is None:
            return None
        try:
            known = self.files[name]
            if _stamp(path) != known.stamp:
                known = self.files[name] = _read(path)
        except OSError:  # removed since start-up
            return None
        return known

    async def handle(self, request: web.Request) -> web.Response:
        found = self.current(request.match_info["name"])
        if found is None:
            raise web.HTTPNotFound
        etag = f'"{found.etag}"'
        if etag in request.headers.get("If-None-Match", ""):
            return web.Response(status=304, headers={"ETag": etag})
        text = found.content_type.startswith("text/") or found.content_type == "image/svg+xml"
        return web.Response(
            body=found.body,
            content_type=found.content_type,
            charset="utf-8" if text else None,
            headers={"ETag": etag},
        )
