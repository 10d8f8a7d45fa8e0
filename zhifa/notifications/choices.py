"""Choices of the notifications app: channels, delivery events, consent signature methods."""
from django.db import models


class ChannelKind(models.TextChoices):
    """The channels a message can travel by (SRV-02 lists e-mail, SMS, IM account and app)."""

    IN_APP = "IN_APP", "站内消息（企业门户“我的消息”）"
    EMAIL = "EMAIL", "电子邮件"
    SMS = "SMS", "手机短信"


class DeliveryKind(models.TextChoices):
    """Append-only events of a message; its state is derived from them, never stored."""

    SENT = "SENT", "已发出"
    ARRIVED = "ARRIVED", "已到达"
    FAILED = "FAILED", "发送失败"
    READ = "READ", "已阅读"


class MessageStatus(models.TextChoices):
    """Derived status shown in lists (rules.message_status)."""

    PENDING = "PENDING", "待发送"
    SENT = "SENT", "已发出，待回执"
    ARRIVED = "ARRIVED", "已到达"
    READ = "READ", "已阅读"
    FAILED = "FAILED", "发送失败"


class SignatureMethod(models.TextChoices):
    """How the party signed the 送达地址确认书 (SRV-02)."""

    PORTAL_CONFIRMATION = "PORTAL_CONFIRMATION", "企业门户在线确认（重新输入登录密码）"
    UPLOADED_SIGNED_SCAN = "UPLOADED_SIGNED_SCAN", "纸质确认书签章后扫描上传"


class ReportStatus(models.TextChoices):
    """Outcome carried by a gateway's delivery report."""

    DELIVERED = "DELIVERED", "已送达"
    FAILED = "FAILED", "送达失败"


class DeliverySource(models.TextChoices):
    """Who told us about a delivery event."""

    CHANNEL = "CHANNEL", "发送通道应答"
    REPORT = "REPORT", "网关回执"
    PORTAL = "PORTAL", "企业门户"
