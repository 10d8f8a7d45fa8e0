"""Payment pages: the staff list and detail with their actions, the enterprise's 我的缴款, and the
simulated platform's payer page (development only).

Views only parse input, check access and call selectors/services. A notice outside the user's
scope is the 404 page. 罚缴分离 (PAY-02): the bureau's pages never take a payment; they link to the
platform's page, which is labelled as the platform's.
"""
from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.accounts.choices import Role
from zhifa.common.errors import ZhifaError
from zhifa.common.timeutil import today
from zhifa.common.workdays import CalendarUnavailable
from zhifa.rulesets.errors import RuleNotConfigured

from . import selectors, services
from .forms import CancelForm, DeferralForm, NoticeFilterForm, PauseForm, ReminderForm, ResumeForm, SimPayForm
from .models import PaymentNotice, SimulatedBill
from .platform import get_platform
from .simulator import LocalPlatformSimulator, SimulatorRefusal

PAGE_SIZE = 50
MAX_ID = 2**63 - 1


def _get_notice(request: HttpRequest, pk: int) -> PaymentNotice:
    if pk > MAX_ID:
        raise Http404("缴款通知不存在或无权查看")
    notice = selectors.notices_visible_to(request.user).select_related("organisation", "enterprise", "issued_by").filter(pk=pk).first()
    if notice is None:
        raise Http404("缴款通知不存在或无权查看")
    return notice


def _payer_url(notice: PaymentNotice, status: selectors.NoticeStatus) -> str | None:
    if status.settled or status.cancelled:
        return None
    return get_platform().payer_url(notice.payment_code)


