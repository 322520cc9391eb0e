#!/usr/bin/env bash
# The Debian packages Katchi's tests need beside Python, installed from apt when missing:
#   scripts/system-deps.sh
# PostgreSQL for the second test run; Pango, HarfBuzz-subset and a Korean font (fonts-nanum) for
# the PDF reports; chromium for the console's browser tests (Playwright drives the system browser,
# as its own browser download cannot work offline). As root they are installed; otherwise the
# script names what is missing and how to install it, and fails.
set -euo pipefail

if ! command -v dpkg-query >/dev/null; then
  echo "not a Debian system: make sure PostgreSQL (initdb), chromium, Pango, HarfBuzz-subset and a" \
       "Korean font (NanumGothic) are installed; the tests need them" >&2
  exit 0
fi
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-nanum chromium; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
((${#need[@]})) || exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "Katchi's tests need these Debian packages, which are missing: ${need[*]}" >&2
  echo "install them as root:  apt-get install ${need[*]}" >&2
  exit 1
fi
echo "installing from apt: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
