"""`python manage.py demo_publicity`: the demo city's publications (once; see zhifa/publicity/demo.py)."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from zhifa.publicity.demo import demo_publicity_create


class Command(BaseCommand):
    help = "为演示城市录入并发布事前公示目录、执法决定公示，以及一条撤下记录和一件更正申请（已有公示信息时不做任何事）"

    def handle(self, *args, **options):
        self.stdout.write(f"演示公示信息：发布 {demo_publicity_create()} 条")
