"""The read-only calendar page at /calendar/ (CAL-06/07): which years are loaded and from where,
which years are provisional, one year's holidays, and a small "add N working days" calculator."""
from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from . import workdays as wd
from .calendar_store import get_calendar
from .errors import ZhifaError
from .models import HolidaySchedule
from .timeutil import today

# Bureau staff (User.is_staff_role) plus the read-everything roles; enterprise contacts do not see
# internal tooling. Role values are spelled out because `common` imports no app above it; the
# page tests cover every role (accounts.choices.Role).
READ_ALL_ROLES = frozenset({"AUDITOR", "SYSTEM_ADMIN"})
PROVISIONAL_LOOKAHEAD_YEARS = 3


class AddPeriodForm(forms.Form):
    start = forms.DateField(label="起算日期", widget=forms.DateInput(attrs={"type": "date"}), help_text="起算日当天不计入")
    n = forms.IntegerField(label="天数", min_value=0, max_value=3650)
    unit = forms.ChoiceField(
        label="期限单位",
        choices=[(wd.PeriodUnit.WD.value, "工作日"), (wd.PeriodUnit.CD.value, "自然日（末日为休息日时顺延）")],
        initial=wd.PeriodUnit.WD.value,
        required=False,
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2004, max_value=wd.MAX_SCHEDULE_YEAR)


def _can_view(user) -> bool:
    return bool(user.is_superuser or getattr(user, "is_staff_role", False) or getattr(user, "role", None) in READ_ALL_ROLES)


def _ranges(days):
    return [{"first": a, "last": b, "days": (b - a).days + 1} for a, b in wd.date_ranges(days)]


def _year_runs(years):
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return runs


@login_required
def calendar_page(request):
    if not _can_view(request.user):
        raise PermissionDenied
    cal = get_calendar()
    now = today()

    result = None
    calc = AddPeriodForm(request.GET if "start" in request.GET else None)
    if calc.is_bound and calc.is_valid():
        try:
            result = cal.add_period(calc.cleaned_data["start"], calc.cleaned_data["n"], calc.cleaned_data["unit"] or wd.PeriodUnit.WD)
        except ZhifaError as exc:
            calc.add_error(None, exc.message)

    year_form = YearForm(request.GET if "year" in request.GET else {"year": now.year})
    year_view = None
    if year_form.is_valid():
        year = year_form.cleaned_data["year"]
        try:
            rest = cal.year_rest_days(year)
            year_view = {
                "year": year,
                "loaded": cal.is_loaded_year(year),
                "source": cal.sources.get(year, ""),
                "rest_ranges": _ranges(rest),
                "rest_count": len(rest),
                "workdays": cal.year_extra_workdays(year),
                "statutory": sorted(wd.statutory_holidays(year).items()) if year >= wd.HOL_2013_FIRST_YEAR else [],
            }
        except ZhifaError as exc:
            year_form.add_error("year", exc.message)

    db_rows = list(HolidaySchedule.objects.select_related("loaded_by").order_by("year"))
    db_years = {row.year for row in db_rows}
    package_years = sorted(set(wd.package_year_schedules()) - db_years)
    provisional_years = [y for y in range(now.year, now.year + PROVISIONAL_LOOKAHEAD_YEARS + 1) if not cal.is_loaded_year(y)]
    context = {
        "today": now,
        "calc": calc,
        "calc_params": [(k, request.GET[k]) for k in ("start", "n", "unit") if k in request.GET],
        "result": result,
        "result_weekday": wd.weekday_name(result.due_date) if result else "",
        "year_form": year_form,
        "year_view": year_view,
        "db_rows": db_rows,
        "package_year_ranges": _year_runs(package_years),
        "package_source": wd.PACKAGE_SOURCE,
        "provisional_years": provisional_years,
        "loaded_count": len(cal.loaded_years),
    }
    return render(request, "common/calendar.html", context)
