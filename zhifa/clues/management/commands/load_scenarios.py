"""`python manage.py load_scenarios [FILE]` — load the clue scenario pack (CLU-04)."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhifa.clues.packs import scenario_pack_sync
from zhifa.common.errors import ZhifaError


class Command(BaseCommand):
    help = "载入线索检测场景包（默认随系统提供的 scenarios.yaml）"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="场景包 YAML 文件")

    def handle(self, *args, **options):
        text = Path(options["file"]).read_text(encoding="utf-8") if options["file"] else None
        try:
            result = scenario_pack_sync(text)
        except ZhifaError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"新载入 {len(result.created)} 个场景版本，{len(result.unchanged)} 个未变化"))
