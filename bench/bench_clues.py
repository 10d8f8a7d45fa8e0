#!/usr/bin/env python3
"""Clue-detection benchmark (issue 4 item 7).

    python bench/bench_clues.py --enterprises 1000000 [--database sqlite|postgres|both] [--reuse] [--keep]

For each database: generate the demo city of N enterprises (realistic licences, filings, reports,
chemicals and activity; `manage.py demo_data`) in the benchmark database of bench_demo.py — or,
with --reuse, use the one a previous `--keep` run left — then, in one child process:

1. the bare SQL scan each rule needs (`Evaluator.bare_scan`: a COUNT over the same tables and
   predicates), timed per scenario and summed;
2. a full detection run (all 13 scenarios, `engine.detection_run`) on the fresh register — it
   creates every clue, its events, ledger entries and evidence snapshots;
3. a second full run (steady state: every clue already open, nothing to write but "seen").

Prints `key=value` lines (seconds, clues, ratios run ÷ bare scans, peak resident memory of the
child). Target (issue 4): a run ≤ 3 × the bare scans, under 60 s, memory not growing with N.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_demo import SQLITE_PATH, drop_database, emit, fresh_database, pg_bench_url  # noqa: E402

AS_OF = "2026-06-15"


def main() -> int:
    parser = argparse.ArgumentParser(description="zhifa clue-detection benchmark")
    parser.add_argument("--enterprises", type=lambda s: int(s.replace("_", "")), default=1_000_000)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true", help="reuse the demo database a previous --keep run left")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases afterwards")
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    failed = False
    for vendor in ("sqlite", "postgres") if args.database == "both" else (args.database,):
        url = f"sqlite:///{SQLITE_PATH}" if vendor == "sqlite" else pg_bench_url()
        var_dir = tempfile.mkdtemp(prefix=f"zhifa-bench-clues-{vendor}-")
        env = dict(os.environ, ZHIFA_DATABASE_URL=url, ZHIFA_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(ROOT))
        manage = [sys.executable, str(ROOT / "manage.py")]
        if not args.reuse:
            fresh_database(vendor)
            started = time.monotonic()
            for cmd in (["migrate", "-v0", "--skip-checks"], ["load_rulesets", "--skip-checks"],
                        ["demo_data", "--enterprises", str(args.enterprises), "--seed", str(args.seed), "--as-of", AS_OF, "--force", "--no-progress",
                         "--skip-checks"]):
                result = subprocess.run(manage + cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
                if result.returncode != 0:
                    print(f"{vendor}: {' '.join(cmd)} failed", file=sys.stderr)
                    failed = True
                    break
            else:
                emit(f"generate.{vendor}.s", time.monotonic() - started)
        else:
            subprocess.run(manage + ["migrate", "-v0", "--skip-checks"], env=env, cwd=ROOT, check=True)
            subprocess.run(manage + ["load_rulesets", "--skip-checks"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        if not failed:
            result = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", vendor], env=env, cwd=ROOT)
            failed |= result.returncode != 0
        if not args.keep:
            drop_database(vendor)
    return 1 if failed else 0


def child(args) -> int:
    import resource
    from datetime import date

    import django

    django.setup()
    from zhifa.clues.engine import _resolve, active_scenarios, applies, detection_run, partitions
    from zhifa.clues.models import Clue
    from zhifa.clues.packs import scenario_pack_sync
    from zhifa.clues.scenarios import Context, get_evaluator
    from zhifa.clues.scenarios.chemicals import incompatible_pairs
    from zhifa.common.calendar_store import get_calendar
    from zhifa.subjects.models import Enterprise

    vendor = args.child
    as_of = date.fromisoformat(AS_OF)
    scenario_pack_sync()
    emit(f"enterprises.{vendor}", Enterprise.objects.count())
    cal = get_calendar()
    reference = {"incompatible_pairs": incompatible_pairs()}
    bare_total = 0.0
    for scenario in active_scenarios(as_of):
        evaluator = get_evaluator(scenario.evaluator)
        started = time.monotonic()
        rows = 0
        for part in partitions():
            if applies(scenario, part.jurisdiction):
                ctx = Context(as_of, cal, _resolve(evaluator.rs_keys(scenario.params), part.jurisdiction, as_of), part.organisation_ids, reference)
                rows += evaluator.bare_scan(ctx, scenario.params)
        elapsed = time.monotonic() - started
        bare_total += elapsed
        emit(f"bare.{vendor}.{scenario.code}.s", elapsed)
    emit(f"bare.{vendor}.total_s", bare_total)
    for label in ("first", "second"):
        started = time.monotonic()
        run = detection_run(as_of=as_of)
        elapsed = time.monotonic() - started
        created = sum(t.get("created", 0) for c, t in run.counts.items() if c != "quality")
        emit(f"detect.{vendor}.{label}.s", elapsed)
        for code, tally in sorted(run.counts.items()):
            if code != "quality":
                emit(f"detect.{vendor}.{label}.{code}.s", tally["seconds"])
        emit(f"detect.{vendor}.{label}.clues_created", created)
        emit(f"ratio.{vendor}.{label}", elapsed / bare_total if bare_total else 0.0)
    emit(f"clues.{vendor}.open", Clue.objects.filter(is_open=True).count())
    emit(f"memory.{vendor}.peak_rss_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return 0


if __name__ == "__main__":
    sys.exit(main())
