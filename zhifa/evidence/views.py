"""Evidence pages: list, detail, upload, correction, review, link and download.

Views only parse input, check access and call selectors/services. An item outside the user's
scope is a 404 (existence does not leak). Every detail view and download is logged by the
services (custody event + ledger entry, SEC-02).
"""
from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.access.views import is_refusal as is_access_refusal
from zhifa.access.views import render_refusal as render_access_refusal
from zhifa.accounts.access import can_write
from zhifa.accounts.choices import STAFF_ROLES, Role
from zhifa.common.errors import ZhifaError
from zhifa.subjects.selectors import enterprises_visible_to

from . import selectors, services
from .forms import EvidenceCorrectionForm, EvidenceFilterForm, EvidenceLinkForm, EvidenceReviewForm, EvidenceUploadForm
from .models import EvidenceItem
from .sniffing import ALL_TYPES

log = logging.getLogger(__name__)

PAGE_SIZE = 50
MAX_ID = 2**63 - 1
UNREADABLE_UPLOAD = "上传未完成或请求内容无法解析，未保存任何内容，请重新上传"
_BODY_ERRORS = (UnreadablePostError, MultiPartParserError, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, OSError)


def _get_item(request: HttpRequest, pk: int) -> EvidenceItem:
    if pk > MAX_ID:  # the database cannot even compare it; it cannot exist
        raise Http404("证据不存在或无权查看")
    item = selectors.evidence_visible_to(request.user).select_related("file", "organisation", "enterprise", "created_by").filter(pk=pk).first()
    if item is None:
        raise Http404("证据不存在或无权查看")
    return item


def _may_register(user) -> bool:
    return can_write(user) and (user.role in STAFF_ROLES or user.role == Role.ENTERPRISE_CONTACT)


def _may_change(user, item: EvidenceItem) -> bool:
    if not can_write(user):
        return False
    if user.role == Role.ENTERPRISE_CONTACT:
        return item.created_by_id == user.pk
    return user.role in STAFF_ROLES


def _apply_error(form, err: ZhifaError) -> None:
    field = err.field if err.field in form.fields else None
    form.add_error(field, err.message)


def _bound_or_error(request: HttpRequest):
    """Parse the multipart body (files go to temp files in chunks, never whole into memory).
    A truncated or malformed body is a 400 with a Chinese message, never a 500."""
    try:
        return request.POST, request.FILES, None
    except _BODY_ERRORS as exc:
        log.warning("unreadable evidence upload: %s", exc)
        return None, None, UNREADABLE_UPLOAD


def _metadata(cleaned: dict) -> dict:
    return {
        "kind": cleaned["kind"],
        "title": cleaned["title"],
        "description": cleaned.get("description", ""),
        "production_method": cleaned["production_method"],
        "produced_at": cleaned["produced_at"],
        "producer": cleaned["producer"],
        "object_proven": cleaned["object_proven"],
        "is_original_carrier": cleaned.get("is_original_carrier", False),
        "copy_method": cleaned.get("copy_method", ""),
    }


