"""The platform's signed callback (PAY-01/02/04/06): signature, idempotency, partial payments,
unknown codes and malformed payloads — through the service and through POST /api/v1/payments/callback/."""
from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from zhifa.accounts.choices import OrgKind, Role
from zhifa.accounts.tests.factories import OrganisationFactory, UserFactory
from zhifa.common.errors import ZhifaError
from zhifa.common.timeutil import today
from zhifa.ledger.models import LedgerEntry
from zhifa.payments import platform, selectors, services
from zhifa.payments.choices import EventKind, NoticeState
from zhifa.payments.models import PaymentEvent, PaymentNotice

from .helpers import at, issue, payload

URL = "/api/v1/payments/callback/"


def record(body: dict, signature: str | None = None):
    return services.payment_callback_record(body, platform.sign(body) if signature is None else signature)


def state():
    return PaymentEvent.objects.exclude(kind=EventKind.ISSUED).count(), LedgerEntry.objects.count()


def test_pay_01__full_payment_on_time_settles_and_signals_once(w, settled_signals, django_capture_on_commit_callbacks):
    # given a notice due in 15 days
    notice = issue(w)
    body = payload(notice, amount="10000.00", paid_at=at(today()) - timedelta(hours=14), txn="TX-FULL-1")
    # when the platform reports the full amount
    with django_capture_on_commit_callbacks(execute=True):
        event = record(body)
    # then it is PAID, the notice is settled, a ledger entry by the system is written and the signal fired once
    assert event.kind == EventKind.PAID and event.duplicate is False
    assert event.fiscal_receipt_no == "44010126-0000000001" and event.channel == "E_PAY"
    status = selectors.notice_status(notice)
    assert status.settled and status.state == NoticeState.SETTLED and status.amount_due == Decimal("0.00")
    entry = LedgerEntry.objects.filter(action="payments.notice.payment").get()
    assert entry.actor_id is None and entry.payload["transaction_id"] == "TX-FULL-1"
    assert len(settled_signals) == 1
    assert settled_signals[0]["sender"] is PaymentNotice and settled_signals[0]["notice"].pk == notice.pk
    assert settled_signals[0]["event"].pk == event.pk and settled_signals[0]["status"].settled


def test_pay_02__same_callback_twice_is_recorded_once(w, settled_signals, django_capture_on_commit_callbacks):
    notice = issue(w)
    body = payload(notice, amount="10000.00", paid_at=at(today()) - timedelta(hours=14), txn="TX-DUP")
    with django_capture_on_commit_callbacks(execute=True):
        first = record(body)
    before = state()
    # when the platform retries the very same notification
    with django_capture_on_commit_callbacks(execute=True):
        again = record(dict(body))
    # then the recorded event is returned, nothing new is written and no second signal is sent
    assert again.pk == first.pk and again.duplicate is True
    assert state() == before and len(settled_signals) == 1


def test_pay_02__same_transaction_id_with_other_content_is_a_conflict(w):
    notice = issue(w)
    record(payload(notice, amount="4000.00", paid_at=at(today()) - timedelta(hours=14), txn="TX-CONFLICT"))
    before = state()
    with pytest.raises(ZhifaError) as err:
        record(payload(notice, amount="5000.00", paid_at=at(today()) - timedelta(hours=14), txn="TX-CONFLICT"))
    assert err.value.status == 409 and err.value.code.value == "PAY_CALLBACK_CONFLICT"
    assert state() == before


def test_pay_06__lower_amount_is_partial_and_not_settled(w, settled_signals, django_capture_on_commit_callbacks):
    notice = issue(w)
    paid_at = at(today()) - timedelta(hours=14)
    with django_capture_on_commit_callbacks(execute=True):
        part = record(payload(notice, amount="4000.00", paid_at=paid_at))
    status = selectors.notice_status(notice)
    assert part.kind == EventKind.PARTIAL
    assert not status.settled and status.state == NoticeState.PARTIAL and status.amount_due == Decimal("6000.00")
    assert settled_signals == []
    # when the rest arrives, the notice is settled and the signal fires
    with django_capture_on_commit_callbacks(execute=True):
        rest = record(payload(notice, amount="6000.00", paid_at=paid_at + timedelta(hours=1)))
    assert rest.kind == EventKind.PAID and selectors.notice_status(notice).settled and len(settled_signals) == 1


