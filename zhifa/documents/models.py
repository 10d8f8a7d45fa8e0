"""Document templates (versioned), numbering sequences, issuer settings and issued documents.

- `DocumentTemplate`: one row per version of a kind's template. A version's body never changes;
  an edit is a new version, so every issued document keeps pointing at the exact source it was
  rendered from. Only the `active` switch moves between versions.
- `NumberSequence`: the last serial used per (organisation, year, kind), locked while a number
  is taken (文号 are gap-free and never shared).
- `IssuerProfile`: per organisation, the number prefix (沪普应急), the name in the red header
  and on the seal. Optional: without one, both are derived from the organisation tree.
- `IssuedDocument`: append-only (REC-16): the number, the context as rendered, the template
  version and the SHA-256 of the PDF kept in the content-addressed store. A correction is a new
  document that `supersedes` the old one.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.common.models import AppendOnlyModel

from .choices import DocumentKind


class DocumentTemplate(models.Model):
    """One version of the template of a document kind (Django template source producing HTML)."""

    kind = models.CharField("文书种类", max_length=32, choices=DocumentKind.choices)
    version = models.PositiveIntegerField("版本")
    title = models.CharField("文书标题", max_length=100)
    body = models.TextField("模板内容", help_text="Django 模板语言，输出 HTML；可继承 documents/pdf/base.html（红头、落款、印章、页码）")
    note = models.CharField("修改说明", max_length=200, blank=True)
    active = models.BooleanField("当前使用", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    # Everything but `active` is frozen once the version exists.
    FROZEN_FIELDS = ("kind", "version", "title", "body", "note", "created_by_id")

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="doc_template_kind_version"),
            models.UniqueConstraint(fields=["kind"], condition=Q(active=True), name="doc_template_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} 第{self.version}版{'（当前）' if self.active else ''}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or set(update_fields) - {"active"}:
                raise PermissionError("模板版本一经创建不得修改，请保存为新版本")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("模板版本不得删除（已出具的文书引用该版本）")


class NumberSequence(models.Model):
    """The last serial of a kind's numbers for one organisation and year (文号流水)."""

    organisation = models.ForeignKey("accounts.Organisation", verbose_name="发文机关", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("文书种类", max_length=32, choices=DocumentKind.choices)
    last_serial = models.PositiveIntegerField("已用最大序号", default=0)

    class Meta:
        verbose_name = "文号序列"
        verbose_name_plural = "文号序列"
        constraints = [models.UniqueConstraint(fields=["organisation", "year", "kind"], name="doc_sequence_org_year_kind")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year} {self.get_kind_display()}：{self.last_serial}"


class IssuerProfile(models.Model):
    """How an organisation signs its documents: number prefix, header name, seal name."""

    organisation = models.OneToOneField("accounts.Organisation", verbose_name="机构", on_delete=models.PROTECT, related_name="document_profile")
    doc_prefix = models.CharField("文号机关代字", max_length=20, help_text="如：沪普应急（文号为 沪普应急罚决〔2026〕12号）")
    header_name = models.CharField("发文机关全称", max_length=100, help_text="红头、落款使用的全称，如：上海市普陀区应急管理局")
    seal_name = models.CharField("印章文字", max_length=40, blank=True, help_text="留空时与发文机关全称相同")
    footer = models.CharField("页脚（地址、电话）", max_length=200, blank=True)

    class Meta:
        verbose_name = "发文设置"
        verbose_name_plural = "发文设置"

    def __str__(self) -> str:
        return f"{self.header_name}（{self.doc_prefix}）"


class IssuedDocument(AppendOnlyModel):
    """An issued, numbered document. Append-only; its PDF bytes live in the blob store under
    `sha256` and are verified on every read."""

    append_only_message = "已出具的文书不得修改或删除；如需更正，请出具新的文书（更正版本）"

    kind = models.CharField("文书种类", max_length=32, choices=DocumentKind.choices)
    title = models.CharField("文书标题", max_length=100)
    organisation = models.ForeignKey("accounts.Organisation", verbose_name="发文机关", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    number = models.CharField("文号", max_length=80, unique=True)
    template = models.ForeignKey(DocumentTemplate, verbose_name="模板版本", on_delete=models.PROTECT, related_name="documents")
    ref = models.CharField("关联对象", max_length=100, db_index=True, help_text="如 cases.Case:12")
    enterprise_id = models.BigIntegerField("当事企业", null=True, blank=True, db_index=True)
    context = models.JSONField("文书内容")
    sha256 = models.CharField("PDF SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("PDF 字节数")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="出具人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("出具时间", auto_now_add=True)
    supersedes = models.OneToOneField(
        "self", verbose_name="更正的原文书", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        verbose_name = "已出具文书"
        verbose_name_plural = "已出具文书"
        ordering = ["-issued_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year", "kind", "serial"], name="doc_issued_serial_unique")]
        indexes = [models.Index(fields=["organisation", "kind", "year"], name="doc_issued_org_kind_year")]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"
