"""Deadlines of the case procedure (RULES §6 with CAL-08…CAL-10).

Every period runs from the day after its trigger (CAL-10; AMB-29: the trigger is the service date
`served_on` given by the SRV rules — electronic arrival, receipt date, public notice + 30 days —
never the date a document was sent). Working-day periods (APL art. 85: "2/3/5/7 days"; ACL art.
69: ten days or less) use `WorkCalendar.add_working_days`; calendar-day periods roll forward to the
next working day when they end on a rest day (CAL-10, CPL art. 85 by analogy).

The functions take the period lengths as arguments: callers read them from the rule set
(`rs("statement.days")` …) so that no number is hard-coded here. They return the calendar's
`Deadline` (with `due_date`, `provisional` and the rule ID) unless stated otherwise.
"""
from __future__ import annotations

import calendar as _calendar
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from zhifa.common.workdays import Deadline, WorkCalendar, to_local_date

from .findings import rule_input_error


def _count(n: int, rule: str, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, float, Decimal)) or int(n) != n or n < 0:
        raise rule_input_error(f"{what}必须是非负整数，实际为「{n}」", rule=rule)
    return int(n)


def _wd(cal: WorkCalendar, start: date | datetime, n: int, rule: str, what: str) -> Deadline:
    return replace(cal.add_working_days(start, _count(n, rule, what)), rule=rule)


def _cd(cal: WorkCalendar, start: date | datetime, n: int, rule: str, what: str) -> Deadline:
    return replace(cal.add_calendar_days_rolled(start, _count(n, rule, what)), rule=rule)


