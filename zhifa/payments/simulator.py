"""A local simulator of the non-tax payment platform (非税收入缴款平台), for development and tests.

It plays the platform's part completely and separately from the authority: its own tables
(SimulatedBill, SimulatedPayment), its own payer page (/payments/sim/<payment_code>/, views.sim_pay),
its own surcharge computation for the amount it asks the payer for, payment codes and fiscal
e-receipt numbers. It never reads the authority's tables. When a payer pays, it notifies the
authority the way the production platform does: an HTTP POST of the signed callback to
`/api/v1/payments/callback/`, delivered in-process through Django's test client, so the request
passes URL routing, the API view, signature verification and the service exactly as a real one.

The platform's records are not the authority's records, so simulator writes do not go to the
authority's ledger (in production they live in another system).
"""
from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhifa.common.timeutil import SHANGHAI, local_date

from . import rules
from .choices import PLATFORM_CHANNELS, SimBillState
from .models import SimulatedBill, SimulatedPayment
from .platform import SIGNATURE_HEADER, BillRequest, BillStatus, IssuedBill, PlatformError, PlatformPayment, canonical_body, sign

log = logging.getLogger(__name__)

PAYMENT_CODE_LENGTH = 20


class SimulatorRefusal(ValueError):
    """The simulated platform refuses a payer's action; the message is shown on its page."""


def luhn_check_digit(digits: str) -> str:
    """The Luhn check digit of a string of digits (used so that a mistyped payment code is caught)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return str((10 - total % 10) % 10)


def payment_code_well_formed(code: str) -> bool:
    return len(code) == PAYMENT_CODE_LENGTH and code.isascii() and code.isdigit() and luhn_check_digit(code[:-1]) == code[-1]


def _new_payment_code(region: str) -> str:
    body = region + "".join(secrets.choice("0123456789") for _ in range(PAYMENT_CODE_LENGTH - len(region) - 1))
    return body + luhn_check_digit(body)


def _new_receipt_number(region: str, on: date) -> str:
    # 财政电子票据: 8-digit bill code (region, year, kind) and 10-digit number.
    return f"{region}01{on:%y}01-{secrets.randbelow(10**10):010d}"


def _excluded_from_json(rows: Sequence[Sequence[str | None]], until: date) -> list[tuple[date, date]]:
    """Stored periods as date pairs; an open period (end None) runs to `until`."""
    periods = []
    for start, end in rows:
        first = date.fromisoformat(start)
        last = date.fromisoformat(end) if end else until
        if first <= last:
            periods.append((first, last))
    return periods


def _callback_host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*" and not host.startswith("."):
            return host
    return "localhost"


def deliver_callback(payload: dict, signature: str) -> tuple[int, str]:
    """POST the callback to the authority's endpoint in-process (full URL/view stack)."""
    from django.test import Client

    client = Client(HTTP_HOST=_callback_host())
    response = client.post(
        reverse("payments_api:callback"),
        data=canonical_body(payload),
        content_type="application/json",
        headers={SIGNATURE_HEADER: signature},
        secure=bool(getattr(settings, "SECURE_SSL_REDIRECT", False)),
    )
    return response.status_code, response.content.decode("utf-8", "replace")[:2000]


