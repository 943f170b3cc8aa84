#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium for browser tests (test tools cannot download their own
# browser here), the PostgreSQL server binaries (tests start a throwaway cluster on 127.0.0.1), and Node.js
# with npm (axe-core, the accessibility checker the browser tests inject, comes from the npm registry), and the
# text-shaping libraries WeasyPrint loads for the PDF exports (without harfbuzz's subsetter it warns on import,
# which the test settings turn into an error).
# Installs only what is missing; needs root for that, and says what to run otherwise.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v npm >/dev/null || missing+=(nodejs npm)
ldconfig -p | grep -q 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
ldconfig -p | grep -q 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "The tests need these Debian packages: ${missing[*]}. Run: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian packages for the tests: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
