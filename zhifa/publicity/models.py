"""Publication items (公示信息) and what happens to them: review, publication, expiry, withdrawal,
correction requests. RULES §8.

An item is created by the event that requires it (a decision made, a credential changed, a law
repealed …) with its legal deadline already computed; its public content is built — and masked —
at that moment (SEC-03, PUB-13), so the portal only ever reads masked values. Every content
version is kept in an append-only revision table (PUB-24: a correction never overwrites history).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models

from zhifa.accounts.models import Organisation
from zhifa.common.models import AppendOnlyModel, TimeStampedModel

from .choices import ChangeEvent, EndReason, ExemptReason, ItemKind, ItemStatus, RequesterKind, RequestStatus, RevisionReason, Trigger


class PublicationItem(TimeStampedModel):
    """One piece of information that must be published (PUB-01: the owner is the unit that acted)."""

    kind = models.CharField("公示类别", max_length=24, choices=ItemKind.choices)
    organisation = models.ForeignKey(Organisation, verbose_name="公示单位", on_delete=models.PROTECT, related_name="publications")
    status = models.CharField("状态", max_length=12, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    title = models.CharField("标题", max_length=300)
    # Search fields of the public portal, already masked (an individual's name is masked per AMB-20).
    subject_name = models.CharField("执法对象", max_length=200, blank=True)
    subject_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    district_code = models.CharField("行政区划代码", max_length=6, blank=True)
    content = models.JSONField("公示内容（已脱敏）", default=dict)
    content_hash = models.CharField("内容摘要", max_length=64, blank=True)
    # The event that created the duty and its deadline.
    trigger = models.CharField("触发事由", max_length=20, choices=Trigger.choices)
    source_type = models.CharField("来源对象类型", max_length=40, blank=True)
    source_id = models.BigIntegerField("来源对象编号", null=True, blank=True)
    event_on = models.DateField("触发日期", help_text="AMB-28：执法决定以决定作出（签发）之日起算")
    due_on = models.DateField("公示期限", db_index=True)
    due_rule = models.CharField("期限依据", max_length=120)
    due_provisional = models.BooleanField("期限为临时计算（节假日安排未载入）", default=False)
    replaces = models.ForeignKey("self", verbose_name="更新的原公示信息", null=True, blank=True, on_delete=models.PROTECT, related_name="updates")
    # Review (PUB-02: collector, reviewer and publisher are distinct roles).
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="采集人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=300, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    channels = models.JSONField("发布渠道", default=list, help_text="PUB-03：规则集 pub.required_channels")
    # Display period (PUB-17, AMB-03) and its early end (PUB-18).
    minor = models.BooleanField("危害不大、情节轻微且已及时纠正", default=False, help_text="PUB-17：可缩短公示期，但不少于规则集下限")
    expires_on = models.DateField("公示截止日", null=True, blank=True)
    ended_on = models.DateField("结束公示日期", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=16, choices=EndReason.choices, blank=True)
    # Withdrawal (PUB-14, PUB-26).
    change_event = models.CharField("决定变化", max_length=20, choices=ChangeEvent.choices, blank=True)
    change_event_on = models.DateField("决定变化日期", null=True, blank=True)
    withdrawal_due_on = models.DateField("撤下期限", null=True, blank=True)
    withdrawal_due_rule = models.CharField("撤下期限依据", max_length=120, blank=True)
    withdrawn_at = models.DateTimeField("撤下时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撤下人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawal_reason = models.TextField("撤下说明（公开）", blank=True)
    # Exemption (SEC-07, APL art. 48).
    exempt_reason = models.CharField("不予公开事由", max_length=20, choices=ExemptReason.choices, blank=True)
    exempt_note = models.CharField("不予公开说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "公示信息"
        verbose_name_plural = "公示信息"
        ordering = ["-published_on", "-id"]
        indexes = [
            # The public portal reads published items newest first, optionally by kind or district.
            models.Index(fields=["status", "published_on", "id"], name="pub_status_day"),
            models.Index(fields=["status", "kind", "published_on", "id"], name="pub_status_kind_day"),
            models.Index(fields=["status", "district_code", "published_on", "id"], name="pub_status_district_day"),
            models.Index(fields=["subject_code"], name="pub_subject_code"),
            models.Index(fields=["subject_name"], name="pub_subject_name"),
            models.Index(fields=["organisation", "status"], name="pub_org_status"),
            models.Index(fields=["source_type", "source_id"], name="pub_source"),
        ]

    def __str__(self) -> str:
        return self.title


class PublicationRevision(AppendOnlyModel):
    """Each version of an item's public content (PUB-24: corrections are traceable)."""

    item = models.ForeignKey(PublicationItem, verbose_name="公示信息", on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField("版本")
    reason = models.CharField("原因", max_length=12, choices=RevisionReason.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    content = models.JSONField("内容（已脱敏）")
    content_hash = models.CharField("内容摘要", max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "公示内容版本"
        verbose_name_plural = "公示内容版本"
        ordering = ["item", "number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="pub_revision_number")]


class CorrectionRequest(TimeStampedModel):
    """A written request to correct published information (PUB-25: verified and answered within
    5 working days of receipt). The requester follows it with the tracking code."""

    code = models.CharField("查询码", max_length=16, unique=True)
    item = models.ForeignKey(PublicationItem, verbose_name="公示信息", on_delete=models.PROTECT, related_name="correction_requests")
    requester_kind = models.CharField("申请人类别", max_length=16, choices=RequesterKind.choices)
    requester_name = models.CharField("申请人", max_length=100)
    requester_contact = models.CharField("联系方式", max_length=100, help_text="仅用于答复申请人；页面上脱敏显示")
    what_is_wrong = models.TextField("不准确的内容及理由")
    evidence_text = models.TextField("证明材料说明", blank=True)
    evidence_sha256 = models.CharField("证明材料 SHA-256", max_length=64, blank=True, help_text="文件按内容寻址存放在证据存储中")
    evidence_size = models.BigIntegerField("证明材料大小（字节）", default=0)
    evidence_filename = models.CharField("证明材料文件名", max_length=200, blank=True)
    received_at = models.DateTimeField("收到时间")
    due_on = models.DateField("处理期限")
    due_rule = models.CharField("期限依据", max_length=120)
    status = models.CharField("处理结果", max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECEIVED)
    answer = models.TextField("答复", blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "更正申请"
        verbose_name_plural = "更正申请"
        ordering = ["-received_at"]


class UpdateEvent(AppendOnlyModel):
    """A law issued/amended/repealed/lapsed (PUB-20) or an institutional change (PUB-21) that makes
    pre-enforcement information stale; recording it creates the update duties."""

    organisation = models.ForeignKey(Organisation, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    trigger = models.CharField("事由", max_length=20, choices=Trigger.choices)
    title = models.CharField("文件或机构变化名称", max_length=200)
    event_on = models.DateField("颁布/修改/废止/失效/批准日期")
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "公示更新事由"
        verbose_name_plural = "公示更新事由"
        ordering = ["-event_on", "-id"]