class LocalPlatformSimulator:
    """The development implementation of `platform.PaymentPlatform` plus the payer's side."""

    name = "local-simulator"

    # --- the authority's interface -----------------------------------------------------------

    def issue(self, bill: BillRequest) -> IssuedBill:
        existing = SimulatedBill.objects.filter(bill_key=bill.bill_key).first()
        if existing is not None:
            return IssuedBill(payment_code=existing.payment_code, platform_ref=existing.platform_ref)
        region = bill.region if len(bill.region) == 2 and bill.region.isdigit() else "00"
        code = _new_payment_code(region)
        while SimulatedBill.objects.filter(payment_code=code).exists():
            code = _new_payment_code(region)
        row = SimulatedBill.objects.create(
            payment_code=code,
            platform_ref=f"SIM{timezone.now():%Y%m%d}{uuid.uuid4().hex[:12].upper()}",
            bill_key=bill.bill_key,
            payee_name=bill.payee_name[:100],
            payee_code=bill.payee_code[:32],
            region=region,
            payer_name=bill.payer_name,
            payer_id_masked=bill.payer_id_masked,
            item=bill.item,
            fine=bill.fine,
            due_on=bill.due_on,
            late_fee_rate=bill.late_fee_rate,
            late_fee_cap_ratio=bill.late_fee_cap_ratio,
        )
        return IssuedBill(payment_code=row.payment_code, platform_ref=row.platform_ref)

    def _bill(self, payment_code: str) -> SimulatedBill:
        bill = SimulatedBill.objects.filter(payment_code=payment_code).first()
        if bill is None:
            raise PlatformError(f"缴款码 {payment_code} 不存在")
        return bill

    def query(self, payment_code: str) -> BillStatus:
        bill = self._bill(payment_code)
        payments = tuple(
            PlatformPayment(transaction_id=p.transaction_id, amount=p.amount, paid_at=p.paid_at, channel=p.channel, fiscal_receipt_no=p.fiscal_receipt_no)
            for p in bill.payments.all()
        )
        return BillStatus(
            payment_code=bill.payment_code,
            platform_ref=bill.platform_ref,
            state=bill.state,
            paid_total=sum((p.amount for p in payments), rules.ZERO),
            payments=payments,
        )

    def cancel(self, payment_code: str, *, reason: str) -> None:
        bill = self._bill(payment_code)
        bill.state = SimBillState.CANCELLED
        bill.cancel_reason = reason[:200]
        bill.save(update_fields=["state", "cancel_reason", "updated_at"])

    def amend(self, payment_code: str, *, due_on: date, excluded: Sequence[tuple[date, date | None]]) -> None:
        bill = self._bill(payment_code)
        bill.due_on = due_on
        bill.excluded = [[start.isoformat(), end.isoformat() if end else None] for start, end in excluded]
        bill.save(update_fields=["due_on", "excluded", "updated_at"])

    def payer_url(self, payment_code: str) -> str | None:
        return reverse("payments:sim_pay", args=[payment_code])

    # --- the platform's own side (payer page) -------------------------------------------------

    @staticmethod
    def paid_total(bill: SimulatedBill) -> Decimal:
        return sum((p.amount for p in bill.payments.all()), rules.ZERO)

    @staticmethod
    def late_fee(bill: SimulatedBill, on: date) -> Decimal:
        """The platform's own surcharge computation (PAY-06/07) for the amount it asks for."""
        return rules.late_fee(
            bill.fine, bill.due_on, on, rate=bill.late_fee_rate, cap_ratio=bill.late_fee_cap_ratio,
            excluded=_excluded_from_json(bill.excluded, on),
        )

    def amount_payable(self, bill: SimulatedBill, on: date) -> Decimal:
        return rules.amount_due(fine=bill.fine, late_fee=self.late_fee(bill, on), paid_total=self.paid_total(bill))

    def pay(self, payment_code: str, *, channel: str, amount: object = None, paid_at: datetime | None = None) -> SimulatedPayment:
        """A payer pays `amount` (default: everything payable today) through `channel`; the platform
        records it, issues the fiscal e-receipt and then notifies the authority."""
        moment = paid_at or timezone.now()
        on = local_date(moment)
        with transaction.atomic():
            bill = SimulatedBill.objects.select_for_update().filter(payment_code=payment_code).first()
            if bill is None:
                raise SimulatorRefusal("缴款码不存在，请核对缴款通知上的缴款码")
            if bill.state == SimBillState.CANCELLED:
                raise SimulatorRefusal("该缴款单已被执收单位撤销，不能缴款")
            if bill.state == SimBillState.PAID:
                raise SimulatorRefusal("该缴款单已缴清，无需重复缴款")
            if channel not in {c.value for c in PLATFORM_CHANNELS}:
                raise SimulatorRefusal("请选择缴款方式：网银、电子支付或银行柜台")
            payable = self.amount_payable(bill, on)
            try:
                value = payable if amount in (None, "") else rules.parse_amount(amount)
            except rules.AmountError as exc:
                raise SimulatorRefusal(str(exc)) from None
            payment = SimulatedPayment.objects.create(
                bill=bill,
                transaction_id=f"SIMTX{uuid.uuid4().hex[:20].upper()}",
                amount=value,
                channel=channel,
                paid_at=moment,
                fiscal_receipt_no=_new_receipt_number(bill.region, on),
            )
            bill.state = SimBillState.PAID if value >= payable else SimBillState.PARTIAL
            bill.save(update_fields=["state", "updated_at"])
        return self.notify(payment)

    def notify(self, payment: SimulatedPayment) -> SimulatedPayment:
        """Send (or resend) the signed callback for a payment and keep the authority's answer."""
        bill = payment.bill
        payload = {
            "payment_code": bill.payment_code,
            "platform_ref": bill.platform_ref,
            "transaction_id": payment.transaction_id,
            "amount": str(payment.amount),
            "paid_at": payment.paid_at.astimezone(SHANGHAI).isoformat(),
            "channel": payment.channel,
            "fiscal_receipt_no": payment.fiscal_receipt_no,
        }
        try:
            status, body = deliver_callback(payload, sign(payload))
        except Exception as exc:  # the authority being down must not lose the platform's record
            log.exception("payment callback delivery failed for %s", payment.transaction_id)
            status, body = 0, f"{type(exc).__name__}: {exc}"[:2000]
        payment.notify_attempts += 1
        payment.notified_at = timezone.now()
        payment.notify_status = status or None
        payment.notify_response = body
        payment.save(update_fields=["notify_attempts", "notified_at", "notify_status", "notify_response", "updated_at"])
        return payment
