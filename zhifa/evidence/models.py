"""The evidence store's records. Every table here is append-only (EVI-09, REC-16, SEC-09):

- the ORM refuses `save()` of an existing row, `delete()`, and queryset `update()`/`delete()`;
- the database refuses UPDATE and DELETE with triggers (migration 0002, SQLite and PostgreSQL).

A correction is a new EvidenceItem whose `previous_version` points at the old one; a review, a
link or a custody event is a new row. Admissibility is computed (rules.admissibility), never
stored, so nothing ever needs updating. Rows are written only by zhifa.evidence.services.
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from zhifa.accounts.models import Organisation
from zhifa.common.models import AppendOnlyModel as CommonAppendOnlyModel
from zhifa.subjects.models import Enterprise

from .choices import (
    CopyMethod,
    CustodyAction,
    EvidenceKind,
    EvidenceSource,
    FileCategory,
    LinkTarget,
    ReviewResult,
)

APPEND_ONLY_MESSAGE = "证据记录只能追加，不得修改或删除（EVI-09）"


class AppendOnlyModel(CommonAppendOnlyModel):
    """Evidence rows are inserted once and never changed or removed (EVI-09)."""

    append_only_message = APPEND_ONLY_MESSAGE

    class Meta:
        abstract = True


class EvidenceFile(AppendOnlyModel):
    """One uploaded file. Its bytes live in content-addressed storage under `storage_name`
    (derived from the SHA-256, never from the uploader's name); identical bytes are stored once
    even when uploaded many times. `original_filename` is kept as metadata only."""

    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.BigIntegerField("大小（字节）")
    detected_content_type = models.CharField("识别的文件类型", max_length=100)
    declared_content_type = models.CharField("声明的文件类型", max_length=100, blank=True)
    category = models.CharField("文件类别", max_length=16, choices=FileCategory.choices)
    storage_name = models.CharField("存储名", max_length=80)
    original_filename = models.CharField("原文件名", max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "证据文件"
        verbose_name_plural = "证据文件"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.sha256[:12]}… ({self.size} B)"


class EvidenceItem(AppendOnlyModel):
    """One version of an evidence item (EVI-01) with the metadata EVI-03/EVI-04 require.

    Versions of the same item share `chain_id`; `previous_version` links a correction to the
    version it replaces (EVI-09). A version can be corrected only once (one-to-one), so the
    versions of a chain form a line and exactly one of them is current.
    """

    chain_id = models.UUIDField("证据链标识", default=uuid.uuid4, db_index=True, editable=False)
    version_no = models.PositiveIntegerField("版本号", default=1)
    previous_version = models.OneToOneField(
        "self", verbose_name="更正前版本", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    correction_reason = models.TextField("更正理由", blank=True)

    kind = models.CharField("证据种类", max_length=32, choices=EvidenceKind.choices, db_index=True)
    title = models.CharField("证据名称", max_length=200)
    description = models.TextField("证据说明", blank=True)
    # EVI-03: production method, time, producer and the fact it proves.
    production_method = models.CharField("制作方法", max_length=200)
    produced_at = models.DateTimeField("制作时间")
    producer = models.CharField("制作人", max_length=100)
    object_proven = models.TextField("证明对象")
    source = models.CharField("来源", max_length=24, choices=EvidenceSource.choices, db_index=True)
    # EVI-04: original carrier, or the method by which a derived copy was fixed.
    is_original_carrier = models.BooleanField("原始载体", default=True)
    copy_method = models.CharField("复制/固定方式", max_length=16, choices=CopyMethod.choices, blank=True)

    organisation = models.ForeignKey(Organisation, verbose_name="所属机构", on_delete=models.PROTECT, related_name="evidence_items")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="涉及企业", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence_items"
    )
    file = models.ForeignKey(EvidenceFile, verbose_name="文件", on_delete=models.PROTECT, related_name="items")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "证据"
        verbose_name_plural = "证据"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["chain_id", "version_no"], name="evidence_item_chain_version"),
        ]
        indexes = [models.Index(fields=["organisation", "kind"], name="evidence_item_org_kind")]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version_no}版）"


class EvidenceReview(AppendOnlyModel):
    """A review per EVI-05/EVI-06: each of 真实、清晰、完整、准确、合法 passes or fails with a reason.

    `result` is rules.review_result(criteria), stored with the review as the reviewer saw it;
    the latest review of a version decides its admissibility.
    """

    item = models.ForeignKey(EvidenceItem, verbose_name="证据", on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField("审核时间", auto_now_add=True)
    true_ok = models.BooleanField("真实")
    true_reason = models.TextField("真实性说明", blank=True)
    clear_ok = models.BooleanField("清晰")
    clear_reason = models.TextField("清晰性说明", blank=True)
    complete_ok = models.BooleanField("完整")
    complete_reason = models.TextField("完整性说明", blank=True)
    accurate_ok = models.BooleanField("准确")
    accurate_reason = models.TextField("准确性说明", blank=True)
    lawful_ok = models.BooleanField("合法")
    lawful_reason = models.TextField("合法性说明", blank=True)
    result = models.CharField("审核结论", max_length=8, choices=ReviewResult.choices)
    opinion = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "证据审核"
        verbose_name_plural = "证据审核"
        ordering = ["-reviewed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.get_result_display()}"

    def criteria(self) -> dict[str, bool]:
        return {
            "TRUE": self.true_ok,
            "CLEAR": self.clear_ok,
            "COMPLETE": self.complete_ok,
            "ACCURATE": self.accurate_ok,
            "LAWFUL": self.lawful_ok,
        }

    def criteria_rows(self) -> list[tuple[str, bool, str]]:
        """(label, passed, reason) per criterion, for display."""
        return [
            ("真实", self.true_ok, self.true_reason),
            ("清晰", self.clear_ok, self.clear_reason),
            ("完整", self.complete_ok, self.complete_reason),
            ("准确", self.accurate_ok, self.accurate_reason),
            ("合法", self.lawful_ok, self.lawful_reason),
        ]


class EvidenceLink(AppendOnlyModel):
    """A link from an item to a case, inspection, clue or device event (by type and id, so that
    evidence does not import the apps above it)."""

    item = models.ForeignKey(EvidenceItem, verbose_name="证据", on_delete=models.PROTECT, related_name="links")
    object_type = models.CharField("关联对象类型", max_length=64, choices=LinkTarget.choices)
    object_id = models.CharField("关联对象ID", max_length=64)
    note = models.CharField("说明", max_length=200, blank=True)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="关联人", on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField("关联时间", auto_now_add=True)

    class Meta:
        verbose_name = "证据关联"
        verbose_name_plural = "证据关联"
        ordering = ["linked_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "object_type", "object_id"], name="evidence_link_unique")]
        indexes = [models.Index(fields=["object_type", "object_id"], name="evidence_link_obj")]

    def __str__(self) -> str:
        return f"{self.get_object_type_display()} {self.object_id}"


class CustodyEvent(AppendOnlyModel):
    """One step of the chain of custody: who did what with an item, when, and why.

    `ledger_index` is the index of the ledger entry appended in the same transaction, so every
    event can be checked against the tamper-evident log (SEC-02).
    """

    item = models.ForeignKey(EvidenceItem, verbose_name="证据", on_delete=models.PROTECT, related_name="custody_events")
    action = models.CharField("事项", max_length=16, choices=CustodyAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField("时间", auto_now_add=True)
    purpose = models.CharField("用途/说明", max_length=200, blank=True)
    ledger_index = models.BigIntegerField("账本序号")

    class Meta:
        verbose_name = "保管链事件"
        verbose_name_plural = "保管链事件"
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.occurred_at:%Y-%m-%d %H:%M}"
