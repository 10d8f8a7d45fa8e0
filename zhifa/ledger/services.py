"""Appending to the ledger. Every service write of every app calls `ledger_append` inside its
own transaction, so the write and its log entry commit or roll back together."""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from .models import LedgerEntry

_PG_LOCK_KEY = 0x7A686966  # "zhif": serialises appends so leaf indexes stay gap-free


def _json_default(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON-serialisable: {type(value).__name__}")


def canonical_json(payload: dict[str, Any]) -> bytes:
    """Deterministic bytes for hashing: sorted keys, no whitespace, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default).encode()


def entry_bytes(*, index: int, recorded_at: str, actor_id: int | None, action: str, object_type: str, object_id: str, payload_sha256: str) -> bytes:
    """The leaf data d of an entry (everything that identifies it, including the payload hash)."""
    return canonical_json(
        {
            "i": index,
            "t": recorded_at,
            "a": actor_id,
            "act": action,
            "ot": object_type,
            "oid": object_id,
            "ph": payload_sha256,
        }
    )


def leaf_hash(data: bytes) -> str:
    """RFC 9162 §2.1.1: MTH of a single leaf = SHA-256(0x00 ‖ d)."""
    return hashlib.sha256(b"\x00" + data).hexdigest()


def ledger_append(*, actor, action: str, object_type: str, object_id: Any = "", payload: dict[str, Any] | None = None) -> LedgerEntry:
    """Append one entry; must run inside the caller's atomic block (REC-16, SEC-02)."""
    if not connection.in_atomic_block:
        raise RuntimeError("ledger_append must be called inside transaction.atomic()")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
    payload = payload or {}
    # Round-trip so the stored JSON equals what was hashed (dates/decimals become strings).
    payload = json.loads(canonical_json(payload))
    payload_sha = hashlib.sha256(canonical_json(payload)).hexdigest()
    last = LedgerEntry.objects.aggregate(m=Max("index"))["m"]
    index = 0 if last is None else last + 1
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    data = entry_bytes(
        index=index,
        recorded_at=now.isoformat(),
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        payload_sha256=payload_sha,
    )
    return LedgerEntry.objects.create(
        index=index,
        recorded_at=now,
        actor_id=actor_id,
        actor_label=str(actor) if actor is not None else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        payload=payload,
        payload_sha256=payload_sha,
        leaf_hash=leaf_hash(data),
    )


__all__ = ["ledger_append", "canonical_json", "entry_bytes", "leaf_hash", "transaction"]
