"""`python manage.py demo_cases`: a few demo cases at different steps (once; see zhifa/cases/demo.py)."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from zhifa.cases.demo import demo_cases_create


class Command(BaseCommand):
    help = "为演示城市生成若干处于不同办理阶段的案件（已有案件时不做任何事）"

    def handle(self, *args, **options):
        made = demo_cases_create()
        self.stdout.write(f"演示案件：新建 {len(made)} 件")
