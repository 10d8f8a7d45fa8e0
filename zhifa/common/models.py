"""Base model and reference data shared by every app."""
from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    """Adds creation and last-change timestamps (stored in UTC, shown in Asia/Shanghai — CAL-01)."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class HolidaySchedule(TimeStampedModel):
    """One year's official holiday arrangement (国务院办公厅关于某年部分节假日安排的通知), loaded by an admin.

    CAL-04/05/06: rest days (announced holiday blocks, including their weekend days and 调休 rest
    days) and shift working days (调休上班, always a Saturday or Sunday). A loaded year overrides
    the package data for that year; until a year is loaded, results in it are provisional (CAL-07).
    Written only through `calendar_store.holiday_schedule_load`.
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    rest_days = models.JSONField("放假日期", default=list, help_text="ISO 日期列表（含放假区间内的周末）")
    extra_workdays = models.JSONField("调休上班日期", default=list, help_text="ISO 日期列表（只能是星期六或星期日）")
    notice_title = models.CharField("通知标题", max_length=200)
    notice_number = models.CharField("通知文号", max_length=100, blank=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="载入人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    loaded_at = models.DateTimeField("载入时间", default=timezone.now)

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = "年度节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排（{self.notice_number or self.notice_title}）"

    def rest_dates(self) -> list[date]:
        return sorted(date.fromisoformat(d) for d in self.rest_days)

    def workday_dates(self) -> list[date]:
        return sorted(date.fromisoformat(d) for d in self.extra_workdays)


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk update/delete are refused for append-only records (REC-16, SEC-09, EVI-09)."""

    def update(self, **kwargs):
        raise PermissionError(self.model.append_only_message)

    def delete(self):
        raise PermissionError(self.model.append_only_message)

    def bulk_update(self, objs, fields, batch_size=None):
        raise PermissionError(self.model.append_only_message)


class AppendOnlyModel(models.Model):
    """Rows are inserted once and never changed or removed through the ORM (REC-16, SEC-09).

    Subclasses set `append_only_message` (the Chinese reason users see). Apps that must also stop
    raw SQL add database triggers (zhifa.ledger.dbguard).
    """

    append_only_message = "记录只能追加，不得修改或删除"

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(self.append_only_message)
