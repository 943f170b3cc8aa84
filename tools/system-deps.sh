#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium for browser tests (test tools cannot download their own
# browser here), the PostgreSQL server binaries (tests start a throwaway cluster on 127.0.0.1), and Node.js
# with npm (axe-core, the accessibility checker the browser tests inject, comes from the npm registry), poppler's
# pdftotext (the tests read the documents a lead sends as text), and the
# text-shaping libraries WeasyPrint loads for the PDF exports (without harfbuzz's subsetter it warns on import,
# which the test settings turn into an error).
# With --pdf, only those text-shaping libraries: what the product itself needs (`make run`), so that a missing
# one is named before anything starts rather than found when a lead first downloads a PDF.
# Installs only what is missing; needs root for that, and says what to run otherwise.
set -euo pipefail
missing=()
who="The tests need"
if [ "${1:-}" = "--pdf" ]; then
  who="The product's PDF exports (WeasyPrint) need"
else
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
  command -v npm >/dev/null || missing+=(nodejs npm)
  # pdftotext: the tests read the documents a lead sends as a reader would (issue #12).
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  # redis-server: the scaled-mode tests start their own on loopback for the engines' lock store (issue #34).
  command -v redis-server >/dev/null || missing+=(redis-server)
  # haproxy: `make run-scaled` puts it in front of the apps, engines and action servers (issue #34).
  command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
fi
libraries="$(ldconfig -p)"
grep -q 'libpango-1.0.so.0' <<<"$libraries" || missing+=(libpango-1.0-0)
grep -q 'libharfbuzz-subset.so.0' <<<"$libraries" || missing+=(libharfbuzz-subset0)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "$who these Debian packages: ${missing[*]}. Run: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian packages (${who#The }): ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
