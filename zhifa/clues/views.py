"""Clue pages: inbox, detail with actions, triggers, complaints, statistics and the enterprise's
"我的整改提醒". Views only parse input, check access and call selectors/services; a clue outside
the user's scope is the Chinese 404 page (existence does not leak)."""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhifa.accounts.access import can_write, sees_everything
from zhifa.accounts.choices import Role
from zhifa.accounts.models import Organisation
from zhifa.common.errors import ZhifaError
from zhifa.common.masking import mask_phone
from zhifa.common.timeutil import local_date, today
from zhifa.subjects.selectors import organisation_subtree_ids

from . import selectors, services, triage
from .choices import ClueStatus, Owner, ReminderStatus, TriggerKind
from .facts import flatten_facts
from .forms import (
    AnswerForm,
    ClueFilterForm,
    ComplaintForm,
    ComplaintTransferOutForm,
    ComplaintVerifyForm,
    DismissForm,
    JudicialTransferForm,
    MajorHazardForm,
    NoteForm,
    ReminderSendForm,
    ReminderVerifyForm,
    StatsFilterForm,
    TransferForm,
    TriggerForm,
)
from .models import Clue, Complaint, Scenario

log = logging.getLogger(__name__)

PAGE_SIZE = 50
MAX_ID = 2**63 - 1
_BODY_ERRORS = (UnreadablePostError, MultiPartParserError, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, OSError)



# --- helpers ------------------------------------------------------------------------------------


def _require_staff(request: HttpRequest) -> None:
    if not selectors.is_staff_reader(request.user):
        raise Http404("页面不存在或无权查看")


def _get_clue(request: HttpRequest, pk: int) -> Clue:
    if pk > MAX_ID:
        raise Http404("线索不存在或无权查看")
    clue = (
        selectors.clues_for_staff(request.user)
        .select_related("enterprise", "organisation", "scenario", "trigger", "snapshot_evidence", "closed_by")
        .filter(pk=pk)
        .first()
    )
    if clue is None:
        raise Http404("线索不存在或无权查看")
    return clue


def _apply_error(form, err: ZhifaError) -> None:
    field = err.field if err.field in form.fields else None
    form.add_error(field, err.message)


def _post_data(request: HttpRequest):
    """Parse the body; a truncated or malformed upload is a Chinese 400, never a 500."""
    try:
        return request.POST, request.FILES, None
    except _BODY_ERRORS as exc:
        log.warning("unreadable clue form post: %s", exc)
        return None, None, "请求内容无法解析或上传未完成，未保存任何内容，请重试"




def _visible_organisations(user):
    if sees_everything(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=organisation_subtree_ids(user.organisation))


