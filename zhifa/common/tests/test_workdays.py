"""Golden tables and rule tests for the pure working-day calendar (RULES.md §1.2, CAL-01…CAL-13).

The 2025/2026 expectations are typed in from RULES.md CAL-06 (the official notices), not derived
from the package data, so these tests check the package data and the algorithm together.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import chinese_calendar
import pytest

from zhifa.common import workdays as wd
from zhifa.common.errors import CommonErrorCode
from zhifa.common.timeutil import SHANGHAI
from zhifa.common.workdays import PeriodLaw, PeriodUnit, WorkCalendar, YearSchedule

D = date.fromisoformat


def _days(first: str, last: str) -> set[date]:
    a, b = D(first), D(last)
    return {a + timedelta(days=i) for i in range((b - a).days + 1)}


# RULES.md CAL-06 (2025 notice 国办发明电〔2024〕12号; 2026 notice dated 2025-11-04)
CAL06 = {
    2025: {
        "rest": [("2025-01-01", "2025-01-01"), ("2025-01-28", "2025-02-04"), ("2025-04-04", "2025-04-06"),
                 ("2025-05-01", "2025-05-05"), ("2025-05-31", "2025-06-02"), ("2025-10-01", "2025-10-08")],
        "work": ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    },
    2026: {
        "rest": [("2026-01-01", "2026-01-03"), ("2026-02-15", "2026-02-23"), ("2026-04-04", "2026-04-06"),
                 ("2026-05-01", "2026-05-05"), ("2026-06-19", "2026-06-21"), ("2026-09-25", "2026-09-27"),
                 ("2026-10-01", "2026-10-07")],
        "work": ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
    },
}


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return wd.package_calendar()


def _expected_working(year: int, d: date) -> bool:
    table = CAL06[year]
    if d in {D(x) for x in table["work"]}:
        return True
    rest = set().union(*(_days(a, b) for a, b in table["rest"]))
    return d.weekday() < 5 and d not in rest


# --- CAL-06 golden tables -----------------------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_cal_06__golden_every_day_of_year_matches_notice(cal, year):
    # given the official 2025/2026 notices as typed into RULES.md CAL-06
    first = date(year, 1, 1)
    days = [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]
    # when every day of the year is classified
    mismatches = [d for d in days if cal.is_working_day(d) != _expected_working(year, d)]
    # then no day differs and the year is official (not provisional)
    assert mismatches == []
    assert cal.is_loaded_year(year)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-09-28", 7, "2026-10-13"),  # issue #2 example
        ("2026-09-30", 7, "2026-10-15"),  # RULES CAL-06 fixture
        ("2026-09-29", 3, "2026-10-09"),  # RULES CAL-06 fixture
        ("2026-02-12", 5, "2026-02-26"),  # Sat 14 Feb counts (RULES §12.2)
        ("2026-10-09", 1, "2026-10-10"),  # Sat 10 Oct is a working day
        ("2025-12-31", 1, "2026-01-04"),  # across the year: Sun 4 Jan 2026 is a working day
        ("2026-01-01", 1, "2026-01-04"),  # trigger on a holiday
        ("2025-01-24", 1, "2025-01-26"),  # Sun 26 Jan 2025 shift working day
        ("2025-01-27", 1, "2025-02-05"),  # Spring Festival block 28 Jan–4 Feb 2025
        ("2025-02-05", 3, "2025-02-08"),  # Sat 8 Feb 2025 counts
        ("2025-09-30", 1, "2025-10-09"),  # National Day block 1–8 Oct 2025
        ("2025-10-10", 1, "2025-10-11"),  # Sat 11 Oct 2025 counts
        ("2025-05-30", 1, "2025-06-03"),  # Dragon Boat block 31 May–2 Jun 2025
        ("2025-04-03", 1, "2025-04-07"),  # Qingming block 4–6 Apr 2025
        ("2026-06-18", 2, "2026-06-23"),  # Dragon Boat block 19–21 Jun 2026
        ("2026-09-18", 1, "2026-09-20"),  # Sun 20 Sep 2026 counts
    ],
)
def test_cal_06__golden_add_working_days(cal, start, n, due):
    # given a trigger date in 2025/2026 (official years)
    # when n working days are added (trigger day not counted)
    result = cal.add_working_days(D(start), n)
    # then the due date is the golden one and it is not provisional
    assert result.due == D(due)
    assert result.provisional is False
    assert result.unit is PeriodUnit.WD


@pytest.mark.parametrize(("d", "working"), [("2026-10-10", True), ("2026-01-04", True), ("2026-10-08", True), ("2026-10-07", False),
                                              ("2026-02-23", False), ("2026-02-28", True), ("2025-10-08", False), ("2025-09-28", True)])
def test_cal_05__shift_days_work_and_block_weekdays_rest(cal, d, working):
    # given a shift Saturday/Sunday or a weekday inside an announced block
    # when it is classified
    # then shift days are working days and block weekdays are rest days
    assert cal.is_working_day(D(d)) is working


def test_cal_06__working_days_between_is_inverse_of_golden(cal):
    # given the golden National Day 2026 example
    # when the working days in (2026-09-30, 2026-10-15] are counted
    count = cal.working_days_between(D("2026-09-30"), D("2026-10-15"))
    # then there are exactly 7, in both directions with opposite signs
    assert count.days == 7 and count.provisional is False
    assert cal.working_days_between(D("2026-10-15"), D("2026-09-30")).days == -7
    assert cal.working_days_between(D("2026-10-15"), D("2026-10-15")).days == 0


def test_cal_06__package_agrees_with_chinese_calendar_for_2004_to_2026(cal):
    # given the package's own is_workday for every covered day
    first, last = date(2004, 1, 1), date(2026, 12, 31)
    days = (first + timedelta(days=i) for i in range((last - first).days + 1))
    # when each day is classified by our calendar
    differing = [d for d in days if cal.is_working_day(d) != chinese_calendar.is_workday(d)]
    # then no day differs
    assert differing == []


# --- CAL-02 baseline week ------------------------------------------------------------------------


def test_cal_02__ordinary_week_monday_to_friday_work(cal):
    # given an ordinary week without holidays (2 – 8 March 2026)
    week = [D("2026-03-02") + timedelta(days=i) for i in range(7)]
    # when classified
    flags = [cal.is_working_day(d) for d in week]
    # then Monday–Friday work and Saturday/Sunday rest
    assert flags == [True, True, True, True, True, False, False]


def test_cal_02__empty_calendar_uses_weekday_baseline_for_a_loaded_year():
    # given a loaded year with no announced days at all
    empty = WorkCalendar.from_schedules([YearSchedule(2030, frozenset(), frozenset(), "test")])
    # when New Year's Day 2030 (a Tuesday) is classified
    # then only the weekday baseline applies — the loaded year is trusted as announced
    assert empty.is_working_day(D("2030-01-01")) is True
    assert empty.is_working_day(D("2030-01-05")) is False


# --- CAL-01 time zone -----------------------------------------------------------------------------


def test_cal_01__aware_datetime_is_classified_by_its_shanghai_date(cal):
    # given 17:00 UTC on Fri 2026-10-09, which is 01:00 on Sat 2026-10-10 in Shanghai
    moment = datetime(2026, 10, 9, 17, 0, tzinfo=UTC)
    # when classified and used as a trigger
    # then the Shanghai date (the shift Saturday) is used
    assert wd.to_local_date(moment) == D("2026-10-10")
    assert cal.add_working_days(moment, 1).due == D("2026-10-12")


def test_cal_01__naive_datetime_is_refused(cal):
    # given a naive datetime
    # when used as a date
    # then it is refused rather than guessed
    with pytest.raises(ValueError):
        cal.is_working_day(datetime(2026, 10, 9, 17, 0))


# --- CAL-03 statutory holidays ----------------------------------------------------------------------


def test_cal_03__2024_revision_has_13_days_from_2025():
    # given the 2024 revision in force from 2025
    days = wd.statutory_holidays(2025)
    # when listed
    # then New Year's Eve (28 Jan 2025) and 2 May are included: 13 days
    assert len(days) == 13
    assert days[D("2025-01-28")] == "春节（除夕）"
    assert D("2025-05-02") in days
    assert days[D("2025-04-04")] == "清明节"
    assert days[D("2025-05-31")] == "端午节"
    assert days[D("2025-10-06")] == "中秋节"


def test_cal_03__2013_text_has_11_days_before_2025():
    # given the 2013 text (2014–2024)
    days = wd.statutory_holidays(2024)
    # when listed
    # then lunar 1st–3rd only (no eve on 9 Feb 2024) and 1 May only
    assert len(days) == 11
    assert D("2024-02-09") not in days
    assert {D("2024-02-10"), D("2024-02-11"), D("2024-02-12")} <= set(days)
    assert D("2024-05-02") not in days


def test_cal_03__mid_autumn_on_national_day_is_one_date_with_both_names():
    # given 2020, when Mid-Autumn fell on 1 October
    days = wd.statutory_holidays(2020)
    # when listed
    # then the date appears once carrying both names
    assert days[D("2020-10-01")] == "中秋节、国庆节"
    assert len(days) == 10


def test_cal_03__statutory_holidays_are_rest_days_in_every_official_year(cal):
    # given the computed statutory holidays 2014–2026 (lunar calendar + solar term)
    # when checked against the official schedules
    working = [(d, name) for y in range(2014, 2027) for d, name in wd.statutory_holidays(y).items() if cal.is_working_day(d)]
    # then none of them is a working day (the lunar/solar-term computation matches 13 years of notices)
    assert working == []


@pytest.mark.parametrize("year", [2003, 2013, 2100])
def test_cal_03__years_without_statutory_computation_raise(year):
    # given a year outside 2014–2099
    # when the statutory table is requested
    # then a clear calendar error is raised, never a guess
    with pytest.raises(wd.CalendarUnavailable) as info:
        wd.statutory_holidays(year)
    assert info.value.code == CommonErrorCode.CALENDAR_NOT_LOADED
    assert str(year) in info.value.message


# --- CAL-07 provisional years --------------------------------------------------------------------


def test_cal_07__spring_festival_2027_uses_statutory_days_and_is_provisional(cal):
    # given 2027, for which no notice is loaded
    assert not cal.is_loaded_year(2027)
    # when the Spring Festival days (eve Fri 5 Feb, 1st–3rd 6–8 Feb) are classified
    # then they are rest days, and Tue 9 Feb is the next working day, provisional
    assert [cal.is_working_day(D(x)) for x in ("2027-02-04", "2027-02-05", "2027-02-08", "2027-02-09")] == [True, False, False, True]
    result = cal.add_working_days(D("2027-02-04"), 1)
    assert result.due == D("2027-02-09")
    assert result.provisional is True
    assert result.years_provisional == (2027,)


def test_cal_07__provisional_statutory_days_2027(cal):
    # given 2027 without a notice
    rest = set(cal.year_rest_days(2027))
    # when its rest days are listed
    # then they are exactly the statutory days falling on weekdays or listed (no blocks, no make-up days)
    assert {D("2027-01-01"), D("2027-04-05"), D("2027-06-09"), D("2027-09-15"), D("2027-10-01")} <= rest
    assert cal.day_status(D("2027-09-15")).kind == "法定节假日（临时）"
    assert cal.day_status(D("2027-09-15")).holiday_name == "中秋节"
    assert cal.day_status(D("2027-09-15")).provisional is True


def test_cal_07__result_crossing_into_unloaded_year_is_provisional(cal):
    # given a trigger in an official year (2026) and a period reaching into 2027
    # when 2 working days are added after Wed 30 Dec 2026
    result = cal.add_working_days(D("2026-12-30"), 2)
    # then 31 Dec counts, New Year's Day 2027 is skipped, and the result is provisional for 2027
    assert result.due == D("2027-01-04")
    assert result.years_provisional == (2027,)


def test_cal_07__result_inside_official_year_is_not_provisional(cal):
    # given a period that stays in 2026
    result = cal.add_working_days(D("2026-12-01"), 5)
    # then nothing provisional is reported
    assert result.due == D("2026-12-08") and result.provisional is False


def test_cal_07__strict_mode_refuses_provisional_results(cal):
    # given a caller that must not use provisional data
    # when a deadline lands in 2027
    # then a CALENDAR_NOT_LOADED error names the year
    with pytest.raises(wd.ProvisionalCalendarError) as info:
        cal.add_working_days(D("2027-03-01"), 3, allow_provisional=False)
    assert info.value.code == CommonErrorCode.CALENDAR_NOT_LOADED
    assert info.value.details["years"] == [2027]


def test_cal_07__loading_a_year_makes_results_official():
    # given the package schedules plus a loaded 2027 schedule with a shift Sunday 14 Feb
    extra = YearSchedule(2027, frozenset(wd.statutory_holidays(2027)) | {D("2027-02-09"), D("2027-02-10")}, frozenset({D("2027-02-14")}), "t")
    loaded = WorkCalendar.from_schedules([*wd.package_year_schedules().values(), extra])
    # when the same period is computed
    result = loaded.add_working_days(D("2027-02-04"), 1)
    # then it follows the notice and is no longer provisional
    assert result.due == D("2027-02-11")
    assert result.provisional is False
    assert loaded.is_working_day(D("2027-02-14")) is True


def test_cal_07__beyond_lunar_tables_is_an_error(cal):
    # given a period running past 2099 (no lunar data, no notice)
    # when computed
    # then a calendar error is raised instead of a guess
    with pytest.raises(wd.CalendarUnavailable):
        cal.add_working_days(D("2099-12-30"), 5)
    with pytest.raises(wd.CalendarUnavailable):
        cal.add_working_days(date.max, 1)
    with pytest.raises(wd.CalendarUnavailable):
        cal.add_calendar_days_rolled(date.min, 0)


# --- CAL-04 no inferred make-up days -----------------------------------------------------------------


def test_cal_04__no_make_up_day_inferred_for_weekend_holiday_in_provisional_year(cal):
    # given 2027, where Labour Day 1–2 May falls on Saturday/Sunday and no notice is loaded
    # when Monday 3 May 2027 is classified
    # then it stays a working day (make-up days come only from the notice)
    assert cal.is_working_day(D("2027-05-03")) is True
    assert cal.is_working_day(D("2027-10-04")) is True  # 1–3 Oct 2027 is Fri–Sun


def test_cal_04__later_notice_governs_its_new_year_block_in_previous_december():
    # given a 2031 notice that makes Sat 27 Dec 2030 a working day
    notice = YearSchedule(2031, frozenset(wd.statutory_holidays(2031)), frozenset({D("2030-12-27")}), "t")
    calendar = WorkCalendar.from_schedules([notice])
    # when 27 Dec 2030 is classified (2030 itself not loaded)
    # then the notice's shift day applies
    assert calendar.is_working_day(D("2030-12-27")) is True


# --- CAL-08/09 units ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "unit"), [(2, "WD"), (3, "WD"), (5, "WD"), (7, "WD"), (10, "CD"), (15, "CD"), (60, "CD"), (90, "CD")])
def test_cal_08__apl_two_three_five_seven_days_are_working_days(n, unit):
    # given an APL period of n days
    # when its unit is looked up (APL art. 85)
    # then 2/3/5/7 are working days, others calendar days
    assert wd.statutory_period_unit(PeriodLaw.APL, n) is PeriodUnit(unit)


@pytest.mark.parametrize(("n", "unit"), [(1, "WD"), (5, "WD"), (10, "WD"), (11, "CD"), (30, "CD")])
def test_cal_09__acl_ten_days_or_less_are_working_days(n, unit):
    # given an ACL period of n days
    # when its unit is looked up (ACL art. 69)
    # then periods up to and including 10 days are working days
    assert wd.statutory_period_unit(PeriodLaw.ACL, n) is PeriodUnit(unit)


def test_cal_10__other_instruments_use_calendar_days():
    # given a period from another instrument (e.g. S5 art. 14, 30 days)
    # then it is in calendar days
    assert wd.statutory_period_unit("OTHER", 30) is PeriodUnit.CD
    assert wd.statutory_period_unit("OTHER", 5) is PeriodUnit.CD


# --- CAL-10 calendar-day periods -------------------------------------------------------------------


def test_cal_10__end_on_holiday_rolls_forward(cal):
    # given a 15-day payment period (APL art. 67) from Wed 16 Sep 2026
    # when computed
    result = cal.add_calendar_days_rolled(D("2026-09-16"), 15)
    # then the end 1 Oct (holiday) rolls to Thu 8 Oct, and the original end is recorded
    assert result.due == D("2026-10-08")
    assert result.rolled_from == D("2026-10-01")
    assert result.unit is PeriodUnit.CD and result.rule == "CAL-10"


def test_cal_10__end_on_shift_saturday_does_not_roll(cal):
    # given a 10-day calendar period ending on Sat 10 Oct 2026 (a shift working day)
    result = cal.add_calendar_days_rolled(D("2026-09-30"), 10)
    # then it stays there
    assert result.due == D("2026-10-10") and result.rolled_from is None


def test_cal_10__end_on_weekend_rolls_to_monday(cal):
    # given a period ending on Sat 7 Mar 2026
    result = cal.add_calendar_days_rolled(D("2026-03-01"), 6)
    # then it rolls to Mon 9 Mar
    assert result.due == D("2026-03-09") and result.rolled_from == D("2026-03-07")


def test_cal_10__ninety_day_limit_on_working_day_is_unchanged(cal):
    # given the 90-day decision limit (APL art. 60) from 1 Jan 2026
    result = cal.add_calendar_days_rolled(D("2026-01-01"), 90)
    # then 1 Apr 2026 (Wednesday) is kept
    assert result.due == D("2026-04-01") and result.rolled_from is None and not result.provisional


def test_cal_10__roll_into_provisional_year_is_flagged(cal):
    # given a calendar period ending on New Year's Day 2027 (no notice)
    result = cal.add_calendar_days_rolled(D("2026-12-02"), 30)
    # then it rolls to Mon 4 Jan 2027 and is provisional
    assert result.due == D("2027-01-04") and result.years_provisional == (2027,)


def test_cal_10__backward_period_never_rolls(cal):
    # given "at least 30 days before" 31 Oct 2026
    result = cal.days_before(D("2026-10-31"), 30)
    # then the act is due on or before 1 Oct 2026 even though that is a holiday, not provisional
    assert result.due == D("2026-10-01")
    assert result.provisional is False and result.rolled_from is None


def test_cal_10__negative_periods_are_refused(cal):
    # given a negative forward period
    # then it is refused (backward periods use days_before)
    with pytest.raises(ValueError):
        cal.add_calendar_days_rolled(D("2026-01-01"), -1)
    with pytest.raises(ValueError):
        cal.add_working_days(D("2026-01-01"), -1)


def test_cal_10__add_period_dispatches_on_unit(cal):
    # given the same trigger with different units
    # then WD and CD give the respective results
    assert cal.add_period(D("2026-09-30"), 7, "WD").due == D("2026-10-15")
    assert cal.add_period(D("2026-09-30"), 7, PeriodUnit.CD).due == D("2026-10-08")


# --- CAL-12 hours -------------------------------------------------------------------------------------


def test_cal_12__hours_run_on_clock_time_through_holidays(cal):
    # given a return to the unit at 09:00 on 1 Oct 2026 (a holiday), Shanghai time
    returned = datetime(2026, 10, 1, 9, 0, tzinfo=SHANGHAI)
    # when 24 hours are added
    result = cal.add_hours(returned, 24)
    # then the limit is 09:00 on 2 Oct (holidays are not skipped) and never provisional
    assert result.due == datetime(2026, 10, 2, 9, 0, tzinfo=SHANGHAI)
    assert result.unit is PeriodUnit.H and result.provisional is False


def test_cal_12__utc_input_is_shown_in_shanghai():
    # given a UTC timestamp (storage form)
    start = datetime(2026, 9, 30, 20, 0, tzinfo=UTC)
    # when 24 hours are added
    result = wd.add_hours(start, 24)
    # then the due time is 04:00 on 2 Oct in Shanghai
    assert result.due.tzinfo == SHANGHAI
    assert (result.due.year, result.due.month, result.due.day, result.due.hour) == (2026, 10, 2, 4)


def test_cal_12__within_24_hours_includes_the_limit():
    # given an upload exactly 24 h after return, and one a second later
    returned = datetime(2026, 5, 1, 8, 0, tzinfo=SHANGHAI)
    # then the first is in time (CAL-11 inclusive) and the second is late
    assert wd.is_within_hours(returned, returned + timedelta(hours=24), 24) is True
    assert wd.is_within_hours(returned, returned + timedelta(hours=24, seconds=1), 24) is False


def test_cal_12__naive_start_is_refused():
    # given a naive timestamp
    # then hours cannot be added (CAL-01)
    with pytest.raises(ValueError):
        wd.add_hours(datetime(2026, 5, 1, 8, 0), 24)


# --- CAL-11 / CAL-13 -----------------------------------------------------------------------------------


def test_cal_11__thresholds_include_the_stated_number():
    # given a fine "5万元以上" and "10万元以下"
    # then exactly 50,000 and 100,000 are inside, 49,999 and 100,001 are not
    assert wd.within(50_000, low=50_000) is True
    assert wd.within(49_999, low=50_000) is False
    assert wd.within(100_000, high=100_000) is True
    assert wd.within(100_001, low=50_000, high=100_000) is False


def test_cal_13__unspecified_unit_defaults_strict_inside_generous_to_party():
    # given "within 5 days" without a unit
    # then internal obligations use calendar days and party periods working days
    assert wd.unspecified_period_unit(granted_to_party=False) is PeriodUnit.CD
    assert wd.unspecified_period_unit(granted_to_party=True) is PeriodUnit.WD


# --- Validation of yearly schedules (CAL-03/05) ---------------------------------------------------------


def _valid_2027():
    rest = set(wd.statutory_holidays(2027)) | _days("2027-10-01", "2027-10-07")
    return rest, {D("2027-10-09")}


def test_cal_05__valid_schedule_has_no_errors():
    # given a schedule with all statutory days and a Saturday shift day
    rest, work = _valid_2027()
    # then it validates
    assert wd.validate_year_schedule(2027, rest, work) == []


def test_cal_05__shift_workday_on_weekday_is_rejected():
    # given a shift working day on Friday 8 Oct 2027
    rest, work = _valid_2027()
    errors = wd.validate_year_schedule(2027, rest - {D("2027-10-08")}, work | {D("2027-10-08")})
    # then the error names the date and the rule in Chinese
    assert any("2027-10-08（星期五）" in e and "星期六或星期日" in e for e in errors)


def test_cal_05__rest_day_also_listed_as_workday_is_a_contradiction():
    # given 9 Oct 2027 both as rest and working day
    rest, work = _valid_2027()
    errors = wd.validate_year_schedule(2027, rest | {D("2027-10-09")}, work)
    # then it is reported as a contradiction
    assert any("自相矛盾" in e for e in errors)


def test_cal_05__date_outside_year_is_rejected_except_late_previous_december():
    # given dates from another year
    rest, work = _valid_2027()
    errors = wd.validate_year_schedule(2027, rest | {D("2028-01-01"), D("2026-12-31")}, work)
    # then 2028-01-01 is rejected and 31 Dec 2026 (New Year block) accepted
    assert any("2028-01-01" in e and "不属于2027年" in e for e in errors)
    assert not any("2026-12-31" in e for e in errors)


def test_cal_03__schedule_missing_a_statutory_holiday_is_rejected_unless_check_disabled():
    # given a schedule that forgets Mid-Autumn (Wed 15 Sep 2027)
    rest, work = _valid_2027()
    rest.discard(D("2027-09-15"))
    # then the check reports it, and the explicit override accepts it
    assert any("中秋节" in e for e in wd.validate_year_schedule(2027, rest, work))
    assert wd.validate_year_schedule(2027, rest, work, check_statutory=False) == []


def test_cal_05__schedule_without_rest_days_and_out_of_range_year_are_rejected():
    # given empty and out-of-range schedules
    # then both are refused
    assert any("未列出任何放假日期" in e for e in wd.validate_year_schedule(2027, [], [], check_statutory=False))
    assert "超出支持范围" in wd.validate_year_schedule(2150, [D("2150-01-01")], [])[0]


def test_cal_05__calendar_refuses_contradictory_sets():
    # given a date in both sets
    # then the calendar value cannot be built
    with pytest.raises(ValueError):
        WorkCalendar(rest_days=frozenset({D("2027-01-02")}), extra_workdays=frozenset({D("2027-01-02")}), loaded_years=frozenset({2027}))


def test_cal_06__date_ranges_collapse_runs():
    # given scattered and consecutive dates
    runs = wd.date_ranges([D("2026-10-03"), D("2026-10-01"), D("2026-10-02"), D("2026-10-10")])
    # then they collapse into runs
    assert runs == [(D("2026-10-01"), D("2026-10-03")), (D("2026-10-10"), D("2026-10-10"))]
