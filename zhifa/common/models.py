"""Base model and reference data shared by every app."""
from __future__ import annotations

from django.db import models


class TimeStampedModel(models.Model):
    """Adds creation and last-change timestamps (stored in UTC, shown in Asia/Shanghai — CAL-01)."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True
