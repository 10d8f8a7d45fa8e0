"""Choices of the payments app: event kinds, collection channels and pause kinds."""
from django.db import models


class EventKind(models.TextChoices):
    """What happened to a payment notice; the notice's status is derived from these (append-only)."""

    ISSUED = "ISSUED", "已开具缴款通知"
    PAID = "PAID", "已缴清"
    PARTIAL = "PARTIAL", "部分缴纳"
    DEFERRED = "DEFERRED", "批准延期/分期缴纳"  # PAY-05
    SURCHARGE_PAUSED = "SURCHARGE_PAUSED", "复议/诉讼期间停止计算加处罚款"  # PAY-07
    SURCHARGE_RESUMED = "SURCHARGE_RESUMED", "复议/诉讼期间结束"  # PAY-07
    REMINDED = "REMINDED", "催告书已送达"  # PAY-08
    CANCELLED = "CANCELLED", "已撤销"


PAYMENT_KINDS = frozenset({EventKind.PAID, EventKind.PARTIAL})


class Channel(models.TextChoices):
    """How the money reached the treasury (PAY-01/PAY-02): through the designated bank (counter or
    its online banking) or the electronic payment system, or on the spot only under PAY-03."""

    BANK = "BANK", "银行柜台（指定银行）"
    ONLINE_BANK = "ONLINE_BANK", "网银（指定银行）"
    E_PAY = "E_PAY", "电子支付（非税收入缴款平台）"
    ON_SPOT = "ON_SPOT", "当场收缴"


# PAY-02: the channels a payment platform may report; the authority itself never collects.
PLATFORM_CHANNELS = frozenset({Channel.BANK, Channel.ONLINE_BANK, Channel.E_PAY})


class PauseKind(models.TextChoices):
    """Why the surcharge stops running (PAY-07, APL art. 73 para 3)."""

    RECONSIDERATION = "RECONSIDERATION", "行政复议"
    LITIGATION = "LITIGATION", "行政诉讼"


class NoticeState(models.TextChoices):
    """The derived state shown on the pages (never stored)."""

    UNPAID = "UNPAID", "待缴款"
    OVERDUE = "OVERDUE", "已逾期"
    PARTIAL = "PARTIAL", "部分缴纳"
    SETTLED = "SETTLED", "已缴清"
    CANCELLED = "CANCELLED", "已撤销"


class SimBillState(models.TextChoices):
    """State of a bill on the simulated platform side."""

    OPEN = "OPEN", "待缴款"
    PARTIAL = "PARTIAL", "部分缴纳"
    PAID = "PAID", "已缴清"
    CANCELLED = "CANCELLED", "已撤销"
