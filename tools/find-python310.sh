#!/usr/bin/env bash
# Print the path of a Python 3.10 for the engine environment (Rasa 3.6 supports only Python < 3.11).
# Order: BOT_ENGINE_PYTHON, pyenv's 3.10, any python3.10 on PATH, then a uv-managed 3.10 (installed if needed).
set -euo pipefail
uv=${1:-.tools/bin/uv}
is310() { "$1" -c 'import sys; raise SystemExit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }
for candidate in "${BOT_ENGINE_PYTHON:-}" "$HOME"/.pyenv/versions/3.10.*/bin/python3.10 "$(command -v python3.10 || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && is310 "$candidate"; then echo "$candidate"; exit 0; fi
done
if found=$("$uv" python find 3.10 2>/dev/null) && is310 "$found"; then echo "$found"; exit 0; fi
echo "No Python 3.10 found; asking uv to install one (needs access to uv's Python downloads)." >&2
"$uv" python install 3.10 >&2
"$uv" python find 3.10
