"""Scheduled notification work (ADR 0004, Huey): send messages whose hand-over after commit was
lost (the process stopped between commit and send), see services.messages_dispatch_pending."""
from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/5"))
def dispatch_pending_messages() -> int:
    from .services import messages_dispatch_pending

    count = messages_dispatch_pending()
    if count:
        log.warning("dispatched %s pending notification(s) after a lost hand-over", count)
    return count
