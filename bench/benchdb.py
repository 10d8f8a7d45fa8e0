"""Throwaway databases for the benchmark scripts (shared by bench_ledger.py and bench_evidence.py)."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def prepare_throwaway_database(pg_database: str, sqlite_prefix: str, keep: bool) -> tuple[str, Callable[[], None]]:
    """Point ZHIFA_DATABASE_URL at a fresh throwaway database; return (description, cleanup).

    With a PostgreSQL ZHIFA_DATABASE_URL, `pg_database` is (re)created on that server;
    otherwise a new SQLite file under /tmp is used (WAL, synchronous=FULL as in production).
    """
    given = os.environ.get("ZHIFA_DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(given)
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{pg_database}"')
            conn.execute(f'CREATE DATABASE "{pg_database}"')
        os.environ["ZHIFA_DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{pg_database}"))

        def drop_pg() -> None:
            if keep:
                return
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_database}"')

        return f"postgresql (throwaway database {pg_database})", drop_pg

    fd, path = tempfile.mkstemp(prefix=sqlite_prefix, suffix=".sqlite3", dir="/tmp")
    os.close(fd)
    os.unlink(path)
    os.environ["ZHIFA_DATABASE_URL"] = f"sqlite:///{path}"

    def remove_sqlite() -> None:
        if keep:
            print(f"kept {path}")
            return
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)

    return f"sqlite ({path}, WAL, synchronous=FULL)", remove_sqlite