def test_pay_06__paying_only_the_fine_after_the_due_date_leaves_the_surcharge_owed(w):
    # given a notice that fell due 10 days ago (surcharge 10 × 3 % = 3000)
    notice = issue(w, due_on=today() - timedelta(days=10))
    paid_at = at(today()) - timedelta(hours=14)  # yesterday: 9 days overdue
    # when the party pays only the fine
    event = record(payload(notice, amount="10000.00", paid_at=paid_at))
    # then it is partial: the surcharge up to the payment day is still owed and keeps running
    assert event.kind == EventKind.PARTIAL
    status = selectors.notice_status(notice)
    assert not status.settled and status.late_fee_due == Decimal("3000.00") and status.amount_due == Decimal("3000.00")
    # and paying 3000 today settles it, freezing the surcharge at today's 10 days
    settled = record(payload(notice, amount="3000.00", paid_at=at(today(), 0) + timedelta(minutes=1)))
    assert settled.kind == EventKind.PAID
    later = selectors.notice_status(notice, on=today() + timedelta(days=20))
    assert later.settled and later.settled_on == today() and later.late_fee_due == Decimal("3000.00") and later.amount_due == 0


@pytest.mark.parametrize(
    "signature",
    ["", "sha256=" + "0" * 64, "nonsense", "sha256=ünïcode"],
)
def test_pay_02__bad_signature_is_403_and_nothing_is_written(w, signature):
    notice = issue(w)
    before = state()
    with pytest.raises(ZhifaError) as err:
        record(payload(notice, amount="10000.00", paid_at=at(today()) - timedelta(hours=14)), signature=signature)
    assert err.value.status == 403 and err.value.code.value == "PAY_BAD_SIGNATURE"
    assert state() == before


def test_pay_02__signature_over_other_content_or_with_another_secret_fails(w, settings):
    notice = issue(w)
    body = payload(notice, amount="10000.00", paid_at=at(today()) - timedelta(hours=14))
    tampered = dict(body, amount="1.00")
    with pytest.raises(ZhifaError) as err:
        record(tampered, signature=platform.sign(body))
    assert err.value.status == 403
    with pytest.raises(ZhifaError):
        record(body, signature=platform.sign(body, secret=b"another-secret"))
    # with no secret configured every callback is refused
    settings.ZHIFA_PAYMENT_CALLBACK_SECRET = ""
    with pytest.raises(ZhifaError) as err:
        record(body, signature=platform.sign(body, secret=b""))
    assert err.value.status == 403


def test_pay_02__unknown_payment_code_is_a_structured_404(w):
    notice = issue(w)
    body = payload(notice, amount="10000.00", paid_at=at(today()) - timedelta(hours=14))
    body["payment_code"] = "31000000000000000000"
    before = state()
    with pytest.raises(ZhifaError) as err:
        record(body)
    assert err.value.status == 404 and err.value.code.value == "PAY_UNKNOWN_PAYMENT_CODE" and err.value.field == "payment_code"
    assert state() == before


def test_pay_02__platform_ref_that_does_not_match_is_a_conflict(w):
    notice = issue(w)
    with pytest.raises(ZhifaError) as err:
        record(payload(notice, amount="10000.00", paid_at=at(today()) - timedelta(hours=14), platform_ref="SIMOTHER"))
    assert err.value.status == 409


MALFORMED = [
    ({"amount": "-10.00"}, "amount"),
    ({"amount": "10.001"}, "amount"),
    ({"amount": 10000.0}, "amount"),
    ({"amount": ""}, "amount"),
    ({"paid_at": "yesterday"}, "paid_at"),
    ({"paid_at": "2026-03-01T10:00:00"}, "paid_at"),
    ({"paid_at": "2099-01-01T10:00:00+08:00"}, "paid_at"),
    ({"channel": "AUTHORITY_CASHIER"}, "channel"),
    ({"channel": "ON_SPOT"}, "channel"),
    ({"transaction_id": ""}, "transaction_id"),
    ({"transaction_id": 12345}, "transaction_id"),
    ({"payment_code": "x" * 40}, "payment_code"),
    ({"bonus": "1"}, None),
]


