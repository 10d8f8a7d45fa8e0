"""Messages, their delivery events, the enterprise inbox and e-service consents (送达地址确认书).

Every table here is append-only (REC-16): a message is written once; what happened to it later
(sent, arrived, failed, read) is a `Delivery` row, and its state is derived from those rows
(rules.message_status). A consent is never edited; its revocation is a separate row. Database
triggers refuse UPDATE and DELETE (migration 0002, zhifa.ledger.dbguard).
"""
from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from zhifa.common.models import AppendOnlyModel, AppendOnlyQuerySet

from .choices import ChannelKind, DeliveryKind, DeliverySource, SignatureMethod

APPEND_ONLY_MESSAGE = "通知与送达记录只能追加，不得修改或删除"


class Message(AppendOnlyModel):
    """One message to one address over one channel, written once (status comes from `Delivery`).

    `ref` names the object the message belongs to as "app.Model:pk" (e.g. "cases.Case:12"), so this
    app never imports the apps that use it. `attachments` are document ids of zhifa.documents.
    `is_eservice` marks a legal electronic service (电子送达): it was sent only under a consent
    covering the channel and address (SRV-02), recorded in `consent`.
    """

    append_only_message = APPEND_ONLY_MESSAGE

    channel = models.CharField("通道", max_length=16, choices=ChannelKind.choices)
    address = models.CharField("接收地址", max_length=254, help_text="邮箱、手机号，或站内信箱（enterprise:企业ID / user:用户ID）")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收用户", null=True, blank=True, on_delete=models.PROTECT, related_name="notifications_received"
    )
    enterprise = models.ForeignKey(
        "subjects.Enterprise", verbose_name="接收企业", null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name="发送机构", null=True, blank=True, on_delete=models.PROTECT, related_name="notifications_sent"
    )
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    attachments = models.JSONField("附件（文书ID）", default=list, blank=True)
    ref = models.CharField("关联对象", max_length=64, blank=True, db_index=True, help_text="形如 cases.Case:12")
    is_eservice = models.BooleanField("电子送达", default=False)
    consent = models.ForeignKey(
        "EServiceConsent", verbose_name="依据的送达地址确认书", null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发送人", null=True, blank=True, on_delete=models.PROTECT, related_name="notifications_created"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["enterprise", "channel"], name="notif_msg_ent_chan")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.subject}"


class Delivery(AppendOnlyModel):
    """One event in a message's life: SENT, ARRIVED, FAILED or READ (append-only).

    `occurred_at` is when it happened as the channel or gateway states it (for ARRIVED: the moment
    the message reached the recipient's designated system — SRV-03); `recorded_at` is when zhifa
    learned of it. At most one SENT, ARRIVED and FAILED per message and one READ per reader; the
    constraints make replayed reports idempotent even under concurrency.
    """

    append_only_message = APPEND_ONLY_MESSAGE

    message = models.ForeignKey(Message, verbose_name="消息", on_delete=models.PROTECT, related_name="deliveries")
    kind = models.CharField("事件", max_length=16, choices=DeliveryKind.choices)
    occurred_at = models.DateTimeField("发生时间")
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)
    provider_ref = models.CharField("通道/网关编号", max_length=200, blank=True, db_index=True)
    source = models.CharField("信息来源", max_length=16, choices=DeliverySource.choices, default=DeliverySource.CHANNEL)
    detail = models.CharField("说明", max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="阅读人/登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "送达事件"
        verbose_name_plural = "送达事件"
        ordering = ["occurred_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "kind"],
                condition=Q(kind__in=[DeliveryKind.SENT, DeliveryKind.ARRIVED, DeliveryKind.FAILED]),
                name="notif_delivery_once_per_kind",
            ),
            models.UniqueConstraint(fields=["message", "actor"], condition=Q(kind=DeliveryKind.READ), name="notif_delivery_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} {self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"


class InboxManager(models.Manager.from_queryset(AppendOnlyQuerySet)):
    """Only in-app messages that have arrived, i.e. are stored in the recipient's inbox."""

    def get_queryset(self):
        arrived = Delivery.objects.filter(message=models.OuterRef("pk"), kind=DeliveryKind.ARRIVED)
        return super().get_queryset().filter(channel=ChannelKind.IN_APP).filter(models.Exists(arrived))


class InboxItem(Message):
    """The enterprise portal's view of in-app messages (我的消息). Reading one is a READ
    `Delivery` of the reader, never an update of the message."""

    objects = InboxManager()

    class Meta:
        proxy = True
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-pk"]


class EServiceConsent(AppendOnlyModel):
    """送达地址确认书: the party's consent to electronic service and the channels it designates (SRV-02).

    `channels` is a list of {"channel": ChannelKind, "address": normalised address}. `statement`
    keeps the exact wording the signer confirmed (what they consented to and its legal effect).
    Signed either in the portal by an authorised contact re-entering their password, or recorded
    by staff from a signed paper form scanned into the evidence store / documents (`evidence_ref`).
    A later consent of the same enterprise and party supersedes an earlier one (selectors.active_consent).
    """

    append_only_message = "送达地址确认书签署后不得修改或删除；如需变更请撤回后重新签署"

    enterprise = models.ForeignKey("subjects.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="eservice_consents")
    party_name = models.CharField("受送达人", max_length=200)
    channels = models.JSONField("指定的接收方式与地址", default=list)
    statement = models.TextField("确认书内容")
    method = models.CharField("签署方式", max_length=32, choices=SignatureMethod.choices)
    evidence_ref = models.CharField("签章扫描件", max_length=64, blank=True, help_text="形如 evidence.EvidenceItem:5 或 documents.Document:7")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签署/登记人", on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField("签署时间", default=timezone.now)

    class Meta:
        verbose_name = "送达地址确认书"
        verbose_name_plural = "送达地址确认书"
        ordering = ["-signed_at", "-pk"]
        indexes = [models.Index(fields=["enterprise", "signed_at"], name="notif_consent_ent_signed")]

    def __str__(self) -> str:
        return f"{self.party_name} 送达地址确认书（{timezone.localtime(self.signed_at):%Y-%m-%d}）"

    @property
    def revoked_at(self) -> datetime | None:
        """When the consent was revoked (from its revocation row), or None."""
        try:
            return self.revocation.revoked_at
        except EServiceConsentRevocation.DoesNotExist:
            return None


class EServiceConsentRevocation(AppendOnlyModel):
    """The party's (or staff-recorded) revocation of a consent; from `revoked_at` on the consent
    no longer supports electronic service (SRV-02)."""

    append_only_message = "撤回记录不得修改或删除"

    consent = models.OneToOneField(EServiceConsent, verbose_name="确认书", on_delete=models.PROTECT, related_name="revocation")
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撤回人", on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField("撤回时间", default=timezone.now)
    reason = models.CharField("撤回原因", max_length=500, blank=True)

    class Meta:
        verbose_name = "确认书撤回"
        verbose_name_plural = "确认书撤回"

    def __str__(self) -> str:
        return f"撤回 {self.consent_id}"
