"""`python manage.py load_holidays FILE`: load one year's official holiday schedule (CAL-04…CAL-07).

Parses the file (YAML or CSV, format in docs/calendar.md), then calls the service
`holiday_schedule_load`, which validates, stores, appends to the ledger and runs the
deadline-recompute callbacks in one transaction. Nothing is written when anything is wrong.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from zhifa.common import workdays as wd
from zhifa.common.calendar_store import holiday_schedule_load, parse_holiday_file, validate_schedule_data
from zhifa.common.errors import ZhifaError

# Who may load calendar data when a user is named (ARCHITECTURE: device / data admin).
LOADER_ROLES = {"DEVICE_ADMIN", "SYSTEM_ADMIN"}


class Command(BaseCommand):
    help = "载入一个年度的国务院办公厅节假日安排（YAML 或 CSV，格式见 docs/calendar.md）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="节假日安排文件（.yaml/.yml/.csv）")
        parser.add_argument("--user", help="载入人用户名（须为设备/数据管理员或系统管理员）；不填则记为 system")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--no-statutory-check", action="store_true", help="不核对法定节假日（CAL-03）是否均已放假（仅在确认通知无误时使用）")

    def handle(self, *args, **options):
        actor = self._actor(options.get("user"))
        try:
            data = parse_holiday_file(options["file"])
            if options["no_statutory_check"]:
                data.check_statutory = False
            if options["dry_run"]:
                errors = validate_schedule_data(data)
                if errors:
                    raise CommandError(f"{data.year}年节假日安排有误：" + "；".join(errors))
                self.stdout.write(self._summary(data, prefix="校验通过（未写入）"))
                return
            holiday_schedule_load(actor, data)
        except ZhifaError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(self._summary(data, prefix="已载入")))
        if data.year in wd.package_year_schedules():
            self.stdout.write(f"注意：{data.year}年的程序包内置数据已被本次载入的安排覆盖。")

    def _actor(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在或已停用")
        if not (user.is_superuser or getattr(user, "role", None) in LOADER_ROLES):
            raise CommandError(f"用户“{username}”无权载入节假日安排（须为设备/数据管理员或系统管理员）")
        return user

    @staticmethod
    def _summary(data, *, prefix: str) -> str:
        ranges = "、".join(a.isoformat() if a == b else f"{a.isoformat()}至{b.isoformat()}" for a, b in wd.date_ranges(data.rest_days))
        work = "、".join(wd.format_day(d) for d in sorted(set(data.extra_workdays))) or "无"
        return f"{prefix}：{data.year}年 {data.notice_title} {data.notice_number}\n放假：{ranges}\n调休上班：{work}"
