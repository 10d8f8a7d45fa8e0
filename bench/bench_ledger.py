#!/usr/bin/env python3
"""Ledger benchmark (issue 3 item 8): append throughput and full verification throughput over N
entries, next to plain hashlib SHA-256 over the same bytes in the same run.

    python bench/bench_ledger.py [--entries 1000000] [--append-sample 20000] [--keep]

Database: a throwaway SQLite file under /tmp by default. If ZHIFA_DATABASE_URL points at
PostgreSQL, a throwaway database `zhifa_bench_ledger` is created on that server (and dropped
afterwards unless --keep): ledger rows cannot be deleted, so the benchmark never writes into
the database it was given.

What is measured:
- ledger.append_per_s: `ledger_append` on the real path, one `transaction.atomic()` per entry
  (lock, MAX(index), hashing, INSERT, COMMIT with the database's durability settings), over the
  first --append-sample entries. ledger.append_batched_per_s: the same, 1,000 appends per
  transaction.
- The remaining entries up to N are written with raw executemany INSERTs (correct hashes, not timed).
- ledger.checkpoint_s: signing a checkpoint over all N entries (re-verifies each from its fields).
- ledger.verify_per_s: `ledger_verify()` over all entries: read rows, recompute payload and leaf
  hashes, rebuild the Merkle tree, compare with the checkpoint.
- sha256_per_s: entries per second for plain hashlib.sha256 over exactly the bytes verification
  hashes per entry (canonical payload, and 0x00 ‖ leaf data), read outside the timer.
- ratio = sha256_per_s / ledger.verify_per_s: how many times slower full verification is than
  bare hashing of the same bytes.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchdb import prepare_throwaway_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PG_BENCH_DB = "zhifa_bench_ledger"
CHUNK = 10_000


def _int(text: str) -> int:
    return int(text.replace("_", ""))


def _prepare_database(keep: bool):
    return prepare_throwaway_database(PG_BENCH_DB, "zhifa-bench-ledger-", keep)


def _setup_django(var_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["ZHIFA_VAR_DIR"] = var_dir
    os.environ["ZHIFA_LEDGER_KEY_FILE"] = str(Path(var_dir) / "bench-ledger.key")
    import django

    django.setup()


def _measure_appends(count: int, per_transaction: int) -> float:
    from django.db import transaction

    from zhifa.ledger.services import ledger_append

    started = time.perf_counter()
    done = 0
    while done < count:
        with transaction.atomic():
            for _ in range(min(per_transaction, count - done)):
                ledger_append(
                    actor=None,
                    action="bench.append",
                    object_type="bench.thing",
                    object_id=done,
                    payload={"field": "phone", "purpose": "案件调查取证需要", "n": done},
                )
                done += 1
    return count / (time.perf_counter() - started)


def _bulk_fill(start: int, end: int) -> None:
    """Write entries start..end-1 with correct hashes by raw executemany (setup only, not timed).

    The payload goes in as its canonical JSON text, exactly what the ORM path stores.
    """
    from django.db import connection, transaction
    from tqdm import tqdm

    from zhifa.ledger.leaf import canonical_json, entry_bytes, leaf_hash
    from zhifa.ledger.models import LedgerEntry
    from zhifa.ledger.verification import ROW_FIELDS

    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(LedgerEntry._meta.db_table)} ({', '.join(qn(f) for f in ROW_FIELDS)}) "
        f"VALUES ({', '.join(['%s'] * len(ROW_FIELDS))})"
    )
    base = datetime(2026, 1, 1, tzinfo=UTC)
    with tqdm(total=end - start, unit="条", desc="bulk fill", file=sys.stderr, mininterval=1) as bar:
        for chunk_start in range(start, end, CHUNK):
            rows = []
            for i in range(chunk_start, min(chunk_start + CHUNK, end)):
                payload_text = canonical_json({"field": "phone", "n": i, "purpose": "案件调查取证需要"})
                psha = hashlib.sha256(payload_text).hexdigest()
                at = base + timedelta(milliseconds=i)
                data = entry_bytes(
                    index=i, recorded_at=at, actor_id=None, actor_label="system", action="bench.bulk",
                    object_type="bench.thing", object_id=str(i), payload_sha256=psha,
                )
                rows.append(
                    (i, connection.ops.adapt_datetimefield_value(at), None, "system", "bench.bulk", "bench.thing", str(i),
                     payload_text.decode(), psha, leaf_hash(data))
                )
            with transaction.atomic(), connection.cursor() as cur:
                cur.executemany(sql, rows)
            bar.update(len(rows))


def _sha256_baseline(total: int) -> float:
    """Entries/s for bare SHA-256 over each entry's payload bytes and 0x00 ‖ leaf data."""
    import json

    from zhifa.ledger.leaf import canonical_json, entry_bytes
    from zhifa.ledger.verification import iter_rows

    sha256 = hashlib.sha256
    hashing = 0.0
    count = 0
    chunk: list[tuple[bytes, bytes]] = []

    def flush() -> None:
        nonlocal hashing, count
        started = time.perf_counter()
        for payload_bytes, leaf_input in chunk:
            sha256(payload_bytes).digest()
            sha256(leaf_input).digest()
        hashing += time.perf_counter() - started
        count += len(chunk)
        chunk.clear()

    for row in iter_rows(0, total, CHUNK):
        index, recorded_at, actor_id, actor_label, action, object_type, object_id, payload, payload_sha, _ = row
        data = entry_bytes(
            index=index, recorded_at=recorded_at, actor_id=actor_id, actor_label=actor_label, action=action,
            object_type=object_type, object_id=object_id, payload_sha256=payload_sha,
        )
        payload = json.loads(payload) if isinstance(payload, str) else payload
        chunk.append((canonical_json(payload), b"\x00" + data))
        if len(chunk) >= CHUNK:
            flush()
    flush()
    return count / hashing


