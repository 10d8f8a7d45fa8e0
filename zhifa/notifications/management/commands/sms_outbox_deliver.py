"""Play the SMS gateway in development: report every message in the local outbox as delivered.

    python manage.py sms_outbox_deliver [--at 2026-05-01T00:01:00+08:00] [--fail PROVIDER_REF ...]

Each JSON file in ZHIFA_SMS_OUTBOX_DIR gets a delivery report through the same service the
signed API endpoint calls (`delivery_report_record`), then moves to the outbox's `reported/`
sub-directory. The arrival time defaults to now (SRV-03: the arrival is the date of service).
"""
from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhifa.common.errors import ZhifaError
from zhifa.notifications.choices import ReportStatus
from zhifa.notifications.services import delivery_report_record


class Command(BaseCommand):
    help = "开发环境模拟短信网关：为本地发件箱中的短信登记送达回执"

    def add_arguments(self, parser):
        parser.add_argument("--at", help="到达时间（ISO 8601，带时区；默认当前时间）")
        parser.add_argument("--fail", nargs="*", default=[], help="报告为送达失败的通道编号")

    def handle(self, *args, **options):
        outbox = Path(getattr(settings, "ZHIFA_SMS_OUTBOX_DIR", Path(settings.VAR_DIR) / "sms-outbox"))
        at = timezone.now()
        if options["at"]:
            try:
                at = datetime.fromisoformat(options["at"])
            except ValueError as exc:
                raise CommandError("--at 应为 ISO 8601 时间，如 2026-05-01T00:01:00+08:00") from exc
            if timezone.is_naive(at):
                raise CommandError("--at 须带时区")
        reported = outbox / "reported"
        count = 0
        for path in sorted(outbox.glob("sms-*.json")):
            try:
                ref = str(json.loads(path.read_text(encoding="utf-8")).get("provider_ref", ""))
            except (OSError, ValueError, AttributeError):
                self.stderr.write(f"{path.name}: 无法读取，已跳过")
                continue
            status = ReportStatus.FAILED if ref in options["fail"] else ReportStatus.DELIVERED
            try:
                outcome = delivery_report_record(provider_ref=ref, arrived_at=at, status=status, detail="本地网关模拟回执")
            except ZhifaError as exc:
                self.stderr.write(f"{ref}: {exc.message}")
                continue
            reported.mkdir(parents=True, exist_ok=True)
            os.replace(path, reported / path.name)
            count += 1
            self.stdout.write(f"{ref}: {status} message {outcome.message.pk}")
        self.stdout.write(f"{count} report(s) recorded")
