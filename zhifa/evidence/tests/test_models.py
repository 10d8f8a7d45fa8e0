"""EVI-09 / REC-16: evidence rows are never updated or deleted — neither by the ORM nor by SQL."""
from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from zhifa.evidence import services
from zhifa.evidence.apps import APPEND_ONLY_TABLES
from zhifa.evidence.models import CustodyEvent, EvidenceFile, EvidenceItem, EvidenceLink, EvidenceReview

from .samples import ALL_PASS

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(users, register):
    item = register(users["officer"])
    services.evidence_review(actor=users["reviewer"], item=item, criteria=ALL_PASS)
    services.evidence_link(actor=users["officer"], item=item, object_type="cases.case", object_id="1")
    return {
        EvidenceItem: item,
        EvidenceFile: item.file,
        EvidenceReview: item.reviews.get(),
        EvidenceLink: item.links.get(),
        CustodyEvent: item.custody_events.first(),
    }


@pytest.mark.parametrize("model", [EvidenceItem, EvidenceFile, EvidenceReview, EvidenceLink, CustodyEvent])
def test_evi_09__orm_refuses_save_delete_and_queryset_writes(rows, model):
    obj = rows[model]
    with pytest.raises(PermissionError):
        obj.save()
    with pytest.raises(PermissionError):
        obj.delete()
    with pytest.raises(PermissionError):
        model.objects.filter(pk=obj.pk).update(pk=obj.pk)
    with pytest.raises(PermissionError):
        model.objects.filter(pk=obj.pk).delete()
    assert model.objects.filter(pk=obj.pk).exists()


def test_evi_09__migration_and_app_guard_the_same_tables():
    from importlib import import_module

    migration = import_module("zhifa.evidence.migrations.0002_append_only_triggers")
    assert migration.TABLES == APPEND_ONLY_TABLES
    assert set(APPEND_ONLY_TABLES) == {m._meta.db_table for m in (EvidenceItem, EvidenceFile, EvidenceReview, EvidenceLink, CustodyEvent)}


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_evi_09__triggers_installed(table):
    from zhifa.ledger import dbguard

    assert dbguard.installed(connection, table)


def _raw(sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("evidence_evidenceitem", "title", "偷改"),
        ("evidence_evidenceitem", "object_proven", "偷改"),
        ("evidence_evidencefile", "sha256", "0" * 64),
        ("evidence_evidencereview", "result", "FAIL"),
        ("evidence_evidencelink", "object_id", "999"),
        ("evidence_custodyevent", "purpose", "偷改"),
    ],
)
def test_evi_09__database_refuses_update(rows, table, column, value):
    # given rows written through the services / when SQL updates them behind the ORM's back
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"UPDATE {table} SET {column} = %s", [value])
    # then nothing changed
    item = rows[EvidenceItem]
    assert EvidenceItem.objects.get(pk=item.pk).title == item.title
    assert EvidenceReview.objects.get().result == "PASS"


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_evi_09__database_refuses_delete(rows, table):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {table}")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        assert cursor.fetchone()[0] >= 1
