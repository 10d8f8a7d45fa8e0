"""Running imports: accept a file, validate it completely, then write it in one transaction.

Entry points (web page, API, management command) call `submit_upload` or `import_local_file`;
both end in `run_job`. The web page runs `run_job` in a background thread of the web process
(`start_in_background`): the embedded default needs no extra server, and the ImportJob row plus
the progress file make the work observable. A task queue (the project's task library) can call
`run_job(job_id)` instead without other changes — see docs/import.md.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import OperationalError, close_old_connections, connections
from django.utils import timezone

from zhifa.accounts.access import can_write_register
from zhifa.common.errors import CommonErrorCode, ZhifaError

from .. import services
from ..errors import SubjectErrorCode
from ..models import ImportJob
from .issues import FileRejected, Issue
from .parsers import CellError
from .progress import ImportProgress, job_dir, read_progress
from .reading import open_import_file
from .report import read_issues, write_reports
from .spec import kind_from_text, kind_label
from .validation import Spool, validate_file
from .writers import ImportConflict

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 40 * 1024 * 1024
STALE_AFTER_SECONDS = 600
PERMISSION_MESSAGE = "只有设备/数据管理员或系统管理员可以导入登记数据"
# One import writes at a time per process: on SQLite a second writer would only wait for the
# database lock (and time out); waiting here is visible as the "waiting" phase instead.
_WRITE_LOCK = threading.Lock()


def max_bytes() -> int:
    return int(getattr(settings, "ZHIFA_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_size(size: int) -> None:
    """Reject files above ZHIFA_IMPORT_MAX_BYTES before anything is stored or written."""
    limit = max_bytes()
    if size > limit:
        raise FileRejected(f"文件大小为 {size / 1048576:.1f} MB，超过导入上限 {limit / 1048576:.0f} MB，未导入任何数据。请拆分为多个文件后分别导入")
    if size == 0:
        raise FileRejected("文件为空，未导入任何数据")


def check_permission(user) -> None:
    if user is None or not can_write_register(user):
        raise ZhifaError(CommonErrorCode.PERMISSION_DENIED, PERMISSION_MESSAGE, status=403)


def resolve_kind(text: str | None) -> str:
    """Validate an explicitly requested kind; returns its key ("" when detection is wanted)."""
    try:
        kind = kind_from_text(text)
    except CellError as exc:
        raise ZhifaError(SubjectErrorCode.IMPORT_INVALID, exc.message, field="kind") from None
    return kind.key if kind else ""


def rejected_error(exc: FileRejected) -> ZhifaError:
    return ZhifaError(SubjectErrorCode.IMPORT_INVALID, exc.message, field="file", details={"errors": [i.as_dict() for i in exc.issues]})


def _safe_name(name: str) -> str:
    base = Path(name or "upload").name
    base = re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", base)[:120].strip("._") or "upload"
    return base


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def submit_upload(*, user, uploaded, requested_kind: str = "", source: str = ImportJob.Source.WEB, background: bool = False) -> ImportJob:
    """Store an uploaded file under VAR_DIR and run its import (now, or in a background thread).

    Raises ZhifaError for refusals decided before anything is stored: permission, unknown kind,
    size. Everything later is recorded on the returned job.
    """
    check_permission(user)
    kind_key = resolve_kind(requested_kind)
    try:
        check_size(uploaded.size or 0)
    except FileRejected as exc:
        raise rejected_error(exc) from None
    job = services.import_job_create(user=user, source=source, file_name=uploaded.name or "upload", file_size=uploaded.size, requested_kind=kind_key)
    target = job_dir(job.pk) / _safe_name(uploaded.name)
    digest = hashlib.sha256()
    with open(target, "wb") as handle:
        for chunk in uploaded.chunks():
            digest.update(chunk)
            handle.write(chunk)
        handle.flush()
        os.fsync(handle.fileno())
    services.import_job_save(job, file_path=str(target), sha256=digest.hexdigest())
    ImportProgress(job.pk).advance("queued", 0, None)
    if background:
        start_in_background(job.pk)
    else:
        run_job(job.pk)
        job.refresh_from_db()
    return job


def import_local_file(*, path: Path, user=None, requested_kind: str = "", listeners=None) -> ImportJob:
    """Import a file from the local disk (management command); the file is not copied."""
    if user is not None:
        check_permission(user)
    kind_key = resolve_kind(requested_kind)
    size = path.stat().st_size
    check_size(size)
    job = services.import_job_create(
        user=user,
        source=ImportJob.Source.COMMAND,
        file_name=path.name,
        file_path=str(path.resolve()),
        file_size=size,
        sha256=file_sha256(path),
        requested_kind=kind_key,
    )
    run_job(job.pk, listeners=listeners)
    job.refresh_from_db()
    return job


def start_in_background(job_id: int) -> threading.Thread:
    thread = threading.Thread(target=_thread_main, args=(job_id,), name=f"zhifa-import-{job_id}", daemon=True)
    thread.start()
    return thread


def _thread_main(job_id: int) -> None:
    close_old_connections()
    try:
        run_job(job_id)
    finally:
        connections.close_all()  # this thread's connections only


def run_job(job_id: int, *, listeners=None) -> None:
    """Validate and import one job's file. Never raises for bad input: the outcome is on the job."""
    job = ImportJob.objects.get(pk=job_id)
    progress = ImportProgress(job.pk, listeners)
    services.import_job_save(job, status=ImportJob.Status.RUNNING, started_at=timezone.now())
    opened = None
    spool: Spool | None = None
    try:
        path = Path(job.file_path)
        check_size(path.stat().st_size)
        progress.advance("reading", 0, None)
        opened = open_import_file(path, kind=kind_from_text(job.requested_kind) if job.requested_kind else None)
        kinds = list(dict.fromkeys(t.kind.key for t in opened.tables))
        services.import_job_save(job, kind=",".join(kinds))
        spool = Spool(job_dir(job.pk) / "rows.spool")
        result = validate_file(opened, spool, progress)
        opened.close()
        opened = None
        if not result.ok:
            _fail(job, progress, result.issues, truncated=result.truncated, rows=result.rows)
            return
        services.import_job_save(job, total_rows=result.rows, processed_rows=0)
        progress.advance("waiting", 0, result.rows)
        with _WRITE_LOCK:
            outcome = services.import_apply(actor=job.user, job=job, tables=result.tables, spool=spool, progress=progress)
        totals = outcome["totals"]
        message = f"导入成功：共 {outcome['rows']} 行，新增 {totals.created}、更新 {totals.updated}、未变化 {totals.unchanged}"
        if result.skipped_examples:
            message += f"；已跳过模板示例行 {result.skipped_examples} 行"
        services.import_job_save(
            job,
            status=ImportJob.Status.SUCCEEDED,
            processed_rows=outcome["rows"],
            created_count=totals.created,
            updated_count=totals.updated,
            unchanged_count=totals.unchanged,
            counts=outcome["counts"],
            ledger_index=outcome["ledger_index"],
            message=message,
            finished_at=timezone.now(),
        )
        progress.advance("done", outcome["rows"], outcome["rows"])
    except FileRejected as exc:
        _fail(job, progress, exc.issues)
    except CellError as exc:
        _fail(job, progress, [Issue(message=exc.message)])
    except ImportConflict as exc:
        _fail(job, progress, [Issue(message=exc.message)])
    except OperationalError:
        log.exception("import job %s: database error", job.pk)
        _error(job, progress, "数据库繁忙或不可用，导入已撤销，未写入任何数据。请稍后重试")
    except Exception:
        log.exception("import job %s failed", job.pk)
        _error(job, progress, "导入时发生系统错误，已撤销，未写入任何数据（错误已记录）")
    finally:
        if opened is not None:
            opened.close()
        if spool is not None:
            spool.discard()


