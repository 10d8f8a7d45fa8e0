"""Chinese working-day calendar and period arithmetic (RULES.md §1.2, CAL-01…CAL-13).

Pure module: no Django, no database. The Django side (admin-loaded years, caching, the
recompute hook) lives in `zhifa.common.calendar_store`.

How a day is classified (CAL-02, CAL-05, RULES §12.2):

1. a date listed as a shift working day (调休上班, e.g. Sat 2026-10-10) is a working day;
2. a date listed as a rest day (announced holiday blocks, including 调休 rest days) is not;
3. in a year **without** a loaded official schedule, the statutory all-citizen holidays of
   HOL (CAL-03) are rest days — no make-up or shift days are inferred (CAL-04) and every
   result touching such a year is marked provisional (CAL-07);
4. otherwise Monday–Friday are working days and Saturday/Sunday rest days (WTR art. 7).

Every computation reports the years it consulted that have no official schedule
(`years_provisional`), so callers can show "临时计算" and recompute when the notice is loaded.
Dates are Asia/Shanghai calendar dates (CAL-01): aware datetimes are converted to Shanghai
before their date is taken; naive datetimes are refused.

Speed: each year is expanded once into a flag table and a sorted list of working-day
ordinals; counting and adding use binary search, skipping whole years at a time.
"""
from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

import chinese_calendar
from chinese_calendar import constants as _cc_constants
from lunardate import LunarDate

from .errors import CommonErrorCode, ZhifaError
from .timeutil import SHANGHAI

# HOL 2013 text (in force 2014-01-01): 11 days; HOL 2024 revision (in force 2025-01-01): 13 days.
HOL_2013_FIRST_YEAR = 2014
HOL_2024_FIRST_YEAR = 2025
# lunardate covers lunar years 1900–2099; loaded schedules are accepted for the same span.
MIN_SCHEDULE_YEAR = 2000
MAX_SCHEDULE_YEAR = 2099
# A yearly notice may fix the New Year block's days at the end of the previous December
# (e.g. the 2012 notice made Sat 2011-12-31 a working day).
PREVIOUS_DECEMBER_FROM_DAY = 25

PACKAGE_SOURCE = f"chinesecalendar {chinese_calendar.__version__}（国务院办公厅历年节假日安排）"
WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class PeriodUnit(str, enum.Enum):
    """Unit of a period (CAL-08/09/10/12)."""

    WD = "WD"
    CD = "CD"
    H = "H"

    @property
    def label(self) -> str:
        return {"WD": "工作日", "CD": "自然日", "H": "小时"}[self.value]


class PeriodLaw(str, enum.Enum):
    """The instrument a period comes from, for CAL-08/09/10."""

    APL = "APL"  # 行政处罚法
    ACL = "ACL"  # 行政强制法
    OTHER = "OTHER"


class CalendarUnavailable(ZhifaError):
    """No official schedule and no statutory computation is possible for a year (outside 2014–2099)."""


class ProvisionalCalendarError(ZhifaError):
    """Raised in strict mode when a result depends on a year without an official schedule (CAL-07)."""


def _unavailable(year: int) -> CalendarUnavailable:
    return CalendarUnavailable(
        code=CommonErrorCode.CALENDAR_NOT_LOADED,
        message=f"{year}年没有可用的工作日历：请由管理员载入该年国务院办公厅节假日安排通知",
        rule="CAL-07",
        details={"year": year},
    )


def weekday_name(d: date) -> str:
    return WEEKDAY_NAMES[d.weekday()]


def format_day(d: date) -> str:
    """2027-02-05（星期五） — the form used in user-facing messages."""
    return f"{d.isoformat()}（{weekday_name(d)}）"


