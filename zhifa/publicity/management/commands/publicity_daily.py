"""`python manage.py publicity_daily`: what the scheduled task does, on demand (cron, tests)."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from zhifa.publicity.services import credential_duties_sync, expire_due, overdue_reminders_send


class Command(BaseCommand):
    help = "结束已到公示截止日的公示（PUB-17），为执法证件信息的变化生成更新任务（PUB-22），并提醒超期事项（PUB-27）"

    def handle(self, *args, **options):
        expired = expire_due()
        duties = credential_duties_sync()
        reminders = overdue_reminders_send()
        self.stdout.write(f"结束公示 {expired} 条；新增执法证件公示任务 {len(duties)} 条；发送超期提醒 {reminders} 条")
