"""Pure rules of clue detection (zhifa.clues.rules): month arithmetic of the licence periods
(SUB-05…SUB-08, ext_ok in RULES §3.2), the deadline threshold behind every set-based query
(CAL-08 working days, CAL-10 calendar days rolled), the plan-filing authority table (CLU-S02,
SUB-10), limitation (CLU-03) and the snapshot hash (CLU-02). No database."""
from __future__ import annotations

import calendar as _calendar
import hashlib
import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.clues import rules
from zhifa.common import workdays as wd
from zhifa.subjects.choices import Affiliation, Industry, Scale
from zhifa.subjects.demo import scenarios as demo

CAL = wd.package_calendar()
PROPS = settings(max_examples=150, deadline=None)


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


# --- minus_months (SUB-05…SUB-08: "apply N months before expiry") ----------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 5, 31), 3, date(2026, 2, 28)),  # 31 May − 3 months → end of a 28-day February
        (date(2028, 5, 31), 3, date(2028, 2, 29)),  # leap year: 29 February
        (date(2024, 5, 30), 3, date(2024, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2026, 12, 31), 3, date(2026, 9, 30)),  # 30-day September
        (date(2026, 7, 31), 1, date(2026, 6, 30)),
        (date(2026, 3, 15), 3, date(2025, 12, 15)),  # crosses the year boundary
        (date(2026, 1, 31), 13, date(2024, 12, 31)),
        (date(2026, 2, 28), 0, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2023, 2, 28)),  # leap day one year back
        (date(2024, 2, 29), 48, date(2020, 2, 29)),  # leap day four years back
        (date(2026, 11, 30), -3, date(2027, 2, 28)),  # negative = forward, also clamped
    ],
)
def test_sub_05__minus_months_clamps_to_month_end(day, months, expected):
    # given an expiry date and an advance period in months
    # when the latest timely application day is computed
    # then it is the same day n months earlier, clamped to the month's last day
    assert rules.minus_months(day, months) == expected


@PROPS
@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)), st.integers(min_value=0, max_value=240))
def test_sub_05__minus_months_is_exact_in_months_and_never_later(day, months):
    # given any day and any non-negative number of months
    result = rules.minus_months(day, months)
    # then the result is not after the day, exactly `months` months earlier,
    assert result <= day
    assert _month_index(day) - _month_index(result) == months
    # and keeps the day of month unless the target month is shorter
    last = _calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, last)


@PROPS
@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)), st.integers(min_value=0, max_value=120))
def test_sub_05__minus_months_is_monotonic_in_the_day(day, months):
    # given two consecutive days
    # then their results keep their order (a later expiry never gives an earlier cutoff)
    assert rules.minus_months(day, months) <= rules.minus_months(day + timedelta(days=1), months)


# --- latest_start_past_deadline (RULES §3.2 `today() > add_wd(event, n)`, CAL-08/CAL-10) ---------


def _reference_due(start: date, n: int, unit: str) -> date:
    """Day-by-day reference of the period end (RULES §12.2): WD counts working days after the
    start; CD adds n calendar days and rolls a rest-day end forward to the next working day."""
    if unit == "WD":
        d, count = start, 0
        while count < n:
            d += timedelta(days=1)
            if CAL.is_working_day(d):
                count += 1
        return d
    d = start + timedelta(days=n)
    while not CAL.is_working_day(d):
        d += timedelta(days=1)
    return d


def _reference_threshold(as_of: date, n: int, unit: str) -> date:
    """The last start whose period ended before as_of, by brute force over a wide window."""
    candidates = [as_of - timedelta(days=k) for k in range(1, 4 * n + 60)]
    return max(s for s in candidates if _reference_due(s, n, unit) < as_of)


