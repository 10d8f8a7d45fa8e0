"""Property tests for the working-day calendar (CAL-06/07/08/10), over official and provisional years.

The reference implementation is the day-by-day loop of RULES.md §12.2; the production code uses
per-year tables and binary search, so agreement checks the fast path.
"""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.common import workdays as wd

CAL = wd.package_calendar()
LAST_OFFICIAL = max(CAL.loaded_years)
# 2005–2034: official years, the switch between them and provisional years (2027+).
dates = st.dates(min_value=date(2005, 1, 1), max_value=date(2034, 12, 31))
counts = st.integers(min_value=0, max_value=400)
PROPS = settings(max_examples=150, deadline=None)


def reference_add_wd(d: date, n: int) -> date:
    """RULES.md §12.2 add_wd, day by day."""
    count = 0
    while count < n:
        d += timedelta(days=1)
        if CAL.is_working_day(d):
            count += 1
    return d


@PROPS
@given(dates, counts)
def test_cal_08__add_working_days_matches_day_by_day_reference(d, n):
    # given any trigger and count
    # when computed with the fast path
    # then it equals the §12.2 reference loop
    assert CAL.add_working_days(d, n).due == reference_add_wd(d, n)


@PROPS
@given(dates, counts)
def test_cal_08__add_working_days_is_strictly_monotonic_in_n(d, n):
    # given n and n+1
    # then the later count gives a strictly later day
    assert CAL.add_working_days(d, n).due < CAL.add_working_days(d, n + 1).due


@PROPS
@given(dates, dates, counts)
def test_cal_08__add_working_days_is_monotonic_in_start(a, b, n):
    # given two triggers a <= b
    a, b = min(a, b), max(a, b)
    # then the deadlines keep their order
    assert CAL.add_working_days(a, n).due <= CAL.add_working_days(b, n).due


@PROPS
@given(dates, counts)
def test_cal_08__working_days_between_inverts_add_working_days(d, n):
    # given a deadline n working days after d
    due = CAL.add_working_days(d, n).due
    # then exactly n working days lie in (d, due]
    assert CAL.working_days_between(d, due).days == n


@PROPS
@given(dates, st.integers(min_value=1, max_value=400))
def test_cal_08__result_is_always_a_working_day(d, n):
    # given n >= 1
    # then the deadline is a working day
    assert CAL.is_working_day(CAL.add_working_days(d, n).due)


@PROPS
@given(dates, dates, dates)
def test_cal_08__working_days_between_is_additive_and_antisymmetric(a, b, c):
    # given three dates
    # then counts add up along a path and change sign when reversed
    ab, bc, ac = (CAL.working_days_between(x, y).days for x, y in ((a, b), (b, c), (a, c)))
    assert ab + bc == ac
    assert CAL.working_days_between(b, a).days == -ab


@PROPS
@given(dates, counts)
def test_cal_07__provisional_exactly_when_an_unloaded_year_is_consulted(d, n):
    # given a deadline computed with the package calendar (official up to LAST_OFFICIAL)
    result = CAL.add_working_days(d, n)
    # then it is provisional iff the counted span (d, due] reaches past the official years
    consulted = range((d + timedelta(days=1)).year, result.due.year + 1) if n else range(0)
    expected = tuple(y for y in consulted if y > LAST_OFFICIAL)
    assert result.years_provisional == expected
    assert result.provisional == bool(expected)


@PROPS
@given(dates, st.integers(min_value=0, max_value=120))
def test_cal_10__rolled_calendar_period_is_first_working_day_on_or_after_end(d, n):
    # given a calendar-day period
    result = CAL.add_calendar_days_rolled(d, n)
    end = d + timedelta(days=n)
    # then the due day is a working day, not before the plain end, with only rest days in between
    assert result.due >= end
    assert CAL.is_working_day(result.due)
    gap = [end + timedelta(days=i) for i in range((result.due - end).days)]
    assert not any(CAL.is_working_day(x) for x in gap)
    assert (result.rolled_from is not None) == (result.due != end)
