"""Deadlines of the case procedure (zhifa.cases.rules.deadlines) against the official 2025/2026
holiday schedules shipped with the calendar package. Golden dates were worked out by hand from the
State Council notices (2025: 国庆中秋 10-01…10-08, make-up days Sun 09-28 and Sat 10-11; 2026:
元旦 01-01…01-03 with Sun 01-04 working, 春节 02-15…02-23 with Sat 02-14 and Sat 02-28 working,
劳动节 05-01…05-05 with Sat 05-09 working, 端午 06-19…06-21, 中秋 09-25…09-27, 国庆 10-01…10-07
with Sun 09-20 and Sat 10-10 working)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.cases.rules import deadlines
from zhifa.cases.rules.findings import RuleInputError
from zhifa.common.timeutil import SHANGHAI
from zhifa.common.workdays import package_calendar

CAL = package_calendar()
D = date

# Dates with an official schedule in the package (2025–2026), for the property tests.
official_days = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 10, 31))


# --- RTS-04 statement window ------------------------------------------------------------------


@pytest.mark.parametrize(("served_on", "due"), [
    (D(2026, 9, 30), D(2026, 10, 10)),   # 10-01…10-07 off; 10-08, 10-09, Sat 10-10 (make-up day)
    (D(2025, 9, 30), D(2025, 10, 11)),   # 10-01…10-08 off; 10-09, 10-10, Sat 10-11 (make-up day)
    (D(2026, 2, 13), D(2026, 2, 25)),    # Sat 02-14 works; 02-15…02-23 off; 02-24, 02-25
    (D(2026, 10, 3), D(2026, 10, 10)),   # served on a holiday (e-service arrival): counting starts next day
    (D(2026, 3, 2), D(2026, 3, 5)),      # an ordinary week: Mon → Thu
])
def test_rts_04__window_skips_national_day(served_on, due):
    # given a pre-decision notice served on `served_on` and the 3-working-day window
    # when the window end is computed
    end = deadlines.statement_window_end(served_on, 3, CAL)
    # then it is the third working day after service, holidays skipped and make-up days counted
    assert end.due_date == due
    assert end.rule == "RTS-04" and not end.provisional


def test_rts_04__counted_from_service_date_not_sending_amb_29():
    # given an e-service notice sent on Fri 2026-09-18 that arrived on Sun 2026-09-20 (a make-up working day)
    sent, arrived = D(2026, 9, 18), D(2026, 9, 20)
    # when the window is computed from the arrival (AMB-29, SRV-03)
    end = deadlines.statement_window_end(arrived, 3, CAL).due_date
    # then it ends on Wed 09-23, not on Tue 09-22 as counting from the sending day would give
    assert end == D(2026, 9, 23)
    assert deadlines.statement_window_end(sent, 3, CAL).due_date == D(2026, 9, 22)


def test_rts_04__aware_timestamp_uses_shanghai_date():
    # given a service timestamp of 2026-09-29 17:30 UTC, i.e. 2026-09-30 01:30 in Shanghai
    ts = datetime(2026, 9, 29, 17, 30, tzinfo=UTC)
    assert ts.astimezone(SHANGHAI).date() == D(2026, 9, 30)
    # when the window is computed / then the Shanghai date (09-30) is the trigger
    assert deadlines.statement_window_end(ts, 3, CAL).due_date == D(2026, 10, 10)


def test_rts_04__negative_or_fractional_days_are_refused_in_chinese():
    with pytest.raises(RuleInputError) as exc:
        deadlines.statement_window_end(D(2026, 3, 2), -1, CAL)
    assert "陈述申辩期限" in exc.value.message and exc.value.rule == "RTS-04"
    with pytest.raises(ValueError):
        deadlines.statement_window_end(D(2026, 3, 2), 2.5, CAL)


@settings(max_examples=60, deadline=None)
@given(served=official_days, days=st.integers(min_value=1, max_value=10))
def test_rts_04__window_end_is_the_nth_working_day(served, days):
    # given any service date and window length / when computed
    end = deadlines.statement_window_end(served, days, CAL).due_date
    # then the end is a working day, after service, with exactly `days` working days in (served, end]
    assert end > served and CAL.is_working_day(end)
    assert CAL.working_days_between(served, end).days == days


# --- HRG-04 / HRG-05 hearing -------------------------------------------------------------------


@pytest.mark.parametrize(("served_on", "due"), [
    (D(2026, 4, 30), D(2026, 5, 11)),    # 05-01…05-05 off; 05-06, 07, 08, Sat 05-09, Mon 05-11
    (D(2025, 1, 24), D(2025, 2, 7)),     # Sun 01-26 works, 01-27, then 01-28…02-04 off; 02-05, 06, 07
])
def test_hrg_04__request_deadline_five_working_days_across_holidays(served_on, due):
    # given the notice served / when the hearing-request deadline is computed (5 WD)
    d = deadlines.hearing_request_deadline(served_on, 5, CAL)
    # then it is the fifth working day after service
    assert (d.due_date, d.rule) == (due, "HRG-04")


def test_hrg_05__earliest_hearing_day_seven_working_days_after_notice():
    # given a hearing notice served on Mon 2026-09-28 (National Day follows)
    served = D(2026, 9, 28)
    # when the earliest hearing day is computed
    default = deadlines.earliest_hearing_day(served, 7, CAL)
    clear = deadlines.earliest_hearing_day(served, 7, CAL, clear_days=True)
    # then: 09-29, 09-30, 10-08, 10-09, Sat 10-10, 10-12, 10-13 → the 7th working day is 10-13;
    # with seven clear working days the hearing comes after it
    assert default == D(2026, 10, 13)
    assert clear == D(2026, 10, 14)


# --- DEC-02 decision time limit --------------------------------------------------------------------


def test_dec_02__decision_deadline_rolls_over_new_year_holiday():
    # given a case filed on 2025-12-03 with a 30-day limit → 2026-01-02 (Fri, a holiday)
    d = deadlines.decision_deadline(D(2025, 12, 3), 30, CAL)
    # then the limit rolls to the next working day, Sun 2026-01-04 (a make-up working day)
    assert (d.due_date, d.rolled_from, d.rule) == (D(2026, 1, 4), D(2026, 1, 2), "DEC-02")


def test_dec_02__approved_extension_adds_calendar_days_and_rolls_over_spring_festival():
    # given filing on 2025-11-17, limit 30 days plus a 60-day approved extension → 2026-02-15 (Spring Festival)
    d = deadlines.decision_deadline(D(2025, 11, 17), 30, CAL, extension_days=60)
    # then the decision is due on the first working day after the holiday block, Tue 2026-02-24
    assert d.due_date == D(2026, 2, 24) and d.rolled_from == D(2026, 2, 15)
    # and without the extension it is 2025-12-17 (a Wednesday, not rolled)
    plain = deadlines.decision_deadline(D(2025, 11, 17), 30, CAL)
    assert plain.due_date == D(2025, 12, 17) and plain.rolled_from is None


def test_dec_02__negative_extension_is_refused():
    with pytest.raises(RuleInputError) as exc:
        deadlines.decision_deadline(D(2026, 3, 2), 90, CAL, extension_days=-5)
    assert exc.value.rule == "DEC-02"


# --- SRV-01, SRV-07 service ------------------------------------------------------------------------


def test_srv_01__service_within_seven_working_days_over_labour_day():
    # given a decision made on Wed 2026-04-29 and not handed over on the spot
    d = deadlines.service_deadline(D(2026, 4, 29), 7, CAL)
    # then: 04-30, 05-06, 05-07, 05-08, Sat 05-09, 05-11, 05-12 → due 2026-05-12
    assert (d.due_date, d.rule) == (D(2026, 5, 12), "SRV-01")


@pytest.mark.parametrize(("issued", "served"), [
    (D(2026, 3, 2), D(2026, 4, 1)),
    (D(2026, 9, 1), D(2026, 10, 1)),  # a deemed date on a holiday is not rolled
    (D(2025, 12, 15), D(2026, 1, 14)),
])
def test_srv_07__public_notice_deemed_served_thirty_days_after_issue(issued, served):
    assert deadlines.public_notice_served_on(issued, 30) == served


# --- PAY-01 payment --------------------------------------------------------------------------------


@pytest.mark.parametrize(("served_on", "due", "rolled_from"), [
    (D(2025, 9, 16), D(2025, 10, 9), D(2025, 10, 1)),    # 10-01 is National Day: roll to 10-09
    (D(2025, 9, 13), D(2025, 9, 28), None),              # Sun 09-28 is a make-up working day: no roll
    (D(2026, 2, 1), D(2026, 2, 24), D(2026, 2, 16)),     # Spring Festival
    (D(2026, 1, 21), D(2026, 2, 5), None),               # an ordinary Thursday
])
def test_pay_01__payment_due_fifteen_calendar_days_rolled_forward(served_on, due, rolled_from):
    # given the decision served on `served_on` / when the payment due date is computed
    d = deadlines.payment_due(served_on, 15, CAL)
    # then it is 15 calendar days later, moved to the next working day if that is a rest day (CAL-10)
    assert (d.due_date, d.rolled_from, d.rule) == (due, rolled_from, "PAY-01")


@settings(max_examples=60, deadline=None)
@given(served=official_days)
def test_pay_01__due_is_the_first_working_day_on_or_after_day_fifteen(served):
    due = deadlines.payment_due(served, 15, CAL).due_date
    day15 = served + timedelta(days=15)
    assert due >= day15 and CAL.is_working_day(due)
    assert all(not CAL.is_working_day(day15 + timedelta(days=i)) for i in range((due - day15).days))


# --- PAY-08 court enforcement window -----------------------------------------------------------


def test_pay_08__court_application_window_over_mid_autumn_and_national_day():
    # given a reminder served on Tue 2026-09-22 and a decision served on 2026-03-10
    earliest, latest = deadlines.court_application_window(
        D(2026, 9, 22), D(2026, 3, 10), CAL, after_wd=10, apply_months=3, reconsideration_days=60, litigation_months=6)
    # then the earliest day is the 10th working day after the reminder:
    # 09-23, 09-24, (09-25…27 off) 09-28, 09-29, 09-30, (10-01…07 off) 10-08, 10-09, Sat 10-10, 10-12, 10-13
    assert earliest == D(2026, 10, 13)
    # and the latest is 3 months after the later party deadline: litigation 2026-09-10 (reconsideration
    # ended 2026-05-09, a make-up Saturday) → 2026-12-10
    assert latest == D(2026, 12, 10)


def test_pay_08__month_end_clamps_and_reconsideration_can_be_the_later_deadline():
    # given a decision served on 2025-08-31: litigation ends 2026-02-28 (clamped; a make-up working Saturday)
    _, latest = deadlines.court_application_window(
        D(2026, 3, 2), D(2025, 8, 31), CAL, after_wd=10, apply_months=3, reconsideration_days=60, litigation_months=6)
    assert latest == D(2026, 5, 28)
    # and when reconsideration runs longer than litigation (a hypothetical 1-month litigation period),
    # the window is counted from the reconsideration deadline 2025-10-30 → 2026-01-30
    _, latest = deadlines.court_application_window(
        D(2025, 11, 3), D(2025, 8, 31), CAL, after_wd=10, apply_months=3, reconsideration_days=60, litigation_months=1)
    assert latest == D(2026, 1, 30)


def test_pay_08__add_months_uses_the_corresponding_day_or_month_end():
    assert deadlines.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert deadlines.add_months(D(2024, 8, 31), 6) == D(2025, 2, 28)
    assert deadlines.add_months(D(2023, 8, 29), 6) == D(2024, 2, 29)
    assert deadlines.add_months(D(2026, 11, 15), 3) == D(2027, 2, 15)


# --- CLS-02, RCS-03, CAS-12 ------------------------------------------------------------------------


def test_cls_02__archive_within_thirty_working_days_over_golden_week():
    # given a case closed on Fri 2025-09-26
    d = deadlines.archive_deadline(D(2025, 9, 26), 30, CAL)
    # then: Sun 09-28 (make-up) 1, 09-29 2, 09-30 3, (10-01…08 off) 10-09 4, 10-10 5, Sat 10-11 6,
    # 10-13…17 7–11, 10-20…24 12–16, 10-27…31 17–21, 11-03…07 22–26, 11-10…13 27–30
    assert (d.due_date, d.rule) == (D(2025, 11, 13), "CLS-02")


def test_rcs_03__recusal_decided_within_three_working_days_over_dragon_boat():
    # given an application on Thu 2026-06-18 (06-19…21 off)
    d = deadlines.recusal_deadline(D(2026, 6, 18), 3, CAL)
    assert (d.due_date, d.rule) == (D(2026, 6, 24), "RCS-03")


def test_cas_12__preservation_decision_within_seven_working_days():
    # given preservation started on Thu 2026-09-24 (Mid-Autumn 09-25…27, National Day 10-01…07)
    d = deadlines.preservation_deadline(D(2026, 9, 24), 7, CAL)
    # then: 09-28, 09-29, 09-30, 10-08, 10-09, Sat 10-10, 10-12
    assert (d.due_date, d.rule) == (D(2026, 10, 12), "CAS-12")


# --- CRC-06 sealing and seizure ------------------------------------------------------------------


def test_crc_06__coercion_end_with_extension_and_testing_time():
    start = D(2026, 3, 2)
    # given a 30-day seizure / then it ends on 2026-04-01
    assert deadlines.coercion_end(start, 30) == D(2026, 4, 1)
    # and with a 30-day approved extension and 5 days of notified testing, on 2026-05-06
    assert deadlines.coercion_end(start, 30, extension_days=30, testing_days=5) == D(2026, 5, 6)
    # and an end on a holiday is not rolled forward (it would prolong the restriction)
    assert deadlines.coercion_end(D(2026, 9, 1), 30) == D(2026, 10, 1)


def test_crc_06__extension_beyond_thirty_days_is_refused_in_chinese():
    # given an extension of 31 days when the law allows at most 30
    with pytest.raises(ValueError) as exc:
        deadlines.coercion_end(D(2026, 3, 2), 30, extension_days=31)
    # then the refusal is a Chinese message naming the article
    assert "不得超过30日" in str(exc.value) and "行政强制法第二十五条" in str(exc.value)
    assert isinstance(exc.value, RuleInputError) and exc.value.rule == "CRC-06"


def test_cal_07__a_year_without_official_schedule_is_marked_provisional():
    # given a notice served in late 2027 (no official schedule in the package)
    d = deadlines.statement_window_end(D(2027, 9, 30), 3, CAL)
    # then the result is marked provisional and skips the statutory National Day holidays
    assert d.provisional and 2027 in d.years_provisional
    assert d.due_date == D(2027, 10, 6)