@settings(max_examples=120, deadline=None)
@given(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)),
    st.integers(min_value=1, max_value=30),
    st.sampled_from(["WD", "CD"]),
)
def test_cal_08__threshold_splits_starts_exactly_at_the_deadline(as_of, n, unit):
    # given a detection day, a period length and a unit
    # when the threshold is computed
    threshold = rules.latest_start_past_deadline(as_of, n, unit, CAL)
    # then for every start s in a wide window: s <= T  iff  the deadline has passed on as_of
    window_start = threshold - timedelta(days=2 * n + 20)
    s = window_start
    while s <= as_of + timedelta(days=3):
        assert (s <= threshold) == rules.deadline_passed(s, n, unit, as_of, CAL), s
        s += timedelta(days=1)
    # and it equals the brute-force reference over the day-by-day period end
    assert threshold == _reference_threshold(as_of, n, unit)


def test_cal_08__threshold_golden_national_day_2026_ten_working_days():
    # given the 2026 official schedule: 25–27 Sep (Mid-Autumn) and 1–7 Oct off, Sat 10 Oct worked
    # when the 10-working-day change deadline is checked on Tue 2026-10-13
    threshold = rules.latest_start_past_deadline(date(2026, 10, 13), 10, "WD", CAL)
    # then a change on Mon 2026-09-21 (deadline: 22,23,24,28,29,30 Sep, 8,9,10,12 Oct → 12 Oct) is late,
    # and one on 2026-09-22 (deadline 13 Oct) is not yet
    assert CAL.add_working_days(date(2026, 9, 21), 10).due == date(2026, 10, 12)
    assert threshold == date(2026, 9, 21)


def test_cal_08__threshold_golden_spring_festival_2026_five_working_days():
    # given 15–23 Feb 2026 off and Sat 14 Feb a shift working day
    # when a 5-working-day period is checked on Wed 2026-02-25
    threshold = rules.latest_start_past_deadline(date(2026, 2, 25), 5, "WD", CAL)
    # then a start on 10 Feb (11, 12, 13, 14 Feb, 24 Feb) is past its deadline, 11 Feb (… 25 Feb) is not
    assert threshold == date(2026, 2, 10)
    assert rules.deadline_passed(date(2026, 2, 10), 5, "WD", date(2026, 2, 25), CAL)
    assert not rules.deadline_passed(date(2026, 2, 11), 5, "WD", date(2026, 2, 25), CAL)


def test_cal_10__threshold_golden_fifteen_calendar_days_rolled_past_national_day_2026():
    # given 15 calendar days whose end falls in the National Day block rolls to Thu 2026-10-08
    assert CAL.add_calendar_days_rolled(date(2026, 9, 16), 15).due == date(2026, 10, 8)
    assert CAL.add_calendar_days_rolled(date(2026, 9, 23), 15).due == date(2026, 10, 8)
    # when checked on 2026-10-09
    threshold = rules.latest_start_past_deadline(date(2026, 10, 9), 15, "CD", CAL)
    # then every start up to 23 Sep is late, 24 Sep (end 9 Oct) is not
    assert threshold == date(2026, 9, 23)


# --- CLU-S02 / SUB-10: expected filing authority ----------------------------------------------


def test_clu_s02__authority_table_equals_demo_convention_for_every_combination():
    # given every affiliation × industry × scale
    combos = list(itertools.product(Affiliation.values, Industry.values, Scale.values))
    assert len(combos) == len(Affiliation.values) * len(Industry.values) * len(Scale.values)
    for affiliation, industry, scale in combos:
        # when the detection table and the demo generator's convention are asked
        # then they name the same authority level
        assert rules.expected_authority_level(affiliation, industry, scale) == demo.expected_authority_level(affiliation, industry, scale), (
            affiliation, industry, scale)


@pytest.mark.parametrize(
    ("affiliation", "industry", "scale", "expected"),
    [
        ("CENTRAL", "TRADE", "MICRO", "CITY"),
        ("CITY", "HAZCHEM", "SMALL", "CITY"),
        ("DISTRICT", "HAZCHEM", "LARGE", "DISTRICT"),  # affiliation wins over industry and scale
        ("TOWN", "CHEMICAL", "LARGE", "TOWN"),
        ("PRIVATE", "METALLURGY", "LARGE", "CITY"),
        ("PRIVATE", "NONFERROUS", "MICRO", "DISTRICT"),
        ("PRIVATE", "TRADE", "MEDIUM", "DISTRICT"),
        ("PRIVATE", "TRADE", "SMALL", "TOWN"),
    ],
)
def test_clu_s02__authority_table_golden_rows(affiliation, industry, scale, expected):
    # given a unit's affiliation, industry and scale
    # then the first matching row of the documented convention decides the level
    assert rules.expected_authority_level(affiliation, industry, scale) == expected