def _percent(ratio) -> str:
    text = format((ratio * 100).normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _rows(notices) -> list[dict]:
    rows = []
    for notice in notices:
        status = selectors.notice_status(notice)
        rows.append({"notice": notice, "status": status, "payer_url": _payer_url(notice, status)})
    return rows


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    """Staff: the notices of their organisation scope with their status as of today."""
    if request.user.role == Role.ENTERPRISE_CONTACT:
        return redirect("payments:mine")
    form = NoticeFilterForm(request.GET or None)
    qs = selectors.notices_visible_to(request.user).select_related("organisation", "enterprise").prefetch_related("events")
    text = (form.cleaned_data.get("q") or "").strip() if form.is_valid() else ""
    if text:
        qs = qs.filter(Q(payment_code=text) | Q(payer_name__icontains=text) | Q(decision_number__icontains=text) | Q(ref=text))
    paginator = Paginator(qs.order_by("-issued_at", "-pk"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "payments/list.html",
        {"form": form, "page": page, "paginator": paginator, "rows": _rows(page.object_list), "query": query.urlencode()},
    )


@login_required
def my_notices(request: HttpRequest) -> HttpResponse:
    """An enterprise contact: the notices of its enterprises, the amount due today including the
    surcharge, the due date, the payment code and the link to the platform's payment page."""
    if request.user.role != Role.ENTERPRISE_CONTACT:
        return redirect("payments:list")
    qs = selectors.notices_visible_to(request.user).select_related("organisation", "enterprise").prefetch_related("events")
    return render(request, "payments/mine.html", {"rows": _rows(qs.order_by("-issued_at", "-pk")), "today": today()})


def _detail_context(request: HttpRequest, notice: PaymentNotice, forms: dict | None = None) -> dict:
    user = request.user
    status = selectors.notice_status(notice)
    may_handle = services.is_handler(user) and not status.cancelled and not status.settled
    window, window_error = None, ""
    try:
        window = selectors.enforcement_window(notice, status)
    except (RuleNotConfigured, CalendarUnavailable) as exc:
        window_error = exc.message
    context = {
        "notice": notice,
        "status": status,
        "events": list(notice.events.select_related("actor").order_by("at", "pk")),
        "payer_url": _payer_url(notice, status),
        "may_handle": may_handle,
        "may_approve": may_handle and services.is_approver(user),
        "may_resume": services.is_handler(user) and not status.cancelled and status.open_pause is not None,
        "window": window,
        "window_error": window_error,
        "is_contact": user.role == Role.ENTERPRISE_CONTACT,
        # PAY-06: the standard as the party reads it, e.g. 3% per day, at most 100% of the fine.
        "rate_percent": _percent(notice.late_fee_rate),
        "cap_percent": _percent(notice.late_fee_cap_ratio),
    }
    empty = {"pause": PauseForm(), "resume": ResumeForm(), "remind": ReminderForm(), "defer": DeferralForm(), "cancel": CancelForm()}
    context.update({f"{key}_form": form for key, form in {**empty, **(forms or {})}.items()})
    return context


@never_cache
@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _get_notice(request, pk)
    return render(request, "payments/detail.html", _detail_context(request, notice))


def _act(request: HttpRequest, pk: int, key: str, form_class, call: Callable[[PaymentNotice, dict], str]) -> HttpResponse:
    """One POSTed action of the detail page: success → message and redirect; invalid input or a
    refused step → the page again with the Chinese error next to the form (never a 500)."""
    notice = _get_notice(request, pk)
    form = form_class(request.POST)
    status, refusal = 400, ""
    if form.is_valid():
        try:
            message = call(notice, form.cleaned_data)
        except ZhifaError as err:
            field = err.field if err.field in form.fields else None
            form.add_error(field, err.message)
            status, refusal = err.status, err.message
        else:
            messages.success(request, message)
            return redirect("payments:detail", pk=notice.pk)
    context = _detail_context(request, notice, {key: form})
    shown = {"defer": context["may_approve"], "resume": context["may_resume"]}.get(key, context["may_handle"])
    if not shown:
        # The form is not on the page for this user: say why at the top instead.
        context["action_error"] = refusal or "提交的内容有误"
    return render(request, "payments/detail.html", context, status=status)


@login_required
@require_POST
def notice_pause(request: HttpRequest, pk: int) -> HttpResponse:
    def call(notice, data):
        services.payment_surcharge_pause(notice=notice, kind=data["kind"], start=data["start"], end=data.get("end"), actor=request.user, note=data.get("note", ""))
        return "已记录复议/诉讼期间，该期间不计加处罚款（PAY-07）"

    return _act(request, pk, "pause", PauseForm, call)


@login_required
@require_POST
def notice_resume(request: HttpRequest, pk: int) -> HttpResponse:
    def call(notice, data):
        services.payment_surcharge_resume(notice=notice, end=data["end"], actor=request.user, note=data.get("note", ""))
        return "已记录复议/诉讼期间结束日期"

    return _act(request, pk, "resume", ResumeForm, call)


@login_required
@require_POST
def notice_remind(request: HttpRequest, pk: int) -> HttpResponse:
    def call(notice, data):
        services.payment_reminder_record(notice=notice, served_on=data["served_on"], actor=request.user, document_number=data.get("document_number", ""))
        return "已记录催告书送达（PAY-08）"

    return _act(request, pk, "remind", ReminderForm, call)


@login_required
@require_POST
def notice_defer(request: HttpRequest, pk: int) -> HttpResponse:
    def call(notice, data):
        event = services.payment_deferral_approve(
            notice=notice, new_due_on=data["new_due_on"], applied_on=data["applied_on"], approver=request.user,
            reason=data["reason"], instalments=data.get("instalments") or None,
        )
        return f"已批准，缴款期限调整为 {event.new_due_on.isoformat()}（PAY-05）"

    return _act(request, pk, "defer", DeferralForm, call)


@login_required
@require_POST
def notice_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    def call(notice, data):
        services.payment_notice_cancel(notice=notice, actor=request.user, reason=data["reason"])
        return "缴款通知已撤销，缴款平台上的缴款单已关闭"

    return _act(request, pk, "cancel", CancelForm, call)


# --- the simulated platform's page (platform side; development only) -----------------------------


def _simulator() -> LocalPlatformSimulator:
    platform = get_platform()
    if not isinstance(platform, LocalPlatformSimulator):
        raise Http404("缴款平台模拟器未启用")
    return platform


@never_cache
@require_http_methods(["GET", "POST"])
def sim_pay(request: HttpRequest, payment_code: str) -> HttpResponse:
    """The payer's page of the simulated non-tax payment platform. Like the real platform it needs
    no login to the bureau: whoever holds the payment code may pay it."""
    simulator = _simulator()
    bill = SimulatedBill.objects.filter(payment_code=payment_code[:32]).first()
    if bill is None:
        return render(request, "payments/sim/unknown.html", {"payment_code": payment_code[:32]}, status=404)
    form = SimPayForm(request.POST or None, initial={"channel": "E_PAY"})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                payment = simulator.pay(bill.payment_code, channel=form.cleaned_data["channel"], amount=form.cleaned_data.get("amount") or None)
            except SimulatorRefusal as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"缴款成功，财政电子票据号 {payment.fiscal_receipt_no}")
                return redirect("payments:sim_pay", payment_code=bill.payment_code)
        bill.refresh_from_db()
    day = today()
    return render(
        request,
        "payments/sim/pay.html",
        {
            "bill": bill,
            "form": form,
            "payable": simulator.amount_payable(bill, day),
            "late_fee": simulator.late_fee(bill, day),
            "paid_total": simulator.paid_total(bill),
            "payments": list(bill.payments.all()),
            "open": bill.state in {"OPEN", "PARTIAL"},
            "today": day,
        },
        status=status,
    )


@require_POST
def sim_renotify(request: HttpRequest, payment_code: str, transaction_id: str) -> HttpResponse:
    """Resend a payment's callback (the platform retries until the authority acknowledges)."""
    simulator = _simulator()
    bill = SimulatedBill.objects.filter(payment_code=payment_code[:32]).first()
    payment = bill.payments.filter(transaction_id=transaction_id[:64]).first() if bill else None
    if payment is None:
        raise Http404("缴款记录不存在")
    payment = simulator.notify(payment)
    if payment.acknowledged:
        messages.success(request, "执收单位已确认收到缴款通知")
    else:
        messages.error(request, f"执收单位未确认（状态码 {payment.notify_status or '无应答'}）")
    return redirect(reverse("payments:sim_pay", kwargs={"payment_code": bill.payment_code}))
