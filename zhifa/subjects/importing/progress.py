"""Progress of a running import, written to a small JSON file under VAR_DIR.

Why a file and not the ImportJob row: the import writes inside one long transaction
(all-or-nothing). On SQLite that transaction holds the database's single write lock, so
progress written to the database would either be invisible (inside the transaction) or block
(outside it). A JSON file replaced atomically (write temp + os.replace) is readable at any time
by the status endpoint, from any process, on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

PHASE_LABELS = {
    "queued": "排队中",
    "reading": "正在读取文件",
    "validating": "正在逐行校验",
    "waiting": "等待其他导入完成",
    "writing": "正在写入数据库",
    "done": "已完成",
    "failed": "校验未通过",
    "error": "系统错误",
}
WRITE_INTERVAL_SECONDS = 0.5


def imports_dir() -> Path:
    """Where uploads, progress files, spools and error reports of imports live."""
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def job_dir(job_id: int) -> Path:
    path = imports_dir() / f"job-{int(job_id)}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_path(job_id: int) -> Path:
    return imports_dir() / f"job-{int(job_id)}" / "progress.json"


def read_progress(job_id: int) -> dict[str, Any] | None:
    try:
        with open(progress_path(job_id), encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


class ImportProgress:
    """Throttled progress reporting: `advance` is cheap to call per row; the file is rewritten at
    most every WRITE_INTERVAL_SECONDS and on every phase change. Extra listeners (e.g. the
    command's tqdm bar) receive every call."""

    def __init__(self, job_id: int | None, listeners: list[Callable[[str, int, int | None], None]] | None = None):
        self.job_id = job_id
        self.listeners = list(listeners or [])
        self.phase = "queued"
        self.processed = 0
        self.total: int | None = None
        self.extra: dict[str, Any] = {}
        self._last_write = 0.0

    def advance(self, phase: str, processed: int, total: int | None = None, **extra: Any) -> None:
        changed_phase = phase != self.phase
        self.phase, self.processed, self.total = phase, processed, total
        self.extra.update(extra)
        for listener in self.listeners:
            listener(phase, processed, total)
        now = time.monotonic()
        if changed_phase or now - self._last_write >= WRITE_INTERVAL_SECONDS:
            self.flush()

    def flush(self) -> None:
        self._last_write = time.monotonic()
        if self.job_id is None:
            return
        payload = {
            "phase": self.phase,
            "phase_label": PHASE_LABELS.get(self.phase, self.phase),
            "processed_rows": self.processed,
            "total_rows": self.total,
            "updated_at": time.time(),
            **self.extra,
        }
        tmp = None
        try:
            target = job_dir(self.job_id) / "progress.json"
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".progress-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, ensure_ascii=False)
            os.replace(tmp, target)
        except OSError:
            # Progress is advisory: a full disk must not abort the import itself.
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
