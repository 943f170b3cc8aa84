"""Fetch govuk-frontend's built CSS and JS from the npm registry into bot/web/static/govuk/ (git-ignored).

Why a script rather than committed files or `npm install`: the pages use the GOV.UK Design System's own built
files (issue #4), with no Node build, and minified third-party files committed to the repository would hide
where they came from. So one pinned tarball is downloaded, checked against the sha512 integrity the npm
registry publishes for it (pinned below), and only the files the app serves are kept. The GDS Transport font
(licensed for GOV.UK only) and the crown images are left out on purpose: the product is council-neutral.

Standard library only, so any Python 3.11 runs it. `make run` and `make test` run it when the stamp file is
missing or older than this script; with the files already in place and intact it does nothing.

    python tools/fetch_govuk_frontend.py                  # fetch if missing or changed
    python tools/fetch_govuk_frontend.py --check          # verify what is installed; no network
    python tools/fetch_govuk_frontend.py --tarball FILE   # a copy of the tarball (integrity still checked)
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import io
import json
import re
import shutil
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PACKAGE = "govuk-frontend"
VERSION = "5.14.0"
TARBALL_URL = f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"
# The registry's `dist.integrity` for this version (https://registry.npmjs.org/govuk-frontend, "5.14.0").
INTEGRITY = "sha512-MgfaXswIM6KpXS2T5gltEnzgVLgfM3UoE9+rYkhBiR0suaJ8Let31VZXQZqz9QhiPDbv28fW1nRjIyLujfZIBA=="

REPO = Path(__file__).resolve().parents[1]
DESTINATION = REPO / "bot" / "web" / "static" / "govuk"
STAMP = ".stamp"

# Tarball member -> file name in the destination. These two are all the app needs: the built stylesheet and
# the ES module with initAll().
FILES = {
    "package/dist/govuk/govuk-frontend.min.css": "govuk-frontend.min.css",
    "package/dist/govuk/govuk-frontend.min.js": "govuk-frontend.min.js",
}
# Files the stylesheet refers to that are deliberately not installed: the GDS Transport font and the crown
# crest. Our app.css sets a system font stack on every element, the templates use no crest, and the
# Content-Security-Policy allows no fonts at all, so nothing ever asks for them. A stylesheet that refers to
# anything else stops the fetch, so a new release cannot quietly need a file we do not serve.
LEFT_OUT = re.compile(r"^/assets/(fonts/(bold|light)-[0-9a-f]+-v2\.woff2?|images/govuk-crest\.svg)$")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")

DOWNLOAD_ATTEMPTS = 3
DOWNLOAD_TIMEOUT_SECONDS = 60


class FetchError(Exception):
    """The files could not be fetched or did not check out; the message says what to do."""


def sri_digest(data: bytes, algorithm: str = "sha512") -> str:
    """Subresource-integrity form ("sha512-<base64>"), as npm's `dist.integrity` writes it."""
    return f"{algorithm}-{base64.b64encode(hashlib.new(algorithm, data).digest()).decode('ascii')}"


def check_integrity(data: bytes, integrity: str) -> None:
    algorithm, _, _ = integrity.partition("-")
    if algorithm != "sha512":
        raise FetchError(f"only sha512 integrity is accepted, not {algorithm!r}")
    actual = sri_digest(data, algorithm)
    if not hmac.compare_digest(actual, integrity):
        raise FetchError(
            f"the tarball's integrity is {actual}, not the pinned {integrity}: refusing to use it"
        )


def download(url: str) -> bytes:
    last: Exception | None = None
    for attempt in range(1, DOWNLOAD_ATTEMPTS + 1):
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "fetch_govuk_frontend.py"})  # noqa: S310  # the pinned https:// registry URL
            with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:  # noqa: S310  # the request above
                return bytes(response.read())
        except (urllib.error.URLError, OSError) as error:
            last = error
            if attempt < DOWNLOAD_ATTEMPTS:
                time.sleep(attempt)
    raise FetchError(f"could not download {url}: {last}")


def unexpected_css_references(css: str) -> list[str]:
    """Addresses in the stylesheet that are neither left out on purpose nor inline data."""
    return sorted(
        {url for url in CSS_URL.findall(css) if not url.startswith("data:") and not LEFT_OUT.match(url)}
    )


