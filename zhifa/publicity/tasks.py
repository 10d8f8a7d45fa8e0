"""Scheduled publicity work (ADR 0004, Huey): the daily expiry of display periods (PUB-17) and the
sync of officers' credential information (PUB-22), and the overdue reminders (PUB-27)."""
from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import credential_duties_sync, expire_due, overdue_reminders_send


@db_periodic_task(crontab(hour="0", minute="20"))
def daily_publicity() -> dict[str, int]:
    """End expired displays (the portal hides them already, PUB-17) and open update duties for
    changed credentials, whose clock runs from the change date (PUB-22)."""
    return {"expired": expire_due(), "credential_duties": len(credential_duties_sync()), "overdue_reminders": overdue_reminders_send()}