def add_months(day: date, months: int) -> date:
    """The corresponding day `months` later; a missing day (31st, 29 Feb) is the month's last day
    (CPL art. 85 for periods in months)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


# --- rights of the party --------------------------------------------------------------------------


def statement_window_end(served_on: date | datetime, days: int, cal: WorkCalendar) -> Deadline:
    """RTS-04 (S4-A1 #14; MR-15, AMB-05): the statement/defence window ends `days` working days
    after the pre-decision notice was served (default 3 WD, the party-favourable reading of "3日").
    AMB-29: counted from the service date of the notice. No decision before it ends (RTS-02) unless
    the party waived the right."""
    return _wd(cal, served_on, days, "RTS-04", "陈述申辩期限")


def hearing_request_deadline(served_on: date | datetime, wd: int, cal: WorkCalendar) -> Deadline:
    """HRG-04 (APL art. 64(1), art. 85): a hearing is requested within 5 working days after the
    notice is served; the last day is the 5th working day."""
    return _wd(cal, served_on, wd, "HRG-04", "申请听证期限")


def earliest_hearing_day(notice_served_on: date | datetime, wd: int, cal: WorkCalendar, *, clear_days: bool = False) -> date:
    """HRG-05 (APL art. 64(2), art. 85): the hearing notice is served at least 7 working days before
    the hearing. Default reading: the hearing may be held on the 7th working day after service.
    `clear_days` (rule set `hearing.notice_clear_days`): seven clear working days — neither the
    service day nor the hearing day counts, so the hearing comes after the 7th working day."""
    seventh = _wd(cal, notice_served_on, wd, "HRG-05", "听证通知提前期").due_date
    return seventh + timedelta(days=1) if clear_days else seventh


def recusal_deadline(applied_on: date | datetime, wd: int, cal: WorkCalendar) -> Deadline:
    """RCS-03 (S5 art. 42 para 2; AMB-31 default elsewhere): a recusal application is decided
    within 3 working days of the application."""
    return _wd(cal, applied_on, wd, "RCS-03", "回避决定期限")


# --- investigation and decision ----------------------------------------------------------------


def preservation_deadline(started_on: date | datetime, wd: int, cal: WorkCalendar) -> Deadline:
    """CAS-12 (APL art. 56, art. 85): after registration-preservation of evidence, the handling
    decision is made within 7 working days."""
    return _wd(cal, started_on, wd, "CAS-12", "先行登记保存处理期限")


def decision_deadline(filed_on: date | datetime, limit_days: int, cal: WorkCalendar, *, extension_days: int = 0) -> Deadline:
    """DEC-02 (APL art. 60; MR-15 art. 31, AMB-07): the decision is made within `limit_days`
    calendar days of filing plus approved extensions (calendar days, CAL-10 roll-forward when the
    last day is a rest day)."""
    limit = _count(limit_days, "DEC-02", "办案期限")
    extension = _count(extension_days, "DEC-02", "延长期限")
    return _cd(cal, filed_on, limit + extension, "DEC-02", "办案期限")


def coercion_end(started_on: date | datetime, max_days: int, *, extension_days: int = 0, extension_max: int = 30,
                 testing_days: int = 0) -> date:
    """CRC-06 (ACL art. 25): sealing/seizure lasts at most `max_days` (30) calendar days; in complex
    cases it may be extended once, with the head's approval, by at most `extension_max` (30) days;
    time for testing, inspection, quarantine or appraisal (notified in writing) is not counted.
    Returns the last day of the measure. Not rolled forward (CAL-10 roll-forward extends a party's
    period; here it would only prolong a restriction on the party)."""
    start = to_local_date(started_on)
    base = _count(max_days, "CRC-06", "查封、扣押期限")
    extension = _count(extension_days, "CRC-06", "延长期限")
    limit = _count(extension_max, "CRC-06", "延长期限上限")
    testing = _count(testing_days, "CRC-06", "检测、检验、检疫或者技术鉴定期间")
    if extension > limit:
        raise rule_input_error(f"查封、扣押的延长期限不得超过{limit}日（行政强制法第二十五条），申请延长{extension}日", rule="CRC-06",
                               field="extension_days")
    return start + timedelta(days=base + extension + testing)


# --- service and payment ---------------------------------------------------------------------


def service_deadline(decided_on: date | datetime, wd: int, cal: WorkCalendar) -> Deadline:
    """SRV-01 (APL art. 61 para 1, art. 85): a decision not handed over on the spot is served
    within 7 working days."""
    return _wd(cal, decided_on, wd, "SRV-01", "送达期限")


def public_notice_served_on(issued_on: date | datetime, days: int) -> date:
    """SRV-07 (CPL art. 95): public-notice service is deemed made `days` (30) calendar days after
    the notice is issued. A deemed date, not a time limit for an act: never rolled forward."""
    return to_local_date(issued_on) + timedelta(days=_count(days, "SRV-07", "公告期"))


def payment_due(served_on: date | datetime, days: int, cal: WorkCalendar) -> Deadline:
    """PAY-01 (APL art. 67 para 3): the fine is paid within 15 days of receiving the decision —
    calendar days, rolled forward to the next working day when the last day is a rest day (CAL-10)."""
    return _cd(cal, served_on, days, "PAY-01", "缴纳罚款期限")


def court_application_window(reminder_served_on: date | datetime, decision_served_on: date | datetime, cal: WorkCalendar, *,
                             after_wd: int, apply_months: int, reconsideration_days: int, litigation_months: int) -> tuple[date, date]:
    """PAY-08 (ACL arts. 53, 54, 69; ARL art. 20; ALL art. 46): an authority without its own
    enforcement power applies to the court (earliest, latest):

    - earliest: `after_wd` (10) working days after the written reminder (催告书) is served;
    - latest: `apply_months` (3) months after the later of the reconsideration deadline
      (`reconsideration_days` = 60 calendar days after service of the decision) and the litigation
      deadline (`litigation_months` = 6 months after service). Both party deadlines roll forward
      over rest days (CAL-10), and so does the resulting last day.

    An earliest day after the latest one means the window has closed.
    """
    earliest = _wd(cal, reminder_served_on, after_wd, "PAY-08", "催告期限").due_date
    served = to_local_date(decision_served_on)
    reconsideration_end = _cd(cal, served, reconsideration_days, "PAY-08", "申请行政复议期限").due_date
    months = _count(litigation_months, "PAY-08", "提起行政诉讼期限")
    litigation_end = cal.next_working_day(add_months(served, months)).due_date
    apply = _count(apply_months, "PAY-08", "申请强制执行期限")
    latest = cal.next_working_day(add_months(max(reconsideration_end, litigation_end), apply)).due_date
    return earliest, latest


# --- closure -----------------------------------------------------------------------------------


def archive_deadline(closed_on: date | datetime, wd: int, cal: WorkCalendar) -> Deadline:
    """CLS-02 (S4 二(二)4(2)): within 30 working days of closure the text and audio-video records
    are assembled into the case file and archived."""
    return _wd(cal, closed_on, wd, "CLS-02", "归档期限")
