#!/usr/bin/env bash
# Run the whole suite twice: against SQLite (embedded default) and against a throwaway PostgreSQL cluster.
# Extra arguments are passed to pytest (e.g. scripts/run_tests.sh -k ledger).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export ZHIFA_VAR_DIR="${ZHIFA_VAR_DIR:-/tmp/zhifa-test-var}"
mkdir -p "$ZHIFA_VAR_DIR/static"
# Two workers: the machine has two cores (pytest-xdist; each worker gets its own test database).
WORKERS="${ZHIFA_TEST_WORKERS:-2}"
PG_URL="$(scripts/pg_cluster.sh start)" || { echo "could not start PostgreSQL"; exit 1; }

status=0
echo "=== zhifa tests on SQLite ==="
start=$(date +%s)
env -u ZHIFA_DATABASE_URL $PY -m pytest -n "$WORKERS" "$@" || status=1
echo "SQLite run took $(( $(date +%s) - start )) s"

echo "=== zhifa tests on PostgreSQL ($PG_URL) ==="
start=$(date +%s)
ZHIFA_DATABASE_URL="$PG_URL" $PY -m pytest -n "$WORKERS" "$@" || status=1
echo "PostgreSQL run took $(( $(date +%s) - start )) s"

[ $status -eq 0 ] && echo "ALL TESTS PASSED (SQLite and PostgreSQL)" || echo "TESTS FAILED"
exit $status
