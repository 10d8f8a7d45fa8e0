"""Pure triage rules (zhifa.clues.triage): golden dates around the 2026 National Day holiday and
property tests. No database."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.clues import triage
from zhifa.clues.rules import minus_months
from zhifa.common.workdays import package_calendar

CAL = package_calendar()
dates_2025_2026 = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))


# --- CLU-X01 / CLU-X03 / CLU-X02: suggestion by category ----------------------------------------


@pytest.mark.parametrize(
    ("category", "crime", "action", "deadline", "rule"),
    [
        ("FIRST", False, triage.TriageAction.REMIND, False, "CLU-X01"),
        ("MINOR", False, triage.TriageAction.REMIND, False, "CLU-X01"),
        ("MAJOR_HAZARD", False, triage.TriageAction.TRANSFER, True, "CLU-X02"),
        ("REPEATED", False, triage.TriageAction.TRANSFER, True, "CLU-X02"),
        ("GENERAL", False, triage.TriageAction.TRANSFER, False, "CLU-01"),
        ("CRIME_SUSPECTED", False, triage.TriageAction.JUDICIAL_TRANSFER, False, "CLU-X03"),
    ],
)
def test_clu_x01__suggestion_by_category(category, crime, action, deadline, rule):
    # given a clue category / when the triage is suggested
    suggestion = triage.suggest_triage(category=category, crime_suspected=crime)
    # then first/minor are reminded, major hazards and repeats transferred within the deadline, crimes go to the judiciary
    assert (suggestion.action, suggestion.deadline_required, suggestion.rule) == (action, deadline, rule)
    assert suggestion.label and suggestion.reason


@pytest.mark.parametrize("category", ["FIRST", "MINOR", "GENERAL", "REPEATED", "MAJOR_HAZARD"])
def test_clu_x03__crime_suspected_overrides_every_category(category):
    # given any category but a suspected crime
    suggestion = triage.suggest_triage(category=category, crime_suspected=True)
    # then the judicial transfer is suggested: an administrative penalty cannot substitute
    assert suggestion.action == triage.TriageAction.JUDICIAL_TRANSFER
    assert "不得以行政处罚代替" in suggestion.reason
    # and a reminder is refused
    assert "CLU-X03" in triage.may_remind(category=category, owner="SUPERVISION", crime_suspected=True)


def test_clu_x01__only_first_and_minor_clues_of_the_supervision_unit_are_reminded():
    # given categories and owners / when asking whether a reminder may be sent / then
    assert triage.may_remind(category="FIRST", owner="SUPERVISION", crime_suspected=False) is None
    assert triage.may_remind(category="MINOR", owner="SUPERVISION", crime_suspected=False) is None
    assert "CLU-X02" in triage.may_remind(category="MAJOR_HAZARD", owner="SUPERVISION", crime_suspected=False)
    assert "CLU-X02" in triage.may_remind(category="REPEATED", owner="SUPERVISION", crime_suspected=False)
    assert "执法机构" in triage.may_remind(category="FIRST", owner="ENFORCEMENT", crime_suspected=False)


@pytest.mark.parametrize(
    ("severity", "first", "expected"),
    [("MAJOR", True, "MAJOR_HAZARD"), ("LOW", False, "MINOR"), ("GENERAL", True, "FIRST"), ("GENERAL", False, "GENERAL"), ("SERIOUS", True, "FIRST")],
)
def test_clu_l02__initial_category(severity, first, expected):
    # given the severity and the first-violation verdict / when classifying / then
    assert triage.initial_category(severity=severity, first_time=first) == expected


# --- CLU-X01 / CLU-L02: correction deadline ---------------------------------------------------------


@pytest.mark.parametrize(
    ("sent_on", "period", "due"),
    [
        (date(2026, 9, 28), 10, date(2026, 10, 16)),  # National Day 10-01…10-07 skipped, Sat 10-10 is a working day
        (date(2026, 9, 25), 10, date(2026, 10, 15)),
        (date(2026, 4, 30), 10, date(2026, 5, 18)),  # Labour Day block
        (date(2026, 2, 13), 10, date(2026, 3, 5)),  # Spring Festival block
        (date(2026, 6, 1), 1, date(2026, 6, 2)),
    ],
)
def test_clu_x01__correction_deadline_counts_working_days_after_sending(sent_on, period, due):
    # given a reminder sent on a day and the rule-set period in working days / when computing the deadline
    deadline = triage.correction_deadline(sent_on, period, CAL)
    # then it is the period-th working day after the sending day (CAL-08)
    assert deadline.due_date == due
    assert not deadline.provisional


def test_clu_x01__correction_period_must_be_positive():
    with pytest.raises(ValueError):
        triage.correction_deadline(date(2026, 6, 1), 0, CAL)


@given(sent_on=dates_2025_2026, period=st.integers(min_value=1, max_value=30))
@settings(max_examples=60, deadline=None)
def test_clu_l02__correction_deadline_is_a_working_day_exactly_period_working_days_later(sent_on, period):
    # given any sending day and period / when computing the deadline
    due = triage.correction_deadline(sent_on, period, CAL).due_date
    # then the deadline is a working day and exactly `period` working days lie in (sent_on, due]
    assert CAL.is_working_day(due)
    assert CAL.working_days_between(sent_on, due).days == period


@pytest.mark.parametrize(
    ("answered_on", "verified_on", "in_time"),
    [
        (date(2026, 10, 16), date(2026, 10, 20), True),  # answered on the last day
        (None, date(2026, 10, 16), True),  # verified on the last day
        (date(2026, 10, 17), date(2026, 10, 20), False),
        (None, date(2026, 10, 17), False),
    ],
)
def test_clu_l01__corrected_in_time(answered_on, verified_on, in_time):
    # given a deadline of 2026-10-16 / when checking whether the correction was in time / then
    assert triage.corrected_in_time(due_on=date(2026, 10, 16), answered_on=answered_on, verified_on=verified_on) is in_time


def test_clu_x01__reminder_overdue_only_when_pending_after_the_deadline():
    due = date(2026, 10, 16)
    assert triage.reminder_overdue(status="PENDING", due_on=due, as_of=date(2026, 10, 17))
    assert not triage.reminder_overdue(status="PENDING", due_on=due, as_of=due)
    assert not triage.reminder_overdue(status="ANSWERED", due_on=due, as_of=date(2026, 10, 30))
    assert triage.not_corrected_on_for_overdue(due) == date(2026, 10, 17)


# --- CLU-X02 / AMB-08: repeat and transfer deadline ----------------------------------------------


def test_amb_08__repeat_threshold_two_in_twelve_months():
    # given two non-corrections eleven months apart and a third fourteen months before the second
    dates = [date(2024, 10, 10), date(2025, 12, 1), date(2026, 11, 2)]
    # when checking on the last one with count 2 / window 12 months
    check = triage.repeat_check(dates, on=date(2026, 11, 2), count=2, window_months=12)
    # then only the two inside (2025-11-02, 2026-11-02] count and the threshold is reached
    assert (check.in_window, check.reached, check.window_start) == (2, True, date(2025, 11, 2))
    # and on the earlier date only one counted
    assert not triage.repeat_check(dates, on=date(2025, 12, 1), count=2, window_months=12).reached


def test_amb_08__window_start_day_itself_is_outside():
    # given non-corrections exactly twelve months apart / then they are not "within 12 months"
    dates = [date(2025, 11, 2), date(2026, 11, 2)]
    assert triage.repeat_check(dates, on=date(2026, 11, 2), count=2, window_months=12).in_window == 1
    assert triage.repeat_check(dates + [date(2025, 11, 3)], on=date(2026, 11, 2), count=2, window_months=12).reached


def test_clu_x02__repeat_reached_on_first_crossing_since():
    dates = [date(2026, 1, 5), date(2026, 3, 1), date(2026, 6, 1)]
    assert triage.repeat_reached_on(dates, count=2, window_months=12) == date(2026, 3, 1)
    assert triage.repeat_reached_on(dates, count=2, window_months=12, since=date(2026, 4, 1)) == date(2026, 6, 1)
    assert triage.repeat_reached_on(dates, count=4, window_months=12) is None


@given(
    dates=st.lists(dates_2025_2026, max_size=8),
    count=st.integers(min_value=1, max_value=4),
    window=st.integers(min_value=1, max_value=24),
)
@settings(max_examples=150, deadline=None)
def test_clu_x02__repeat_reached_on_agrees_with_repeat_check(dates, count, window):
    # given any history of non-corrections / when finding the first crossing
    reached = triage.repeat_reached_on(dates, count=count, window_months=window)
    # then the crossing date reaches the threshold and no earlier recorded date does
    if reached is None:
        assert not any(triage.repeat_check(dates, on=d, count=count, window_months=window).reached for d in dates)
    else:
        assert triage.repeat_check(dates, on=reached, count=count, window_months=window).reached
        assert not any(triage.repeat_check(dates, on=d, count=count, window_months=window).reached for d in dates if d < reached)
    # and a brute-force count over the window agrees with repeat_check on every date
    for d in dates:
        start = minus_months(d, window)
        assert triage.repeat_check(dates, on=d, count=count, window_months=window).in_window == sum(1 for x in dates if start < x <= d)


def test_clu_x02__trigger_is_the_earlier_of_major_hazard_and_repeat():
    assert triage.transfer_trigger_date(major_hazard_on=date(2026, 9, 28), repeat_reached_on=date(2026, 9, 30)) == date(2026, 9, 28)
    assert triage.transfer_trigger_date(major_hazard_on=None, repeat_reached_on=date(2026, 9, 30)) == date(2026, 9, 30)
    assert triage.transfer_trigger_date(major_hazard_on=None, repeat_reached_on=None) is None


@pytest.mark.parametrize(
    ("trigger_on", "unit", "due"),
    [
        (date(2026, 9, 28), "CD", date(2026, 10, 8)),  # 10-03 is a holiday → rolled to the next working day (CAL-10)
        (date(2026, 9, 25), "CD", date(2026, 9, 30)),
        (date(2026, 9, 28), "WD", date(2026, 10, 10)),  # Sat 10-10 is a shift working day
        (date(2026, 6, 1), "CD", date(2026, 6, 8)),  # Sat 06-06 → Mon 06-08
    ],
)
def test_clu_x02__five_day_transfer_deadline(trigger_on, unit, due):
    # given the trigger date and transfer.unit / when computing the 5-day deadline / then
    assert triage.transfer_deadline(trigger_on, 5, unit, CAL).due_date == due


@given(trigger_on=dates_2025_2026, days=st.integers(min_value=1, max_value=20))
@settings(max_examples=60, deadline=None)
def test_amb_08__calendar_day_reading_is_never_longer_than_working_days(trigger_on, days):
    # given any trigger / then the CD reading (AUTHORITY_STRICT default) is never later than the WD reading
    assert triage.transfer_deadline(trigger_on, days, "CD", CAL).due_date <= triage.transfer_deadline(trigger_on, days, "WD", CAL).due_date


def test_clu_x02__late_and_overdue_flags():
    due = date(2026, 10, 8)
    assert not triage.transfer_is_late(sent_on=due, due_on=due)
    assert triage.transfer_is_late(sent_on=due + timedelta(days=1), due_on=due)
    assert not triage.transfer_is_late(sent_on=date(2030, 1, 1), due_on=None)
    assert triage.transfer_overdue(due_on=due, transferred=False, as_of=date(2026, 10, 9))
    assert not triage.transfer_overdue(due_on=due, transferred=True, as_of=date(2026, 10, 9))
    assert not triage.transfer_overdue(due_on=due, transferred=False, as_of=due)


# --- CLU-L02 / AMB-17: first violation ---------------------------------------------------------------


def test_clu_l02__no_lookback_configured_means_never_before():
    # given the CN pack leaves first_violation.lookback missing / when an earlier clue exists, however old
    verdict = triage.first_violation(earlier_on=[date(2019, 5, 1)], on=date(2026, 11, 2), lookback_months=None)
    # then it is not a first violation, and the reason says the fallback was applied
    assert not verdict.eligible and not verdict.lookback_configured
    assert "未配置回溯期间" in verdict.reason
    assert triage.first_violation(earlier_on=[], on=date(2026, 11, 2), lookback_months=None).eligible


def test_clu_l02__lookback_limits_the_earlier_clues_that_count():
    verdict = triage.first_violation(earlier_on=[date(2024, 1, 1), date(2025, 11, 2)], on=date(2026, 11, 2), lookback_months=12)
    assert verdict.eligible  # 2025-11-02 is exactly 12 months before: outside
    verdict = triage.first_violation(earlier_on=[date(2025, 11, 3)], on=date(2026, 11, 2), lookback_months=12)
    assert not verdict.eligible and verdict.earlier == (date(2025, 11, 3),)
    # later clues never count against an earlier one
    assert triage.first_violation(earlier_on=[date(2026, 12, 1)], on=date(2026, 11, 2), lookback_months=None).eligible


@given(earlier=st.lists(dates_2025_2026, max_size=6), on=dates_2025_2026, lookback=st.one_of(st.none(), st.integers(min_value=1, max_value=36)))
@settings(max_examples=100, deadline=None)
def test_clu_l02__a_longer_lookback_never_makes_a_violation_first(earlier, on, lookback):
    # given any history / then "never" (no lookback) is the strictest reading
    verdict = triage.first_violation(earlier_on=earlier, on=on, lookback_months=lookback)
    strict = triage.first_violation(earlier_on=earlier, on=on, lookback_months=None)
    assert not (strict.eligible and not verdict.eligible)
    if lookback is not None:
        longer = triage.first_violation(earlier_on=earlier, on=on, lookback_months=lookback + 12)
        assert not (longer.eligible and not verdict.eligible)


# --- CLU-L04 ---------------------------------------------------------------------------------------


def test_clu_l04__education_text_names_the_rule_the_deadline_and_the_legal_basis():
    text = triage.education_text(enterprise="上海某化工有限公司", rule_citation="CLU-S07", sent_on=date(2026, 9, 28), due_on=date(2026, 10, 16), how="经核实已改正。")
    assert "上海某化工有限公司" in text and "CLU-S07" in text and "2026-10-16" in text and "第三十三条" in text and "教育" in text


# --- CLU-T03 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("report", "needs", "signed", "out", "to", "problems"),
    [
        ("", False, False, False, "", 1),
        ("核查报告：经查属实", True, False, False, "", 1),
        ("", True, False, False, "", 2),
        ("核查报告：经查属实", True, True, False, "", 0),
        ("核查报告：经查不属实", False, False, False, "", 0),
        ("", False, False, True, "", 1),
        ("", False, False, True, "市场监督管理局", 0),
    ],
)
def test_clu_t03__complaint_close_needs_report_and_signoff(report, needs, signed, out, to, problems):
    # given a complaint's state / when asking whether it may close / then the problems are listed
    assert len(triage.complaint_close_problems(verification_report=report, needs_rectification=needs, leader_signed_off=signed, out_of_scope=out, transferred_to=to)) == problems


# --- DEC-03 ----------------------------------------------------------------------------------------


def test_dec_03__hidden_danger_reporting_points_at_the_principal_person():
    # given an S01 clue about a hidden-danger report / when checking the hint
    hint = triage.dual_penalty_hint("CLU-S01", {"obligation": {"kind": "HIDDEN_DANGER", "period": "2026-Q3"}})
    # then the principal person's WSL art. 21 duty is named
    assert hint is not None and "第二十一条" in hint.duty and "一案双罚" in hint.text


def test_dec_03__no_hint_for_statistics_reports_or_licence_scenarios():
    assert triage.dual_penalty_hint("CLU-S01", {"obligation": {"kind": "SAFETY_STATS"}}) is None
    assert triage.dual_penalty_hint("CLU-S07", {"licence": {"number": "X"}}) is None
    assert triage.dual_penalty_hint("CLU-S02", {}) is not None


def test_dec_03__mapping_is_data():
    table = [{"rule_id": "CLU-S14", "facts_any": ("DRONE",), "duty": "示例职责"}]
    assert triage.dual_penalty_hint("CLU-S14", {"evidence": ["DRONE"]}, table).duty == "示例职责"
    assert triage.dual_penalty_hint("CLU-S14", {"evidence": ["CAMERA"]}, table) is None


# --- statistics --------------------------------------------------------------------------------------


def test_clu_x01__handled_non_site_definition():
    assert triage.handled_non_site(close_reason="CORRECTED", transferred=False)
    assert triage.handled_non_site(close_reason="CONDITION_GONE", transferred=False)
    assert not triage.handled_non_site(close_reason="CORRECTED", transferred=True)
    assert not triage.handled_non_site(close_reason="CASE_OPENED", transferred=False)
    assert triage.share(1, 4) == 0.25 and triage.share(0, 0) is None