@login_required
def evidence_list(request: HttpRequest) -> HttpResponse:
    form = EvidenceFilterForm(request.GET or None)
    qs = selectors.evidence_visible_to(request.user).select_related("file", "enterprise", "organisation", "created_by")
    filters = form.cleaned_data if form.is_valid() else {}
    enterprise_id = None
    enterprise_unknown = False
    uscc = (filters.get("enterprise") or "").strip().upper()
    if uscc:
        ent = enterprises_visible_to(request.user).filter(uscc=uscc).first()
        enterprise_id = ent.pk if ent else None
        enterprise_unknown = ent is None
    qs = selectors.filter_evidence(
        qs,
        kind=filters.get("kind", ""),
        source=filters.get("source", ""),
        review_status=filters.get("review_status", ""),
        enterprise_id=enterprise_id,
        current_only=not filters.get("all_versions", False),
        text=filters.get("q", ""),
    )
    if enterprise_unknown:
        qs = qs.none()
    paginator = Paginator(qs.order_by("-created_at", "-pk"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evidence/list.html",
        {
            "form": form,
            "page": page,
            "paginator": paginator,
            "rows": page.object_list,
            "query": query.urlencode(),
            "may_register": _may_register(request.user),
            "enterprise_unknown": enterprise_unknown,
        },
    )


@never_cache
@login_required
def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(request, pk)
    services.evidence_view(actor=request.user, item=item, purpose=(request.GET.get("purpose") or "")[:200])
    return _render_detail(request, item)


def _render_detail(request, item, *, link_form=None, status=200):
    user = request.user
    superseded = selectors.is_superseded(item)
    return render(
        request,
        "evidence/detail.html",
        {
            "item": item,
            "file": item.file,
            "admissibility": selectors.admissibility_of(item),
            "reviews": item.reviews.select_related("reviewer").order_by("-reviewed_at", "-pk"),
            "custody": selectors.custody_timeline(item),
            "versions": selectors.versions_of(item),
            "links": item.links.select_related("linked_by"),
            "superseded": superseded,
            "may_review": not superseded and services.may_review(user, item),
            "may_correct": not superseded and _may_change(user, item),
            "may_link": can_write(user) and user.role in STAFF_ROLES,
            "link_form": link_form or EvidenceLinkForm(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_upload(request: HttpRequest) -> HttpResponse:
    if not _may_register(request.user):
        raise Http404("无权登记证据")
    status = 200
    if request.method == "POST":
        data, files, body_error = _bound_or_error(request)
        if body_error:
            form = EvidenceUploadForm(user=request.user)
            form.add_error(None, body_error)
            return render(request, "evidence/upload.html", {"form": form}, status=400)
        form = EvidenceUploadForm(data, files, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                item = services.evidence_register(
                    actor=request.user,
                    chunks=upload.chunks(),
                    original_filename=upload.name,
                    declared_content_type=upload.content_type,
                    size_hint=upload.size,
                    source=form.cleaned_data["source"],
                    enterprise=form.cleaned_data.get("enterprise"),
                    **_metadata(form.cleaned_data),
                )
            except ZhifaError as err:
                _apply_error(form, err)
                status = err.status
            else:
                messages.success(request, f"证据“{item.title}”已登记，文件 SHA-256：{item.file.sha256}")
                return redirect("evidence:detail", pk=item.pk)
        else:
            status = 400
    else:
        form = EvidenceUploadForm(user=request.user)
    return render(request, "evidence/upload.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_correct(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(request, pk)
    if not _may_change(request.user, item):
        raise Http404("无权更正该证据")
    status = 200
    if request.method == "POST":
        data, files, body_error = _bound_or_error(request)
        if body_error:
            form = EvidenceCorrectionForm()
            form.add_error(None, body_error)
            return render(request, "evidence/correct.html", {"form": form, "item": item}, status=400)
        form = EvidenceCorrectionForm(data, files)
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            file_kwargs = {}
            if upload:
                file_kwargs = {
                    "chunks": upload.chunks(),
                    "original_filename": upload.name,
                    "declared_content_type": upload.content_type,
                    "size_hint": upload.size,
                }
            try:
                new = services.evidence_correct(
                    actor=request.user, previous=item, reason=form.cleaned_data["reason"], **file_kwargs, **_metadata(form.cleaned_data)
                )
            except ZhifaError as err:
                _apply_error(form, err)
                status = err.status
            else:
                messages.success(request, f"已生成第{new.version_no}版，原版本保留不变")
                return redirect("evidence:detail", pk=new.pk)
        else:
            status = 400
    else:
        initial = {field: getattr(item, field) for field in services.CORRECTABLE_FIELDS}
        form = EvidenceCorrectionForm(initial=initial)
    return render(request, "evidence/correct.html", {"form": form, "item": item}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_review(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(request, pk)
    status = 200
    if request.method == "POST":
        form = EvidenceReviewForm(request.POST)
        if form.is_valid():
            try:
                services.evidence_review(
                    actor=request.user, item=item, criteria=form.criteria(), reasons=form.reasons(), opinion=form.cleaned_data["opinion"]
                )
            except ZhifaError as err:
                _apply_error(form, err)
                status = err.status
            else:
                messages.success(request, "审核结论已记录")
                return redirect("evidence:detail", pk=item.pk)
        else:
            status = 400
    else:
        form = EvidenceReviewForm()
    return render(
        request,
        "evidence/review.html",
        {"form": form, "item": item, "may_review": services.may_review(request.user, item), "admissibility": selectors.admissibility_of(item)},
        status=status,
    )


@login_required
@require_POST
def evidence_link(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(request, pk)
    form = EvidenceLinkForm(request.POST)
    if form.is_valid():
        try:
            services.evidence_link(actor=request.user, item=item, **form.cleaned_data)
        except ZhifaError as err:
            _apply_error(form, err)
            return _render_detail(request, item, link_form=form, status=err.status)
        messages.success(request, "已关联")
        return redirect("evidence:detail", pk=item.pk)
    return _render_detail(request, item, link_form=form, status=400)


_EXTENSIONS = {t.mime: t.download_extension for t in ALL_TYPES}


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Stream the file as an attachment with the sniffed content type; the browser must not
    second-guess it (nosniff) nor run it (CSP sandbox). The name is server-generated.
    Without an approved, in-window access request (REC-17) the answer is the 403 refusal page."""
    item = _get_item(request, pk)
    try:
        handle, evidence_file = services.evidence_open_for_download(
            actor=request.user, item=item, purpose=(request.GET.get("purpose") or "")[:200]
        )
    except ZhifaError as err:
        if is_access_refusal(err):  # REC-17: no approved, in-window access request; offer to apply
            return render_access_refusal(request, err)
        context = {"title": "无法下载证据文件", "text": err.message, "code": err.code_value}
        return render(request, "error.html", context, status=err.status)
    return attachment_response(handle, evidence_file, item)


def attachment_response(handle, evidence_file, item: EvidenceItem) -> FileResponse:
    ext = _EXTENSIONS.get(evidence_file.detected_content_type, "bin")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"evidence-{item.pk}-v{item.version_no}.{ext}",
        content_type=evidence_file.detected_content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    response["X-Evidence-SHA256"] = evidence_file.sha256
    return response
