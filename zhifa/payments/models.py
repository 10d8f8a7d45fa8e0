"""Payments: the authority's payment notices and their append-only events, and — separately — the
tables of the local platform simulator (the "platform side").

Authority side: a `PaymentNotice` is written once when the fine is sent to the non-tax payment
platform; everything after (payments reported by the platform, deferral, surcharge pauses,
reminders, cancellation) is a `PaymentEvent`. The notice's status is derived from its events
(selectors.notice_status); neither table is ever updated (REC-16, triggers in migration 0002).
The authority never records a payment itself (PAY-02): PAID/PARTIAL events come only from the
platform's signed callback.

Platform side: `SimulatedBill` and `SimulatedPayment` belong to the development simulator of the
platform (simulator.py). Authority code never reads them; in production they do not exist.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhifa.common.models import AppendOnlyModel, TimeStampedModel

from .choices import Channel, EventKind, PauseKind, SimBillState

MONEY = {"max_digits": 14, "decimal_places": 2}
RATIO = {"max_digits": 6, "decimal_places": 4}


# --- authority side -------------------------------------------------------------------------------


class PaymentNotice(AppendOnlyModel):
    """缴款通知: one fine sent to the payment platform, with the payment code (缴款码) it returned.

    `ref` names the object the fine belongs to ("cases.Case:12") so that payments never imports the
    app that decided it. `payer_id_masked` is the USCC of an organisation or the masked ID number of
    a person (SEC-03). Rate and cap are copied from the rule set at issue time (PAY-06) so the
    surcharge stays what the decision told the party.
    """

    append_only_message = "缴款通知开具后不得修改或删除；变化以缴款事件记录（REC-16）"

    ref = models.CharField("关联对象", max_length=64, db_index=True, help_text="如 cases.Case:12")
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name="作出决定的机关", on_delete=models.PROTECT, related_name="payment_notices"
    )
    enterprise = models.ForeignKey(
        "subjects.Enterprise", verbose_name="缴款企业", null=True, blank=True, on_delete=models.PROTECT, related_name="payment_notices"
    )
    payer_name = models.CharField("缴款人", max_length=200)
    payer_id_masked = models.CharField("缴款人证件号（脱敏）", max_length=32, help_text="统一社会信用代码，或脱敏后的身份证号码")
    decision_number = models.CharField("处罚决定书文号", max_length=100, blank=True)
    decision_served_on = models.DateField("决定书送达日期", null=True, blank=True)
    fine = models.DecimalField("罚款金额（元）", **MONEY)
    due_on = models.DateField("缴款期限", help_text="已按 CAL-10 顺延后的最后缴款日（PAY-01）")
    late_fee_rate = models.DecimalField("加处罚款日比例", **RATIO)
    late_fee_cap_ratio = models.DecimalField("加处罚款上限（罚款倍数）", **RATIO)
    payment_code = models.CharField("缴款码", max_length=32, unique=True)
    platform_ref = models.CharField("平台业务流水号", max_length=64)
    platform = models.CharField("缴款平台", max_length=100)
    bill_key = models.UUIDField("开票幂等键", unique=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="开具人", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("开具时间", default=timezone.now)

    class Meta:
        verbose_name = "缴款通知"
        verbose_name_plural = "缴款通知"
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "issued_at"], name="pay_notice_org_issued")]

    def __str__(self) -> str:
        return f"缴款通知 {self.payment_code}（{self.payer_name}）"


class PaymentEvent(AppendOnlyModel):
    """One fact about a payment notice (append-only). Which fields are filled depends on `kind`:

    - PAID / PARTIAL: amount, paid_at, channel, transaction_id (unique: callbacks are idempotent),
      fiscal_receipt_no, payload (the platform's callback as received);
    - DEFERRED (PAY-05): new_due_on, applied_on, instalments, actor = the approver;
    - SURCHARGE_PAUSED / SURCHARGE_RESUMED (PAY-07): pause_kind, period_start / period_end;
    - REMINDED (PAY-08): served_on, document_number;
    - CANCELLED: note (the reason).
    """

    append_only_message = "缴款事件只能追加，不得修改或删除（REC-16）"

    notice = models.ForeignKey(PaymentNotice, verbose_name="缴款通知", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事件", max_length=24, choices=EventKind.choices)
    at = models.DateTimeField("记录时间", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办/批准人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField("缴款金额（元）", null=True, blank=True, **MONEY)
    paid_at = models.DateTimeField("缴款时间", null=True, blank=True)
    channel = models.CharField("缴款渠道", max_length=16, choices=Channel.choices, blank=True)
    transaction_id = models.CharField("平台交易流水号", max_length=64, null=True, blank=True, unique=True)
    fiscal_receipt_no = models.CharField("财政电子票据号", max_length=64, blank=True)
    new_due_on = models.DateField("批准的缴款期限", null=True, blank=True)
    applied_on = models.DateField("当事人申请日期", null=True, blank=True)
    instalments = models.JSONField("分期计划", default=list, blank=True)
    pause_kind = models.CharField("停止计算原因", max_length=16, choices=PauseKind.choices, blank=True)
    period_start = models.DateField("期间起始", null=True, blank=True)
    period_end = models.DateField("期间结束", null=True, blank=True)
    served_on = models.DateField("催告书送达日期", null=True, blank=True)
    document_number = models.CharField("文书文号", max_length=100, blank=True)
    note = models.TextField("说明", blank=True)
    payload = models.JSONField("平台通知内容", default=dict, blank=True)

    class Meta:
        verbose_name = "缴款事件"
        verbose_name_plural = "缴款事件"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["notice", "at"], name="pay_event_notice_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.at:%Y-%m-%d %H:%M}）"


# --- platform side (development simulator only) --------------------------------------------------


class SimulatedBill(TimeStampedModel):
    """A bill on the simulated non-tax payment platform (平台侧, development only)."""

    payment_code = models.CharField("缴款码", max_length=32, unique=True)
    platform_ref = models.CharField("平台业务流水号", max_length=64, unique=True)
    bill_key = models.UUIDField("执收单位幂等键", unique=True)
    payee_name = models.CharField("执收单位", max_length=100)
    payee_code = models.CharField("执收单位编码", max_length=32)
    region = models.CharField("区划", max_length=2, default="00")
    payer_name = models.CharField("缴款人", max_length=200)
    payer_id_masked = models.CharField("缴款人证件号（脱敏）", max_length=32)
    item = models.CharField("收费项目", max_length=100, default="罚没收入")
    fine = models.DecimalField("应缴金额（元）", **MONEY)
    due_on = models.DateField("缴款期限")
    late_fee_rate = models.DecimalField("加处罚款日比例", **RATIO)
    late_fee_cap_ratio = models.DecimalField("加处罚款上限", **RATIO)
    excluded = models.JSONField("不计加处罚款的期间", default=list, blank=True)
    state = models.CharField("状态", max_length=16, choices=SimBillState.choices, default=SimBillState.OPEN)
    cancel_reason = models.CharField("撤销原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "模拟平台缴款单"
        verbose_name_plural = "模拟平台缴款单"

    def __str__(self) -> str:
        return f"模拟缴款单 {self.payment_code}"


class SimulatedPayment(TimeStampedModel):
    """A payment received by the simulated platform and its notification to the authority."""

    bill = models.ForeignKey(SimulatedBill, verbose_name="缴款单", on_delete=models.PROTECT, related_name="payments")
    transaction_id = models.CharField("交易流水号", max_length=64, unique=True)
    amount = models.DecimalField("缴款金额（元）", **MONEY)
    channel = models.CharField("缴款渠道", max_length=16, choices=Channel.choices)
    paid_at = models.DateTimeField("缴款时间")
    fiscal_receipt_no = models.CharField("财政电子票据号", max_length=64)
    notify_attempts = models.PositiveIntegerField("通知次数", default=0)
    notified_at = models.DateTimeField("最近通知时间", null=True, blank=True)
    notify_status = models.PositiveSmallIntegerField("执收单位应答状态码", null=True, blank=True)
    notify_response = models.TextField("执收单位应答", blank=True)

    class Meta:
        verbose_name = "模拟平台缴款记录"
        verbose_name_plural = "模拟平台缴款记录"
        ordering = ["paid_at", "pk"]

    def __str__(self) -> str:
        return f"模拟缴款 {self.transaction_id}"

    @property
    def acknowledged(self) -> bool:
        return self.notify_status == 200
