"""`python manage.py detect [--rule ID] [--as-of DATE]` — run clue detection (issue 4 item 2)."""
from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from zhifa.clues.choices import RunOrigin
from zhifa.clues.engine import detection_run
from zhifa.common.errors import ZhifaError


class Command(BaseCommand):
    help = "运行非现场线索检测（全部启用场景或指定场景）"

    def add_arguments(self, parser):
        parser.add_argument("--rule", help="只运行一个场景，例如 CLU-S03")
        parser.add_argument("--as-of", help="检测基准日 YYYY-MM-DD（默认今天）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出统计")

    def handle(self, *args, **options):
        try:
            as_of = date.fromisoformat(options["as_of"]) if options["as_of"] else None
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['as_of']}") from exc
        progress = None if options["json"] else (lambda line: self.stdout.write(line))
        try:
            run = detection_run(as_of=as_of, only_rule=options["rule"], origin=RunOrigin.COMMAND, progress=progress)
        except ZhifaError as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            self.stdout.write(json.dumps({"run": run.pk, "as_of": run.as_of.isoformat(), "duration_ms": run.duration_ms,
                                          "counts": run.counts}, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self.style.SUCCESS(f"检测运行 #{run.pk} 完成（基准日 {run.as_of}，耗时 {run.duration_ms / 1000:.1f} 秒）"))
