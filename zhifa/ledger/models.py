"""Ledger entries and signed checkpoints: rows are only ever inserted (REC-16, SEC-09).

The ORM refuses updates and deletes here; database triggers (migration 0003) refuse them for
raw SQL too, on SQLite and PostgreSQL.
"""
from __future__ import annotations

from django.db import models

from zhifa.common.models import AppendOnlyModel, AppendOnlyQuerySet

from .leaf import CanonicalJSONEncoder

# Kept for callers that imported the old name.
LedgerEntryQuerySet = AppendOnlyQuerySet


class LedgerEntry(AppendOnlyModel):
    """One append-only log entry. `index` is gap-free from 0 and is the Merkle leaf index.

    `leaf_hash` = SHA-256(0x00 ‖ d) per RFC 9162 §2.1.1, where d is `services.entry_bytes(...)`:
    the canonical JSON of index, time, actor, action, object and the payload's SHA-256.
    """

    index = models.BigIntegerField("序号", unique=True)
    recorded_at = models.DateTimeField("记录时间")
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True)
    actor_label = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("动作", max_length=64)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    # Canonical encoder: SQLite then stores exactly the hashed bytes (verification hashes them as-is).
    payload = models.JSONField("内容", default=dict, encoder=CanonicalJSONEncoder)
    payload_sha256 = models.CharField("内容SHA-256", max_length=64)
    leaf_hash = models.CharField("叶子哈希", max_length=64)

    append_only_message = "账本条目只能追加，不得修改或删除（REC-16）"
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "账本条目"
        verbose_name_plural = "账本条目"
        ordering = ["index"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="ledger_obj")]

    def __str__(self) -> str:
        return f"#{self.index} {self.action} {self.object_type}:{self.object_id}"


class Checkpoint(AppendOnlyModel):
    """A signed statement "the log had `tree_size` entries with Merkle root `root_hash`".

    Signed with the ledger's Ed25519 key as a C2SP signed note (see `checkpoints.py`), so it can be
    printed, sent to a higher authority and later checked against the log by anyone holding the
    public key. `frontier` holds the roots of the perfect subtrees covering [0, tree_size); they
    fold to `root_hash`, so the signature authenticates them too. They let the next checkpoint hash
    only the new entries and let the verifier narrow a rewritten range.
    """

    origin = models.CharField("日志标识", max_length=200)
    tree_size = models.BigIntegerField("树大小")
    root_hash = models.CharField("根哈希", max_length=64, help_text="SHA-256，十六进制")
    signed_at = models.DateTimeField("签署时间")
    signature = models.CharField("签名", max_length=200, help_text="Ed25519 签名，Base64")
    key_id = models.CharField("密钥标识", max_length=16, help_text="签名密钥哈希前 4 字节，十六进制")
    frontier = models.JSONField("完全子树根哈希", default=list)

    append_only_message = "账本检查点只能追加，不得修改或删除（REC-16）"
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "账本检查点"
        verbose_name_plural = "账本检查点"
        ordering = ["tree_size", "id"]

    def __str__(self) -> str:
        return f"{self.origin} @{self.tree_size}"
