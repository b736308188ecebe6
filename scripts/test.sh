#!/usr/bin/env bash
# Install what the tests need and run the whole suite (unit, integration, browser, PostgreSQL, Spark).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -m "not slow"`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: chromium (browser tests), postgresql (store tests), a JRE (Spark).
missing=()
command -v chromium >/dev/null || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

# A throwaway PostgreSQL server on 127.0.0.1 for the store tests (removed afterwards).
export NARRASCOPE_PG_DIR=$(mktemp -d /tmp/narrascope-pg.XXXXXX)
trap 'bash scripts/postgres.sh stop; rm -rf "$NARRASCOPE_PG_DIR"' EXIT
eval "$(bash scripts/postgres.sh start)"

.venv/bin/python -m pytest "$@"
