"""Payment services: issuing, deferral (PAY-05), surcharge pauses (PAY-07), reminders (PAY-08),
cancellation — permissions, validation (nothing written on bad input), ledger entries and the
status derived from the append-only events."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from zhifa.common.errors import ZhifaError
from zhifa.common.ids import make_id_number
from zhifa.common.timeutil import today
from zhifa.ledger.models import LedgerEntry
from zhifa.payments import selectors, services
from zhifa.payments.choices import EventKind, NoticeState, PauseKind
from zhifa.payments.models import PaymentEvent, PaymentNotice, SimulatedBill
from zhifa.payments.simulator import payment_code_well_formed

from .helpers import at, issue, payload, signed


def counts():
    return PaymentNotice.objects.count(), PaymentEvent.objects.count(), SimulatedBill.objects.count(), LedgerEntry.objects.count()


# --- issuing -----------------------------------------------------------------------------------------


def test_pay_01__issue_opens_a_bill_and_records_notice_event_and_ledger(w):
    # given an officer of 普陀区 and an enterprise of its street
    before = LedgerEntry.objects.count()
    # when the officer issues a payment notice
    notice = issue(w, due_on=date(2026, 3, 16))
    # then the platform's bill carries the same code and amount, the notice has its ISSUED event and a ledger entry
    bill = SimulatedBill.objects.get(payment_code=notice.payment_code)
    assert payment_code_well_formed(notice.payment_code)
    assert bill.fine == notice.fine == Decimal("10000.00") and bill.due_on == date(2026, 3, 16)
    assert bill.bill_key == notice.bill_key and bill.platform_ref == notice.platform_ref
    assert list(notice.events.values_list("kind", flat=True)) == [EventKind.ISSUED]
    entry = LedgerEntry.objects.get(index=before)
    assert entry.action == "payments.notice.issue" and entry.object_id == str(notice.pk)
    assert entry.payload["fine"] == "10000.00" and entry.payload["payment_code"] == notice.payment_code
    assert notice.payer_id_masked == w.enterprise.uscc and notice.platform == "local-simulator"


def test_pay_06__rate_and_cap_default_to_the_rule_set(w, loaded_rulesets):
    # given the shipped rule sets (3 % per day, capped at 1 × the fine)
    # when a notice is issued without rate and cap
    notice = issue(w, rate=None, cap_ratio=None)
    # then they come from payment.late_fee_rate / payment.late_fee_cap_ratio
    assert notice.late_fee_rate == Decimal("0.0300") and notice.late_fee_cap_ratio == Decimal("1.0000")
    terms = selectors.payment_terms(w.orgs["putuo"])
    assert terms.days == 15


BAD_INPUT = [
    ({"amount": "-100"}, "amount", "负数"),
    ({"amount": "100.005"}, "amount", "两位小数"),
    ({"amount": 100.5}, "amount", "浮点数"),
    ({"amount": "一百"}, "amount", "格式"),
    ({"amount": "0"}, "amount", "大于零"),
    ({"due_on": "2026-02-30"}, "due_on", "有效日期"),
    ({"due_on": "next week"}, "due_on", "有效日期"),
    ({"due_on": datetime(2026, 3, 1, 10, 0)}, "due_on", "不含时间"),
    ({"due_on": None}, "due_on", "请填写"),
    ({"decision_served_on": "2026/03/01"}, "decision_served_on", "有效日期"),
    ({"ref": "Case 12"}, "ref", "格式"),
    ({"payer_name": "  "}, "payer_name", "请填写"),
    ({"payer_id_masked": "12345"}, "payer_id_masked", "统一社会信用代码"),
    ({"rate": "1.5"}, "rate", "0 到 1"),
    ({"rate": 0.03}, "rate", "十进制"),
    ({"cap_ratio": "-1"}, "cap_ratio", "0 到 1"),
    ({"enterprise_id": "abc"}, "enterprise_id", "企业编号"),
]


@pytest.mark.parametrize(("overrides", "field", "fragment"), BAD_INPUT, ids=[f"{b[1]}-{i}" for i, b in enumerate(BAD_INPUT)])
def test_pay_06__bad_input_is_a_structured_error_and_nothing_is_written(w, overrides, field, fragment):
    # given a clean database
    before = counts()
    # when a notice is issued with one bad value
    with pytest.raises(ZhifaError) as err:
        issue(w, **overrides)
    # then the error names the field in Chinese and nothing was written (no notice, bill or ledger entry)
    assert err.value.field == field and fragment in err.value.message
    assert err.value.status == 400
    assert counts() == before


def test_pay_01__raw_id_number_of_a_person_is_masked_before_storage(w):
    raw = make_id_number(random.Random(7))
    notice = issue(w, payer_name="张三", payer_id_masked=raw, enterprise_id=None)
    assert notice.payer_id_masked != raw and notice.payer_id_masked.startswith(raw[:4]) and "*" in notice.payer_id_masked
    assert raw not in str(LedgerEntry.objects.filter(action="payments.notice.issue").last().payload)


@pytest.mark.parametrize(("user", "status"), [("legal_reviewer", 403), ("auditor", 403), ("contact", 403), ("foreign_officer", 403)])
def test_pay_02__only_officers_and_supervisors_of_the_organisation_issue(w, user, status):
    before = counts()
    with pytest.raises(ZhifaError) as err:
        issue(w, actor=w.users[user])
    assert err.value.status == status
    assert counts() == before


def test_pay_01__enterprise_outside_scope_is_not_found(w):
    with pytest.raises(ZhifaError) as err:
        issue(w, enterprise_id=w.other_enterprise.pk, payer_id_masked=w.other_enterprise.uscc)
    assert err.value.status == 404 and err.value.field == "enterprise_id"


def test_pay_01__second_active_notice_for_the_same_ref_and_payer_is_refused(w):
    first = issue(w, ref="cases.Case:900")
    with pytest.raises(ZhifaError) as err:
        issue(w, ref="cases.Case:900")
    assert err.value.code.value == "PAY_DUPLICATE_NOTICE" and first.payment_code in err.value.message
    # after cancelling, a corrected notice may be issued
    services.payment_notice_cancel(notice=first, actor=w.users["officer"], reason="决定书金额更正")
    second = issue(w, ref="cases.Case:900", amount="8000.00")
    assert second.payment_code != first.payment_code


def test_pay_02__notices_and_events_are_append_only(w):
    notice = issue(w)
    notice.payer_name = "改名"
    with pytest.raises(PermissionError):
        notice.save()
    with pytest.raises(PermissionError):
        PaymentEvent.objects.filter(notice=notice).update(note="x")
    # the database itself refuses raw SQL (trigger from migration 0002)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE payments_paymentnotice SET fine = 1 WHERE id = %s", [notice.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM payments_paymentevent WHERE notice_id = %s", [notice.pk])


# --- status --------------------------------------------------------------------------------------------


def test_pay_06__status_unpaid_overdue_and_surcharge(w):
    notice = issue(w, due_on=date(2026, 3, 16))
    on_due = selectors.notice_status(notice, on=date(2026, 3, 16))
    assert on_due.state == NoticeState.UNPAID and on_due.amount_due == Decimal("10000.00") and on_due.overdue_days == 0
    late = selectors.notice_status(notice, on=date(2026, 3, 21))
    assert late.state == NoticeState.OVERDUE and late.overdue_days == 5
    assert late.late_fee_due == Decimal("1500.00") and late.amount_due == Decimal("11500.00")
    capped = selectors.notice_status(notice, on=date(2026, 6, 1))
    assert capped.late_fee_due == Decimal("10000.00") and capped.amount_due == Decimal("20000.00")


# --- PAY-05 --------------------------------------------------------------------------------------------


def test_pay_05__deferral_needs_a_supervisor(w):
    notice = issue(w)
    with pytest.raises(ZhifaError) as err:
        services.payment_deferral_approve(
            notice=notice, new_due_on=today() + timedelta(days=60), applied_on=today(), approver=w.users["officer"], reason="经营困难"
        )
    assert err.value.status == 403 and err.value.rule == "PAY-05"
    with pytest.raises(ZhifaError) as err:
        services.payment_deferral_approve(
            notice=notice, new_due_on=today() + timedelta(days=60), applied_on=today(), approver=w.users["foreign_supervisor"], reason="经营困难"
        )
    assert err.value.status == 404
    assert notice.events.count() == 1


def test_pay_05__approved_deferral_moves_due_date_here_and_on_the_platform(w):
    # given a notice due in 15 days
    notice = issue(w)
    new_due = today() + timedelta(days=90)
    before = LedgerEntry.objects.count()
    # when a supervisor approves a deferral
    event = services.payment_deferral_approve(
        notice=notice, new_due_on=new_due, applied_on=today(), approver=w.users["supervisor"], reason="受疫情影响经营困难，申请延期缴纳"
    )
    # then the status uses the new due date, no surcharge runs until then, and the platform knows it
    status = selectors.notice_status(notice, on=new_due)
    assert event.kind == EventKind.DEFERRED and event.actor == w.users["supervisor"]
    assert status.due_on == new_due and status.deferred and status.late_fee_due == Decimal("0.00")
    assert SimulatedBill.objects.get(payment_code=notice.payment_code).due_on == new_due
    assert LedgerEntry.objects.filter(index__gte=before, action="payments.notice.defer").count() == 1


def test_pay_05__instalment_plan_is_checked_and_stored(w):
    notice = issue(w)
    end = today() + timedelta(days=75)
    bad = [(today() + timedelta(days=45), "4000.00"), (end, "4000.00")]
    with pytest.raises(ZhifaError) as err:
        services.payment_deferral_approve(notice=notice, new_due_on=end, applied_on=today(), approver=w.users["supervisor"], reason="分期", instalments=bad)
    assert "合计" in err.value.message and notice.events.count() == 1
    good = [(today() + timedelta(days=45), "6000.00"), (end.isoformat(), "4000.00")]
    services.payment_deferral_approve(notice=notice, new_due_on=end, applied_on=today(), approver=w.users["supervisor"], reason="分期", instalments=good)
    status = selectors.notice_status(notice)
    assert status.instalments == ((today() + timedelta(days=45), Decimal("6000.00")), (end, Decimal("4000.00")))


def test_pay_05__deferral_that_shortens_the_period_is_refused(w):
    notice = issue(w)
    with pytest.raises(ZhifaError) as err:
        services.payment_deferral_approve(notice=notice, new_due_on=today() + timedelta(days=5), applied_on=today(), approver=w.users["supervisor"], reason="x申请")
    assert "晚于当前缴款期限" in err.value.message


# --- PAY-07 --------------------------------------------------------------------------------------------


def test_pay_07__closed_pause_removes_its_days_from_the_surcharge(w):
    # given a notice that fell due 20 days ago
    due = today() - timedelta(days=20)
    notice = issue(w, due_on=due)
    assert selectors.notice_status(notice).overdue_days == 20
    # when a 7-day reconsideration period is recorded
    services.payment_surcharge_pause(
        notice=notice, kind=PauseKind.RECONSIDERATION, start=due + timedelta(days=3), end=due + timedelta(days=9), actor=w.users["officer"]
    )
    # then only 13 days count, and the platform computes the same amount
    status = selectors.notice_status(notice)
    assert status.overdue_days == 13 and status.late_fee_due == Decimal("3900.00")
    from zhifa.payments.simulator import LocalPlatformSimulator

    bill = SimulatedBill.objects.get(payment_code=notice.payment_code)
    assert LocalPlatformSimulator().amount_payable(bill, today()) == status.amount_due


def test_pay_07__open_litigation_stops_the_surcharge_until_resumed(w):
    due = today() - timedelta(days=30)
    notice = issue(w, due_on=due)
    officer = w.users["officer"]
    services.payment_surcharge_pause(notice=notice, kind=PauseKind.LITIGATION, start=due + timedelta(days=5), actor=officer)
    # while open, days from its start do not count
    assert selectors.notice_status(notice).overdue_days == 4
    # a second open period is refused, and so is an overlapping closed one
    with pytest.raises(ZhifaError) as err:
        services.payment_surcharge_pause(notice=notice, kind=PauseKind.RECONSIDERATION, start=due + timedelta(days=20), actor=officer)
    assert err.value.code.value == "PAY_PAUSE_OVERLAP"
    with pytest.raises(ZhifaError):
        services.payment_surcharge_pause(notice=notice, kind=PauseKind.RECONSIDERATION, start=due + timedelta(days=1), end=due + timedelta(days=6), actor=officer)
    # when the litigation ends, the surcharge runs again from the next day
    services.payment_surcharge_resume(notice=notice, end=due + timedelta(days=24), actor=officer)
    status = selectors.notice_status(notice)
    assert status.open_pause is None and status.overdue_days == 30 - 20
    with pytest.raises(ZhifaError) as err:
        services.payment_surcharge_resume(notice=notice, end=today(), actor=officer)
    assert err.value.code.value == "PAY_NO_OPEN_PAUSE"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"kind": "APPEAL"}, "kind"), ({"start": "2026-13-01"}, "start"), ({"end": "yesterday"}, "end")],
)
def test_pay_07__bad_pause_input_writes_nothing(w, kwargs, field):
    notice = issue(w, due_on=today() - timedelta(days=10))
    values = {"kind": PauseKind.RECONSIDERATION, "start": today() - timedelta(days=5), "end": None}
    values.update(kwargs)
    before = counts()
    with pytest.raises(ZhifaError) as err:
        services.payment_surcharge_pause(notice=notice, actor=w.users["officer"], **values)
    assert err.value.field == field and counts() == before


def test_pay_07__future_or_inverted_period_is_refused(w):
    notice = issue(w, due_on=today() - timedelta(days=10))
    with pytest.raises(ZhifaError):
        services.payment_surcharge_pause(notice=notice, kind=PauseKind.RECONSIDERATION, start=today() + timedelta(days=1), actor=w.users["officer"])
    with pytest.raises(ZhifaError):
        services.payment_surcharge_pause(
            notice=notice, kind=PauseKind.RECONSIDERATION, start=today() - timedelta(days=2), end=today() - timedelta(days=4), actor=w.users["officer"]
        )


# --- PAY-08 --------------------------------------------------------------------------------------------


def test_pay_08__reminder_only_after_the_due_date(w):
    notice = issue(w)
    with pytest.raises(ZhifaError) as err:
        services.payment_reminder_record(notice=notice, served_on=today(), actor=w.users["officer"])
    assert err.value.rule == "PAY-08" and notice.events.count() == 1


def test_pay_08__reminder_gives_the_court_application_window(w, loaded_rulesets):
    # given a decision served 50 days ago, payment due 35 days ago, and a reminder served today
    served = today() - timedelta(days=50)
    notice = issue(w, due_on=today() - timedelta(days=35), decision_served_on=served)
    services.payment_reminder_record(notice=notice, served_on=today(), actor=w.users["officer"], document_number="沪普应急催〔2026〕1号")
    status = selectors.notice_status(notice)
    # when the window is computed from the rule set
    window = selectors.enforcement_window(notice, status)
    # then it opens 10 working days after the reminder and closes 3 months after the litigation deadline
    from zhifa.common.calendar_store import get_calendar
    from zhifa.payments import rules

    cal = get_calendar()
    assert status.last_reminder_on == today()
    assert window.earliest == cal.add_working_days(today(), 10).due_date
    assert window.latest == cal.next_working_day(rules.add_months(window.litigation_deadline, 3)).due_date


# --- cancellation --------------------------------------------------------------------------------------


def test_pay_02__cancel_closes_the_bill_and_later_payment_is_still_recorded(w, settled_signals, django_capture_on_commit_callbacks):
    notice = issue(w)
    services.payment_notice_cancel(notice=notice, actor=w.users["officer"], reason="复议撤销原处罚决定")
    assert SimulatedBill.objects.get(payment_code=notice.payment_code).state == "CANCELLED"
    assert selectors.notice_status(notice).state == NoticeState.CANCELLED
    with pytest.raises(ZhifaError) as err:
        services.payment_notice_cancel(notice=notice, actor=w.users["officer"], reason="再次")
    assert err.value.code.value == "PAY_NOTICE_CANCELLED"
    # money that still arrives is a fact: recorded with a refund note, no settlement signal
    with django_capture_on_commit_callbacks(execute=True):
        event = services.payment_callback_record(*signed(payload(notice, amount="10000.00", paid_at=at(today()) - timedelta(hours=12))))
    assert "退付" in event.note and settled_signals == []


def test_pay_02__auditor_cannot_cancel_or_pause(w):
    notice = issue(w, due_on=today() - timedelta(days=3))
    with pytest.raises(ZhifaError) as err:
        services.payment_notice_cancel(notice=notice, actor=w.users["auditor"], reason="x")
    assert err.value.status == 403
    with pytest.raises(ZhifaError) as err:
        services.payment_surcharge_pause(notice=notice, kind=PauseKind.LITIGATION, start=today(), actor=w.users["contact"])
    assert err.value.status == 403


def test_pay_05__missed_instalment_is_shown_not_surcharged(w):
    # given an instalment plan approved today: 6000 in 45 days, 4000 in 75 days
    notice = issue(w)
    first, end = today() + timedelta(days=45), today() + timedelta(days=75)
    services.payment_deferral_approve(
        notice=notice, new_due_on=end, applied_on=today(), approver=w.users["supervisor"], reason="分期缴纳",
        instalments=[(first, "6000.00"), (end, "4000.00")],
    )
    # when the first instalment date has passed without payment
    status = selectors.notice_status(notice, on=first + timedelta(days=1))
    # then the arrears are shown, while no surcharge runs before the end of the plan (PAY-05)
    assert status.instalment_arrears == Decimal("6000.00")
    assert status.late_fee_due == Decimal("0.00") and status.state == NoticeState.UNPAID
    assert selectors.notice_status(notice, on=first).instalment_arrears == Decimal("0.00")