# --- inbox ----------------------------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """线索收件箱: filters, counts per scenario, overdue transfers (dashboard hint)."""
    if request.user.role == Role.ENTERPRISE_CONTACT:
        return redirect("clues:my_reminders")
    _require_staff(request)
    base = selectors.clues_for_staff(request.user)
    counts = selectors.counts_per_scenario(base)
    scenarios = sorted({(row["rule_id"], row["title"]) for row in counts} | set(Scenario.objects.order_by("code").values_list("code", "title").distinct()))
    form = ClueFilterForm(request.GET or None, scenarios=scenarios, organisations=_visible_organisations(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.filter_clues(
        base,
        scenario=filters.get("scenario", ""),
        organisation=filters.get("organisation"),
        status=filters.get("status", ""),
        severity=filters.get("severity", ""),
        category=filters.get("category", ""),
        deadline=filters.get("deadline", ""),
        text=filters.get("q", ""),
    ).select_related("enterprise", "organisation")
    paginator = Paginator(qs.order_by("-detected_at", "-pk"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    day = today()
    return render(
        request,
        "clues/inbox.html",
        {
            "form": form,
            "page": page,
            "paginator": paginator,
            "rows": page.object_list,
            "query": query.urlencode(),
            "counts": counts,
            "overdue_transfers": selectors.transfers_overdue(day, base).count(),
            "overdue_reminders": selectors.reminders_overdue(day, selectors.reminders_visible_to(request.user)).count(),
            "today": day,
        },
        status=200 if (form.is_valid() or not request.GET) else 400,
    )


# --- detail and actions -----------------------------------------------------------------------------


def _detail_context(request: HttpRequest, clue: Clue, forms: Mapping[str, Any] | None = None) -> dict[str, Any]:
    user = request.user
    day = today()
    handler = services.is_handler(user)
    reminders = list(clue.reminders.select_related("sent_by", "verified_by").prefetch_related("answers__evidence_items", "answers__submitted_by").order_by("-sent_at", "-pk"))
    open_reminder = next((r for r in reminders if r.status in (ReminderStatus.PENDING, ReminderStatus.ANSWERED)), None)
    transfers = list(clue.transfers.select_related("sent_by", "to_organisation").prefetch_related("evidence_items").order_by("-sent_at"))
    untransferred = clue.is_open and clue.status in selectors.UNTRANSFERRED_STATUSES
    supervision = clue.owner == Owner.SUPERVISION
    forms = dict(forms or {})
    default_education = ""
    if open_reminder is not None:
        default_education = triage.education_text(
            enterprise=clue.enterprise.name,
            rule_citation=open_reminder.rule_citation,
            sent_on=local_date(open_reminder.sent_at),
            due_on=open_reminder.correction_due_on,
            how="经核实，企业已在期限内改正。",
        )
    context = {
        "clue": clue,
        "facts": flatten_facts(clue.facts),
        "events": selectors.clue_timeline(clue),
        "reminders": reminders,
        "open_reminder": open_reminder,
        "transfers": transfers,
        "suggestion": triage.suggest_triage(category=clue.category, crime_suspected=clue.crime_suspected),
        "first_violation": services.first_violation_of(clue),
        "dual_hint": triage.dual_penalty_hint(clue.rule_id, clue.facts),
        "transfer_overdue": triage.transfer_overdue(due_on=clue.transfer_due_on, transferred=not untransferred, as_of=day) and clue.is_open,
        "today": day,
        "may_remind": handler and clue.status == ClueStatus.OPEN and clue.is_open
        and triage.may_remind(category=clue.category, owner=clue.owner, crime_suspected=clue.crime_suspected) is None,
        "may_verify": handler and open_reminder is not None and clue.is_open,
        "may_transfer": handler and untransferred and supervision and not clue.crime_suspected,
        "may_judicial": services.is_supervisor(user) and clue.is_open and clue.status in (*selectors.UNTRANSFERRED_STATUSES, ClueStatus.TRANSFERRED),
        "may_major_hazard": handler and untransferred and not clue.crime_suspected,
        "may_dismiss": handler and clue.is_open and clue.status in (*selectors.UNTRANSFERRED_STATUSES, ClueStatus.TRANSFERRED),
        # Issue 4 item 5 "open a case once those exist": the case app takes over from here.
        "may_open_case": handler and clue.is_open and not clue.cases.exists(),
        "remind_form": forms.get("remind") or ReminderSendForm(),
        "verify_form": forms.get("verify") or ReminderVerifyForm(initial={"reminder": open_reminder.pk if open_reminder else None, "education": default_education}),
        "transfer_form": forms.get("transfer") or TransferForm(),
        "judicial_form": forms.get("judicial") or JudicialTransferForm(),
        "major_hazard_form": forms.get("major_hazard") or MajorHazardForm(),
        "dismiss_form": forms.get("dismiss") or DismissForm(),
        "action_errors": [str(e) for f in forms.values() for errs in f.errors.values() for e in errs],
    }
    return context


@login_required
def clue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    clue = _get_clue(request, pk)
    return render(request, "clues/detail.html", _detail_context(request, clue))


def _post_step(request: HttpRequest, form, call: Callable[[dict], str], done_url: str, render_page: Callable[[int], HttpResponse]) -> HttpResponse:
    """One POSTed step: on success a message and a redirect; on invalid input or a refused step
    the page again (`render_page(status)`) with the Chinese error next to the form."""
    status = 400
    if form.is_valid():
        try:
            message = call(form.cleaned_data)
        except ZhifaError as err:
            _apply_error(form, err)
            status = err.status
        else:
            messages.success(request, message)
            return redirect(done_url)
    return render_page(status)


def _act(request: HttpRequest, pk: int, key: str, form_class, call: Callable[[Clue, dict], str]) -> HttpResponse:
    """POST an action form of the clue detail page (see _post_step)."""
    clue = _get_clue(request, pk)
    form = form_class(request.POST)

    def page(status: int) -> HttpResponse:
        clue.refresh_from_db()
        return render(request, "clues/detail.html", _detail_context(request, clue, {key: form}), status=status)

    return _post_step(request, form, lambda data: call(clue, data), reverse("clues:detail", args=[clue.pk]), page)


@login_required
@require_POST
def clue_remind(request: HttpRequest, pk: int) -> HttpResponse:
    def call(clue, data):
        reminder = services.reminder_send(actor=request.user, clue=clue, text=data.get("text", ""))
        return f"已发出告知提醒，改正期限 {reminder.correction_due_on}"

    return _act(request, pk, "remind", ReminderSendForm, call)


@login_required
@require_POST
def clue_verify(request: HttpRequest, pk: int) -> HttpResponse:
    def call(clue, data):
        reminder = clue.reminders.filter(pk=data["reminder"]).first()
        if reminder is None:
            raise ZhifaError("CLUE_NOT_FOUND", "告知提醒不存在", status=404)
        services.reminder_verify(actor=request.user, reminder=reminder, corrected=data["corrected"], note=data.get("note", ""), education=data.get("education", ""))
        return "已核实改正，线索办结（不予处罚并已教育）" if data["corrected"] else "已记录未改正"

    return _act(request, pk, "verify", ReminderVerifyForm, call)


@login_required
@require_POST
def clue_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    def call(clue, data):
        transfer = services.clue_transfer(actor=request.user, clue=clue, facts_summary=data["facts_summary"], note=data.get("note", ""))
        return f"已移交{transfer.to_body}" + ("（逾期移交）" if transfer.late else "")

    return _act(request, pk, "transfer", TransferForm, call)


@login_required
@require_POST
def clue_transfer_judicial(request: HttpRequest, pk: int) -> HttpResponse:
    def call(clue, data):
        transfer = services.clue_transfer_judicial(actor=request.user, clue=clue, facts_summary=data["facts_summary"], to_body=data["to_body"])
        return f"已移送{transfer.to_body}"

    return _act(request, pk, "judicial", JudicialTransferForm, call)


@login_required
@require_POST
def clue_major_hazard(request: HttpRequest, pk: int) -> HttpResponse:
    def call(clue, data):
        clue = services.clue_mark_major_hazard(actor=request.user, clue=clue, graded_on=data.get("graded_on"), note=data.get("note", ""))
        return f"已认定为重大事故隐患，移交期限 {clue.transfer_due_on}"

    return _act(request, pk, "major_hazard", MajorHazardForm, call)


@login_required
@require_POST
def clue_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    def call(clue, data):
        services.clue_dismiss(actor=request.user, clue=clue, reason=data["reason"])
        return "线索已排除"

    return _act(request, pk, "dismiss", DismissForm, call)


# --- triggers ------------------------------------------------------------------------------------


def _may_post_triggers(user) -> bool:
    return can_write(user) and (user.is_superuser or user.role in services.TRIGGER_ROLES) and bool(user.organisation_id)


@login_required
def trigger_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    return _render_triggers(request, TriggerForm(), ComplaintForm())


def _render_triggers(request, trigger_form, complaint_form, status=200):
    kind = request.GET.get("kind", "")
    qs = selectors.triggers_visible_to(request.user).select_related("enterprise", "received_by", "complaint").prefetch_related("clues")
    if kind in TriggerKind.values:
        qs = qs.filter(kind=kind)
    paginator = Paginator(qs.order_by("-occurred_at", "-pk"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "clues/triggers.html",
        {
            "page": page,
            "paginator": paginator,
            "rows": page.object_list,
            "kind": kind,
            "kinds": TriggerKind.choices,
            "trigger_form": trigger_form,
            "complaint_form": complaint_form,
            "may_post": _may_post_triggers(request.user),
        },
        status=status,
    )


def _trigger_message(request, result) -> HttpResponse:
    if result.duplicate:
        messages.info(request, f"该事件（{result.trigger.source}/{result.trigger.external_ref}）此前已登记，未重复登记")
    elif result.finding is not None:
        messages.warning(request, f"已登记触发事件，但统一社会信用代码 {result.trigger.subject_uscc} 不在主体库中：已记录数据质量问题，未生成线索")
    else:
        messages.success(request, "已登记触发事件" + ("并生成线索" if result.clue else ""))
    if result.complaint is not None:
        return redirect("clues:complaint", pk=result.complaint.pk)
    if result.clue is not None:
        return redirect("clues:detail", pk=result.clue.pk)
    return redirect("clues:triggers")


@login_required
@require_POST
def trigger_new(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = TriggerForm(request.POST)
    status = 400
    if form.is_valid():
        d = form.cleaned_data
        try:
            result = services.trigger_receive(
                kind=d["kind"], source=d["source"], external_ref=d["external_ref"], uscc=d["uscc"], occurred_at=d["occurred_at"], summary=d["summary"],
                payload={"entered_by": "manual"}, actor=request.user,
            )
        except ZhifaError as err:
            _apply_error(form, err)
            status = err.status
        else:
            return _trigger_message(request, result)
    return _render_triggers(request, form, ComplaintForm(), status=status)


@login_required
@require_POST
def complaint_new(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = ComplaintForm(request.POST)
    status = 400
    if form.is_valid():
        d = form.cleaned_data
        try:
            result = services.complaint_register(
                actor=request.user, content=d["content"], uscc=d.get("uscc", ""), external_ref=d["external_ref"],
                complainant_name=d.get("complainant_name", ""), complainant_phone=d.get("complainant_phone", ""), anonymous=d.get("anonymous", False),
            )
        except ZhifaError as err:
            _apply_error(form, err)
            status = err.status
        else:
            return _trigger_message(request, result)
    return _render_triggers(request, TriggerForm(), form, status=status)


# --- complaints ----------------------------------------------------------------------------------


def _get_complaint(request: HttpRequest, pk: int) -> Complaint:
    if pk > MAX_ID:
        raise Http404("举报不存在或无权查看")
    complaint = selectors.complaints_visible_to(request.user).select_related("trigger", "trigger__enterprise", "verified_by", "leader_signoff_by").filter(pk=pk).first()
    if complaint is None:
        raise Http404("举报不存在或无权查看")
    return complaint


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    qs = selectors.complaints_visible_to(request.user).select_related("trigger", "trigger__enterprise").order_by("closed_at", "-created_at")
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "clues/complaints.html", {"page": page, "paginator": paginator, "rows": page.object_list})


def _complaint_context(request, complaint, forms=None):
    forms = dict(forms or {})
    handler = services.is_handler(request.user)
    open_ = complaint.closed_at is None
    return {
        "complaint": complaint,
        "phone_masked": mask_phone(complaint.complainant_phone),
        "clue": complaint.trigger.clues.order_by("pk").first(),
        "close_problems": triage.complaint_close_problems(
            verification_report=complaint.verification_report,
            needs_rectification=complaint.needs_rectification,
            leader_signed_off=complaint.leader_signoff_at is not None,
            out_of_scope=complaint.out_of_scope,
            transferred_to=complaint.transferred_to,
        ),
        "may_handle": handler and open_,
        "may_signoff": services.is_supervisor(request.user) and open_ and complaint.needs_rectification and complaint.leader_signoff_at is None and complaint.verified_at is not None,
        "verify_form": forms.get("verify") or ComplaintVerifyForm(),
        "transfer_form": forms.get("transfer_out") or ComplaintTransferOutForm(),
        "signoff_form": forms.get("signoff") or NoteForm(),
        "close_form": forms.get("close") or NoteForm(),
        "action_errors": [str(e) for f in forms.values() for errs in f.errors.values() for e in errs],
    }


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    complaint = _get_complaint(request, pk)
    return render(request, "clues/complaint.html", _complaint_context(request, complaint))


COMPLAINT_STEPS = {
    "verify": (ComplaintVerifyForm, lambda user, c, d: services.complaint_verify(actor=user, complaint=c, report=d["report"], substantiated=d["substantiated"], needs_rectification=d.get("needs_rectification", False)), "核查报告已记录"),
    "signoff": (NoteForm, lambda user, c, d: services.complaint_leader_signoff(actor=user, complaint=c, note=d.get("note", "")), "已签批"),
    "transfer_out": (ComplaintTransferOutForm, lambda user, c, d: services.complaint_transfer_out(actor=user, complaint=c, transferred_to=d["transferred_to"], note=d.get("note", "")), "已移送主管部门"),
    "close": (NoteForm, lambda user, c, d: services.complaint_close(actor=user, complaint=c, note=d.get("note", "")), "举报已办结"),
}


@login_required
@require_POST
def complaint_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    _require_staff(request)
    if step not in COMPLAINT_STEPS:
        raise Http404("页面不存在")
    complaint = _get_complaint(request, pk)
    form_class, call, done = COMPLAINT_STEPS[step]
    form = form_class(request.POST)

    def page(status: int) -> HttpResponse:
        complaint.refresh_from_db()
        return render(request, "clues/complaint.html", _complaint_context(request, complaint, {step: form}), status=status)

    def run(data: dict) -> str:
        call(request.user, complaint, data)
        return done

    return _post_step(request, form, run, reverse("clues:complaint", args=[complaint.pk]), page)


# --- statistics ------------------------------------------------------------------------------------


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = StatsFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    stats = selectors.clue_statistics(selectors.clues_for_staff(request.user), date_from=filters.get("date_from"), date_to=filters.get("date_to"))
    return render(request, "clues/stats.html", {"form": form, "stats": stats}, status=200 if (form.is_valid() or not request.GET) else 400)


# --- the enterprise's reminders -------------------------------------------------------------------------


@login_required
def my_reminders(request: HttpRequest) -> HttpResponse:
    """我的整改提醒: the contact's reminders with the rule, the deadline and an answer form."""
    if request.user.role != Role.ENTERPRISE_CONTACT:
        raise Http404("页面不存在或无权查看")
    return _render_my_reminders(request)


def _render_my_reminders(request, form_for: int | None = None, form=None, status=200):
    reminders = list(
        selectors.reminders_visible_to(request.user)
        .select_related("clue", "clue__enterprise")
        .prefetch_related("answers__evidence_items")
        .order_by("-sent_at", "-pk")
    )
    rows = []
    for reminder in reminders:
        open_ = reminder.status in (ReminderStatus.PENDING, ReminderStatus.ANSWERED) and reminder.clue.is_open
        rows.append({"reminder": reminder, "open": open_, "form": form if form_for == reminder.pk else AnswerForm(prefix=f"r{reminder.pk}")})
    return render(request, "clues/my_reminders.html", {"rows": rows, "today": today()}, status=status)


@login_required
@require_POST
def reminder_answer(request: HttpRequest, pk: int) -> HttpResponse:
    if request.user.role != Role.ENTERPRISE_CONTACT or pk > MAX_ID:
        raise Http404("页面不存在或无权查看")
    reminder = selectors.reminders_visible_to(request.user).select_related("clue", "clue__enterprise").filter(pk=pk).first()
    if reminder is None:
        raise Http404("告知提醒不存在或无权查看")
    data, files, body_error = _post_data(request)
    if body_error:
        form = AnswerForm(prefix=f"r{pk}")
        form.add_error(None, body_error)
        return _render_my_reminders(request, pk, form, status=400)
    form = AnswerForm(data, files, prefix=f"r{pk}")
    status = 400
    if form.is_valid():
        try:
            services.reminder_answer_submit(actor=request.user, reminder=reminder, text=form.cleaned_data["text"], files=form.cleaned_data["files"])
        except ZhifaError as err:
            _apply_error(form, err)
            status = err.status
        else:
            messages.success(request, "答复已提交，执法机关将核实改正情况")
            return redirect("clues:my_reminders")
    return _render_my_reminders(request, pk, form, status=status)