def to_local_date(value: date | datetime) -> date:
    """CAL-01: the Asia/Shanghai calendar date of a date or an aware datetime."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime: CAL-01 requires an aware timestamp (stored in UTC)")
        return value.astimezone(SHANGHAI).date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date or an aware datetime, got {type(value).__name__}")


# --- CAL-03: statutory all-citizen holidays --------------------------------------------------


@lru_cache(maxsize=256)
def qingming_day(year: int) -> date:
    """Qingming (清明) is the day of the solar term; chinese_calendar computes it (1900–2100)."""
    for day, name in chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30)):
        if name == "清明":
            return day
    raise _unavailable(year)  # pragma: no cover - the term always falls on 4–6 April


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> Mapping[date, str]:
    """CAL-03 (HOL arts. 2–3): the all-citizen statutory holidays of `year`, date → name.

    From 2025 (2024 revision): 1 Jan; Spring Festival = lunar New Year's Eve and lunar 1st–3rd;
    Qingming; 1–2 May; Dragon Boat (lunar 5/5); Mid-Autumn (lunar 8/15); 1–3 Oct — 13 days.
    2014–2024 (2013 text): Spring Festival lunar 1st–3rd and Labour Day 1 May only — 11 days.
    Half-day holidays of specific groups are not included (they do not affect deadlines).
    Years before 2014 are not computed (the package holds official data for 2004–2026).
    """
    if not (HOL_2013_FIRST_YEAR <= year <= MAX_SCHEDULE_YEAR):
        raise _unavailable(year)
    days: dict[date, list[str]] = {}

    def add(d: date, name: str) -> None:
        days.setdefault(d, []).append(name)

    add(date(year, 1, 1), "元旦")
    lunar_new_year = LunarDate(year, 1, 1).to_solar_date()
    if year >= HOL_2024_FIRST_YEAR:
        add(lunar_new_year - timedelta(days=1), "春节（除夕）")
    for offset in range(3):
        add(lunar_new_year + timedelta(days=offset), "春节")
    add(qingming_day(year), "清明节")
    add(date(year, 5, 1), "劳动节")
    if year >= HOL_2024_FIRST_YEAR:
        add(date(year, 5, 2), "劳动节")
    add(LunarDate(year, 5, 5).to_solar_date(), "端午节")
    add(LunarDate(year, 8, 15).to_solar_date(), "中秋节")
    for day in (1, 2, 3):
        add(date(year, 10, day), "国庆节")
    return {d: "、".join(names) for d, names in sorted(days.items())}


# --- Schedules and the calendar value ----------------------------------------------------------


@dataclass(frozen=True)
class YearSchedule:
    """One official yearly schedule (国务院办公厅关于某年部分节假日安排的通知), CAL-04/05/06."""

    year: int
    rest_days: frozenset[date]
    extra_workdays: frozenset[date]
    source: str = ""


@lru_cache(maxsize=1)
def package_year_schedules() -> Mapping[int, YearSchedule]:
    """CAL-06: the official schedules shipped in the chinese_calendar package (2004–2026)."""
    rest: dict[int, set[date]] = {}
    work: dict[int, set[date]] = {}
    for d in _cc_constants.holidays:
        rest.setdefault(d.year, set()).add(d)
    for d in _cc_constants.workdays:
        work.setdefault(d.year, set()).add(d)
    years = sorted(set(rest) | set(work))
    return {
        y: YearSchedule(year=y, rest_days=frozenset(rest.get(y, ())), extra_workdays=frozenset(work.get(y, ())), source=PACKAGE_SOURCE)
        for y in years
    }


@dataclass(frozen=True)
class _YearData:
    year: int
    start_ord: int
    end_ord: int
    flags: bytes  # 1 = working day, indexed by day of year (0-based)
    wd_ords: tuple[int, ...]  # sorted ordinals of the working days
    provisional: bool


@dataclass(frozen=True)
class DayStatus:
    """How one day is classified, for pages and explanations."""

    day: date
    working: bool
    provisional: bool
    kind: str  # 工作日 / 周末 / 放假 / 调休上班 / 法定节假日（临时）
    holiday_name: str = ""


@dataclass(frozen=True)
class Deadline:
    """The result of a period computation.

    `due` is a date for WD/CD periods and an aware Asia/Shanghai datetime for hour periods.
    `years_provisional` lists the years consulted that have no loaded official schedule;
    `provisional` is true exactly when it is non-empty (CAL-07).
    """

    due: date | datetime
    unit: PeriodUnit
    start: date | datetime
    n: int | float
    years_provisional: tuple[int, ...] = ()
    rolled_from: date | None = None  # CAL-10: the calendar-day end before rolling forward
    rule: str = ""

    @property
    def provisional(self) -> bool:
        return bool(self.years_provisional)

    @property
    def due_date(self) -> date:
        return to_local_date(self.due)

    def as_dict(self) -> dict[str, Any]:
        return {
            "due": self.due.isoformat(),
            "unit": self.unit.value,
            "start": self.start.isoformat(),
            "n": self.n,
            "provisional": self.provisional,
            "years_provisional": list(self.years_provisional),
            "rolled_from": self.rolled_from.isoformat() if self.rolled_from else None,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class DayCount:
    """A number of working days between two dates, with the provisional years consulted."""

    days: int
    years_provisional: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.years_provisional)


@dataclass(frozen=True, eq=False)
class WorkCalendar:
    """The working-day calendar: explicit rest days and shift working days plus the loaded years.

    `loaded_years` are the years whose official notice is loaded (package or database); for any
    other year the statutory holidays of CAL-03 are used and results are provisional (CAL-07).
    Explicit dates apply whatever year they fall in (a notice may fix days at the end of the
    previous December).
    """

    rest_days: frozenset[date]
    extra_workdays: frozenset[date]
    loaded_years: frozenset[int]
    sources: Mapping[int, str] = field(default_factory=dict)
    _years: dict[int, _YearData] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        both = self.rest_days & self.extra_workdays
        if both:
            listed = "、".join(format_day(d) for d in sorted(both))
            raise ValueError(f"以下日期同时被列为放假日和上班日：{listed}")

    @classmethod
    def from_schedules(cls, schedules: Iterable[YearSchedule]) -> WorkCalendar:
        """Merge yearly schedules in year order; a later notice wins for a date both list (CAL-04/05)."""
        rest: set[date] = set()
        work: set[date] = set()
        loaded: set[int] = set()
        sources: dict[int, str] = {}
        for sched in sorted(schedules, key=lambda s: s.year):
            rest.difference_update(sched.extra_workdays)
            work.difference_update(sched.rest_days)
            rest.update(sched.rest_days)
            work.update(sched.extra_workdays)
            loaded.add(sched.year)
            sources[sched.year] = sched.source
        return cls(rest_days=frozenset(rest), extra_workdays=frozenset(work), loaded_years=frozenset(loaded), sources=sources)

    # --- per-year tables -----------------------------------------------------------------

    def _year(self, year: int) -> _YearData:
        data = self._years.get(year)
        if data is None:
            data = self._build_year(year)
            self._years[year] = data
        return data

    def _build_year(self, year: int) -> _YearData:
        if not (1 <= year < 9999):
            raise _unavailable(year)
        loaded = year in self.loaded_years
        statutory: Mapping[date, str] = {} if loaded else statutory_holidays(year)
        first = date(year, 1, 1)
        start_ord = first.toordinal()
        end_ord = date(year, 12, 31).toordinal()
        first_weekday = first.weekday()
        flags = bytearray(end_ord - start_ord + 1)
        wd_ords: list[int] = []
        for i in range(len(flags)):
            d = first + timedelta(days=i)
            if d in self.extra_workdays:  # CAL-05: 调休上班
                working = True
            elif d in self.rest_days or d in statutory:  # CAL-05 announced blocks / CAL-07 statutory only
                working = False
            else:  # CAL-02 baseline week
                working = (first_weekday + i) % 7 < 5
            if working:
                flags[i] = 1
                wd_ords.append(start_ord + i)
        return _YearData(year, start_ord, end_ord, bytes(flags), tuple(wd_ords), provisional=not loaded)

    # --- classification ----------------------------------------------------------------

    def is_loaded_year(self, year: int) -> bool:
        return year in self.loaded_years

    def is_working_day(self, value: date | datetime) -> bool:
        """CAL-02/05/07: true if the (Shanghai) date is a working day. See `day_status` for provisional."""
        d = to_local_date(value)
        data = self._year(d.year)
        return bool(data.flags[d.toordinal() - data.start_ord])

    def day_status(self, value: date | datetime) -> DayStatus:
        """Classification of one day with the reason, and whether it is provisional (CAL-07)."""
        d = to_local_date(value)
        working = self.is_working_day(d)
        provisional = d.year not in self.loaded_years
        name = ""
        if d in self.extra_workdays:
            kind = "调休上班"
        elif d in self.rest_days:
            kind = "放假"
        elif provisional and d in statutory_holidays(d.year):
            kind = "法定节假日（临时）"
            name = statutory_holidays(d.year)[d]
        else:
            kind = "工作日" if working else "周末"
        return DayStatus(day=d, working=working, provisional=provisional, kind=kind, holiday_name=name)

    # --- primitives --------------------------------------------------------------------

    def _first_working_on_or_after(self, ordinal: int, touched: set[int]) -> int:
        year = date.fromordinal(ordinal).year
        while True:
            data = self._year(year)
            if data.provisional:
                touched.add(year)
            idx = bisect_left(data.wd_ords, ordinal)
            if idx < len(data.wd_ords):
                return data.wd_ords[idx]
            year += 1
            ordinal = data.end_ord + 1

    def _finish(self, deadline: Deadline, allow_provisional: bool) -> Deadline:
        if deadline.provisional and not allow_provisional:
            years = "、".join(str(y) for y in deadline.years_provisional)
            raise ProvisionalCalendarError(
                code=CommonErrorCode.CALENDAR_NOT_LOADED,
                message=f"期限涉及尚未载入官方节假日安排的年份（{years}），请先载入该年通知",
                rule="CAL-07",
                details={"years": list(deadline.years_provisional)},
            )
        return deadline

    # --- CAL-08/09: working-day periods ---------------------------------------------------

    def add_working_days(self, start: date | datetime, n: int, *, allow_provisional: bool = True) -> Deadline:
        """The n-th working day after `start` (the trigger day itself is not counted); n=0 returns `start`.

        CAL-08 (APL art. 85), CAL-09 (ACL art. 69); RULES §12.2 `add_wd`.
        """
        if n < 0:
            raise ValueError("n must be >= 0; use days_before for backward periods")
        d = to_local_date(start)
        self._year(d.year)  # a year that cannot be computed fails here, before any date arithmetic
        if n == 0:
            return Deadline(due=d, unit=PeriodUnit.WD, start=d, n=0, rule="CAL-08")
        touched: set[int] = set()
        ordinal = d.toordinal() + 1
        year = date.fromordinal(ordinal).year
        remaining = n
        while True:
            data = self._year(year)
            if data.provisional:
                touched.add(year)
            idx = bisect_left(data.wd_ords, ordinal)
            available = len(data.wd_ords) - idx
            if remaining <= available:
                due = date.fromordinal(data.wd_ords[idx + remaining - 1])
                break
            remaining -= available
            year += 1
            ordinal = data.end_ord + 1
        result = Deadline(due=due, unit=PeriodUnit.WD, start=d, n=n, years_provisional=tuple(sorted(touched)), rule="CAL-08")
        return self._finish(result, allow_provisional)

    def working_days_between(self, a: date | datetime, b: date | datetime) -> DayCount:
        """Number of working days in (a, b]; negative if b < a. Inverse of `add_working_days`:
        working_days_between(d, add_working_days(d, n).due) == n."""
        da, db = to_local_date(a), to_local_date(b)
        self._year(da.year)
        self._year(db.year)
        if da == db:
            return DayCount(0)
        sign = 1
        if db < da:
            da, db, sign = db, da, -1
        lo, hi = da.toordinal() + 1, db.toordinal()
        touched: set[int] = set()
        count = 0
        for year in range(date.fromordinal(lo).year, db.year + 1):
            data = self._year(year)
            if data.provisional:
                touched.add(year)
            count += bisect_right(data.wd_ords, hi) - bisect_left(data.wd_ords, lo)
        return DayCount(days=sign * count, years_provisional=tuple(sorted(touched)))

    def next_working_day(self, value: date | datetime, *, include_self: bool = True) -> Deadline:
        """The first working day on (or, with include_self=False, after) the given date."""
        d = to_local_date(value)
        self._year(d.year)
        touched: set[int] = set()
        ordinal = self._first_working_on_or_after(d.toordinal() + (0 if include_self else 1), touched)
        due = date.fromordinal(ordinal)
        return Deadline(due=due, unit=PeriodUnit.WD, start=d, n=0 if include_self else 1, years_provisional=tuple(sorted(touched)), rule="CAL-10")

    # --- CAL-10: calendar-day periods -------------------------------------------------------

    def add_calendar_days_rolled(self, start: date | datetime, n: int, *, allow_provisional: bool = True) -> Deadline:
        """CAL-10: `start + n` calendar days (counting from the day after the trigger); if that end
        falls on a rest day it rolls forward to the next working day (CPL art. 85 by analogy).
        Examples: the 15-day payment period (APL art. 67), the 90-day decision limit (APL art. 60)."""
        if n < 0:
            raise ValueError("n must be >= 0; use days_before for backward periods")
        d = to_local_date(start)
        self._year(d.year)
        end = d + timedelta(days=n)
        touched: set[int] = set()
        due = date.fromordinal(self._first_working_on_or_after(end.toordinal(), touched))
        result = Deadline(
            due=due,
            unit=PeriodUnit.CD,
            start=d,
            n=n,
            years_provisional=tuple(sorted(touched)),
            rolled_from=end if due != end else None,
            rule="CAL-10",
        )
        return self._finish(result, allow_provisional)

    def days_before(self, anchor: date | datetime, n: int) -> Deadline:
        """CAL-10 backward period ("at least N days before X"): X − N calendar days, never rolled;
        the act must be done on or before the result. Consults no holiday data, so never provisional."""
        if n < 0:
            raise ValueError("n must be >= 0")
        d = to_local_date(anchor)
        return Deadline(due=d - timedelta(days=n), unit=PeriodUnit.CD, start=d, n=-n, rule="CAL-10")

    # --- CAL-12: clock hours ----------------------------------------------------------------

    def add_hours(self, start: datetime, hours: int | float) -> Deadline:
        """CAL-12 (S4 二(二)4(1), ACL art. 19): hour limits run on clock time, holidays included."""
        return add_hours(start, hours)

    def add_period(self, start: date | datetime, n: int, unit: PeriodUnit | str, *, allow_provisional: bool = True) -> Deadline:
        """Dispatch on the unit: WD → add_working_days, CD → add_calendar_days_rolled, H → add_hours."""
        unit = PeriodUnit(unit)
        if unit is PeriodUnit.WD:
            return self.add_working_days(start, n, allow_provisional=allow_provisional)
        if unit is PeriodUnit.CD:
            return self.add_calendar_days_rolled(start, n, allow_provisional=allow_provisional)
        if not isinstance(start, datetime):
            raise ValueError("an hour period needs an aware datetime start (CAL-12)")
        return add_hours(start, n)

    # --- listing -----------------------------------------------------------------------------

    def year_rest_days(self, year: int) -> list[date]:
        """Rest days of a year other than ordinary weekends: announced blocks (including their
        weekend days) or, in a provisional year, the statutory holidays."""
        data = self._year(year)
        first = date(year, 1, 1)
        statutory: Mapping[date, str] = statutory_holidays(year) if data.provisional else {}
        days = (first + timedelta(days=i) for i, flag in enumerate(data.flags) if not flag)
        return [d for d in days if d.weekday() < 5 or d in self.rest_days or d in statutory]

    def year_extra_workdays(self, year: int) -> list[date]:
        return sorted(d for d in self.extra_workdays if d.year == year)


def add_hours(start: datetime, hours: int | float) -> Deadline:
    """CAL-12: `start + hours` on clock time (computed in UTC, shown in Asia/Shanghai — CAL-01)."""
    if not isinstance(start, datetime) or start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("add_hours needs an aware datetime (CAL-01)")
    due = (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(SHANGHAI)
    return Deadline(due=due, unit=PeriodUnit.H, start=start, n=hours, rule="CAL-12")


def is_within_hours(start: datetime, moment: datetime, hours: int | float) -> bool:
    """CAL-12 with CAL-11: `moment` is within `hours` of `start` (the limit itself included)."""
    return moment <= add_hours(start, hours).due


# --- CAL-08/09/10/13: which unit a period uses ---------------------------------------------------


def statutory_period_unit(law: PeriodLaw | str, n: int) -> PeriodUnit:
    """CAL-08: APL art. 85 — "2/3/5/7 days" are working days; CAL-09: ACL art. 69 — periods of
    10 days or less are working days; CAL-10: every other period is in calendar days."""
    law = PeriodLaw(law)
    if law is PeriodLaw.APL:
        return PeriodUnit.WD if n in (2, 3, 5, 7) else PeriodUnit.CD
    if law is PeriodLaw.ACL:
        return PeriodUnit.WD if n <= 10 else PeriodUnit.CD
    return PeriodUnit.CD


def unspecified_period_unit(*, granted_to_party: bool) -> PeriodUnit:
    """CAL-13 default where a seed says "within N days" without a unit (rule sets may override):
    the stricter reading (calendar days) for internal obligations, the more generous reading
    (working days) for periods granted to the party."""
    return PeriodUnit.WD if granted_to_party else PeriodUnit.CD


def within(value, low=None, high=None) -> bool:
    """CAL-11: "X以上 / X以下 / X以内" include X — inclusive bounds, never strict comparisons."""
    if low is not None and value < low:
        return False
    return not (high is not None and value > high)


# --- Validation of a yearly schedule (used by the loader and the admin form) ---------------------


def validate_year_schedule(year: int, rest_days: Iterable[date], extra_workdays: Iterable[date], *, check_statutory: bool = True) -> list[str]:
    """Check one yearly notice before it is stored; returns Chinese error messages (empty = valid).

    - every date belongs to the year (or the last days of the previous December, for a New Year block);
    - a shift working day (调休上班, CAL-05) is a Saturday or Sunday;
    - no date is both a rest day and a working day;
    - with `check_statutory`, every CAL-03 statutory holiday of the year is a rest day
      (a weekday holiday listed as rest, none listed as a working day).
    """
    errors: list[str] = []
    rest = set(rest_days)
    work = set(extra_workdays)
    if not (MIN_SCHEDULE_YEAR <= year <= MAX_SCHEDULE_YEAR):
        return [f"年份{year}超出支持范围（{MIN_SCHEDULE_YEAR}—{MAX_SCHEDULE_YEAR}年）"]
    if not rest:
        errors.append("未列出任何放假日期")

    def in_year(d: date) -> bool:
        return d.year == year or (d.year == year - 1 and d.month == 12 and d.day >= PREVIOUS_DECEMBER_FROM_DAY)

    for d in sorted(rest | work):
        if not in_year(d):
            errors.append(f"日期{format_day(d)}不属于{year}年")
    for d in sorted(work):
        if d.weekday() < 5:
            errors.append(f"调休上班日{format_day(d)}不是星期六或星期日：只有周末才能被调为上班日")
    for d in sorted(rest & work):
        errors.append(f"{format_day(d)}同时被列为放假日和上班日，自相矛盾")
    if check_statutory and year >= HOL_2013_FIRST_YEAR:
        for d, name in statutory_holidays(year).items():
            if d in work:
                errors.append(f"法定节假日{name}{format_day(d)}被列为上班日（CAL-03）")
            elif d.weekday() < 5 and d not in rest:
                errors.append(f"法定节假日{name}{format_day(d)}未列为放假日（CAL-03）")
    return errors


def date_ranges(days: Iterable[date]) -> list[tuple[date, date]]:
    """Collapse dates into consecutive (first, last) runs: for display and compact ledger payloads."""
    runs: list[tuple[date, date]] = []
    for d in sorted(set(days)):
        if runs and d - runs[-1][1] == timedelta(days=1):
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


@lru_cache(maxsize=1)
def package_calendar() -> WorkCalendar:
    """The calendar from the package data only (2004–2026); the store adds admin-loaded years."""
    return WorkCalendar.from_schedules(package_year_schedules().values())
