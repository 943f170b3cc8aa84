"""Check CycloneDX JSON bills of materials (`make sbom`) against the CycloneDX schema, with the CycloneDX
project's own validator (cyclonedx-python-lib), and say how many components each lists.

Usage: python tools/check_sbom.py FILE.cdx.json [...]; exits 1 naming the file and the first schema error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator


def check(path: Path) -> str | None:
    """None if the file is a valid CycloneDX JSON document of the version it declares, else why not."""
    try:
        document = json.loads(path.read_text())
        version = SchemaVersion.from_version(document["specVersion"])
    except (OSError, ValueError, KeyError) as error:
        return f"{path}: not a CycloneDX JSON document ({error})"
    # Strict: properties the schema does not define are errors too, not silently allowed.
    validator = JsonStrictValidator(version)
    error = validator.validate_str(path.read_text())
    return None if error is None else f"{path}: {error.data.message}"


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    for name in argv:
        path = Path(name)
        problem = check(path)
        if problem is not None:
            print(f"check_sbom: {problem}", file=sys.stderr)
            return 1
        components = len(json.loads(path.read_text()).get("components", []))
        print(f"{path}: valid CycloneDX, {components} components")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
