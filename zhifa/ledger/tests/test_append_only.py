"""REC-16 / SEC-09: ledger rows cannot be updated or deleted, neither through the ORM nor with
raw SQL (database triggers on SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from zhifa.ledger import dbguard
from zhifa.ledger.models import Checkpoint, LedgerEntry
from zhifa.ledger.services import checkpoint_create


@pytest.fixture
def entry(append_entries):
    return append_entries(1)[0]


def _raw(sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)


def test_rec_16__triggers_are_installed_on_both_tables(db):
    # given a migrated database, then both ledger tables carry the refusing triggers
    for table in dbguard.LEDGER_TABLES:
        assert dbguard.installed(connection, table), table


def test_rec_16__orm_refuses_save_of_existing_entry(entry):
    entry.action = "changed"
    with pytest.raises(PermissionError):
        entry.save()


def test_rec_16__orm_refuses_delete(entry):
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        LedgerEntry.objects.all().update(action="x")
    with pytest.raises(PermissionError), transaction.atomic():
        LedgerEntry.objects.bulk_update([entry], ["action"])
    assert LedgerEntry.objects.get(pk=entry.pk).action == "test.write"


def test_rec_16__raw_sql_update_is_refused_by_the_database(entry):
    # given an entry, when raw SQL tries to change its payload, then the database refuses
    with pytest.raises(IntegrityError, match="append-only"):
        _raw('UPDATE ledger_ledgerentry SET action = %s WHERE id = %s', ["forged", entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).action == "test.write"


def test_rec_16__raw_sql_delete_is_refused_by_the_database(entry):
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("DELETE FROM ledger_ledgerentry WHERE id = %s", [entry.pk])
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("DELETE FROM ledger_ledgerentry")
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_rec_16__checkpoints_are_append_only_too(append_entries):
    append_entries(3)
    checkpoint = checkpoint_create(actor=None)
    with pytest.raises(PermissionError):
        checkpoint.delete()
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("UPDATE ledger_checkpoint SET tree_size = 99 WHERE id = %s", [checkpoint.pk])
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("DELETE FROM ledger_checkpoint")
    assert Checkpoint.objects.get(pk=checkpoint.pk).tree_size == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE triggers exist on PostgreSQL only; SQLite has no TRUNCATE")
def test_rec_16__truncate_is_refused_on_postgresql(entry):
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("TRUNCATE ledger_ledgerentry")
    assert LedgerEntry.objects.count() == 1


def test_rec_16__inserting_stays_possible(entry):
    # the triggers refuse changes only: appending (INSERT) is the one permitted write
    assert LedgerEntry.objects.count() == 1


def test_rec_16__suspended_triggers_come_back(entry):
    # given the triggers suspended (as an attacker with DDL rights would), then they are restored
    with dbguard.suspended(connection):
        assert not dbguard.installed(connection, "ledger_ledgerentry")
    assert dbguard.installed(connection, "ledger_ledgerentry")
    with pytest.raises(IntegrityError):
        _raw("DELETE FROM ledger_ledgerentry")
