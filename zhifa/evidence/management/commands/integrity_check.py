"""`manage.py integrity_check`: re-hash every stored evidence file (issue 3 item 5; SEC-09).

Names each file whose bytes differ from their SHA-256 or which is missing, with the evidence
items that use it, and exits non-zero on any finding. Also reports complete blobs that no row
references (left by a crash between storing and committing; harmless) and leftover temp files
of interrupted uploads, which `--clean-temp` removes.
"""
from __future__ import annotations

from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max
from tqdm import tqdm

from zhifa.evidence.models import EvidenceFile, EvidenceItem
from zhifa.evidence.storage import get_storage


class Command(BaseCommand):
    help = "重新计算每个证据文件的 SHA-256，列出内容不符或缺失的文件；有问题时以非零状态退出"

    def add_arguments(self, parser):
        progress = parser.add_mutually_exclusive_group()
        progress.add_argument("--no-progress", action="store_true", help="不显示进度条")
        progress.add_argument("--progress", action="store_true", help="总是显示进度条（默认仅在终端中显示）")
        parser.add_argument("--clean-temp", action="store_true", help="删除中断上传遗留的临时文件")
        parser.add_argument(
            "--temp-max-age", type=float, default=3600.0, help="临时文件超过多少秒未写入视为遗留（默认 3600）"
        )

    def handle(self, *args, no_progress=False, progress=False, clean_temp=False, temp_max_age=3600.0, **options):
        storage = get_storage()
        blobs = dict(EvidenceFile.objects.values_list("sha256").annotate(size=Max("size")).order_by("sha256"))
        total_bytes = sum(blobs.values())
        bad = []
        # disable=None: shown only when stderr is a terminal, unless forced on or off.
        bar = tqdm(
            total=total_bytes, unit="B", unit_scale=True, unit_divisor=1024, desc="校验证据文件",
            disable=True if no_progress else (False if progress else None), file=self.stderr,
        )
        with bar:
            for sha256, size in blobs.items():
                check = storage.verify(sha256, expected_size=size, progress=bar.update)
                if not check.ok:
                    bad.append((check, size))
        users = defaultdict(list)
        rows = EvidenceItem.objects.filter(file__sha256__in=[c.sha256 for c, _ in bad]).values_list("pk", "title", "file__sha256")
        for item_id, title, sha in rows.order_by("pk"):
            users[sha].append(f"#{item_id}「{title}」")
        findings = []
        for check, size in bad:
            items = "、".join(users[check.sha256]) or "无"
            path = storage.path_for(check.sha256)
            if check.status == "missing":
                findings.append(f"缺失：{path}（SHA-256 {check.sha256}，{size} 字节；证据 {items}）")
            else:
                findings.append(
                    f"内容不符：{path}（应为 SHA-256 {check.sha256}、{size} 字节；实为 {check.actual_sha256}、"
                    f"{check.actual_size} 字节；证据 {items}）"
                )
        orphans = [sha for sha in storage.iter_stored() if sha not in blobs]
        temps = storage.temp_files()
        self.stdout.write(f"已校验 {len(blobs)} 个文件，共 {total_bytes} 字节。")
        if orphans:
            self.stdout.write(f"提示：{len(orphans)} 个完整文件未被任何证据引用（上传在提交前中断所致，不影响证据）：")
            for sha in orphans:
                self.stdout.write(f"  未引用：{sha}")
        if temps:
            if clean_temp:
                removed = storage.cleanup_temp(older_than_seconds=temp_max_age)
                self.stdout.write(f"提示：已删除 {len(removed)} 个中断上传遗留的临时文件（共 {len(temps)} 个）。")
            else:
                self.stdout.write(f"提示：存在 {len(temps)} 个临时文件（上传中或中断遗留，从不被引用）；可用 --clean-temp 清理。")
        if findings:
            for line in findings:
                self.stdout.write(self.style.ERROR(line))
            raise CommandError(f"完整性检查发现 {len(findings)} 个问题", returncode=1)
        self.stdout.write(self.style.SUCCESS("完整性检查通过：所有证据文件的内容与其 SHA-256 一致。"))
