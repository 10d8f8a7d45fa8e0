#!/usr/bin/env bash
# Start (or reuse) a throwaway PostgreSQL cluster on loopback for tests and benchmarks.
# Usage: scripts/pg_cluster.sh start|stop|url   (PGPORT defaults to 54329, data in /tmp/zhifa-pg-$PGPORT)
set -euo pipefail
PGPORT="${ZHIFA_PG_PORT:-54329}"
PGDATA="${ZHIFA_PG_DIR:-/tmp/zhifa-pg-$PGPORT}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -n "$BIN" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
      mkdir -p "$PGDATA"
      [ "$(id -u)" = "0" ] && chown postgres:postgres "$PGDATA"
      as_pg "$BIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
      as_pg "$BIN/pg_ctl" -D "$PGDATA" -w -l "$PGDATA/server.log" \
        -o "-p $PGPORT -c listen_addresses=127.0.0.1 -k $PGDATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
    fi
    "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='zhifa'" | grep -q 1 \
      || "$BIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres zhifa
    echo "postgresql://postgres@127.0.0.1:$PGPORT/zhifa"
    ;;
  stop)
    as_pg "$BIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true
    ;;
  url)
    echo "postgresql://postgres@127.0.0.1:$PGPORT/zhifa"
    ;;
esac
