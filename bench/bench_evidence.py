#!/usr/bin/env python3
"""Evidence upload benchmark (issue 3 item 8): throughput of `evidence_register` next to a raw
write + fsync of the same bytes, in the same run, on the same file system.

    python bench/bench_evidence.py [--small-count 200] [--small-mb 1] [--large-count 5] [--large-mb 200] [--keep]

Database: a throwaway SQLite file under /tmp (WAL, synchronous=FULL, as in production's
embedded default). If ZHIFA_DATABASE_URL points at PostgreSQL, a throwaway database
`zhifa_bench_evidence` is created on that server and dropped afterwards (evidence rows cannot be
deleted, so the benchmark never writes into the database it was given).

What is measured, per file, with the bytes arriving in 64 KiB chunks (Django's upload chunk):
- evidence: `evidence_register` on the real path — sniffing, streaming SHA-256 into a temp file,
  fsync of the file, link to its content address, fsync of the directory, then one transaction
  with the file row, the item row, a custody event and a ledger entry.
- raw: write the same chunks to a new file, fsync it, rename it, fsync the directory.
Both stores live in one temp directory. Files are distinct (no deduplication); the bytes are
generated from a seeded pool, equally cheaply for both paths.

Prints key=value lines: evidence.mb_per_s, raw.mb_per_s, ratio (= raw ÷ evidence, how many
times faster the bare write is), per file-size group as well, and the peak resident memory,
which stays far below the largest file because uploads are streamed.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import struct
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from benchdb import prepare_throwaway_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 64 * 1024
MB = 1024 * 1024
PG_BENCH_DB = "zhifa_bench_evidence"
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
MP4_HEAD = struct.pack(">I", 24) + b"ftypisom\x00\x00\x02\x00isommp41"


def _prepare_database(keep: bool):
    return prepare_throwaway_database(PG_BENCH_DB, "zhifa-bench-evidence-", keep)


def _setup_django(var_dir: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["ZHIFA_VAR_DIR"] = str(var_dir)
    os.environ["ZHIFA_EVIDENCE_DIR"] = str(var_dir / "evidence")
    os.environ["ZHIFA_LEDGER_KEY_FILE"] = str(var_dir / "bench-ledger.key")
    import django

    django.setup()


class Source:
    """Distinct, deterministic file contents, produced chunk by chunk (never a whole file)."""

    def __init__(self, seed: int = 2026):
        self.pool = random.Random(seed).randbytes(4 * MB)

    def chunks(self, file_no: int, size: int, head: bytes):
        offset = (file_no * 7919 * CHUNK) % (len(self.pool) - CHUNK)
        produced = 0
        index = 0
        while produced < size:
            n = min(CHUNK, size - produced)
            start = (offset + index * CHUNK) % (len(self.pool) - CHUNK)
            body = struct.pack(">QQ", file_no, index) + self.pool[start + 16 : start + n]
            chunk = (head + body[len(head) :]) if index == 0 else body
            yield chunk[:n]
            produced += n
            index += 1


def _raw_write(directory: Path, name: str, chunks) -> int:
    """The baseline: write, fsync the file, rename into place, fsync the directory."""
    tmp = directory / f".{name}.tmp"
    size = 0
    with open(tmp, "wb") as out:
        for chunk in chunks:
            out.write(chunk)
            size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    os.rename(tmp, directory / name)
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return size


def main() -> int:
    parser = argparse.ArgumentParser(description="zhifa evidence upload benchmark")
    parser.add_argument("--small-count", type=int, default=200)
    parser.add_argument("--small-mb", type=float, default=1.0)
    parser.add_argument("--large-count", type=int, default=5)
    parser.add_argument("--large-mb", type=float, default=200.0)
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database and files")
    args = parser.parse_args()

    description, cleanup_db = _prepare_database(args.keep)
    work = Path(tempfile.mkdtemp(prefix="zhifa-bench-evidence-", dir="/tmp"))
    _setup_django(work / "var")
    raw_dir = work / "raw"
    raw_dir.mkdir()
    try:
        from django.core.management import call_command
        from django.utils import timezone

        from zhifa.accounts.choices import Role
        from zhifa.accounts.models import Organisation, User
        from zhifa.evidence.services import evidence_register

        call_command("migrate", verbosity=0)
        org = Organisation.objects.create(name="基准测试局", code="BENCH", kind="DISTRICT", is_enforcement_body=True)
        officer = User.objects.create(username="bench-officer", role=Role.OFFICER, organisation=org, display_name="基准")
        produced_at = timezone.now() - timedelta(hours=1)
        source = Source()
        groups = [
            ("small", args.small_count, int(args.small_mb * MB), JPEG_HEAD, "photo.jpg", "image/jpeg"),
            ("large", args.large_count, int(args.large_mb * MB), MP4_HEAD, "video.mp4", "video/mp4"),
        ]
        print(f"database: {description}")
        print(f"files: {work}")
        totals = {"evidence": [0, 0.0], "raw": [0, 0.0]}
        file_no = 0
        for label, count, size, head, filename, content_type in groups:
            if count <= 0 or size <= 0:
                continue
            numbers = list(range(file_no, file_no + count))
            file_no += count
            started = time.perf_counter()
            for n in numbers:
                evidence_register(
                    actor=officer,
                    chunks=source.chunks(n, size, head),
                    original_filename=filename,
                    declared_content_type=content_type,
                    kind="AUDIO_VISUAL",
                    title=f"基准文件 {n}",
                    production_method="基准测试",
                    produced_at=produced_at,
                    producer="基准",
                    object_proven="吞吐量",
                    source="DEVICE",
                )
            evidence_s = time.perf_counter() - started
            started = time.perf_counter()
            for n in numbers:
                _raw_write(raw_dir, f"{n}.bin", source.chunks(n, size, head))
            raw_s = time.perf_counter() - started
            megabytes = count * size / MB
            totals["evidence"][0] += count * size
            totals["evidence"][1] += evidence_s
            totals["raw"][0] += count * size
            totals["raw"][1] += raw_s
            print(f"{label}.files={count} {label}.file_mb={size / MB:g}")
            print(f"evidence.{label}.mb_per_s={megabytes / evidence_s:.1f}")
            print(f"raw.{label}.mb_per_s={megabytes / raw_s:.1f}")
            print(f"ratio.{label}={(megabytes / raw_s) / (megabytes / evidence_s):.2f}")
        evidence_rate = totals["evidence"][0] / MB / totals["evidence"][1]
        raw_rate = totals["raw"][0] / MB / totals["raw"][1]
        print(f"evidence.mb_per_s={evidence_rate:.1f}")
        print(f"raw.mb_per_s={raw_rate:.1f}")
        print(f"ratio={raw_rate / evidence_rate:.2f}")
        print(f"peak_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
    finally:
        cleanup_db()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
