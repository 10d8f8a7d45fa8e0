"""Django side of the working-day calendar: admin-loaded years, the cached calendar, the loader
service and the recompute hook (CAL-04…CAL-07). The rules themselves live in `workdays.py`.

- `get_calendar()` merges the package schedules (2004–2026) with the years loaded into
  `HolidaySchedule` (a loaded year overrides the package) and caches the result. The cache is
  checked against a cheap fingerprint of the table on every call, so every process sees a newly
  loaded year at once, and a rolled-back load never survives in the cache.
- `holiday_schedule_load(actor, data)` validates and stores one year in one transaction with a
  ledger entry, then runs the registered recompute callbacks inside the same transaction
  (CAL-07: open deadlines are recomputed when the schedule is loaded).
- `parse_holiday_file(path)` reads the documented YAML/CSV format (docs/calendar.md).

Bulk callers should fetch the calendar once (`cal = get_calendar()`) and use its pure methods.
"""
from __future__ import annotations

import csv
import io
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from zhifa.ledger.services import ledger_append

from . import workdays as wd
from .errors import CommonErrorCode, ZhifaError
from .models import HolidaySchedule

MAX_FILE_BYTES = 1024 * 1024

# --- Cached calendar -----------------------------------------------------------------------

_cache_lock = threading.Lock()
_cache: dict[str, Any] = {"fingerprint": None, "calendar": None}


def _fingerprint() -> tuple:
    agg = HolidaySchedule.objects.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    return (agg["n"], agg["last"], agg["top"])


def schedule_source(row: HolidaySchedule) -> str:
    return f"{row.notice_title}（{row.notice_number}）" if row.notice_number else row.notice_title


def build_calendar() -> wd.WorkCalendar:
    """Package schedules overridden year by year by the schedules loaded into the database."""
    schedules = dict(wd.package_year_schedules())
    for row in HolidaySchedule.objects.all():
        schedules[row.year] = wd.YearSchedule(
            year=row.year,
            rest_days=frozenset(row.rest_dates()),
            extra_workdays=frozenset(row.workday_dates()),
            source=schedule_source(row),
        )
    return wd.WorkCalendar.from_schedules(schedules.values())


def get_calendar() -> wd.WorkCalendar:
    """The current calendar (cached; rebuilt when the HolidaySchedule table changes)."""
    fingerprint = _fingerprint()
    with _cache_lock:
        if _cache["calendar"] is not None and _cache["fingerprint"] == fingerprint:
            return _cache["calendar"]
    calendar = build_calendar()
    with _cache_lock:
        _cache["fingerprint"] = fingerprint
        _cache["calendar"] = calendar
    return calendar


def invalidate_calendar() -> None:
    with _cache_lock:
        _cache["fingerprint"] = None
        _cache["calendar"] = None


# --- Convenience wrappers (one calendar lookup each) ----------------------------------------


def is_working_day(value: date | datetime) -> bool:
    return get_calendar().is_working_day(value)


def add_working_days(start: date | datetime, n: int, *, allow_provisional: bool = True) -> wd.Deadline:
    return get_calendar().add_working_days(start, n, allow_provisional=allow_provisional)


def working_days_between(a: date | datetime, b: date | datetime) -> wd.DayCount:
    return get_calendar().working_days_between(a, b)


def add_calendar_days_rolled(start: date | datetime, n: int, *, allow_provisional: bool = True) -> wd.Deadline:
    return get_calendar().add_calendar_days_rolled(start, n, allow_provisional=allow_provisional)


def add_period(start: date | datetime, n: int, unit: wd.PeriodUnit | str, *, allow_provisional: bool = True) -> wd.Deadline:
    return get_calendar().add_period(start, n, unit, allow_provisional=allow_provisional)


def days_before(anchor: date | datetime, n: int) -> wd.Deadline:
    return get_calendar().days_before(anchor, n)


add_hours = wd.add_hours


# --- CAL-07 recompute hook -----------------------------------------------------------------

RecomputeCallback = Callable[..., Any]
_recompute_callbacks: list[RecomputeCallback] = []


