"""Pages of the register import (/import/): upload, template downloads, progress, errors.

Views only parse input, check permission and call `zhifa.subjects.importing.runner`. Only
register writers (can_write_register: device/data admins, system admins) may upload; others
get a 403 page in Chinese. Jobs are visible to their importer and to roles that see everything.
"""
from __future__ import annotations

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from zhifa.accounts.access import can_write_register, sees_everything
from zhifa.common.errors import CommonErrorCode, ZhifaError

from .importing import runner
from .importing.spec import KIND_CHOICES, KINDS, KINDS_BY_KEY, kind_label
from .importing.template_files import csv_template, sheet_title, xlsx_template
from .models import ImportJob

ERRORS_SHOWN = 200
RECENT_JOBS = 20


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="导入文件",
        help_text="Excel（.xlsx）或 CSV 文件（UTF-8 或 GBK 编码），使用下方模板填写",
        error_messages={"required": "请选择要导入的文件", "empty": "上传的文件为空", "invalid": "上传的内容不是文件"},
    )
    kind = forms.ChoiceField(
        label="数据类型",
        required=False,
        choices=[("", "自动识别（按表头）"), *KIND_CHOICES],
        error_messages={"invalid_choice": "未知的数据类型"},
    )


def _forbidden(request):
    return render(
        request,
        "error.html",
        {"title": "无权导入", "text": runner.PERMISSION_MESSAGE + "。如需导入，请联系系统管理员。", "code": CommonErrorCode.PERMISSION_DENIED.value},
        status=403,
    )


def _visible_job(request, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob, pk=pk)
    user = request.user
    if job.user_id != user.pk and not (user.is_superuser or sees_everything(user)):
        raise Http404("导入任务不存在")
    return job


class _SessionWithoutSave:
    """Wraps request.session so that SessionMiddleware's save (SESSION_SAVE_EVERY_REQUEST) is
    skipped. Used by the pages polled during an import: on SQLite the import's open write
    transaction holds the database's write lock, and a session UPDATE would wait for it."""

    def __init__(self, inner):
        self._inner = inner

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def save(self, must_create: bool = False) -> None:
        return None


def _no_session_save(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if hasattr(request, "session"):
            request.session = _SessionWithoutSave(request.session)
        return response

    return wrapped


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    """Upload page: form, template downloads for every kind, the user's recent imports."""
    if not can_write_register(request.user):
        return _forbidden(request)
    status = 200
    error = ""
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = runner.submit_upload(
                    user=request.user,
                    uploaded=form.cleaned_data["file"],
                    requested_kind=form.cleaned_data.get("kind") or "",
                    source=ImportJob.Source.WEB,
                    background=getattr(settings, "ZHIFA_IMPORT_BACKGROUND", True),
                )
            except ZhifaError as exc:
                if exc.status == 403:
                    return _forbidden(request)
                error, status = exc.message, exc.status
            else:
                response = redirect("imports:job", pk=job.pk)
                if not job.is_finished:
                    # The import may already hold the SQLite write lock: skip the session save.
                    request.session = _SessionWithoutSave(request.session)
                return response
        else:
            status = 400
    else:
        form = ImportUploadForm()
    jobs = ImportJob.objects.filter(user=request.user).order_by("-created_at")[:RECENT_JOBS]
    templates = [{"kind": k, "sheet": sheet_title(k)} for k in KINDS]
    context = {
        "form": form,
        "error": error,
        "templates": templates,
        "jobs": [{"job": j, "kind_label": kind_label(j.kind)} for j in jobs],
        "max_mb": runner.max_bytes() // (1024 * 1024),
    }
    return render(request, "subjects/import_upload.html", context, status=status)


@login_required
@require_GET
def import_template(request, kind: str, fmt: str):
    """A template file generated from the spec (any signed-in user may download templates)."""
    spec = KINDS_BY_KEY.get(kind)
    if spec is None or fmt not in {"xlsx", "csv"}:
        raise Http404("没有该模板")
    if fmt == "xlsx":
        body = xlsx_template(spec)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = csv_template(spec)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    filename = f"zhifa-import-{spec.key}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename=\"{filename}\"; filename*=UTF-8''{filename}"
    return response


@never_cache
@login_required
@require_GET
@_no_session_save
def import_job(request, pk: int):
    """Progress page while running; summary or error list when finished."""
    job = _visible_job(request, pk)
    status = runner.job_status(job, error_limit=ERRORS_SHOWN)
    per_kind = [
        {"label": KINDS_BY_KEY[k].label if k in KINDS_BY_KEY else k, **v}
        for k, v in (job.counts or {}).items()
    ]
    context = {
        "job": job,
        "status": status,
        "per_kind": per_kind,
        "errors": status.get("errors", []),
        "errors_truncated": status.get("errors_truncated", False),
        "status_url": reverse("imports:status", args=[job.pk]),
        "errors_shown": ERRORS_SHOWN,
    }
    return render(request, "subjects/import_job.html", context)


@never_cache
@login_required
@require_GET
@_no_session_save
def import_status(request, pk: int):
    """Small JSON status polled by the progress page (readable while the import transaction is open)."""
    job = _visible_job(request, pk)
    data = runner.job_status(job, error_limit=0)
    data.pop("errors", None)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
def import_error_report(request, pk: int, fmt: str):
    job = _visible_job(request, pk)
    path = runner.report_path(job, fmt)
    if path is None:
        raise Http404("没有错误报告")
    return FileResponse(open(path, "rb"), as_attachment=True, filename=f"zhifa-import-{job.pk}-errors.{fmt}")  # noqa: SIM115 (FileResponse closes it)
