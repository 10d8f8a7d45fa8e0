"""Today in Asia/Shanghai (CAL-01): every date rule uses this, never the server's local date."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today() -> date:
    return datetime.now(SHANGHAI).date()


def local_date(moment: datetime) -> date:
    """The Shanghai calendar date of an aware timestamp (stored in UTC)."""
    return moment.astimezone(SHANGHAI).date()
