"""Admin page for yearly holiday schedules (CAL-04…CAL-07).

Saving goes through the service `holiday_schedule_load` (validation, ledger entry, recompute
callbacks in one transaction); deletion goes through `LedgeredAdminMixin` (ledger entry) and then
runs the recompute callbacks for the deleted years, inside the same transaction.
"""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import transaction

from zhifa.ledger.admin_mixins import LedgeredAdminMixin

from . import workdays as wd
from .calendar_store import HolidayScheduleData, holiday_schedule_deleted, holiday_schedule_load, parse_date_lines, validate_schedule_data
from .errors import ZhifaError
from .models import HolidaySchedule

_DATES_HELP = "每行一个日期或区间，例如 2027-02-05 或 2027-02-05..2027-02-11；# 之后为注释"


def _lines(days) -> str:
    return "\n".join(a.isoformat() if a == b else f"{a.isoformat()}..{b.isoformat()}" for a, b in wd.date_ranges(days))


class HolidayScheduleForm(forms.ModelForm):
    """Dates are edited as text (one date or range per line) and validated like the file loader."""

    rest_days_text = forms.CharField(label="放假日期", widget=forms.Textarea(attrs={"rows": 10}), help_text=_DATES_HELP + "（含放假区间内的周末）")
    extra_workdays_text = forms.CharField(
        label="调休上班日期", required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=_DATES_HELP + "（只能是星期六或星期日）"
    )
    check_statutory = forms.BooleanField(
        label="核对法定节假日", required=False, initial=True, help_text="核对 CAL-03 法定节假日是否均已列为放假（建议保持勾选）"
    )

    class Meta:
        model = HolidaySchedule
        fields = ["year", "notice_title", "notice_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["rest_days_text"] = _lines(self.instance.rest_dates())
            self.initial["extra_workdays_text"] = _lines(self.instance.workday_dates())

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year") or self.instance.year
        if year is None:
            return cleaned
        try:
            rest = parse_date_lines(cleaned.get("rest_days_text", ""), "放假日期")
            work = parse_date_lines(cleaned.get("extra_workdays_text", ""), "调休上班日期")
        except ZhifaError as exc:
            raise forms.ValidationError(exc.message) from None
        data = HolidayScheduleData(
            year=year,
            rest_days=rest,
            extra_workdays=work,
            notice_title=cleaned.get("notice_title") or "",
            notice_number=cleaned.get("notice_number") or "",
            check_statutory=bool(cleaned.get("check_statutory")),
        )
        errors = validate_schedule_data(data)
        if errors:
            raise forms.ValidationError(errors)
        self.schedule_data = data
        return cleaned


@admin.register(HolidaySchedule)
class HolidayScheduleAdmin(LedgeredAdminMixin, admin.ModelAdmin):
    form = HolidayScheduleForm
    list_display = ["year", "notice_title", "notice_number", "rest_day_count", "workday_count", "loaded_by", "loaded_at"]
    search_fields = ["notice_title", "notice_number"]
    readonly_fields = ["loaded_by", "loaded_at"]

    def get_readonly_fields(self, request, obj=None):
        # The year identifies the notice; a different year is a new row.
        return [*self.readonly_fields, "year"] if obj is not None else self.readonly_fields

    @admin.display(description="放假天数")
    def rest_day_count(self, obj: HolidaySchedule) -> int:
        return len(obj.rest_days)

    @admin.display(description="调休上班天数")
    def workday_count(self, obj: HolidaySchedule) -> int:
        return len(obj.extra_workdays)

    def save_model(self, request, obj, form, change):
        """Write through the service (validation, ledger, CAL-07 recompute) instead of obj.save()."""
        saved = holiday_schedule_load(request.user, form.schedule_data)
        obj.pk = saved.pk
        obj._state.adding = False
        for name in ("year", "rest_days", "extra_workdays", "notice_title", "notice_number", "loaded_by", "loaded_at", "created_at", "updated_at"):
            setattr(obj, name, getattr(saved, name))

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            holiday_schedule_deleted([obj.year])

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            years = list(queryset.values_list("year", flat=True))
            super().delete_queryset(request, queryset)
            holiday_schedule_deleted(years)