# --- CLU-03: limitation (APL art. 36) -------------------------------------------------------


def _expired(violation_on, as_of, *, ongoing=False, life=False, harmful=False):
    return rules.limitation_expired(violation_on=violation_on, ongoing=ongoing, as_of=as_of, months_general=24,
                                    months_extended=60, life_health_or_financial=life, harmful=harmful)


def test_clu_03__two_years_boundary_day():
    # given a finished act on 2024-03-15 and the general 24-month period
    # then it is still punishable on 2026-03-15 and no longer on 2026-03-16
    assert not _expired(date(2024, 3, 15), date(2026, 3, 15))
    assert _expired(date(2024, 3, 15), date(2026, 3, 16))


def test_clu_03__leap_day_act_runs_to_end_of_february():
    # given an act on 29 Feb 2024: two years later is clamped to 28 Feb 2026
    assert not _expired(date(2024, 2, 29), date(2026, 2, 28))
    assert _expired(date(2024, 2, 29), date(2026, 3, 1))


def test_clu_03__five_years_only_with_life_or_financial_safety_and_harm():
    # given an act 3 years ago
    violation, as_of = date(2023, 6, 1), date(2026, 6, 2)
    # then only life/health-or-financial safety *with* harmful consequences extends it to 60 months
    assert _expired(violation, as_of)
    assert _expired(violation, as_of, life=True, harmful=False)
    assert _expired(violation, as_of, life=False, harmful=True)
    assert not _expired(violation, as_of, life=True, harmful=True)
    # and the 60-month period has its own boundary day
    assert not _expired(date(2021, 6, 1), date(2026, 6, 1), life=True, harmful=True)
    assert _expired(date(2021, 6, 1), date(2026, 6, 2), life=True, harmful=True)


def test_clu_03__ongoing_act_never_expires():
    # given a continuing act (counted from its end, which has not come)
    # then no number of years makes it expire
    assert not _expired(date(2000, 1, 1), date(2026, 6, 1), ongoing=True)
    # and an act without a known date is never treated as expired
    assert not _expired(None, date(2026, 6, 1))


# --- CLU-02: snapshot hash ------------------------------------------------------------------


def test_clu_02__snapshot_hash_is_sha256_of_canonical_json():
    # given facts with Chinese text, a date and nested keys out of order
    facts = {"b": {"y": 2, "x": "线索"}, "a": date(2026, 10, 12), "c": [3, 1]}
    # then the canonical form sorts keys, drops spaces, keeps UTF-8 and writes dates as text
    canonical = '{"a":"2026-10-12","b":{"x":"线索","y":2},"c":[3,1]}'.encode()
    assert rules.canonical_json(facts) == canonical
    assert rules.snapshot_hash(facts) == hashlib.sha256(canonical).hexdigest()


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8), st.one_of(st.integers(), st.text(max_size=10), st.booleans(), st.none()),
                       max_size=8), st.randoms(use_true_random=False))
def test_clu_02__snapshot_hash_is_independent_of_key_order(facts, rnd):
    # given the same facts inserted in another order
    items = list(facts.items())
    rnd.shuffle(items)
    shuffled = dict(items)
    # then the hash is the same
    assert rules.snapshot_hash(shuffled) == rules.snapshot_hash(facts)


def test_clu_02__snapshot_hash_changes_with_any_value():
    # given two facts that differ in one nested value
    a = {"licence": {"id": 1, "valid_to": "2026-05-31"}}
    b = {"licence": {"id": 1, "valid_to": "2026-06-01"}}
    # then their hashes differ
    assert rules.snapshot_hash(a) != rules.snapshot_hash(b)
