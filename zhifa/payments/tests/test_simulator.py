"""The local platform simulator end to end: issue → the enterprise follows 去缴款 → pays on the
simulator's page → the simulator's signed HTTP callback → the notice is settled → payment_settled."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from zhifa.common.timeutil import today
from zhifa.payments import selectors, services
from zhifa.payments.choices import EventKind, PauseKind
from zhifa.payments.models import PaymentEvent, SimulatedBill, SimulatedPayment
from zhifa.payments.simulator import LocalPlatformSimulator, luhn_check_digit, payment_code_well_formed

from .helpers import issue, login


def test_pay_02__simulator_end_to_end_pay_on_the_platform_page(w, settled_signals, django_capture_on_commit_callbacks):
    # given a notice issued to the own enterprise
    notice = issue(w)
    # when the enterprise contact opens 我的缴款, it sees the amount, code and the platform's link
    contact = login(w.users["contact"])
    mine = contact.get("/payments/mine/").content.decode()
    sim_url = f"/payments/sim/{notice.payment_code}/"
    assert notice.payment_code in mine and "10000.00 元" in mine and f'href="{sim_url}"' in mine
    assert "去缴款" in mine and "非税收入缴款平台" in mine and "不是本局的页面" in mine
    # and follows it to the simulator's page, which says it is the platform's, not the bureau's
    page = contact.get(sim_url)
    html = page.content.decode()
    assert page.status_code == 200 and "非税收入缴款平台" in html and "不是执法机关的页面" in html
    assert "网银" in html and "电子支付" in html and "银行柜台" in html and "10000.00 元" in html
    # when it pays by e-payment on that page
    with django_capture_on_commit_callbacks(execute=True):
        response = contact.post(sim_url, {"channel": "E_PAY", "amount": ""})
    # then the platform records the payment with a fiscal e-receipt and the authority acknowledged the callback
    assert response.status_code == 302
    payment = SimulatedPayment.objects.get(bill__payment_code=notice.payment_code)
    assert payment.acknowledged and payment.notify_attempts == 1 and payment.amount == Decimal("10000.00")
    # and the authority's side shows the notice settled, with the platform's receipt, and the signal fired once
    event = PaymentEvent.objects.get(notice=notice, kind=EventKind.PAID)
    assert event.fiscal_receipt_no == payment.fiscal_receipt_no and event.transaction_id == payment.transaction_id
    assert event.channel == "E_PAY" and event.actor is None
    assert selectors.notice_status(notice).settled
    assert [s["notice"].pk for s in settled_signals] == [notice.pk]
    # and the platform page now shows the receipt and no payment form; 我的缴款 offers no link any more
    after = contact.get(sim_url).content.decode()
    assert payment.fiscal_receipt_no in after and "已确认" in after and "确认缴款" not in after
    assert f'href="{sim_url}"' not in contact.get("/payments/mine/").content.decode()


def test_pay_06__partial_payment_on_the_simulator_then_the_rest(w, settled_signals, django_capture_on_commit_callbacks):
    notice = issue(w)
    client = Client()  # the platform needs no bureau login: whoever has the code may pay
    url = f"/payments/sim/{notice.payment_code}/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"channel": "ONLINE_BANK", "amount": "4000.00"})
    bill = SimulatedBill.objects.get(payment_code=notice.payment_code)
    assert bill.state == "PARTIAL"
    assert PaymentEvent.objects.get(notice=notice, kind=EventKind.PARTIAL).amount == Decimal("4000.00")
    assert not selectors.notice_status(notice).settled and settled_signals == []
    assert "6000.00 元" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"channel": "BANK"})
    assert selectors.notice_status(notice).settled and len(settled_signals) == 1
    assert SimulatedBill.objects.get(pk=bill.pk).state == "PAID"


def test_pay_07__platform_asks_for_the_same_amount_as_the_authority_after_a_pause(w):
    # given an overdue notice with a recorded reconsideration period
    due = today() - timedelta(days=12)
    notice = issue(w, due_on=due)
    services.payment_surcharge_pause(
        notice=notice, kind=PauseKind.RECONSIDERATION, start=due + timedelta(days=2), end=due + timedelta(days=6), actor=w.users["officer"]
    )
    # when the payer opens the platform's page
    html = Client().get(f"/payments/sim/{notice.payment_code}/").content.decode()
    # then the platform's amount equals the authority's amount due (7 days × 300 = 2100 surcharge)
    status = selectors.notice_status(notice)
    assert status.late_fee_due == Decimal("2100.00")
    assert f"{status.amount_due} 元" in html


def test_pay_06__late_payment_on_the_simulator_pays_fine_and_surcharge(w, settled_signals, django_capture_on_commit_callbacks):
    notice = issue(w, due_on=today() - timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"/payments/sim/{notice.payment_code}/", {"channel": "E_PAY"})
    payment = SimulatedPayment.objects.get(bill__payment_code=notice.payment_code)
    assert payment.amount == Decimal("10900.00")
    status = selectors.notice_status(notice)
    assert status.settled and status.late_fee_due == Decimal("900.00") and len(settled_signals) == 1


@pytest.mark.parametrize(("data", "message"), [({"channel": "CASH"}, "缴款方式"), ({"channel": "E_PAY", "amount": "-1"}, "负数"), ({"channel": "E_PAY", "amount": "1.234"}, "两位小数")])
def test_pay_02__simulator_refuses_bad_payments_and_records_nothing(w, data, message):
    notice = issue(w)
    response = Client().post(f"/payments/sim/{notice.payment_code}/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not SimulatedPayment.objects.exists() and not PaymentEvent.objects.exclude(kind=EventKind.ISSUED).exists()


def test_pay_02__cancelled_bill_cannot_be_paid_on_the_simulator(w):
    notice = issue(w)
    services.payment_notice_cancel(notice=notice, actor=w.users["officer"], reason="决定撤销")
    response = Client().get(f"/payments/sim/{notice.payment_code}/")
    assert "确认缴款" not in response.content.decode() and "已撤销" in response.content.decode()
    with pytest.raises(ValueError):
        LocalPlatformSimulator().pay(notice.payment_code, channel="E_PAY")


def test_pay_02__failed_notification_is_retried_until_acknowledged(w, monkeypatch, django_capture_on_commit_callbacks):
    # given a platform whose first notification carries a wrong signature (e.g. a rotated secret)
    notice = issue(w)
    from zhifa.payments import simulator

    real_sign = simulator.sign
    monkeypatch.setattr(simulator, "sign", lambda body: real_sign(body, secret=b"stale-secret"))
    Client().post(f"/payments/sim/{notice.payment_code}/", {"channel": "E_PAY"})
    payment = SimulatedPayment.objects.get()
    # then the authority refused it (403) and recorded nothing
    assert payment.notify_status == 403 and not payment.acknowledged
    assert not PaymentEvent.objects.filter(kind__in=[EventKind.PAID, EventKind.PARTIAL]).exists()
    assert "重新通知" in Client().get(f"/payments/sim/{notice.payment_code}/").content.decode()
    # when the secret is fixed and the platform retries
    monkeypatch.setattr(simulator, "sign", real_sign)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(f"/payments/sim/{notice.payment_code}/notify/{payment.transaction_id}/")
    # then the payment is recorded once and acknowledged
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.acknowledged and payment.notify_attempts == 2
    assert PaymentEvent.objects.filter(kind=EventKind.PAID, transaction_id=payment.transaction_id).count() == 1


def test_pay_02__simulator_pages_404_for_unknown_codes_and_when_another_platform_is_configured(w, settings):
    notice = issue(w)
    response = Client().get("/payments/sim/12345678901234567890/")
    assert response.status_code == 404 and "缴款码不存在" in response.content.decode()
    settings.ZHIFA_PAYMENT_PLATFORM = "zhifa.payments.tests.test_simulator.NoPagePlatform"
    assert Client().get(f"/payments/sim/{notice.payment_code}/").status_code == 404


class NoPagePlatform:
    """Stands for a production adapter: the platform's pages are elsewhere, so the simulator's are off."""

    name = "production-adapter"

    def payer_url(self, payment_code: str) -> str | None:
        return None


def test_pay_02__payment_codes_are_20_digits_with_a_luhn_check(w):
    code = issue(w).payment_code
    assert len(code) == 20 and code.isdigit() and payment_code_well_formed(code)
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    assert not payment_code_well_formed(wrong)
    assert luhn_check_digit("7992739871") == "3"


def test_pay_02__platform_query_reports_the_bills_payments(w, django_capture_on_commit_callbacks):
    notice = issue(w)
    platform = LocalPlatformSimulator()
    with django_capture_on_commit_callbacks(execute=True):
        platform.pay(notice.payment_code, channel="BANK", amount="2500.00")
    bill = platform.query(notice.payment_code)
    assert bill.state == "PARTIAL" and bill.paid_total == Decimal("2500.00") and bill.payments[0].channel == "BANK"
    assert bill.platform_ref == notice.platform_ref
