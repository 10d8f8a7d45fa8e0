"""Small SQL functions the detection queries need on both databases.

`MinusMonths(date_expr, n)` is "the same day n months earlier, clamped to the month's last day"
(the convention of `rules.minus_months`). PostgreSQL does this natively with interval arithmetic;
SQLite's date('-n months') overflows into the next month instead (31 May − 3 months = 3 March), so
on SQLite the pure Python function is registered as a deterministic SQL function. Both therefore
agree with the pure evaluators to the day (tested in test_sqlfuncs).
"""
from __future__ import annotations

from datetime import date

from django.db import models
from django.db.backends.signals import connection_created

from .rules import minus_months

SQLITE_FUNCTION = "zhifa_minus_months"


def _sqlite_minus_months(value: str | None, months: int | None) -> str | None:
    if value is None or months is None:
        return None
    return minus_months(date.fromisoformat(value[:10]), int(months)).isoformat()


def _register(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 2, _sqlite_minus_months, deterministic=True)


def connect_signal() -> None:
    connection_created.connect(_register, dispatch_uid="zhifa.clues.sqlfuncs")


class MinusMonths(models.Func):
    """`date_expr − n months` as a DATE, same result on SQLite and PostgreSQL."""

    output_field = models.DateField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        return f"(({date_sql}) - make_interval(months => ({months_sql})::int))::date", (*date_params, *months_params)