def register_deadline_recompute(callback: RecomputeCallback) -> RecomputeCallback:
    """Register `callback(years=frozenset[int], calendar=WorkCalendar)`, called whenever a yearly
    schedule is loaded, replaced or deleted (CAL-07). It runs inside the loading transaction: a
    callback that raises rolls the load back. Usable as a decorator; registering twice is a no-op."""
    if callback not in _recompute_callbacks:
        _recompute_callbacks.append(callback)
    return callback


def unregister_deadline_recompute(callback: RecomputeCallback) -> None:
    if callback in _recompute_callbacks:
        _recompute_callbacks.remove(callback)


def schedule_changed(years: Iterable[int]) -> wd.WorkCalendar:
    """Invalidate the cache and run every recompute callback for the changed years."""
    invalidate_calendar()
    calendar = get_calendar()
    changed = frozenset(years)
    for callback in list(_recompute_callbacks):
        callback(years=changed, calendar=calendar)
    transaction.on_commit(invalidate_calendar)
    return calendar


# --- Loading a year ------------------------------------------------------------------------


@dataclass
class HolidayScheduleData:
    """One parsed yearly notice, ready for `holiday_schedule_load`."""

    year: int
    rest_days: list[date]
    extra_workdays: list[date] = field(default_factory=list)
    notice_title: str = ""
    notice_number: str = ""
    check_statutory: bool = True


def _invalid(message: str, *, field_name: str | None = None, errors: list[str] | None = None) -> ZhifaError:
    return ZhifaError(CommonErrorCode.INVALID_INPUT, message, field=field_name, rule="CAL-05", details={"errors": errors or [message]})


def validate_schedule_data(data: HolidayScheduleData) -> list[str]:
    errors = []
    if not (data.notice_title or "").strip():
        errors.append("缺少通知标题（例如：国务院办公厅关于2027年部分节假日安排的通知）")
    errors += wd.validate_year_schedule(data.year, data.rest_days, data.extra_workdays, check_statutory=data.check_statutory)
    return errors


def holiday_schedule_load(actor, data: HolidayScheduleData) -> HolidaySchedule:
    """Store (or replace) one year's official schedule, append to the ledger and recompute (CAL-04…07).

    All-or-nothing: invalid data raises ZhifaError before anything is written; the row, the ledger
    entry and the recompute callbacks share one transaction.
    """
    errors = validate_schedule_data(data)
    if errors:
        raise _invalid(f"{data.year}年节假日安排有误：" + "；".join(errors), errors=errors)
    rest = sorted(set(data.rest_days))
    work = sorted(set(data.extra_workdays))
    loaded_by = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        previous = HolidaySchedule.objects.select_for_update().filter(year=data.year).first()
        values = {
            "rest_days": [d.isoformat() for d in rest],
            "extra_workdays": [d.isoformat() for d in work],
            "notice_title": data.notice_title.strip(),
            "notice_number": (data.notice_number or "").strip(),
            "loaded_by": loaded_by,
            "loaded_at": timezone.now(),
        }
        if previous is None:
            row = HolidaySchedule.objects.create(year=data.year, **values)
        else:
            row = previous
            for key, value in values.items():
                setattr(row, key, value)
            row.save()
        payload: dict[str, Any] = {
            "year": data.year,
            "notice_title": row.notice_title,
            "notice_number": row.notice_number,
            "rest_days": [[a.isoformat(), b.isoformat()] for a, b in wd.date_ranges(rest)],
            "extra_workdays": [d.isoformat() for d in work],
            "statutory_check": data.check_statutory,
            "replaced": previous is not None,
            "overrides_package": data.year in wd.package_year_schedules(),
        }
        ledger_append(actor=actor, action="holiday_schedule.load", object_type="common.holidayschedule", object_id=row.pk, payload=payload)
        schedule_changed(_years_affected(data.year, rest + work))
    return row


def holiday_schedule_deleted(years: Iterable[int]) -> None:
    """Called (inside the deleting transaction) after schedules were deleted through the admin."""
    schedule_changed(years)


def _years_affected(year: int, days: Iterable[date]) -> set[int]:
    return {year} | {d.year for d in days}


# --- File format (docs/calendar.md) --------------------------------------------------------

