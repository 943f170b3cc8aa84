#!/usr/bin/env bash
# Print the path of a Python 3.11 for the engine environment. Rasa 3.6.21 declares Python <3.11, but runs on 3.11
# with the overrides in engine/overrides.txt (uv ignores the upper bound); 3.10 reached end of life in October 2026.
# Order: BOT_ENGINE_PYTHON, /usr/bin/python3.11, any python3.11 on PATH, pyenv's 3.11, then a uv-managed 3.11.
set -euo pipefail
uv=${1:-.tools/bin/uv}
is311() { "$1" -c 'import sys; raise SystemExit(sys.version_info[:2] != (3, 11))' 2>/dev/null; }
for candidate in "${BOT_ENGINE_PYTHON:-}" /usr/bin/python3.11 "$(command -v python3.11 || true)" "$HOME"/.pyenv/versions/3.11.*/bin/python3.11; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && is311 "$candidate"; then echo "$candidate"; exit 0; fi
done
if found=$("$uv" python find 3.11 2>/dev/null) && is311 "$found"; then echo "$found"; exit 0; fi
echo "No Python 3.11 found; asking uv to install one (needs access to uv's Python downloads)." >&2
"$uv" python install 3.11 >&2
"$uv" python find 3.11