def main() -> int:
    parser = argparse.ArgumentParser(description="zhifa ledger benchmark")
    parser.add_argument("--entries", type=_int, default=1_000_000, help="log size to verify (default 1,000,000)")
    parser.add_argument("--append-sample", type=_int, default=20_000, help="appends measured through ledger_append (default 20,000)")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    args = parser.parse_args()
    if args.entries < 1 or args.append_sample < 1:
        parser.error("--entries and --append-sample must be positive")
    sample = min(args.append_sample, args.entries)
    batched = min(sample, 10_000)

    description, cleanup = _prepare_database(args.keep)
    var_dir = tempfile.mkdtemp(prefix="zhifa-bench-ledger-var-")
    _setup_django(var_dir)
    try:
        from django.core.management import call_command

        from zhifa.ledger.services import checkpoint_create
        from zhifa.ledger.verification import ledger_size, ledger_verify

        call_command("migrate", "ledger", verbosity=0)
        print(f"database: {description}")
        print(f"entries: {args.entries:,} (first {sample:,} through ledger_append, one transaction each; "
              f"then {batched:,} through ledger_append, 1,000 per transaction; rest bulk-inserted)")

        append_per_s = _measure_appends(sample, 1)
        print(f"ledger.append_per_s={append_per_s:.0f}")
        if sample + batched <= args.entries:
            print(f"ledger.append_batched_per_s={_measure_appends(batched, 1000):.0f}")
        _bulk_fill(ledger_size(), args.entries)

        started = time.perf_counter()
        checkpoint = checkpoint_create(actor=None)
        print(f"ledger.checkpoint_s={time.perf_counter() - started:.2f}  (tree_size={checkpoint.tree_size:,})")

        report = ledger_verify()
        if not report.ok:
            print(f"verification FAILED: {report.summary()}", file=sys.stderr)
            return 1
        verify_per_s = report.entries_checked / report.duration_s
        print(f"ledger.verify_entries={report.entries_checked:,}  ledger.verify_s={report.duration_s:.2f}")
        print(f"ledger.verify_per_s={verify_per_s:.0f}")

        sha_per_s = _sha256_baseline(report.entries_checked)
        print(f"sha256_per_s={sha_per_s:.0f}  (entries/s; two SHA-256 per entry over the same bytes)")
        print(f"ratio={sha_per_s / verify_per_s:.1f}  (sha256_per_s / ledger.verify_per_s)")
        return 0
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