_RANGE_SEPARATORS = re.compile(r"\s*(?:\.\.|~|～|至)\s*")
_KIND_ALIASES = {
    "rest": "rest",
    "放假": "rest",
    "休息": "rest",
    "work": "work",
    "上班": "work",
    "调休上班": "work",
    "notice_title": "notice_title",
    "通知标题": "notice_title",
    "notice_number": "notice_number",
    "通知文号": "notice_number",
}
_CSV_HEADERS = {
    "year": "year",
    "年份": "year",
    "kind": "kind",
    "类型": "kind",
    "start": "start",
    "开始": "start",
    "开始日期": "start",
    "end": "end",
    "结束": "end",
    "结束日期": "end",
    "note": "note",
    "说明": "note",
}
_YAML_KEYS = {"year", "notice", "rest_days", "workdays", "check_statutory"}


class _DatesAsTextLoader(yaml.SafeLoader):
    """Safe YAML loader that leaves dates as text, so an impossible date (2027-06-31) gets our
    Chinese error instead of a parser exception."""


_DatesAsTextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_one_date(value: Any, where: str) -> date:
    if isinstance(value, datetime):
        raise _invalid(f"{where}：“{value}”应为日期（YYYY-MM-DD），不能带时间", field_name=where)
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _invalid(f"{where}：“{text}”不是有效日期，应写作 YYYY-MM-DD", field_name=where) from None


def expand_range(first: date, last: date, where: str) -> list[date]:
    if last < first:
        raise _invalid(f"{where}：结束日期{last.isoformat()}早于开始日期{first.isoformat()}", field_name=where)
    if (last - first).days > 366:
        raise _invalid(f"{where}：日期区间超过一年", field_name=where)
    return [date.fromordinal(o) for o in range(first.toordinal(), last.toordinal() + 1)]


def parse_date_spec(value: Any, where: str) -> list[date]:
    """A date, "YYYY-MM-DD..YYYY-MM-DD" (also ~ or 至), or a mapping {from: …, to: …, name: …}."""
    if isinstance(value, dict):
        unknown = set(value) - {"from", "to", "name"}
        if unknown or "from" not in value:
            raise _invalid(f"{where}：区间应写作 {{from: 开始日期, to: 结束日期, name: 名称}}", field_name=where)
        first = _parse_one_date(value["from"], where)
        last = _parse_one_date(value.get("to", value["from"]), where)
        return expand_range(first, last, where)
    if isinstance(value, (date, datetime)):
        return [_parse_one_date(value, where)]
    text = str(value if value is not None else "").strip()
    if not text:
        raise _invalid(f"{where}：日期为空", field_name=where)
    parts = _RANGE_SEPARATORS.split(text)
    if len(parts) == 1:
        return [_parse_one_date(parts[0], where)]
    if len(parts) == 2:
        return expand_range(_parse_one_date(parts[0], where), _parse_one_date(parts[1], where), where)
    raise _invalid(f"{where}：“{text}”格式不正确，应为单个日期或“开始..结束”", field_name=where)


def parse_date_lines(text: str, label: str) -> list[date]:
    """One date or range per line (admin form); blank lines and text after # are ignored."""
    days: list[date] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.split("#", 1)[0].strip().rstrip(",，;；")
        if line:
            days += parse_date_spec(line, f"{label}第{number}行")
    return days


def _parse_year(value: Any, where: str) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise _invalid(f"{where}：年份“{value}”不是整数", field_name="year") from None
    return year


