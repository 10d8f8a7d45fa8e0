"""`python manage.py load_rulesets [--dir DIR] [--check]`: validate and load the rule packs (JUR-01).

Idempotent: unchanged packs are skipped, a changed pack becomes a new revision, nothing is edited
in place. On any validation problem nothing is written and the command exits non-zero with the
Chinese list of problems.
"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from zhifa.rulesets.errors import PackValidationError
from zhifa.rulesets.packs import PACKS_DIR, read_pack_dir
from zhifa.rulesets.services import ruleset_load_packs


class Command(BaseCommand):
    help = "校验并载入 zhifa/rulesets/packs/ 中的规则包（幂等；内容变化则新增修订版本）"

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(PACKS_DIR), help="规则包目录（默认为随代码发布的 packs 目录）")
        parser.add_argument("--check", action="store_true", help="只校验，不写入数据库")

    def handle(self, *args, **options):
        try:
            if options["check"]:
                packs = read_pack_dir(options["dir"])
                self.stdout.write(f"校验通过：{len(packs)} 个规则包，{sum(len(p.entries) for p in packs)} 项参数取值")
                return
            report = ruleset_load_packs(directory=options["dir"])
        except PackValidationError as exc:
            raise CommandError(exc.message) from None
        except FileNotFoundError:
            raise CommandError(f"规则包目录不存在：{options['dir']}") from None
        for line in report.lines():
            self.stdout.write(line)
        summary = f"规则集载入完成：新增 {len(report.created)} 个修订版本，{len(report.unchanged)} 个未变化"
        self.stdout.write(self.style.SUCCESS(summary) if report.changed else summary)
