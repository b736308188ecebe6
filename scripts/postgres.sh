#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for the store tests, and print the URL to use.
# Usage: eval "$(bash scripts/postgres.sh start)"   |   bash scripts/postgres.sh stop
set -euo pipefail
# A free loopback port and a fresh folder unless told otherwise, so a stale server never interferes.
PGPORT=${NARRASCOPE_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
PGROOT=${NARRASCOPE_PG_DIR:-/tmp/narrascope-pg}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
start)
  if [ ! -f "$PGROOT/data/PG_VERSION" ]; then
    mkdir -p "$PGROOT"
    [ "$(id -u)" = 0 ] && chown postgres "$PGROOT"
    as_pg "$bin/initdb" -D "$PGROOT/data" -U postgres -A trust >/dev/null
  fi
  if as_pg "$bin/pg_ctl" -D "$PGROOT/data" status >/dev/null 2>&1; then
    PGPORT=$(head -4 "$PGROOT/data/postmaster.pid" | tail -1)   # already running: use its port
  else
    as_pg "$bin/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w \
      -o "-p $PGPORT -h 127.0.0.1 -k $PGROOT" start >/dev/null
  fi
  as_pg "$bin/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='narrascope'" | grep -q 1 ||
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres narrascope
  echo "export NARRASCOPE_PG_DIR=$PGROOT"
  echo "export NARRASCOPE_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$PGPORT/narrascope"
  ;;
stop)
  as_pg "$bin/pg_ctl" -D "$PGROOT/data" -m fast stop >/dev/null 2>&1 || true
  ;;
esac
