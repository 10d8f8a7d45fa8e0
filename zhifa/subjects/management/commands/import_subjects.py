"""python manage.py import_subjects FILE [--kind K] [--user USERNAME]

Imports one .xlsx or .csv file into the subject register (all or nothing, idempotent), with a
progress bar. On validation failure the errors are printed (row, Chinese column, value,
message), the error report paths are shown and the exit status is 1; nothing is written.

Also: `--templates DIR` writes every template (.xlsx and .csv) to DIR; `--docs` prints the
generated template reference used in docs/import.md.
"""
from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from zhifa.common.errors import ZhifaError
from zhifa.subjects.importing import runner
from zhifa.subjects.importing.issues import FileRejected
from zhifa.subjects.importing.progress import PHASE_LABELS, job_dir
from zhifa.subjects.importing.spec import KINDS
from zhifa.subjects.importing.template_files import csv_template, docs_markdown, xlsx_template
from zhifa.subjects.models import ImportJob

PRINTED_ERRORS = 100


class Command(BaseCommand):
    help = "从 Excel（.xlsx）或 CSV 文件导入企业、证照、备案和经营活动数据（全部成功或全部不导入）"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="要导入的 .xlsx 或 .csv 文件")
        parser.add_argument("--kind", default="", help="数据类型代码或中文名称：" + "、".join(f"{k.key}（{k.label}）" for k in KINDS) + "；省略时按表头识别")
        parser.add_argument("--user", default="", help="以该用户名的身份导入（记入账本；须为设备/数据管理员或系统管理员）")
        parser.add_argument("--errors", type=int, default=PRINTED_ERRORS, help=f"校验失败时最多打印的错误条数（默认 {PRINTED_ERRORS}）")
        parser.add_argument("--templates", metavar="DIR", help="把所有导入模板（.xlsx 和 .csv）写入该目录后退出")
        parser.add_argument("--docs", action="store_true", help="打印模板说明（Markdown，docs/import.md 的生成部分）后退出")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, **options):
        if options["docs"]:
            self.stdout.write(docs_markdown(), ending="")
            return
        if options["templates"]:
            self._write_templates(Path(options["templates"]))
            return
        if not options["file"]:
            raise CommandError("请指定要导入的文件，例如：python manage.py import_subjects 企业.xlsx")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        user = self._user(options["user"])
        bars: dict[str, tqdm] = {}

        def show(phase: str, processed: int, total: int | None) -> None:
            if options["no_progress"] or phase not in {"validating", "writing"}:
                return
            bar = bars.get(phase)
            if bar is None:
                for other in bars.values():
                    other.close()
                bar = bars[phase] = tqdm(total=total, desc=PHASE_LABELS[phase], unit="行", file=sys.stderr, leave=True)
            if total is not None and bar.total != total:
                bar.total = total
            bar.update(processed - bar.n)

        try:
            job = runner.import_local_file(path=path, user=user, requested_kind=options["kind"], listeners=[show])
        except FileRejected as exc:
            raise CommandError(exc.message) from None
        except ZhifaError as exc:
            raise CommandError(exc.message) from None
        finally:
            for bar in bars.values():
                bar.close()
        if job.status == ImportJob.Status.SUCCEEDED:
            self.stdout.write(self.style.SUCCESS(job.message))
            for kind, counts in (job.counts or {}).items():
                self.stdout.write(f"  {kind}: 新增 {counts['created']}，更新 {counts['updated']}，未变化 {counts['unchanged']}")
            self.stdout.write(f"  文件 SHA-256：{job.sha256}；账本序号：{job.ledger_index}；导入任务：{job.pk}")
            return
        self.stderr.write(self.style.ERROR(job.message))
        issues, truncated = runner.job_issues(job, limit=max(options["errors"], 0))
        for issue in issues:
            self.stderr.write(f"  {issue.describe()}")
        if truncated or job.error_count > len(issues):
            self.stderr.write(f"  ……共 {job.error_count} 处错误，完整列表见错误报告")
        if job.status == ImportJob.Status.FAILED:
            directory = job_dir(job.pk)
            self.stderr.write(f"错误报告：{directory / 'errors.xlsx'}  {directory / 'errors.csv'}")
        raise CommandError("导入未完成，未写入任何数据", returncode=1)

    def _user(self, username: str):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在：{username}")
        return user

    def _write_templates(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for kind in KINDS:
            (directory / f"zhifa-import-{kind.key}.xlsx").write_bytes(xlsx_template(kind))
            (directory / f"zhifa-import-{kind.key}.csv").write_bytes(csv_template(kind))
        self.stdout.write(self.style.SUCCESS(f"已写入 {len(KINDS) * 2} 个模板文件到 {directory}"))
