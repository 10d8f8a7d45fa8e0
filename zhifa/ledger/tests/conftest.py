"""Fixtures for ledger tests: a private signing key per test and a few helpers."""
from __future__ import annotations

import pytest
from django.db import transaction


@pytest.fixture(autouse=True)
def ledger_key_file(settings, tmp_path):
    """Each test signs with its own throwaway key, never the one in ./var."""
    settings.ZHIFA_LEDGER_KEY_FILE = tmp_path / "keys" / "ledger-ed25519.key"
    settings.ZHIFA_LEDGER_ORIGIN = "zhifa.test/ledger"
    return settings.ZHIFA_LEDGER_KEY_FILE


@pytest.fixture
def append_entries(db):
    """append_entries(n) appends n ordinary entries through the real service."""
    from zhifa.ledger.services import ledger_append

    def _append(n: int, *, actor=None, start: int = 0):
        entries = []
        for i in range(start, start + n):
            with transaction.atomic():
                entries.append(
                    ledger_append(actor=actor, action="test.write", object_type="test.thing", object_id=i, payload={"n": i, "名称": f"对象{i}"})
                )
        return entries

    return _append
