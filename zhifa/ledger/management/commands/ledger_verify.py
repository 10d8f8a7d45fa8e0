"""Verify the ledger: recompute every leaf and the tree, check every checkpoint (REC-16, SEC-09).

Exit status 0 when everything matches, 1 on any finding (the first bad entry is named),
2 when an input file cannot be read.
"""
from __future__ import annotations

import json
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from zhifa.ledger import keys, note
from zhifa.ledger.verification import ledger_size, ledger_verify

PROGRESS_FROM = 50_000  # show a progress bar from this many entries on


def _read(path: str, what: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"无法读取{what}文件 {path}：{exc}", returncode=2) from exc


def _public_key(path: str) -> note.VerifierKey:
    text = _read(path, "公钥")
    try:
        if "BEGIN PUBLIC KEY" in text:
            key = load_pem_public_key(text.encode())
            if not isinstance(key, Ed25519PublicKey):
                raise note.NoteError("公钥不是 Ed25519 公钥")
            return note.VerifierKey(keys.origin(), key)
        return note.parse_verifier_key(text)
    except (ValueError, note.NoteError) as exc:
        raise CommandError(f"公钥文件 {path} 无效：{exc}", returncode=2) from exc


class Command(BaseCommand):
    help = "核验账本：由条目字段重算全部叶子哈希和默克尔树，核对每个检查点的签名与一致性，指出第一个有问题的条目。"

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", metavar="FILE", action="append", default=[], help="另行保存的检查点文本文件（可多次指定）")
        parser.add_argument(
            "--public-key", metavar="FILE", action="append", default=[], help="受信任的公钥（PEM 或 名称+哈希+Base64 形式）；默认使用本系统的签名公钥"
        )
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, **options):
        notes = [_read(path, "检查点") for path in options["checkpoint"]]
        trusted = [_public_key(path) for path in options["public_key"]] or None
        total = ledger_size()
        bar = None
        if not options["no_progress"] and total >= PROGRESS_FROM:
            bar = tqdm(total=total, unit="条", desc="核验账本", file=sys.stderr, mininterval=0.5)

        def progress(done: int) -> None:
            if bar is not None:
                bar.update(done - bar.n)

        try:
            report = ledger_verify(external_notes=notes, trusted_keys=trusted, progress=progress)
        finally:
            if bar is not None:
                bar.close()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            for finding in report.findings:
                where = "" if finding.index is None else (f"[第 {finding.index} 条] " if finding.end is None else f"[第 {finding.index}–{finding.end - 1} 条] ")
                self.stdout.write(f"{finding.code.value}: {where}{finding.message}")
            if report.findings_total > len(report.findings):
                self.stdout.write(f"……另有 {report.findings_total - len(report.findings)} 个问题未列出")
            self.stdout.write(f"已核验 {report.entries_checked} 条，用时 {report.duration_s:.1f} 秒。")
        if not report.ok:
            raise CommandError(report.summary(), returncode=1)
        if not options["json"]:
            self.stdout.write(report.summary())