def extract(tarball: bytes, version: str = VERSION) -> dict[str, bytes]:
    """The files to install, read by exact member name (nothing else in the archive is written anywhere)."""
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            manifest = json.loads(_member(archive, "package/package.json"))
            if manifest.get("name") != PACKAGE or manifest.get("version") != version:
                found = f"{manifest.get('name')} {manifest.get('version')}"
                raise FetchError(f"the tarball holds {found}, not {PACKAGE} {version}")
            files = {name: _member(archive, member) for member, name in FILES.items()}
    except (tarfile.TarError, OSError, ValueError) as error:
        raise FetchError(f"the tarball could not be read: {error}") from error
    unexpected = unexpected_css_references(files["govuk-frontend.min.css"].decode("utf-8"))
    if unexpected:
        raise FetchError(f"the stylesheet refers to files this script does not install: {unexpected}")
    for name, content in files.items():
        if not content:
            raise FetchError(f"{name} is empty in the tarball")
    return files


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    try:
        member = archive.getmember(name)
    except KeyError:
        raise FetchError(f"the tarball has no {name}") from None
    handle = archive.extractfile(member) if member.isfile() else None
    if handle is None:
        raise FetchError(f"{name} in the tarball is not a regular file")
    with handle:
        return handle.read()


def stamp_for(files: dict[str, bytes]) -> dict[str, object]:
    """What the stamp records: where the files came from, and each file's sha256 as installed."""
    return {
        "package": PACKAGE,
        "version": VERSION,
        "integrity": INTEGRITY,
        "source": TARBALL_URL,
        "files": {name: hashlib.sha256(content).hexdigest() for name, content in sorted(files.items())},
    }


def problems(destination: Path) -> list[str]:
    """Why the installed files are not the pinned ones (empty when they are)."""
    try:
        stamp = json.loads((destination / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [f"{destination / STAMP} is missing or unreadable"]
    found = []
    for key, pinned in (
        ("package", PACKAGE),
        ("version", VERSION),
        ("integrity", INTEGRITY),
        ("source", TARBALL_URL),
    ):
        if stamp.get(key) != pinned:
            found.append(f"installed {key} is {stamp.get(key)!r}, pinned is {pinned!r}")
    recorded = stamp.get("files") if isinstance(stamp.get("files"), dict) else {}
    for name in FILES.values():
        path = destination / name
        if not path.is_file():
            found.append(f"{path} is missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != recorded.get(name):
            found.append(f"{path} differs from the file fetched")
    return found


def install(files: dict[str, bytes], destination: Path) -> None:
    """Write into a fresh folder beside the destination, then swap it in, so a failed run leaves nothing half
    written; the stamp goes last."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}-", dir=destination.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; the app may run as another user
        for name, content in files.items():
            (staging / name).write_bytes(content)
        (staging / STAMP).write_text(json.dumps(stamp_for(files), indent=2) + "\n", encoding="utf-8")
        if destination.exists():
            shutil.rmtree(destination)
        staging.rename(destination)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def fetch(destination: Path, tarball_path: Path | None = None) -> str:
    """Install the pinned files unless they are already in place; returns what was done."""
    if not problems(destination):
        (destination / STAMP).touch()  # newer than this script again, so make has nothing left to do
        return f"{PACKAGE} {VERSION}: already in {destination}"
    data = tarball_path.read_bytes() if tarball_path else download(TARBALL_URL)
    check_integrity(data, INTEGRITY)
    install(extract(data), destination)
    return f"{PACKAGE} {VERSION}: installed in {destination} (integrity {INTEGRITY[:20]}... checked)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="verify the installed files; no network")
    parser.add_argument("--tarball", type=Path, help="a local copy of the pinned tarball")
    parser.add_argument(
        "--dest", type=Path, default=DESTINATION, help=f"where to install (default {DESTINATION})"
    )
    args = parser.parse_args(argv)
    if args.check:
        found = problems(args.dest)
        for problem in found:
            print(f"{PACKAGE}: {problem}", file=sys.stderr)
        if found:
            print(f"{PACKAGE}: run `python tools/fetch_govuk_frontend.py` (or make run)", file=sys.stderr)
            return 1
        print(f"{PACKAGE} {VERSION}: ok in {args.dest}")
        return 0
    try:
        print(fetch(args.dest, args.tarball))
    except (FetchError, OSError) as error:
        print(f"{PACKAGE} {VERSION}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
