#!/usr/bin/env python3
"""Demo-data generation benchmark (issue 2 item 10).

    python bench/bench_demo.py --enterprises 1000000 [--database sqlite|postgres|both] [--seed 2026] [--keep]

For each database: create a fresh database (SQLite file under /tmp; PostgreSQL database
`zhifa_bench` via the admin URL in ZHIFA_BENCH_PG_URL, default
postgresql://postgres@127.0.0.1:54329/postgres), migrate, and time `manage.py demo_data` for N
enterprises (rows/s over every row it writes). Then, in the same run and on the same connection
settings, time a plain `executemany` (SQLite) / `COPY … FROM STDIN` (PostgreSQL) of the same
enterprise and licence rows into identical scratch tables (same columns, indexes, constraints and
foreign keys), reading the rows back in chunks outside the timer. Prints `key=value` lines:

    demo.sqlite.rows_per_s=…   raw.sqlite.rows_per_s=…   ratio.sqlite=…   (raw ÷ demo)

Each database runs in a child process of this script (settings are read from the environment
at Django start-up), which also reports the child's peak resident memory after generation.
See bench/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_ADMIN = "postgresql://postgres@127.0.0.1:54329/postgres"
PG_BENCH_DB = "zhifa_bench"
SQLITE_PATH = Path(os.environ.get("ZHIFA_BENCH_SQLITE", "/tmp/zhifa-bench-demo.sqlite3"))
RAW_TABLES = ("subjects_enterprise", "subjects_licence")
# --all-tables: every table demo_data bulk-writes, parents first.
ALL_TABLES = ("subjects_person", "subjects_enterprise", "subjects_enterpriseperson", "subjects_licence", "subjects_licenceapplication",
              "subjects_registrationchange", "subjects_emergencyplanfiling", "subjects_majorhazardsource", "subjects_reportobligation",
              "subjects_precursorannualreport", "subjects_activitysignal", "subjects_chemicalproduct", "subjects_storagezone",
              "subjects_storagezoneclass", "subjects_storageitem", "subjects_permittedchemical")
CHUNK = 20_000


def main() -> int:
    parser = argparse.ArgumentParser(description="zhifa demo-data generation benchmark")
    parser.add_argument("--enterprises", type=lambda s: int(s.replace("_", "")), default=1_000_000)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--as-of", dest="as_of", default="2026-06-15", help="fixed date so that runs are comparable")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases afterwards")
    parser.add_argument("--all-tables", dest="all_tables", action="store_true",
                        help="also time a bare insert of every row demo_data wrote (raw_all.*, ratio_all.*)")
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    parser.add_argument("--db-url", dest="db_url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    failed = False
    for vendor in databases:
        try:
            url = fresh_database(vendor)
        except Exception as exc:  # noqa: BLE001 — report and carry on with the other database
            print(f"{vendor}: could not create a fresh database: {exc}", file=sys.stderr)
            failed = True
            continue
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", vendor, "--db-url", url,
               "--enterprises", str(args.enterprises), "--seed", str(args.seed), "--as-of", args.as_of]
        if args.all_tables:
            cmd.append("--all-tables")
        var_dir = tempfile.mkdtemp(prefix=f"zhifa-bench-{vendor}-")  # manifest and other var files of this run
        env = dict(os.environ, ZHIFA_DATABASE_URL=url, ZHIFA_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="config.settings",
                   PYTHONPATH=str(ROOT))
        result = subprocess.run(cmd, env=env, cwd=ROOT)
        failed |= result.returncode != 0
        if not args.keep:
            drop_database(vendor)
            shutil.rmtree(var_dir, ignore_errors=True)
    return 1 if failed else 0


# --- parent: fresh databases ---------------------------------------------------------------------

def pg_admin_url() -> str:
    return os.environ.get("ZHIFA_BENCH_PG_URL", DEFAULT_PG_ADMIN)


def pg_bench_url() -> str:
    parts = urlsplit(pg_admin_url())
    return urlunsplit(parts._replace(path=f"/{PG_BENCH_DB}"))


def fresh_database(vendor: str) -> str:
    if vendor == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{SQLITE_PATH}"
    import psycopg

    with psycopg.connect(pg_admin_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_BENCH_DB}"')
    return pg_bench_url()


def drop_database(vendor: str) -> None:
    if vendor == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(pg_admin_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)')


# --- child: one database ------------------------------------------------------------------------------

def emit(key: str, value) -> None:
    if isinstance(value, float):
        value = f"{value:.2f}" if value < 1000 else f"{value:,.0f}".replace(",", "")
    print(f"{key}={value}", flush=True)


def child(args) -> int:
    import resource
    from io import StringIO

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    vendor = args.child
    call_command("migrate", verbosity=0, interactive=False)

    out = StringIO()
    started = time.perf_counter()
    call_command("demo_data", enterprises=str(args.enterprises), seed=str(args.seed), as_of=args.as_of, stdout=out)
    demo_seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    manifest = json.loads((Path(os.environ["ZHIFA_VAR_DIR"]) / "demo-manifest.json").read_text())
    demo_rows = sum(manifest["counts"].values())
    demo_rate = demo_rows / demo_seconds
    emit(f"demo.{vendor}.enterprises", args.enterprises)
    emit(f"demo.{vendor}.rows", demo_rows)
    emit(f"demo.{vendor}.seconds", demo_seconds)
    emit(f"demo.{vendor}.rows_per_s", demo_rate)
    emit(f"demo.{vendor}.peak_rss_mb", peak_mb)

    connection.ensure_connection()
    for prefix, tables in (("raw", RAW_TABLES), ("raw_all", ALL_TABLES)):
        if prefix == "raw_all" and not args.all_tables:
            continue
        raw_rows, raw_seconds = raw_copy(connection, vendor, tables)
        raw_rate = raw_rows / raw_seconds
        emit(f"{prefix}.{vendor}.rows", raw_rows)
        emit(f"{prefix}.{vendor}.seconds", raw_seconds)
        emit(f"{prefix}.{vendor}.rows_per_s", raw_rate)
        emit(f"{prefix.replace('raw', 'ratio')}.{vendor}", raw_rate / demo_rate)
    return 0


def raw_copy(connection, vendor: str, tables: tuple[str, ...]) -> tuple[int, float]:
    """Insert the rows of `tables` again into identical scratch tables, timing only the inserts
    (and the commit): one transaction, chunks of CHUNK rows read outside the timer."""
    from django.db import transaction

    for table in tables:
        create_scratch(connection, vendor, table)
    total_rows, timed = 0, 0.0
    with transaction.atomic():
        with connection.cursor() as cursor:
            if vendor == "sqlite":
                cursor.execute("PRAGMA cache_size=-262144")  # as demo_data does
            else:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as demo_data does
        for table in tables:
            columns = table_columns(connection, vendor, table)
            col_sql = ", ".join(f'"{c}"' for c in columns)
            select_sql = f'SELECT {select_list(connection, vendor, table, columns)} FROM "{table}" WHERE "id" > %s ORDER BY "id" LIMIT {CHUNK}'
            insert_sql = f'INSERT INTO "scratch_{table}" ({col_sql}) VALUES ({", ".join(["%s"] * len(columns))})'
            copy_sql = f'COPY "scratch_{table}" ({col_sql}) FROM STDIN'
            last = 0
            while True:
                with connection.cursor() as cursor:
                    cursor.execute(select_sql, [last])
                    rows = cursor.fetchall()
                if not rows:
                    break
                last = rows[-1][0]
                t0 = time.perf_counter()
                with connection.cursor() as cursor:
                    if vendor == "postgres":
                        with cursor.copy(copy_sql) as copy:
                            for row in rows:
                                copy.write_row(row)
                    else:
                        cursor.executemany(insert_sql, rows)
                timed += time.perf_counter() - t0
                total_rows += len(rows)
        t0 = time.perf_counter()
    timed += time.perf_counter() - t0  # the commit
    for table in reversed(tables):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP TABLE "scratch_{table}"')
    return total_rows, timed


def table_columns(connection, vendor: str, table: str) -> list[str]:
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute(f'PRAGMA table_info("{table}")')
            return [row[1] for row in cursor.fetchall()]
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position", [table])
        return [row[0] for row in cursor.fetchall()]


def select_list(connection, vendor: str, table: str, columns: list[str]) -> str:
    """Columns as the generator hands them to the driver: JSON as text on PostgreSQL."""
    if vendor == "sqlite":
        return ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        cursor.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s", [table])
        types = dict(cursor.fetchall())
    return ", ".join(f'"{c}"::text' if types[c] in ("jsonb", "json") else f'"{c}"' for c in columns)


def create_scratch(connection, vendor: str, table: str) -> None:
    """An identical empty table `scratch_<table>`: same columns, indexes, unique/check constraints, FKs."""
    scratch = f"scratch_{table}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE IF EXISTS "{scratch}"')
        if vendor == "sqlite":
            cursor.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL", [table])
            objects = cursor.fetchall()
            for kind, name, sql in sorted(objects, key=lambda o: o[0] != "table"):
                renamed = sql.replace(f'"{table}"', f'"{scratch}"', 1)
                if kind == "index":
                    renamed = renamed.replace(f'"{name}"', f'"scratch_{name}"', 1).replace(f'ON "{table}"', f'ON "{scratch}"')
                cursor.execute(renamed)
            return
        cursor.execute(f'CREATE TABLE "{scratch}" (LIKE "{table}" INCLUDING ALL)')
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'", [table]
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'ALTER TABLE "{scratch}" ADD CONSTRAINT "scratch_{name}" {definition}')


if __name__ == "__main__":
    sys.exit(main())
