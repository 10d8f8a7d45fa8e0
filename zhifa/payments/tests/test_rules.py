"""Pure payment rules (PAY-01…PAY-08), one or more tests per rule ID, given/when/then."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.common.workdays import package_calendar
from zhifa.payments import rules

RATE = Decimal("0.03")
CAP = Decimal("1")
FINE = Decimal("10000.00")
DUE = date(2026, 3, 16)
CAL = package_calendar()


# --- PAY-06 / PAY-07: golden late-fee table -------------------------------------------------------

GOLDEN = [
    # (fine, paid/evaluated on, excluded periods, expected surcharge, why)
    (FINE, DUE, (), "0.00", "paid on the due date: 0 days"),
    (FINE, DUE - timedelta(days=3), (), "0.00", "paid early"),
    (FINE, DUE + timedelta(days=1), (), "300.00", "1 day overdue: 3 %"),
    (FINE, DUE + timedelta(days=10), (), "3000.00", "10 days: 30 %"),
    (FINE, DUE + timedelta(days=33), (), "9900.00", "33 days: 99 %, still under the cap"),
    (FINE, DUE + timedelta(days=34), (), "10000.00", "34 days: 102 % capped at the fine"),
    (FINE, DUE + timedelta(days=400), (), "10000.00", "a year later: still the fine"),
    (Decimal("333.33"), DUE + timedelta(days=1), (), "10.00", "9.9999 rounds half up to the fen"),
    (Decimal("50.00"), DUE + timedelta(days=7), (), "10.50", "small fine, 7 days"),
    (Decimal("0.01"), DUE + timedelta(days=20), (), "0.01", "one fen: 0.006 rounds up"),
    # PAY-07: 10 days overdue, days 3..6 paused → 6 counted
    (FINE, DUE + timedelta(days=10), ((DUE + timedelta(days=3), DUE + timedelta(days=6)),), "1800.00", "4 paused days not counted"),
    # pause that began before the due date only removes days after it
    (FINE, DUE + timedelta(days=10), ((DUE - timedelta(days=5), DUE + timedelta(days=2)),), "2400.00", "pause straddling the due date"),
    # overlapping pauses count once
    (FINE, DUE + timedelta(days=10), ((DUE + timedelta(days=1), DUE + timedelta(days=5)), (DUE + timedelta(days=4), DUE + timedelta(days=8))), "600.00", "overlap counted once"),
    # pause covering the whole overdue time
    (FINE, DUE + timedelta(days=10), ((DUE, DUE + timedelta(days=30)),), "0.00", "whole period paused"),
    # pause after the evaluation day changes nothing
    (FINE, DUE + timedelta(days=2), ((DUE + timedelta(days=5), DUE + timedelta(days=9)),), "600.00", "later pause ignored"),
]


@pytest.mark.parametrize(("fine", "until", "excluded", "expected", "why"), GOLDEN, ids=[row[-1] for row in GOLDEN])
def test_pay_06__golden_late_fee_table(fine, until, excluded, expected, why):
    # given a fine due on DUE with the statutory 3 % per day capped at the fine
    # when the surcharge is computed for the day `until` with the excluded periods
    fee = rules.late_fee(fine, DUE, until, rate=RATE, cap_ratio=CAP, excluded=excluded)
    # then it is the golden value, in fen
    assert fee == Decimal(expected), why
    assert fee.as_tuple().exponent == -2


def test_pay_06__34_days_reaches_the_cap_33_does_not():
    assert rules.late_fee(FINE, DUE, DUE + timedelta(days=33), rate=RATE, cap_ratio=CAP) < FINE
    assert rules.late_fee(FINE, DUE, DUE + timedelta(days=34), rate=RATE, cap_ratio=CAP) == FINE


def test_pay_07__paused_days_are_subtracted_from_overdue_days():
    # given 20 calendar days overdue with a 7-day reconsideration inside
    paused = ((date(2026, 3, 20), date(2026, 3, 26)),)
    # then 13 days count
    assert rules.overdue_days(DUE, DUE + timedelta(days=20), paused) == 13
    assert rules.overdue_days(DUE, DUE + timedelta(days=20)) == 20


def test_pay_07__inverted_period_is_refused():
    with pytest.raises(ValueError):
        rules.overdue_days(DUE, DUE + timedelta(days=5), ((date(2026, 3, 20), date(2026, 3, 18)),))


def test_pay_06__due_date_is_taken_as_given_rolling_is_the_callers_job():
    # given a due date that falls on a Saturday (2026-03-14) — not rolled by late_fee
    saturday = date(2026, 3, 14)
    # when paid on the following Monday
    fee = rules.late_fee(FINE, saturday, date(2026, 3, 16), rate=RATE, cap_ratio=CAP)
    # then two days are counted: rolling forward is done by payment_due_on (CAL-10), not here
    assert fee == Decimal("600.00")
    rolled = rules.payment_due_on(date(2026, 2, 27), calendar=CAL, days=15).due_date
    assert rolled == date(2026, 3, 16)
    assert rules.late_fee(FINE, rolled, date(2026, 3, 16), rate=RATE, cap_ratio=CAP) == Decimal("0.00")


def test_pay_06__float_money_is_refused():
    with pytest.raises(TypeError):
        rules.late_fee(10000.0, DUE, DUE, rate=RATE, cap_ratio=CAP)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        rules.late_fee(Decimal("-1"), DUE, DUE, rate=RATE, cap_ratio=CAP)


@given(
    fine=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000000"), places=2),
    days=st.integers(min_value=0, max_value=2000),
    pause_start=st.integers(min_value=-30, max_value=60),
    pause_len=st.integers(min_value=0, max_value=60),
)
def test_pay_06__property_never_above_the_fine_and_monotone(fine, days, pause_start, pause_len):
    # given any fine, any payment day and any one paused period
    paused = ((DUE + timedelta(days=pause_start), DUE + timedelta(days=pause_start + pause_len)),)
    until = DUE + timedelta(days=days)
    fee = rules.late_fee(fine, DUE, until, rate=RATE, cap_ratio=CAP, excluded=paused)
    later = rules.late_fee(fine, DUE, until + timedelta(days=1), rate=RATE, cap_ratio=CAP, excluded=paused)
    unpaused = rules.late_fee(fine, DUE, until, rate=RATE, cap_ratio=CAP)
    # then the surcharge never exceeds the fine (ACL art. 45), never shrinks with time and a pause never adds to it
    assert Decimal("0") <= fee <= fine
    assert later >= fee
    assert fee <= unpaused


def test_pay_06__amount_due_and_settlement_day():
    # given a fine of 1000 due on DUE, paid 500 on time and 530 three days late
    payments = [(DUE, Decimal("500.00")), (DUE + timedelta(days=3), Decimal("530.00"))]
    # then on day 3 the surcharge is 90 and the obligation (1090) is not met
    assert rules.settled_on(Decimal("1000.00"), DUE, payments, rate=RATE, cap_ratio=CAP) is None
    fee = rules.late_fee(Decimal("1000.00"), DUE, DUE + timedelta(days=3), rate=RATE, cap_ratio=CAP)
    assert rules.amount_due(fine=Decimal("1000.00"), late_fee=fee, paid_total=Decimal("1030.00")) == Decimal("60.00")
    # when 60 more arrive the same day, it is settled on that day
    payments.append((DUE + timedelta(days=3), Decimal("60.00")))
    assert rules.settled_on(Decimal("1000.00"), DUE, payments, rate=RATE, cap_ratio=CAP) == DUE + timedelta(days=3)
    assert rules.amount_due(fine=Decimal("1000.00"), late_fee=fee, paid_total=Decimal("2000.00")) == Decimal("0.00")


# --- money parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [("-5", "负数"), ("10.005", "两位小数"), ("10.000", "两位小数"), ("abc", "格式"), ("NaN", "格式"), ("Infinity", "格式"), ("0", "大于零"),
     ("", "填写"), ("1e20", "范围")],
)
def test_pay_06__bad_amounts_are_refused_with_a_reason(raw, message):
    with pytest.raises(rules.AmountError) as err:
        rules.parse_amount(raw)
    assert message in str(err.value)


def test_pay_06__amounts_parse_to_fen():
    assert rules.parse_amount("1,000.5") == Decimal("1000.50")
    assert rules.parse_amount(200) == Decimal("200.00")
    assert rules.parse_amount(Decimal("0.01")) == Decimal("0.01")
    with pytest.raises(rules.AmountError):
        rules.parse_amount(1.5)
    with pytest.raises(rules.AmountError):
        rules.parse_amount(True)


# --- PAY-01 -----------------------------------------------------------------------------------------


def test_pay_01__fifteen_calendar_days_rolled_over_national_day():
    # given a decision received on 2026-09-16: day 15 is 2026-10-01 (National Day holiday to 10-07)
    deadline = rules.payment_due_on(date(2026, 9, 16), calendar=CAL, days=15)
    # then the due date rolls forward to the first working day after the holiday
    assert deadline.rolled_from == date(2026, 10, 1)
    assert deadline.due_date == date(2026, 10, 8)


# --- PAY-02 / PAY-03 / PAY-04 -------------------------------------------------------------------


def test_pay_02__only_bank_or_e_payment_or_lawful_on_spot():
    assert rules.collection_channel_allowed("BANK")
    assert rules.collection_channel_allowed("ONLINE_BANK")
    assert rules.collection_channel_allowed("E_PAY")
    # the authority or an officer taking the money is never a channel
    assert not rules.collection_channel_allowed("AUTHORITY_CASHIER")
    assert not rules.collection_channel_allowed("")
    # on the spot only after a PAY-03 check that found nothing against it
    assert not rules.collection_channel_allowed("ON_SPOT")
    assert not rules.collection_channel_allowed("ON_SPOT", on_spot_refusals=["不得当场收缴"])
    assert rules.collection_channel_allowed("ON_SPOT", on_spot_refusals=[])


@pytest.mark.parametrize(
    ("simple", "fine", "hard", "remote", "allowed"),
    [
        (True, "100", False, False, True),  # art. 68(1): ≤ 100 yuan
        (True, "100.01", False, False, False),
        (True, "2000", True, False, True),  # art. 68(2): hard to enforce later
        (False, "50", False, False, False),  # general procedure
        (False, "5000", False, True, True),  # art. 69: remote area, on request
    ],
)
def test_pay_03__on_the_spot_collection(simple, fine, hard, remote, allowed):
    reasons = rules.on_spot_collection_allowed(
        simple_procedure=simple, fine=Decimal(fine), hard_to_enforce=hard, remote_area_request=remote, max_fine=Decimal("100")
    )
    assert (reasons == []) is allowed
    assert all("行政处罚法" in r for r in reasons)


def test_pay_03__cash_handover_and_bank_deposit_in_working_days():
    # given cash collected on Friday 2026-09-25
    handover = rules.on_spot_handover_due(date(2026, 9, 25), calendar=CAL, handover_wd=2)
    deposit = rules.bank_deposit_due(handover.due_date, calendar=CAL, deposit_wd=2)
    # then two working days are counted each time
    assert handover.due_date == CAL.add_working_days(date(2026, 9, 25), 2).due_date
    assert handover.due_date > date(2026, 9, 25)
    assert deposit.due_date == CAL.add_working_days(handover.due_date, 2).due_date
    # on water the period runs from landing
    assert rules.on_spot_handover_due(date(2026, 6, 1), calendar=CAL, handover_wd=2, landed_on=date(2026, 6, 8)).due_date > date(2026, 6, 9)


def test_pay_04__fiscal_receipt_in_guangdong_only():
    assert rules.fiscal_receipt_required("CN-GD")
    assert rules.fiscal_receipt_required("CN-GD-SZ")
    assert not rules.fiscal_receipt_required("CN-GDX")
    assert not rules.fiscal_receipt_required("CN-SH")
    assert not rules.fiscal_receipt_required("CN")


def test_pay_04__rule_function_agrees_with_the_rule_set(loaded_rulesets):
    # given the shipped rule sets: CN-GD requires e-payment with the fiscal receipt
    from zhifa.rulesets.selectors import rs

    assert rs("payment.e_pay_required", jurisdiction="CN-GD", on=date(2026, 6, 1)).value is True
    assert rules.fiscal_receipt_required("CN-GD") is True


# --- PAY-05 -----------------------------------------------------------------------------------------


def test_pay_05__deferral_moves_the_due_date_and_stops_the_surcharge():
    # given a deferral to 2026-05-31 approved for a fine due on 2026-03-16
    due = rules.effective_due_on(DUE, [date(2026, 5, 31)])
    # then paying on 2026-05-31 costs no surcharge, one day later 3 %
    assert due == date(2026, 5, 31)
    assert rules.late_fee(FINE, due, date(2026, 5, 31), rate=RATE, cap_ratio=CAP) == Decimal("0.00")
    assert rules.late_fee(FINE, due, date(2026, 6, 1), rate=RATE, cap_ratio=CAP) == Decimal("300.00")
    assert rules.effective_due_on(DUE) == DUE
    assert rules.effective_due_on(DUE, [date(2026, 4, 1), date(2026, 5, 1)]) == date(2026, 5, 1)


def test_pay_05__deferral_must_lengthen_the_period():
    assert rules.deferral_problems(current_due_on=DUE, new_due_on=DUE, applied_on=DUE, approved_on=DUE)
    assert rules.deferral_problems(current_due_on=DUE, new_due_on=DUE + timedelta(days=30), applied_on=DUE + timedelta(days=2), approved_on=DUE)
    assert rules.deferral_problems(current_due_on=DUE, new_due_on=DUE + timedelta(days=30), applied_on=DUE, approved_on=DUE) == []


def test_pay_05__instalment_plan_checks():
    plan = [(date(2026, 4, 1), Decimal("5000.00")), (date(2026, 5, 1), Decimal("5000.00"))]
    assert rules.instalment_plan_problems(outstanding=FINE, new_due_on=date(2026, 5, 1), instalments=plan) == []
    assert any("合计" in p for p in rules.instalment_plan_problems(outstanding=Decimal("9000.00"), new_due_on=date(2026, 5, 1), instalments=plan))
    assert any("最后一期" in p for p in rules.instalment_plan_problems(outstanding=FINE, new_due_on=date(2026, 6, 1), instalments=plan))
    assert any("递增" in p for p in rules.instalment_plan_problems(outstanding=FINE, new_due_on=date(2026, 4, 1), instalments=list(reversed(plan))))
    assert rules.instalment_plan_problems(outstanding=FINE, new_due_on=date(2026, 5, 1), instalments=[]) == ["分期计划至少须有一期"]


# --- PAY-08 -----------------------------------------------------------------------------------------


def test_pay_08__add_months_uses_the_month_end_when_the_day_is_missing():
    assert rules.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rules.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert rules.add_months(date(2026, 8, 15), 6) == date(2027, 2, 15)
    assert rules.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_pay_08__court_application_window():
    # given a decision served 2026-03-02 and the reminder served 2026-05-06
    window = rules.court_application_window(
        decision_served_on=date(2026, 3, 2), reminder_served_on=date(2026, 5, 6), calendar=CAL,
        after_reminder_wd=10, apply_months=3, reconsideration_days=60, litigation_months=6,
    )
    # then the earliest day is 10 working days after service of the reminder (CAL-09)
    assert window.earliest == CAL.add_working_days(date(2026, 5, 6), 10).due_date
    # and the latest is 3 months after the later of the reconsideration (60 days) and litigation (6 months) deadlines
    assert window.reconsideration_deadline == date(2026, 5, 6)
    assert window.litigation_deadline == date(2026, 9, 2)
    assert window.latest == date(2026, 12, 2)
    assert window.problems == []


def test_pay_08__deferral_end_postpones_the_court_period():
    window = rules.court_application_window(
        decision_served_on=date(2026, 3, 2), reminder_served_on=date(2026, 5, 6), calendar=CAL,
        after_reminder_wd=10, apply_months=3, reconsideration_days=60, litigation_months=6, deferral_end=date(2026, 10, 30),
    )
    # PAY-05: the 3 months run from the end of the deferral: 2027-01-30 is a Saturday → Monday
    assert window.latest == date(2027, 2, 1)


def test_pay_08__authority_enforcement_needs_30_days_and_a_failed_reminder():
    assert rules.authority_enforcement_problems(overdue_days=30, surcharge_days=30, reminder_served=True, reminder_expired=True)
    assert rules.authority_enforcement_problems(overdue_days=31, surcharge_days=30, reminder_served=False, reminder_expired=False)
    assert rules.authority_enforcement_problems(overdue_days=31, surcharge_days=30, reminder_served=True, reminder_expired=False)
    assert rules.authority_enforcement_problems(overdue_days=31, surcharge_days=30, reminder_served=True, reminder_expired=True) == []