def _fail(job: ImportJob, progress: ImportProgress, issues: list[Issue], *, truncated: bool = False, rows: int = 0) -> None:
    paths = write_reports(job_dir(job.pk), issues, truncated=truncated)
    count = len(issues)
    more = "（仅列出前部分）" if truncated else ""
    message = f"校验未通过：发现 {count} 处错误{more}，未导入任何数据。请下载错误报告，修改后重新导入。"
    if count == 1 and issues[0].row is None:
        message = f"未导入任何数据：{issues[0].message}"
    services.import_job_save(
        job,
        status=ImportJob.Status.FAILED,
        error_count=count,
        total_rows=rows,
        error_report=str(paths["xlsx"]),
        message=message,
        finished_at=timezone.now(),
    )
    progress.advance("failed", 0, rows)


def _error(job: ImportJob, progress: ImportProgress, message: str) -> None:
    try:
        services.import_job_save(job, status=ImportJob.Status.ERROR, message=message, finished_at=timezone.now())
    finally:
        progress.advance("error", 0, None)


def job_issues(job: ImportJob, limit: int | None = 100) -> tuple[list[Issue], bool]:
    if job.status != ImportJob.Status.FAILED:
        return [], False
    return read_issues(job_dir(job.pk), limit)


def report_path(job: ImportJob, fmt: str) -> Path | None:
    if job.status != ImportJob.Status.FAILED or fmt not in {"xlsx", "csv"}:
        return None
    path = job_dir(job.pk) / f"errors.{fmt}"
    return path if path.exists() else None


def job_status(job: ImportJob, *, error_limit: int = 100) -> dict[str, Any]:
    """The job as JSON for the status endpoint and the API (merged with live progress)."""
    data: dict[str, Any] = {
        "id": job.pk,
        "file_name": job.file_name,
        "file_sha256": job.sha256,
        "file_size": job.file_size,
        "kind": job.kind,
        "kind_label": kind_label(job.kind),
        "status": job.status,
        "status_label": job.get_status_display(),
        "finished": job.is_finished,
        "phase": None,
        "phase_label": "",
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "error_count": job.error_count,
        "counts": job.counts,
        "message": job.message,
        "ledger_index": job.ledger_index,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "stale": False,
    }
    live = read_progress(job.pk)
    if live and not job.is_finished:
        data["phase"] = live.get("phase")
        data["phase_label"] = live.get("phase_label", "")
        data["processed_rows"] = live.get("processed_rows") or 0
        data["total_rows"] = live.get("total_rows") or job.total_rows
        updated_at = live.get("updated_at") or 0
        if data["phase"] not in {"queued", "waiting"} and time.time() - updated_at > STALE_AFTER_SECONDS:
            data["stale"] = True
            data["message"] = "导入长时间没有进展，可能因服务重启而中断；如仍未完成，请重新上传"
    elif job.is_finished:
        data["phase"] = {"SUCCEEDED": "done", "FAILED": "failed"}.get(job.status, "error")
    total = data["total_rows"] or 0
    data["percent"] = 100 if job.status == ImportJob.Status.SUCCEEDED else (min(99, int(data["processed_rows"] * 100 / total)) if total else 0)
    if job.status == ImportJob.Status.FAILED:
        issues, truncated = job_issues(job, error_limit)
        data["errors"] = [i.as_dict() for i in issues]
        data["errors_truncated"] = truncated
    return data
