"""Ledger entries: one row per service write, never updated or deleted (REC-16, SEC-09)."""
from __future__ import annotations

from django.db import models


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("ledger entries are append-only")

    def delete(self):
        raise PermissionError("ledger entries are append-only")


class LedgerEntry(models.Model):
    """One append-only log entry. `index` is gap-free from 0 and is the Merkle leaf index.

    `leaf_hash` = SHA-256(0x00 ‖ canonical entry bytes) per RFC 9162 §2.1.1.
    """

    index = models.BigIntegerField("序号", unique=True)
    recorded_at = models.DateTimeField("记录时间")
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True)
    actor_label = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("动作", max_length=64)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    payload = models.JSONField("内容", default=dict)
    payload_sha256 = models.CharField("内容SHA-256", max_length=64)
    leaf_hash = models.CharField("叶子哈希", max_length=64)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "账本条目"
        verbose_name_plural = "账本条目"
        ordering = ["index"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="ledger_obj")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("ledger entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("ledger entries are append-only")
