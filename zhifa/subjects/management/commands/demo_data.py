"""`python manage.py demo_data --enterprises N --seed S [--as-of DATE]`: generate the demo city.

Parses options, refuses a non-empty register unless told what to do with it, and calls
`zhifa.subjects.demo.generator.demo_city_generate` (one transaction, one ledger entry).
See docs/demo-data.md.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhifa.accounts.models import User
from zhifa.common.timeutil import today
from zhifa.subjects.demo.generator import (
    DEMO_PASSWORD,
    DEMO_USERS,
    DemoDataError,
    DemoOptions,
    demo_city_generate,
    register_is_empty,
)

DEFAULT_MANIFEST = "demo-manifest.json"


def _positive_int(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise CommandError(f"应为正整数：{text}") from None
    if value < 1:
        raise CommandError(f"应为正整数：{text}")
    return value


class Command(BaseCommand):
    help = "生成可复现的上海演示城市（机构、演示账户、企业、证照、备案、报送、活动记录，以及各试点场景的植入违法与临界样本）"

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", "-n", default="1000", help="企业数量（默认 1000；支持 1_000_000 写法）")
        parser.add_argument("--seed", default="2026", help="随机种子（相同种子在空库上生成相同数据，默认 2026）")
        parser.add_argument("--as-of", dest="as_of", help="基准日期 YYYY-MM-DD（默认今天，Asia/Shanghai）；到期、逾期与活动日期均相对此日生成")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--force", action="store_true", help="先清空主体库（企业及其证照、备案、报送、活动、人员等，账本与机构、账户保留），再生成")
        mode.add_argument("--append", action="store_true", help="保留现有数据，在其上追加 N 家企业（清单只列出本次追加的植入企业）")
        mode.add_argument("--if-empty", dest="if_empty", action="store_true", help="仅当库中没有任何企业时生成，否则什么也不做（make run 使用）")
        parser.add_argument("--manifest", help=f"植入清单 JSON 的路径（默认 var/{DEFAULT_MANIFEST}）")
        parser.add_argument("--violations-per-scenario", dest="vps", help="每个场景植入的违法企业数（默认 max(4, N/2000)）")
        parser.add_argument("--batch-size", dest="batch_size", default="2000", help="每批写入的企业数（默认 2000）")
        parser.add_argument("--no-progress", dest="no_progress", action="store_true", help="不显示进度条")

    def handle(self, *args, **options):
        if options["if_empty"] and not register_is_empty():
            self.stdout.write("主体库中已有企业数据，未生成演示数据（--if-empty）。")
            self._print_logins(None)
            return
        mode = "force" if options["force"] else "append" if options["append"] else "fresh"
        try:
            seed = int(options["seed"])
        except ValueError:
            raise CommandError(f"--seed 应为整数：{options['seed']}") from None
        as_of = today()
        if options["as_of"]:
            try:
                as_of = date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(f"--as-of 日期格式应为 YYYY-MM-DD：{options['as_of']}") from None
        manifest = Path(options["manifest"]) if options["manifest"] else Path(settings.VAR_DIR) / DEFAULT_MANIFEST
        opts = DemoOptions(
            enterprises=_positive_int(str(options["enterprises"])),
            seed=seed,
            as_of=as_of,
            mode=mode,
            batch_size=_positive_int(str(options["batch_size"])),
            violations_per_scenario=_positive_int(options["vps"]) if options["vps"] else None,
            progress=not options["no_progress"],
            manifest_path=manifest,
        )
        try:
            result = demo_city_generate(opts)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from None
        if result.deleted:
            self.stdout.write(f"已清空原主体库：{sum(result.deleted.values())} 行。")
        rows = result.rows_written
        self.stdout.write(self.style.SUCCESS(
            f"已生成 {opts.enterprises} 家演示企业（种子 {seed}，基准日 {as_of.isoformat()}），"
            f"共写入 {rows} 行，用时 {result.seconds:.1f} 秒（{rows / max(result.seconds, 1e-9):,.0f} 行/秒）。"
        ))
        for table, count in result.counts.items():
            self.stdout.write(f"  {table}: {count}")
        planted = {rid: (len(s["violating"]), len(s["near_misses"])) for rid, s in result.manifest["scenarios"].items()}
        self.stdout.write("植入（违法/临界）：" + "，".join(f"{rid} {v}/{n}" for rid, (v, n) in planted.items()))
        self.stdout.write(f"植入清单：{result.manifest_path}")
        self._print_logins(result.users)

    def _print_logins(self, users):
        if users is None:
            existing = set(User.objects.filter(username__in=[u.username for u in DEMO_USERS]).values_list("username", flat=True))
            users = [{"username": u.username, "role_label": u.role.label, "password": DEMO_PASSWORD, "note": u.note}
                     for u in DEMO_USERS if u.username in existing]
            if not users:
                return
            self.stdout.write("演示账户（若密码未被修改）：")
        else:
            self.stdout.write("演示账户：")
        width = max(len(u["username"]) for u in users)
        for u in users:
            self.stdout.write(f"  {u['username']:<{width}}  {u['password']:<16}  {u['role_label']}  {u['note']}")