@pytest.mark.parametrize(("change", "field"), MALFORMED, ids=[f"{list(m[0])[0]}-{i}" for i, m in enumerate(MALFORMED)])
def test_pay_02__malformed_payload_is_400_and_nothing_is_written(w, change, field):
    notice = issue(w)
    body = payload(notice, amount="10000.00", paid_at=at(today()) - timedelta(hours=14))
    body.update(change)
    before = state()
    with pytest.raises(ZhifaError) as err:
        record(body)
    assert err.value.status == 400 and err.value.field == field
    if field == "channel":
        assert err.value.rule == "PAY-02"
    assert state() == before


def test_pay_04__guangdong_requires_the_fiscal_e_receipt(w):
    # given a Guangdong bureau and its officer
    gd = OrganisationFactory(name="广州市应急管理局", code="GZ", kind=OrgKind.CITY, jurisdiction="CN-GD", is_enforcement_body=True)
    officer = UserFactory(role=Role.OFFICER, organisation=gd)
    notice = issue(w, organisation=gd, actor=officer, enterprise_id=None)
    paid_at = at(today()) - timedelta(hours=14)
    # when the callback has no fiscal receipt number, it is refused (PAY-04)
    with pytest.raises(ZhifaError) as err:
        record(payload(notice, amount="10000.00", paid_at=paid_at, receipt=None))
    assert err.value.rule == "PAY-04" and err.value.field == "fiscal_receipt_no"
    # with it, it is recorded
    assert record(payload(notice, amount="10000.00", paid_at=paid_at)).kind == EventKind.PAID
    # a Shanghai notice without a receipt number is recorded (PAY-04 is Guangdong's rule)
    sh = issue(w)
    assert record(payload(sh, amount="10000.00", paid_at=paid_at, receipt=None)).kind == EventKind.PAID


# --- over HTTP -----------------------------------------------------------------------------------------


def post(body, signature: str | None = None, raw: bytes | None = None):
    data = raw if raw is not None else platform.canonical_body(body)
    headers = {platform.SIGNATURE_HEADER: platform.sign(body) if signature is None else signature}
    return Client().post(URL, data=data, content_type="application/json", headers=headers)


def test_pay_02__callback_endpoint_records_and_answers_json(w, settled_signals, django_capture_on_commit_callbacks):
    notice = issue(w)
    body = payload(notice, amount="10000.00", paid_at=at(today()) - timedelta(hours=14), txn="TX-HTTP")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(body)
    assert response.status_code == 200, response.content
    assert response.json() == {"duplicate": False, "kind": "PAID", "payment_code": notice.payment_code, "transaction_id": "TX-HTTP", "settled": True}
    assert post(body).json()["duplicate"] is True
    assert len(settled_signals) == 1


def test_pay_02__callback_endpoint_errors_are_structured(w):
    notice = issue(w)
    body = payload(notice, amount="10000.00", paid_at=at(today()) - timedelta(hours=14))
    before = state()
    bad_sig = post(body, signature="sha256=" + "f" * 64)
    assert bad_sig.status_code == 403 and bad_sig.json()["error"]["code"] == "PAY_BAD_SIGNATURE"
    unknown = post(dict(body, payment_code="31000000000000000000"))
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "PAY_UNKNOWN_PAYMENT_CODE"
    three_decimals = post(dict(body, amount="100.123"))
    assert three_decimals.status_code == 400 and three_decimals.json()["error"]["field"] == "amount"
    not_json = post(body, raw=b"{not json")
    assert not_json.status_code == 400 and "error" in not_json.json()
    a_list = Client().post(URL, data=json.dumps([1, 2]), content_type="application/json", headers={platform.SIGNATURE_HEADER: "x"})
    assert a_list.status_code == 400 and "error" in a_list.json()
    assert Client().get(URL).status_code == 405
    assert state() == before
