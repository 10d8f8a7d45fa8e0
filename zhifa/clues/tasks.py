"""Scheduled clue work (ADR 0004, Huey): the daily detection run (issue 4 item 2)."""
from __future__ import annotations

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhifa.common.errors import ZhifaError

from .choices import RunOrigin
from .engine import detection_run

log = logging.getLogger(__name__)

_HOUR, _MINUTE = (str(int(part)) for part in settings.ZHIFA_DETECTION_AT.split(":"))


@db_periodic_task(crontab(hour=_HOUR, minute=_MINUTE))
def daily_detection() -> int | None:
    """Mark reminders whose correction deadline passed (CLU-X01/X02), then run every active
    scenario for today; a run already in progress is left alone (logged)."""
    from .services import reminders_mark_overdue

    reminders_mark_overdue()
    try:
        return detection_run(origin=RunOrigin.SCHEDULE).pk
    except ZhifaError as exc:
        log.warning("daily detection not started: %s", exc.message)
        return None
