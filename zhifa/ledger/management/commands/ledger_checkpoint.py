"""Sign a checkpoint of the ledger (run periodically, e.g. hourly from cron or the task queue)."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from zhifa.common.errors import ZhifaError
from zhifa.ledger.models import Checkpoint, LedgerEntry
from zhifa.ledger.services import CHECKPOINT_ACTION, checkpoint_create, checkpoint_note


def _nothing_new() -> bool:
    """True when every entry since the last checkpoint is only that checkpoint's own log entry."""
    last = Checkpoint.objects.order_by("-tree_size", "-id").first()
    if last is None:
        return False
    return not LedgerEntry.objects.filter(index__gte=last.tree_size).exclude(action=CHECKPOINT_ACTION).exists()


class Command(BaseCommand):
    help = "签署账本检查点（日志标识、树大小、根哈希；Ed25519 签名），并输出检查点文本。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="即使自上一个检查点以来没有新条目也签署")
        parser.add_argument("--output", metavar="FILE", help="把检查点文本另存到该文件")

    def handle(self, *args, **options):
        if not options["force"] and _nothing_new():
            self.stdout.write("自上一个检查点以来没有新条目，未签署新检查点（可用 --force 强制签署）。")
            return
        try:
            checkpoint = checkpoint_create(actor=None)
        except ZhifaError as exc:
            raise CommandError(exc.message, returncode=1) from exc
        text = checkpoint_note(checkpoint)
        if options["output"]:
            try:
                with open(options["output"], "w", encoding="utf-8", newline="\n") as fh:
                    fh.write(text)
            except OSError as exc:
                raise CommandError(f"无法写入文件 {options['output']}：{exc}", returncode=2) from exc
        self.stdout.write(f"已签署检查点 #{checkpoint.pk}：树大小 {checkpoint.tree_size}\n")
        self.stdout.write(text, ending="")
