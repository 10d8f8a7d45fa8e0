"""Writing to the ledger. Every service write of every app calls `ledger_append` inside its own
transaction, so the write and its log entry commit or roll back together (REC-16, SEC-02).

Appends are serialised so that leaf indexes are gap-free: on PostgreSQL by a transaction-scoped
advisory lock, on SQLite by `BEGIN IMMEDIATE` (settings: transaction_mode), which takes the
database write lock when the transaction starts.
"""
from __future__ import annotations

import base64
import json
import math
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from zhifa.common.errors import ZhifaError

from . import keys, merkle, note
from .errors import LedgerErrorCode
from .leaf import canonical_json, entry_bytes, format_time, leaf_hash, payload_digest
from .models import Checkpoint, LedgerEntry
from .selectors import consistency_proof, inclusion_proof, latest_checkpoint
from .verification import VerificationReport, check_row, iter_rows, ledger_size

_PG_LOCK_KEY = 0x7A686966  # "zhif": serialises appends so leaf indexes stay gap-free

CHECKPOINT_ACTION = "ledger.checkpoint.create"


def _lock_log() -> None:
    """Serialise writers of the log for the rest of the current transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])


def _normalise(value: Any) -> Any:
    """Make a payload survive both JSON stores unchanged, so its hash can be recomputed later.

    PostgreSQL jsonb keeps numbers as `numeric`: a float such as 1e16 comes back as the integer
    10000000000000000 and -0.0 as 0.0; it also rejects U+0000 in text. Normalise those here.
    """
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("ledger payloads cannot contain NaN or infinity")
        if value == 0:
            return 0.0
        if value.is_integer() and abs(value) >= 1e16:
            return int(value)
        return value
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_normalise(str(k)): _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def ledger_append(*, actor, action: str, object_type: str, object_id: Any = "", payload: dict[str, Any] | None = None) -> LedgerEntry:
    """Append one entry; must run inside the caller's atomic block (REC-16, SEC-02)."""
    if not connection.in_atomic_block:
        raise RuntimeError("ledger_append must be called inside transaction.atomic()")
    object_id = "" if object_id is None else str(object_id)
    if len(action) > 64 or len(object_type) > 64 or len(object_id) > 64:
        raise ValueError("ledger action, object_type and object_id are limited to 64 characters")
    _lock_log()
    # Round-trip so the stored JSON equals what was hashed (dates/decimals become strings).
    payload = _normalise(json.loads(canonical_json(payload or {})))
    payload_sha = payload_digest(payload)
    index = ledger_size()
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    actor_label = (str(actor) if actor is not None else "system")[:150]
    data = entry_bytes(
        index=index,
        recorded_at=now,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        payload_sha256=payload_sha,
    )
    return LedgerEntry.objects.create(
        index=index,
        recorded_at=now,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        payload=payload,
        payload_sha256=payload_sha,
        leaf_hash=leaf_hash(data),
    )


def _start_range(last: Checkpoint | None, size: int) -> merkle.CompactRange:
    """Resume from the last checkpoint's frontier if it is sound, else start from leaf 0."""
    if last is None or last.tree_size > size:
        return merkle.CompactRange()
    try:
        frontier = [bytes.fromhex(h) for h in last.frontier]
        rng = merkle.CompactRange(last.tree_size, frontier)
    except ValueError:
        return merkle.CompactRange()
    if rng.root().hex() != last.root_hash:
        return merkle.CompactRange()
    return rng


def checkpoint_create(*, actor) -> Checkpoint:
    """Sign the current tree head and store it as a checkpoint; log the act (REC-16, SEC-09).

    Entries added since the previous checkpoint are re-verified from their fields first; a
    checkpoint is never signed over an entry that does not match its own hash.
    """
    try:
        signing_key = keys.private_key(create=True)
        origin = keys.origin()
    except (keys.KeyFileError, note.NoteError, OSError) as exc:
        raise ZhifaError(LedgerErrorCode.KEY_UNAVAILABLE, f"无法使用账本签名密钥：{exc}", rule="SEC-09", status=500) from exc
    with transaction.atomic():
        _lock_log()
        size = ledger_size()
        last = Checkpoint.objects.order_by("-tree_size", "-id").first()
        rng = _start_range(last, size)
        expected = rng.size
        for row in iter_rows(rng.size, size):
            leaf, problems = check_row(row)
            if row[0] != expected:
                problems.insert(0, (None, f"缺少第 {expected} 条"))
            if problems:
                reason = "；".join(message for _, message in problems)
                raise ZhifaError(
                    LedgerErrorCode.ENTRY_TAMPERED,
                    f"第 {row[0]} 条账本条目校验失败（{reason}），拒绝签署检查点。请运行 ledger_verify 核查。",
                    rule="REC-16",
                    status=409,
                )
            rng.append(leaf)
            expected += 1
        if rng.size != size:
            raise ZhifaError(LedgerErrorCode.ENTRY_TAMPERED, "账本序号不连续，拒绝签署检查点。请运行 ledger_verify 核查。", rule="REC-16", status=409)
        root = rng.root()
        body = note.checkpoint_body(origin, size, root)
        sig = note.sign_body(body, origin, signing_key)
        checkpoint = Checkpoint.objects.create(
            origin=origin,
            tree_size=size,
            root_hash=root.hex(),
            signed_at=timezone.now(),
            signature=base64.b64encode(sig.signature).decode(),
            key_id=sig.key_hash.hex(),
            frontier=[h.hex() for h in rng.frontier],
        )
        ledger_append(
            actor=actor,
            action=CHECKPOINT_ACTION,
            object_type="ledger.checkpoint",
            object_id=checkpoint.pk,
            payload={"tree_size": size, "root_hash": base64.b64encode(root).decode(), "key_id": sig.key_hash.hex()},
        )
    return checkpoint


def checkpoint_note(checkpoint: Checkpoint) -> str:
    """The checkpoint as C2SP signed-note text, for download, printing or sending elsewhere."""
    body = note.checkpoint_body(checkpoint.origin, checkpoint.tree_size, bytes.fromhex(checkpoint.root_hash))
    sig = note.Signature(checkpoint.origin, bytes.fromhex(checkpoint.key_id), base64.b64decode(checkpoint.signature))
    return note.format_note(body, [sig])


def ledger_verification_record(*, actor, report: VerificationReport) -> LedgerEntry:
    """Log that someone verified the ledger and what they found (SEC-02: reads are logged too)."""
    first = report.first_bad
    with transaction.atomic():
        return ledger_append(
            actor=actor,
            action="ledger.verify",
            object_type="ledger.log",
            object_id="",
            payload={
                "tree_size": report.tree_size,
                "root_hash": base64.b64encode(report.root_hash).decode(),
                "ok": report.ok,
                "findings": report.findings_total,
                "first_bad_index": first.index if first else None,
            },
        )


__all__ = [
    "ledger_append",
    "canonical_json",
    "entry_bytes",
    "format_time",
    "leaf_hash",
    "payload_digest",
    "checkpoint_create",
    "checkpoint_note",
    "ledger_verification_record",
    "inclusion_proof",
    "consistency_proof",
    "latest_checkpoint",
    "transaction",
]
