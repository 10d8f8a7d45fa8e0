"""Pages of the access-request workflow (调阅申请): my requests, a new request, a request's page,
the approver queue (调阅审批), and the refusal page other apps show when the gate says no.

Views only parse input, check access and call selectors/services. A request outside the user's
scope is a 404 (existence does not leak).
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhifa.common.errors import ZhifaError

from . import clock, objects, rules, selectors, services
from .choices import ObjectType, RequestStatus
from .errors import REFUSAL_CODES, AccessErrorCode
from .forms import AccessRequestForm, DecisionForm, WithdrawForm, initial_window
from .models import AccessRequest

PAGE_SIZE = 50
RECENT_DECISIONS = 20
MAX_ID = 2**63 - 1


# --- helpers used by other apps' views ------------------------------------------------------------


def is_refusal(err: ZhifaError) -> bool:
    """Whether a ZhifaError is the access gate saying no (REC-17)."""
    return err.code in REFUSAL_CODES


def apply_url(object_type: str, object_id) -> str:
    """The new-request page, pre-filled with one object."""
    return reverse("access:new") + "?" + urlencode({"object_type": object_type, "object_id": object_id})


def render_refusal(request: HttpRequest, err: ZhifaError) -> HttpResponse:
    """The Chinese 403 page for a refused view, with the way forward (申请调阅)."""
    details = err.details or {}
    object_type, object_id = details.get("object_type"), details.get("object_id")
    request_id = details.get("access_request")
    title = "不在调阅批准期限内" if err.code == AccessErrorCode.OUTSIDE_WINDOW else "未获调阅批准"
    context = {
        "title": title,
        "text": err.message,
        "code": err.code_value,
        "apply_url": apply_url(object_type, object_id) if object_type and object_id else None,
        "request_url": reverse("access:detail", args=[request_id]) if request_id else None,
        "object_type_label": ObjectType(object_type).label if object_type in ObjectType.values else "",
    }
    return render(request, "access/refused.html", context, status=403)


def _may_apply(user) -> bool:
    return user.is_active and any(user.role in roles for roles in rules.REQUESTER_ROLES.values())


def _get_request(request: HttpRequest, pk: int) -> AccessRequest:
    if pk > MAX_ID:
        raise Http404("调阅申请不存在或无权查看")
    found = (
        selectors.requests_visible_to(request.user)
        .select_related("requester", "organisation", "decision", "decision__decided_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("调阅申请不存在或无权查看")
    return found


def _may_decide(user, access_request: AccessRequest, status: str) -> bool:
    if status != RequestStatus.PENDING:
        return False
    return services.approver_problem_for(user, access_request) is None


def _apply_error(form, err: ZhifaError) -> None:
    field = err.field if err.field in form.fields else None
    form.add_error(field, err.message)


# --- pages -----------------------------------------------------------------------------------------


@require_safe
@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """我的调阅申请: the user's own requests with their computed status."""
    qs = selectors.with_status(AccessRequest.objects.filter(requester=request.user)).prefetch_related("items").order_by("-created_at", "-pk")
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "access/list.html",
        {
            "page": page,
            "paginator": paginator,
            "rows": page.object_list,
            "may_apply": _may_apply(request.user),
            "is_approver": request.user.role in rules.APPROVER_ROLES,
        },
    )


def _prefilled(request: HttpRequest) -> tuple[list[objects.ResolvedObject], int]:
    """Objects named in the query string that the user may see, and how many were dropped."""
    values = list(request.GET.getlist("obj"))
    if request.GET.get("object_type") and request.GET.get("object_id"):
        values.insert(0, f"{request.GET['object_type']}:{request.GET['object_id']}")
    found: list[objects.ResolvedObject] = []
    dropped = 0
    for value in values[: rules.MAX_OBJECTS_PER_REQUEST]:
        ref = objects.parse_ref(value)
        resolved = objects.visible_object(request.user, ref) if ref and objects.is_enabled(ref.object_type) else None
        if resolved is None:
            dropped += 1
        elif all(r.ref != resolved.ref for r in found):
            found.append(resolved)
    return found, dropped


