#!/usr/bin/env bash
# Benchmarks that print figures. Usage: scripts/run_bench.sh [ENTERPRISES]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000000}"
PG_URL="$(scripts/pg_cluster.sh start)"
export ZHIFA_BENCH_PG_URL="${PG_URL%/zhifa}/postgres"
echo "=== demo-data generation, $N enterprises (SQLite and PostgreSQL) ==="
.venv/bin/python bench/bench_demo.py --enterprises "$N" --database both
echo "=== ledger append and verification ==="
echo "--- SQLite ---"
.venv/bin/python bench/bench_ledger.py --entries "$N"
echo "--- PostgreSQL ---"
ZHIFA_DATABASE_URL="$PG_URL" .venv/bin/python bench/bench_ledger.py --entries "$N"
echo "=== evidence upload ==="
.venv/bin/python bench/bench_evidence.py
echo "=== clue detection, $N enterprises (SQLite and PostgreSQL) ==="
.venv/bin/python bench/bench_clues.py --enterprises "$N" --database both
