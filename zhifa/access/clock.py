"""The access workflow's clock. Everything in zhifa.access reads the time through `now()`, so a
test can move the clock past a window (monkeypatch `zhifa.access.clock.now`) without sleeping."""
from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()