def _posted_objects(request: HttpRequest, form: AccessRequestForm) -> list[objects.ResolvedObject]:
    """Re-show the ticked objects after a failed submission."""
    shown = []
    for ref in form.selected_refs():
        resolved = objects.visible_object(request.user, ref) if objects.is_enabled(ref.object_type) else None
        if resolved is not None:
            shown.append(resolved)
    return shown


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """New request (REC-17): purpose, case reference, window and objects."""
    if not _may_apply(request.user):
        context = {"title": "无权提交调阅申请", "text": "您的角色不能提交调阅申请（SEC-01）。", "code": AccessErrorCode.ROLE_NOT_ALLOWED.value}
        return render(request, "error.html", context, status=403)
    status = 200
    dropped = 0
    if request.method == "POST":
        form = AccessRequestForm(request.POST)
        shown = _posted_objects(request, form)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.access_request_create(
                    actor=request.user,
                    purpose=data["purpose"],
                    case_reference=data["case_reference"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    items=[(r.object_type, r.object_id) for r in data["refs"]],
                )
            except ZhifaError as err:
                _apply_error(form, err)
                status = err.status
            else:
                messages.success(request, f"调阅申请 #{created.pk} 已提交，待审批后方可在批准的期限内查看")
                return redirect("access:detail", pk=created.pk)
        else:
            status = 400
    else:
        shown, dropped = _prefilled(request)
        form = AccessRequestForm(initial=initial_window())
    return render(
        request,
        "access/new.html",
        {
            "form": form,
            "objects": shown,
            "dropped": dropped,
            "max_objects": rules.MAX_OBJECTS_PER_REQUEST,
            "max_days": rules.MAX_WINDOW.days,
        },
        status=status,
    )


@never_cache
@require_safe
@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = _get_request(request, pk)
    return _render_detail(request, access_request)


def _render_detail(request: HttpRequest, access_request: AccessRequest, *, decision_form=None, status: int = 200) -> HttpResponse:
    user = request.user
    now = clock.now()
    current = selectors.status_of(access_request, now)
    own_and_open = access_request.requester_id == user.pk and current == RequestStatus.APPROVED and access_request.starts_at <= now
    items = []
    for item in access_request.items.order_by("pk"):
        ref = objects.ObjectRef(item.object_type, item.object_id)
        items.append(
            {
                "item": item,
                "url": objects.object_url(ref),
                "open_url": objects.open_url(ref) if own_and_open else None,
            }
        )
    return render(
        request,
        "access/detail.html",
        {
            "req": access_request,
            "status": current,
            "decision": selectors.decision_of(access_request),
            "items": items,
            "may_withdraw": access_request.requester_id == user.pk and current == RequestStatus.PENDING,
            "may_decide": _may_decide(user, access_request, current),
            "decision_form": decision_form or DecisionForm(),
            "withdraw_form": WithdrawForm(),
        },
        status=status,
    )


@login_required
@require_POST
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = _get_request(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, access_request, decision_form=form, status=400)
    try:
        services.access_request_decide(
            actor=request.user, request=access_request, outcome=form.cleaned_data["outcome"], reason=form.cleaned_data["reason"]
        )
    except ZhifaError as err:
        _apply_error(form, err)
        return _render_detail(request, access_request, decision_form=form, status=err.status)
    messages.success(request, f"调阅申请 #{access_request.pk} 已{'批准' if form.cleaned_data['outcome'] == 'APPROVED' else '不予批准'}")
    return redirect("access:detail", pk=access_request.pk)


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = _get_request(request, pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.access_request_withdraw(actor=request.user, request=access_request, reason=reason)
    except ZhifaError as err:
        messages.error(request, err.message)
        return redirect("access:detail", pk=access_request.pk)
    messages.success(request, f"调阅申请 #{access_request.pk} 已撤回")
    return redirect("access:detail", pk=access_request.pk)


@require_safe
@login_required
def approval_queue(request: HttpRequest) -> HttpResponse:
    """调阅审批: pending requests the user may decide, oldest first, and what they decided lately."""
    if request.user.role not in rules.APPROVER_ROLES:
        context = {"title": "无权审批", "text": "仅科室负责人/局领导或系统管理员可审批调阅申请（REC-17）。", "code": AccessErrorCode.APPROVER_NOT_ALLOWED.value}
        return render(request, "error.html", context, status=403)
    pending = (
        selectors.approval_queue(request.user)
        .select_related("requester", "organisation")
        .prefetch_related("items")
        .order_by("created_at", "pk")
    )
    paginator = Paginator(pending, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    recent = selectors.with_status(selectors.decided_by(request.user)).select_related("requester", "decision")[:RECENT_DECISIONS]
    return render(
        request,
        "access/queue.html",
        {
            "page": page,
            "paginator": paginator,
            "rows": page.object_list,
            "recent": recent,
        },
    )
