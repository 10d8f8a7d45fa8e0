"""Database triggers that refuse UPDATE and DELETE on append-only tables (REC-16, SEC-09).

The ORM refuses such writes already (models.AppendOnlyQuerySet); the triggers make the database
itself refuse them, so raw SQL, a shell or another program cannot quietly edit a ledger row.
Anyone with DDL rights can still drop a trigger, which is why the ledger is also a Merkle tree
with signed checkpoints: what slips past the triggers is detected by `ledger_verify`.

- SQLite: BEFORE UPDATE / BEFORE DELETE triggers that RAISE(ABORT).
- PostgreSQL: one plpgsql function raising `restrict_violation`, bound as a row trigger for
  UPDATE OR DELETE and a statement trigger for TRUNCATE.

Both surface in Django as `IntegrityError`. Other apps with append-only tables reuse this: one
migration operation `install_operation(TABLES)` and `register_tables(TABLES)` in `AppConfig.ready`
so that test databases can still be flushed (see management/commands/flush.py).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

LEDGER_TABLES = ("ledger_ledgerentry", "ledger_checkpoint")
PG_FUNCTION = "zhifa_append_only_refuse"
MESSAGE = "append-only table: UPDATE and DELETE are refused (REC-16)"

_registered: list[str] = list(LEDGER_TABLES)


def register_table(table: str) -> None:
    """Let flush-in-tests and `guarded_tables()` know about another append-only table."""
    if table not in _registered:
        _registered.append(table)


def register_tables(tables: tuple[str, ...]) -> None:
    for table in tables:
        register_table(table)


def install_operation(tables: tuple[str, ...]):
    """The migration operation that installs (and, reversed, drops) the triggers of `tables`."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        for table in tables:
            for sql in install_sql(schema_editor.connection.vendor, table):
                schema_editor.execute(sql, None)

    def backwards(apps, schema_editor):
        for table in tables:
            for sql in drop_sql(schema_editor.connection.vendor, table):
                schema_editor.execute(sql, None)

    return migrations.RunPython(forwards, backwards)


def guarded_tables() -> tuple[str, ...]:
    return tuple(_registered)


def _trigger_names(table: str) -> tuple[str, str]:
    return f"{table}_no_update", f"{table}_no_delete"


def install_sql(vendor: str, table: str) -> list[str]:
    no_update, no_delete = _trigger_names(table)
    if vendor == "sqlite":
        return [
            f'CREATE TRIGGER IF NOT EXISTS "{no_update}" BEFORE UPDATE ON "{table}" BEGIN SELECT RAISE(ABORT, \'{MESSAGE}\'); END;',
            f'CREATE TRIGGER IF NOT EXISTS "{no_delete}" BEFORE DELETE ON "{table}" BEGIN SELECT RAISE(ABORT, \'{MESSAGE}\'); END;',
        ]
    if vendor == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = '{MESSAGE}: ' || TG_OP || ' on ' || TG_TABLE_NAME, ERRCODE = 'restrict_violation';
END $$;""",
            f'DROP TRIGGER IF EXISTS "{no_update}" ON "{table}";',
            f'DROP TRIGGER IF EXISTS "{no_delete}" ON "{table}";',
            f'CREATE TRIGGER "{no_update}" BEFORE UPDATE OR DELETE ON "{table}" FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}();',
            f'CREATE TRIGGER "{no_delete}" BEFORE TRUNCATE ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}();',
        ]
    raise RuntimeError(f"append-only triggers are not implemented for database vendor {vendor!r}")


def drop_sql(vendor: str, table: str) -> list[str]:
    no_update, no_delete = _trigger_names(table)
    if vendor == "sqlite":
        return [f'DROP TRIGGER IF EXISTS "{no_update}";', f'DROP TRIGGER IF EXISTS "{no_delete}";']
    if vendor == "postgresql":
        return [f'DROP TRIGGER IF EXISTS "{no_update}" ON "{table}";', f'DROP TRIGGER IF EXISTS "{no_delete}" ON "{table}";']
    raise RuntimeError(f"append-only triggers are not implemented for database vendor {vendor!r}")


def install(connection, table: str) -> None:
    with connection.cursor() as cur:
        for sql in install_sql(connection.vendor, table):
            cur.execute(sql)


def drop(connection, table: str) -> None:
    with connection.cursor() as cur:
        for sql in drop_sql(connection.vendor, table):
            cur.execute(sql)


def installed(connection, table: str) -> bool:
    """True when both refusing triggers exist on `table` (checked by ledger_verify)."""
    names = set(_trigger_names(table))
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
        elif connection.vendor == "postgresql":
            cur.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal AND tgenabled <> 'D'",
                [f'"{table}"'],
            )
        else:
            return False
        found = {row[0] for row in cur.fetchall()}
    return names <= found


@contextmanager
def suspended(connection, tables: tuple[str, ...] | None = None) -> Iterator[None]:
    """Drop the triggers for the duration of the block and put them back afterwards.

    Used only by test-database flushes and by tests that play an attacker editing rows behind
    the application's back.
    """
    existing = set(connection.introspection.table_names())
    tables = tuple(t for t in (guarded_tables() if tables is None else tables) if t in existing)
    for table in tables:
        drop(connection, table)
    try:
        yield
    finally:
        for table in tables:
            install(connection, table)
