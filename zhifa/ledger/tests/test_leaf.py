"""The leaf format (docs/ledger.md): canonical JSON, the fast leaf-data writer, and payload storage."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.ledger.errors import FindingCode
from zhifa.ledger.leaf import _entry_dict, canonical_json, entry_bytes, format_time
from zhifa.ledger.models import LedgerEntry
from zhifa.ledger.services import ledger_append
from zhifa.ledger.verification import ledger_verify

from .test_verification import _tamper_raw_payload

texts = st.text(max_size=30)
times = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30))]))


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=2**62), times, st.one_of(st.none(), st.integers(min_value=1, max_value=2**62)), texts, texts, texts, texts, texts)
def test_rec_16__fast_leaf_writer_equals_canonical_json(index, moment, actor_id, label, action, object_type, object_id, ph):
    # given any field values, when written by the fast path, then the bytes equal canonical_json
    fast = entry_bytes(index=index, recorded_at=moment, actor_id=actor_id, actor_label=label, action=action, object_type=object_type, object_id=object_id, payload_sha256=ph)
    assert fast == canonical_json(_entry_dict(index, moment, actor_id, label, action, object_type, object_id, ph))
    assert json.loads(fast)["t"] == moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_rec_16__naive_times_are_refused():
    with pytest.raises(ValueError):
        format_time(datetime(2026, 1, 1))


def test_rec_16__canonical_json_is_sorted_compact_utf8():
    assert canonical_json({"b": 1, "a": ["名", 1.5, None]}) == '{"a":["名",1.5,null],"b":1}'.encode()
    with pytest.raises(ValueError):
        canonical_json({"x": float("inf")})


def test_rec_16__sqlite_stores_the_hashed_payload_bytes(db):
    # given an append, then the stored JSON is (SQLite) the canonical text, or (PostgreSQL jsonb)
    # decodes to the same value
    with transaction.atomic():
        entry = ledger_append(actor=None, action="x", object_type="y", payload={"z": 1, "a": "名"})
    with connection.cursor() as cur:
        cur.execute("SELECT payload FROM ledger_ledgerentry WHERE id = %s", [entry.pk])
        raw = cur.fetchone()[0]
    if connection.vendor == "sqlite":
        assert raw == '{"a":"名","z":1}'
    assert json.loads(raw) == {"a": "名", "z": 1}
    assert LedgerEntry.objects.get(pk=entry.pk).payload == {"a": "名", "z": 1}


def test_rec_16__reformatted_but_equal_payload_is_not_a_finding(append_entries):
    # given the stored JSON rewritten with other spacing and key order but the same content,
    # then verification (which falls back to canonical re-encoding) finds nothing
    append_entries(3)
    _tamper_raw_payload(1, '{ "名称": "对象1",  "n": 1 }')
    assert ledger_verify().ok


def test_rec_16__invalid_stored_json_is_named(append_entries):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL jsonb cannot hold invalid JSON at all")
    # given an attacker who also switches off SQLite's JSON_VALID check constraint
    append_entries(3)
    with connection.cursor() as cur:
        cur.execute("PRAGMA ignore_check_constraints = ON")
    try:
        _tamper_raw_payload(2, "{not json")
    finally:
        with connection.cursor() as cur:
            cur.execute("PRAGMA ignore_check_constraints = OFF")
    report = ledger_verify()
    assert report.first_bad.index == 2 and report.first_bad.code == FindingCode.ENTRY_UNREADABLE
