"""The test-only `flush` override never suspends the append-only triggers on a real database (REC-16)."""
from types import SimpleNamespace

import pytest

from zhifa.ledger.management.commands.flush import _is_test_database


@pytest.mark.parametrize(
    ("name", "test_name", "expected"),
    [
        ("/srv/zhifa/var/zhifa.sqlite3", None, False),
        ("zhifa", "test_zhifa_123", False),
        ("test_zhifa_123_gw0", "test_zhifa_123_gw0", True),
        ("file:memorydb_default?mode=memory&cache=shared", None, True),
    ],
)
def test_rec_16__flush_guard_recognises_only_test_databases(name, test_name, expected):
    # given a connection's settings / when the flush guard asks / then only test databases qualify
    connection = SimpleNamespace(settings_dict={"NAME": name, "TEST": {"NAME": test_name}})
    assert _is_test_database(connection) is expected
