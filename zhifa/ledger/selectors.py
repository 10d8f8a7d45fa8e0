"""Reads of the ledger: the latest checkpoint and proofs for outsiders (RFC 9162 §2.1.3, §2.1.4).

Proofs are built over the stored leaf hashes; whoever receives one checks it against a signed
checkpoint (tree size and root) that they obtained independently. Hashes are standard base64,
as in checkpoints and in the RFC 9162 test vectors.
"""
from __future__ import annotations

import base64
from typing import Any

from zhifa.common.errors import ZhifaError

from . import merkle
from .errors import LedgerErrorCode
from .leaf import entry_bytes
from .models import Checkpoint, LedgerEntry
from .verification import ledger_size


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-tree_size", "-id").first()


def _size_arg(value: Any, name: str, label: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ZhifaError(LedgerErrorCode.INVALID_SIZE, f"{label}必须是整数", field=name) from exc
    if number < 0:
        raise ZhifaError(LedgerErrorCode.INVALID_SIZE, f"{label}不能为负数", field=name)
    return number


def _leaf_hashes(tree_size: int) -> list[bytes]:
    qs = LedgerEntry.objects.filter(index__lt=tree_size).order_by("index").values_list("leaf_hash", flat=True)
    leaves = [bytes.fromhex(h) for h in qs.iterator(chunk_size=20000)]
    if len(leaves) != tree_size:
        raise ZhifaError(LedgerErrorCode.ENTRY_TAMPERED, "账本序号不连续，无法生成证明。请运行 ledger_verify 核查。", rule="REC-16", status=409)
    return leaves


def entry_leaf_data(entry: LedgerEntry) -> bytes:
    """The leaf data d of a stored entry, exactly as hashed."""
    return entry_bytes(
        index=entry.index,
        recorded_at=entry.recorded_at,
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        payload_sha256=entry.payload_sha256,
    )


def inclusion_proof(index: Any, tree_size: Any = None) -> dict[str, Any]:
    """Audit path of entry `index` in the tree of `tree_size` leaves (default: the whole log)."""
    size = ledger_size()
    index = _size_arg(index, "index", "条目序号")
    tree_size = size if tree_size in (None, "") else _size_arg(tree_size, "tree_size", "树大小")
    if tree_size > size:
        raise ZhifaError(LedgerErrorCode.INVALID_SIZE, f"树大小不能超过当前账本大小 {size}", field="tree_size")
    if index >= tree_size:
        raise ZhifaError(LedgerErrorCode.INVALID_INDEX, f"条目序号必须小于树大小 {tree_size}", field="index")
    leaves = _leaf_hashes(tree_size)
    entry = LedgerEntry.objects.get(index=index)
    return {
        "index": index,
        "tree_size": tree_size,
        "leaf_data": entry_leaf_data(entry).decode(),
        "leaf_hash": _b64(leaves[index]),
        "root_hash": _b64(merkle.tree_hash(leaves)),
        "proof": [_b64(h) for h in merkle.inclusion_proof(index, leaves)],
    }


def consistency_proof(old_size: Any, new_size: Any = None) -> dict[str, Any]:
    """Proof that the tree of `old_size` leaves is a prefix of the tree of `new_size` leaves."""
    size = ledger_size()
    old_size = _size_arg(old_size, "old_size", "旧树大小")
    new_size = size if new_size in (None, "") else _size_arg(new_size, "new_size", "新树大小")
    if new_size > size:
        raise ZhifaError(LedgerErrorCode.INVALID_SIZE, f"新树大小不能超过当前账本大小 {size}", field="new_size")
    if not 0 < old_size <= new_size:
        raise ZhifaError(LedgerErrorCode.INVALID_SIZE, "旧树大小必须大于 0 且不超过新树大小", field="old_size")
    leaves = _leaf_hashes(new_size)
    return {
        "old_size": old_size,
        "new_size": new_size,
        "old_root": _b64(merkle.tree_hash(leaves, 0, old_size)),
        "new_root": _b64(merkle.tree_hash(leaves)),
        "proof": [_b64(h) for h in merkle.consistency_proof(old_size, leaves)],
    }
