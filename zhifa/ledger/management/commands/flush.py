"""`flush` that can still empty a *test* database although ledger tables refuse DELETE/TRUNCATE.

Django's TransactionTestCase (pytest-django `transactional_db`, `live_server`) empties every table
with `flush` after each test. The append-only triggers (REC-16) refuse that, so while the test
environment is active the triggers are dropped for the flush and put back straight after.
Outside tests nothing changes: flushing a real database fails on the ledger tables, as it should.
"""
from __future__ import annotations

from django.core import mail
from django.core.management.commands import flush
from django.db import connections

from zhifa.ledger import dbguard


def _test_environment_active() -> bool:
    # django.test.utils.setup_test_environment() creates mail.outbox; it exists only under tests.
    return hasattr(mail, "outbox")


def _is_test_database(connection) -> bool:
    """True only for a database Django's test runner created (its TEST name, in-memory, or test_*)."""
    name = str(connection.settings_dict.get("NAME") or "")
    test_name = (connection.settings_dict.get("TEST") or {}).get("NAME")
    base = name.rsplit("/", 1)[-1]
    return name == test_name or "memorydb" in name or name == ":memory:" or base.startswith("test_")


class Command(flush.Command):
    help = flush.Command.help + " (ledger tables are emptied only in test databases)"

    def handle(self, **options):
        connection = connections[options["database"]]
        if not (_test_environment_active() and _is_test_database(connection)):
            return super().handle(**options)
        with dbguard.suspended(connection):
            return super().handle(**options)
