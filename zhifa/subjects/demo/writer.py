"""Bulk row writer for the demo generator: `executemany` on SQLite, `COPY … FROM STDIN` on PostgreSQL.

Rows are plain tuples in a declared column order, with values already in a form both drivers
accept (dates as ISO strings, decimals as strings, JSON as text). Columns of the model that the
generator does not fill (timestamps, fields other apps add later with a default) are appended
from the model's own defaults, so a new nullable/defaulted field does not break the generator.

Primary keys are assigned by the generator (from MAX(id)+1), which lets child rows refer to
parents without a round trip; `reset_sequences` realigns PostgreSQL sequences afterwards.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection
from django.db.models import NOT_PROVIDED, Max, Model
from django.utils import timezone


class Table:
    """One model's table: the column order, the constant tail, the insert statement and a row buffer."""

    def __init__(self, model: type[Model], fields: Sequence[str], *, now=None):
        self.model = model
        self.table = model._meta.db_table
        concrete = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [name for name in fields if name not in concrete]
        if unknown:
            raise ValueError(f"{model.__name__} has no column(s) {unknown}")
        now = now or timezone.now()
        tail_fields = [f for name, f in concrete.items() if name not in fields]
        self.columns = [concrete[name].column for name in fields] + [f.column for f in tail_fields]
        self.tail = tuple(_default_db_value(f, now) for f in tail_fields)
        quote = connection.ops.quote_name
        cols = ", ".join(quote(c) for c in self.columns)
        self.insert_sql = f"INSERT INTO {quote(self.table)} ({cols}) VALUES ({', '.join(['%s'] * len(self.columns))})"
        self.copy_sql = f"COPY {quote(self.table)} ({cols}) FROM STDIN"
        self.rows: list[tuple] = []
        self.written = 0

    def next_id(self) -> int:
        """First free primary key (MAX(id)+1; 1 on an empty table)."""
        return (self.model._base_manager.aggregate(m=Max("pk"))["m"] or 0) + 1

    def take(self) -> list[tuple]:
        """Hand over the buffered rows (generator side) and start a new buffer."""
        rows, self.rows = self.rows, []
        return rows

    def write(self, rows: list[tuple]) -> int:
        """Write rows taken from the buffer (database side, on the connection's own thread)."""
        if not rows:
            return 0
        if self.tail:
            tail = self.tail
            rows = [row + tail for row in rows]
        write_rows(self.insert_sql, self.copy_sql, rows)
        self.written += len(rows)
        return len(rows)

    def flush(self) -> int:
        return self.write(self.take())


def write_rows(insert_sql: str, copy_sql: str, rows: Iterable[tuple]) -> None:
    """Write rows with the fastest plain mechanism of the backend (COPY on PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(copy_sql) as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
        else:
            cursor.executemany(insert_sql, rows)


def _default_db_value(field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = now
    elif field.default is not NOT_PROVIDED:
        value = field.get_default()
    elif field.null:
        return None
    elif field.blank and field.empty_strings_allowed:
        value = ""
    else:
        raise ValueError(f"{field.model.__name__}.{field.name} has no default; the demo generator must fill it")
    return field.get_db_prep_save(value, connection)


def reset_sequences(models: Iterable[type[Model]]) -> None:
    """After explicit primary keys: point PostgreSQL sequences past MAX(id) (no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if not statements:
        return
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