def parse_holiday_mapping(raw: Any) -> HolidayScheduleData:
    """The YAML structure (see docs/calendar.md) → HolidayScheduleData; raises ZhifaError in Chinese."""
    if not isinstance(raw, dict):
        raise _invalid("文件内容应为一个映射（包含 year、notice、rest_days、workdays）")
    unknown = sorted(set(map(str, raw)) - _YAML_KEYS)
    if unknown:
        raise _invalid(f"不认识的字段：{'、'.join(unknown)}（允许：year、notice、rest_days、workdays、check_statutory）")
    if "year" not in raw:
        raise _invalid("缺少字段 year（年份）", field_name="year")
    year = _parse_year(raw["year"], "year")
    notice = raw.get("notice") or {}
    if not isinstance(notice, dict):
        raise _invalid("notice 应包含 title（通知标题）和 number（文号）", field_name="notice")
    rest_items = raw.get("rest_days") or []
    work_items = raw.get("workdays") or []
    if not isinstance(rest_items, list) or not isinstance(work_items, list):
        raise _invalid("rest_days 和 workdays 应为列表")
    rest: list[date] = []
    for i, item in enumerate(rest_items, start=1):
        rest += parse_date_spec(item, f"rest_days第{i}项")
    work: list[date] = []
    for i, item in enumerate(work_items, start=1):
        work += parse_date_spec(item, f"workdays第{i}项")
    check = raw.get("check_statutory", True)
    if not isinstance(check, bool):
        raise _invalid("check_statutory 应为 true 或 false", field_name="check_statutory")
    return HolidayScheduleData(
        year=year,
        rest_days=rest,
        extra_workdays=work,
        notice_title=str(notice.get("title") or "").strip(),
        notice_number=str(notice.get("number") or "").strip(),
        check_statutory=check,
    )


def parse_holiday_csv(text: str) -> HolidayScheduleData:
    """CSV with header year,kind,start,end,note (or 年份,类型,开始,结束,说明); see docs/calendar.md."""
    reader = csv.reader(io.StringIO(text))
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        raise _invalid("CSV 文件为空")
    header = [_CSV_HEADERS.get(cell.strip().lstrip("\ufeff").lower(), cell.strip()) for cell in rows[0]]
    missing = [name for name in ("year", "kind", "start") if name not in header]
    if missing:
        raise _invalid(f"CSV 表头缺少列：{'、'.join(missing)}（应为 year,kind,start,end,note）")
    years: set[int] = set()
    rest: list[date] = []
    work: list[date] = []
    title = number = ""
    for line_no, row in enumerate(rows[1:], start=2):
        cells = dict(zip(header, (c.strip() for c in row)))
        where = f"第{line_no}行"
        years.add(_parse_year(cells.get("year", ""), where))
        kind = _KIND_ALIASES.get(cells.get("kind", "").lower())
        if kind is None:
            raise _invalid(f"{where}：类型“{cells.get('kind', '')}”无效，应为 rest/放假、work/上班、notice_title/通知标题 或 notice_number/通知文号")
        if kind == "notice_title":
            title = cells.get("note", "")
            continue
        if kind == "notice_number":
            number = cells.get("note", "")
            continue
        first = _parse_one_date(cells.get("start", ""), f"{where}开始日期")
        last = _parse_one_date(cells["end"], f"{where}结束日期") if cells.get("end") else first
        (rest if kind == "rest" else work).extend(expand_range(first, last, where))
    if len(years) != 1:
        raise _invalid(f"CSV 文件中的年份不一致：{'、'.join(str(y) for y in sorted(years)) or '无'}（一个文件只载入一个年份）")
    return HolidayScheduleData(year=years.pop(), rest_days=rest, extra_workdays=work, notice_title=title, notice_number=number)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _invalid("文件编码无法识别，请保存为 UTF-8")


def parse_holiday_file(path: str | Path) -> HolidayScheduleData:
    """Read a .yaml/.yml or .csv holiday file; every problem is a ZhifaError with a Chinese message."""
    p = Path(path)
    if not p.is_file():
        raise _invalid(f"文件不存在：{p}")
    if p.stat().st_size > MAX_FILE_BYTES:
        raise _invalid("文件过大（超过 1 MB），节假日安排文件应只包含一个年份")
    text = _decode(p.read_bytes())
    suffix = p.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        try:
            raw = yaml.load(text, Loader=_DatesAsTextLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"（第{mark.line + 1}行）" if mark is not None else ""
            raise _invalid(f"YAML 格式错误{where}，请检查缩进和冒号") from None
        return parse_holiday_mapping(raw)
    if suffix == ".csv":
        return parse_holiday_csv(text)
    raise _invalid(f"不支持的文件类型“{suffix or '无扩展名'}”：请使用 .yaml、.yml 或 .csv")
