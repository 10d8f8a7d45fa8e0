"""Case pages: the workbench, the case page with its timeline, documents, deadlines and the
action forms of the current step, the reviewer queue, and the enterprise's own cases. Views parse
input, check that the case is visible and call the services; a refused step shows the service's
Chinese message, which names the rule."""
from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhifa.accounts.choices import Role
from zhifa.accounts.models import User
from zhifa.common.errors import ZhifaError
from zhifa.common.timeutil import today
from zhifa.documents.models import IssuedDocument
from zhifa.evidence.models import EvidenceItem
from zhifa.subjects.models import Enterprise

from . import forms, selectors, services
from .choices import OPEN_STATES, CaseState, DecisionKind
from .models import Case, Hearing, LegalReview, Measure, Recusal, Statement
from .rules import discretion, procedure
from .rules import review as review_rules
from .workflow import allowed_from


def _staff(request: HttpRequest) -> None:
    if request.user.role in (Role.ENTERPRISE_CONTACT,):
        raise Http404


def _get_case(request: HttpRequest, pk: int) -> Case:
    case = selectors.cases_visible_to(request.user).filter(pk=pk).first()
    if case is None:
        raise Http404("案件不存在或无权查看")
    return case


_name = selectors.name_of


def _officer_choices(user) -> list[tuple[str, str]]:
    qs = User.objects.filter(role__in=[Role.OFFICER, Role.SUPERVISOR], is_active=True, organisation__path__startswith=user.organisation.path if user.organisation_id else "#")
    return [(str(u.pk), _name(u)) for u in qs.exclude(pk=user.pk).order_by("username")[:200]]


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """Open cases with their next action and deadline, overdue first (issue 5 item 2)."""
    if request.user.role == Role.ENTERPRISE_CONTACT:
        return redirect("cases:mine")
    state = request.GET.get("state", "")
    rows = selectors.workbench(request.user)
    if state in CaseState.values:
        rows = [r for r in rows if r[0].state == state]
    closed = selectors.cases_visible_to(request.user).exclude(state__in=OPEN_STATES)[:50]
    return render(request, "cases/workbench.html", {"rows": rows, "closed": closed, "today": today(), "states": CaseState.choices, "state": state})


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    """The legal reviewer's queue (issue 5 item 5)."""
    _staff(request)
    pending = LegalReview.objects.filter(case__in=selectors.cases_visible_to(request.user), opinion="").select_related("case", "submitted_by").order_by("submitted_at")
    done = LegalReview.objects.filter(reviewer=request.user).exclude(opinion="").select_related("case").order_by("-completed_at")[:30]
    return render(request, "cases/reviews.html", {"pending": pending, "done": done})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The enterprise's cases (its portal): notices, decisions, rights."""
    cases = selectors.cases_visible_to(request.user).order_by("-created_at")
    return render(request, "cases/mine.html", {"cases": cases})


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    """Propose a case (拟立案) by hand, or from a clue (`?clue=ID`)."""
    _staff(request)
    clue = None
    if request.GET.get("clue", "").isdigit():
        from zhifa.clues.selectors import clues_for_staff

        clue = clues_for_staff(request.user).filter(pk=int(request.GET["clue"])).first()
        if clue is None:
            raise Http404("线索不存在或无权查看")
    choices = _officer_choices(request.user)
    form_class = forms.FromClueForm if clue else forms.CaseOpenForm
    form = form_class(request.POST or None, officer_choices=choices, initial={"dual_penalty": bool(clue and clue.dual_penalty_hint)})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            officers = list(User.objects.filter(pk__in=[int(i) for i in data["officers"]]))
            try:
                if clue:
                    case = services.case_open_from_clue(actor=request.user, clue=clue, officers=officers, dual_penalty=data["dual_penalty"])
                else:
                    enterprise = Enterprise.objects.filter(pk=data["enterprise"]).first()
                    if enterprise is None:
                        raise ZhifaError("CASE_NOT_FOUND", "企业不存在", field="enterprise", status=404)
                    case = services.case_open(actor=request.user, enterprise=enterprise, title=data["title"], facts=data["facts"], origin=data["origin"],
                                              officers=officers, benchmark_code=data["benchmark_code"], dual_penalty=data["dual_penalty"])
            except ZhifaError as err:
                _apply_error(form, err)
                status = err.status
            else:
                messages.success(request, f"已拟立案 {case.number}，待机关负责人审批")
                return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/new.html", {"form": form, "clue": clue}, status=status)


def _apply_error(form, err: ZhifaError) -> None:
    field = err.field if err.field in form.fields else None
    text = err.message + (f"（{err.rule}）" if err.rule and err.rule not in err.message else "")
    form.add_error(field, text)


def _parties(case: Case) -> list[dict]:
    out = []
    for party in case.parties.order_by("id"):
        notice = selectors.latest_notice(party)
        served = selectors.served_on(party, notice.document_id) if notice else None
        stmt_end = hearing_end = None
        if notice and served:
            try:
                stmt_end, hearing_end = selectors.rights_deadlines(case, notice, served)
            except ZhifaError:
                pass
        decision = getattr(party, "decision", None)
        proposal = selectors.latest_proposal(party)
        out.append({"party": party, "proposal": proposal, "band_label": discretion.BAND_LABELS.get(proposal.band_code, proposal.band_code) if proposal else "",
                    "notice": notice, "notice_served_on": served,
                    "statement_end": stmt_end, "hearing_end": hearing_end, "statements": list(party.statements.order_by("received_at")),
                    "hearings": list(party.hearings.all()), "decision": decision,
                    "decision_served_on": selectors.served_on(party, decision.document_id) if decision else None,
                    "payment": selectors.payment_notice_for(decision) if decision else None})
    return out


def _active_officer_choices(case: Case) -> list[tuple[str, str]]:
    return [(str(o.user_id), _name(o.user)) for o in case.officers.filter(removed_at__isnull=True).select_related("user").order_by("id")]


def _checklist(case: Case) -> list[tuple[str, str]]:
    return [(c, review_rules.CHECKLIST.get(c, "非现场视听资料、电子数据真实、清晰、完整、准确、合法")) for c in review_rules.checklist_for(non_site=case.origin == "NON_SITE")]


def _presider_choices(case: Case) -> list[tuple[str, str]]:
    """Who the head may name as hearing presider: staff of the bureau who are not on the case (HRG-08)."""
    return [(str(u.pk), _name(u)) for u in User.objects.filter(
        role__in=[Role.OFFICER, Role.SUPERVISOR, Role.LEGAL_REVIEWER], organisation__path__startswith=case.organisation.path.split("/")[0]).exclude(
        pk__in=case.officers.values_list("user_id", flat=True)).order_by("username")[:100]]


def _context(request: HttpRequest, case: Case, bound: dict | None = None) -> dict:
    user = request.user
    portal = user.role == Role.ENTERPRISE_CONTACT
    docs = IssuedDocument.objects.filter(ref=case.ref).order_by("issued_at")
    if portal:
        docs = docs.filter(enterprise_id=case.enterprise_id)
    officers = list(case.officers.select_related("user"))
    active = _active_officer_choices(case)
    pending_review = case.reviews.filter(opinion="").first()
    answered = case.reviews.exclude(opinion="").filter(handler_agrees__isnull=True).first()
    checklist = _checklist(case)
    presiders = _presider_choices(case)
    blank = {
        "act": forms.ActForm(officer_choices=active), "evidence": forms.EvidenceLinkForm(), "propose": forms.ProposalForm(), "statement": forms.StatementForm(),
        "reply": forms.StatementReplyForm(), "hearing_request": forms.HearingRequestForm(), "hearing_schedule": forms.HearingScheduleForm(presider_choices=presiders),
        "hearing_record": forms.HearingRecordForm(), "recusal_apply": forms.RecusalApplyForm(officer_choices=active), "recusal_decide": forms.RecusalDecideForm(),
        "review_submit": forms.ReviewSubmitForm(), "review_complete": forms.ReviewCompleteForm(items=checklist), "review_respond": forms.ReviewRespondForm(),
        "committee": forms.CommitteeForm(), "decide": forms.DecideForm(), "serve": forms.ServeForm(), "refuse": forms.ReasonForm(), "empty": forms.EmptyForm(),
        "measure_request": forms.MeasureRequestForm(), "measure_approve": forms.MeasureDecisionForm(), "measure_extend": forms.MeasureExtendForm(),
        "measure_handle": forms.MeasureHandleForm(), "extend": forms.ExtensionForm(), "enforce": forms.EnforcementForm(),
        "party_add": forms.PartyAddForm(person_choices=_person_choices(case)),
    }
    blank.update(bound or {})
    facts = selectors.case_facts(case)
    from . import guards

    previews = {}
    if not portal:
        if case.state == CaseState.READY:
            previews["decide"] = guards.can_decide(facts, decider_is_head=True)
        if case.state in (CaseState.NOTICED, CaseState.HEARING, CaseState.PROPOSED):
            previews["review"] = guards.can_submit_review(facts)
    return {
        "case": case, "portal": portal, "parties": _parties(case), "officers": officers, "documents": docs, "events": case.events.select_related("actor"),
        "evidence": case.evidence.select_related("item"), "deadlines": selectors.case_deadlines(case), "today": today(), "forms": blank,
        "allowed": allowed_from(case.state), "review_triggers": [review_rules.TRIGGER_LABELS.get(t, t) for t in sorted(facts.review_triggers)], "pending_review": pending_review, "answered_review": answered,
        "measures": case.measures.order_by("requested_at"),
        "reviews": case.reviews.order_by("round_no"), "recusals": case.recusals.order_by("-applied_at"), "committee": case.committee_decisions.all(),
        "is_head": services.is_head(user), "is_reviewer": user.role == Role.LEGAL_REVIEWER, "previews": previews,
        "DecisionKind": DecisionKind, "checklist": checklist, "needs_notice": guards.needs_notice(facts),
        "closure_reason": procedure.CLOSURE_REASONS.get(case.closure_reason, case.closure_reason),
    }


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    return render(request, "cases/detail.html", _context(request, case))


def _one(qs, pk):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise ZhifaError("CASE_NOT_FOUND", "对象不存在", status=404)
    return obj


def _proposal(request, case, d):
    party = _one(case.parties, d["party"])
    scores = {k: d[k] for k in forms.ProposalForm.DIMENSIONS}
    services.case_propose(actor=request.user, party=party, kind=d["kind"], facts=d["facts"], law=d["law"], penalty_types=d["penalty_types"], fine=d["fine"],
                          confiscation=d["confiscation"], scores=scores, discretion_text=d["discretion_text"], aggravation_reasons=d["aggravation_reasons"],
                          deviation_reasons=d["deviation_reasons"], correction_order=d["correction_order"], education=d["education"], benchmark_code=d["benchmark_code"])
    return f"已记录对「{party.name}」的处理意见"


def _act(request, case, d):
    act = services.case_act_record(actor=request.user, case=case, kind=d["kind"], occurred_at=d["occurred_at"], place=d["place"],
                                   officer_ids=[int(i) for i in d["officer_ids"]], content=d["content"], credentials_shown=d["credentials_shown"],
                                   rights_told=d["rights_told"], interviewee=d["interviewee"], read_mode=d["read_mode"], confirmation=d["confirmation"],
                                   refusal_note=d["refusal_note"], correction_deadline=d["correction_deadline"])
    return f"已记录{act.get_kind_display()}（{act.document.number}）"


def _evidence(request, case, d):
    item = EvidenceItem.objects.filter(pk=d["item"]).first()
    if item is None:
        raise ZhifaError("CASE_NOT_FOUND", "证据不存在", field="item", status=404)
    services.case_evidence_link(actor=request.user, case=case, item=item, proves=d["proves"])
    return "已关联证据"


def _serve(request, case, d):
    party = _one(case.parties, d["party"])
    document = _one(IssuedDocument.objects.filter(ref=case.ref), d["document"])
    svc = services.case_serve(actor=request.user, party=party, document=document, method=d["method"], served_on=d["served_on"], recipient=d["recipient"],
                              recipient_role=d["recipient_role"], witnesses=d["witnesses"], av_record=d["av_record"], channel=d["channel"], address=d["address"])
    return f"已送达，送达日期 {svc.served_on:%Y-%m-%d}" if svc.served_on else "已发出电子送达，等待到达回执"


def _review_complete(request, case, d):
    review = _one(case.reviews, d["review"])
    codes = [k[5:] for k in d if k.startswith("item_")]
    services.case_review_complete(actor=request.user, review=review, items={c: d[f"item_{c}"] for c in codes}, opinion=d["opinion"],
                                  opinion_text=d["opinion_text"], comments={c: d.get(f"comment_{c}", "") for c in codes})
    return "已出具法制审核意见"


def _people(case: Case):
    """The enterprise's registered people (principal and staff) who may be added as parties."""
    from django.db.models import Q

    from zhifa.subjects.models import Person

    return Person.objects.filter(Q(pk=case.enterprise.principal_id) | Q(roles__enterprise=case.enterprise)).distinct()


def _person_choices(case: Case) -> list[tuple[str, str]]:
    from zhifa.common.masking import mask_person_name

    return [(str(p.pk), mask_person_name(p.name)) for p in _people(case)[:100]]


def _decide(request, case, d):
    text = d["statements_response"]
    ds = services.case_decide(actor=request.user, case=case, statements_response={p.pk: text for p in case.parties.all()} if text else None)
    return "已作出决定：" + "、".join(x.document.number for x in ds)


ACTIONS: dict[str, tuple[type, Callable]] = {
    "file": (forms.EmptyForm, lambda r, c, d: services.case_file(actor=r.user, case=c) and "已批准立案"),
    "refuse": (forms.ReasonForm, lambda r, c, d: services.case_refuse_filing(actor=r.user, case=c, reason=d["reason"]) and "已决定不予立案"),
    "act": (forms.ActForm, _act),
    "evidence": (forms.EvidenceLinkForm, _evidence),
    "propose": (forms.ProposalForm, _proposal),
    "close_investigation": (forms.EmptyForm, lambda r, c, d: services.case_close_investigation(actor=r.user, case=c) and "调查终结"),
    "notice": (forms.EmptyForm, lambda r, c, d: "已制作告知书：" + "、".join(n.document.number for n in services.case_notice_issue(actor=r.user, case=c))),
    "statement": (forms.StatementForm, lambda r, c, d: services.case_statement_submit(
        actor=r.user, party=_one(c.parties, d["party"]), text=d["text"], objects_to_evidence=d["objects_to_evidence"], waiver=d["waiver"],
        waive_hearing=d["waive_hearing"], channel="PORTAL" if r.user.role == Role.ENTERPRISE_CONTACT else "WRITTEN") and "陈述申辩已提交"),
    "reply": (forms.StatementReplyForm, lambda r, c, d: services.case_statement_reply(
        actor=r.user, statement=_one(Statement.objects.filter(party__case=c), d["statement"]), result=d["result"], reasons=d["reasons"]) and "已复核陈述申辩"),
    "hearing_request": (forms.HearingRequestForm, lambda r, c, d: services.case_hearing_request(
        actor=r.user, party=_one(c.parties, d["party"]), agents=[a for a in d["agents"].splitlines() if a.strip()]) and "听证申请已提交"),
    "hearing_schedule": (forms.HearingScheduleForm, lambda r, c, d: services.case_hearing_schedule(
        actor=r.user, hearing=_one(Hearing.objects.filter(party__case=c), d["hearing"]), presider=_one(User.objects, int(d["presider"])),
        scheduled_on=d["scheduled_on"], place=d["place"], public=d["public"], closed_reason=d["closed_reason"]) and "已制作听证通知书"),
    "hearing_record": (forms.HearingRecordForm, lambda r, c, d: services.case_hearing_record(
        actor=r.user, hearing=_one(Hearing.objects.filter(party__case=c), d["hearing"]), outcome=d["outcome"], summary=d["summary"],
        party_signed=d["party_signed"], refusal_note=d["refusal_note"]) and "已制作听证笔录"),
    "recusal_apply": (forms.RecusalApplyForm, lambda r, c, d: services.case_recusal_apply(
        actor=r.user, case=c, officer=_one(User.objects, int(d["officer"])), reason=d["reason"]) and "回避申请已提交"),
    "recusal_decide": (forms.RecusalDecideForm, lambda r, c, d: services.case_recusal_decide(
        actor=r.user, recusal=_one(Recusal.objects.filter(case=c), d["recusal"]), granted=d["granted"], reason=d["reason"]) and "已作出回避决定"),
    "review_submit": (forms.ReviewSubmitForm, lambda r, c, d: services.case_review_submit(actor=r.user, case=c, materials=d["materials"]) and "已提交法制审核"),
    "skip_review": (forms.EmptyForm, lambda r, c, d: services.case_skip_review(actor=r.user, case=c) and "已报机关负责人决定"),
    "review_complete": (forms.ReviewCompleteForm, _review_complete),
    "review_respond": (forms.ReviewRespondForm, lambda r, c, d: services.case_review_respond(
        actor=r.user, review=_one(c.reviews, d["review"]), agrees=d["agrees"], note=d["note"]) and "已回应审核意见"),
    "committee": (forms.CommitteeForm, lambda r, c, d: services.case_committee_record(
        actor=r.user, case=c, held_on=d["held_on"], members=d["members"], conclusion=d["conclusion"], text=d["text"]) and "已记录集体讨论"),
    "decide": (forms.DecideForm, _decide),
    "serve": (forms.ServeForm, _serve),
    "measure_request": (forms.MeasureRequestForm, lambda r, c, d: services.case_measure_request(
        actor=r.user, case=c, kind=d["kind"], items=forms.parse_items(d["items"]), reason=d["reason"],
        basis=d["basis"], related_confirmed=d["related_confirmed"], period_days=d["period_days"] or 0, hazchem=d["hazchem"],
        emergency=d["emergency"]) and "已提交措施申请"),
    "measure_approve": (forms.MeasureDecisionForm, lambda r, c, d: services.case_measure_approve(
        actor=r.user, measure=_one(Measure.objects.filter(case=c), d["measure"]), approve=d["approve"]) and "已审批"),
    "measure_extend": (forms.MeasureExtendForm, lambda r, c, d: services.case_measure_extend(
        actor=r.user, measure=_one(Measure.objects.filter(case=c), d["measure"]), days=d["days"], reason=d["reason"]) and "已延长期限"),
    "measure_handle": (forms.MeasureHandleForm, lambda r, c, d: services.case_measure_handle(
        actor=r.user, measure=_one(Measure.objects.filter(case=c), d["measure"]), handling=d["handling"], note=d["note"]) and "已作出处理决定"),
    "extend": (forms.ExtensionForm, lambda r, c, d: services.case_extension_approve(actor=r.user, case=c, days=d["days"], reason=d["reason"]) and "已批准延长办案期限"),
    "enforce": (forms.EnforcementForm, lambda r, c, d: services.case_enforcement_apply(
        actor=r.user, party=_one(c.parties, d["party"]), court=d["court"]) and "已记录申请法院强制执行"),
    "party_add": (forms.PartyAddForm, lambda r, c, d: services.case_party_add(
        actor=r.user, case=c, person=_one(_people(c), int(d["person"])), role=d["role"], reason=d["reason"]) and "已追加当事人"),
    "close": (forms.EmptyForm, lambda r, c, d: services.case_close(actor=r.user, case=c) and "已结案"),
    "archive": (forms.EmptyForm, lambda r, c, d: services.case_archive(actor=r.user, case=c) and "已立卷归档"),
}


def action_form(case: Case, action: str, data):
    """The bound form of one step, with the choices that depend on the case (page and API)."""
    form_class = ACTIONS[action][0]
    kwargs = {}
    if form_class in (forms.ActForm, forms.RecusalApplyForm):
        kwargs["officer_choices"] = _active_officer_choices(case)
    if form_class is forms.HearingScheduleForm:
        # any user passes the form, so that the service names the rule (HRG-08) for an investigator
        kwargs["presider_choices"] = [(str(u.pk), "") for u in User.objects.all().only("pk")]
    if form_class is forms.PartyAddForm:
        kwargs["person_choices"] = _person_choices(case)
    if form_class is forms.ReviewCompleteForm:
        kwargs["items"] = _checklist(case)
    return form_class(data, **kwargs)


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One POSTed step of the case page: success → message and redirect; refusal → the page again
    with the Chinese message (naming the rule) next to the form, status 4xx."""
    case = _get_case(request, pk)
    if action not in ACTIONS:
        raise Http404
    form_class, call = ACTIONS[action]
    form = action_form(case, action, request.POST)
    status = 400
    if form.is_valid():
        try:
            message = call(request, case, form.cleaned_data)
        except ZhifaError as err:
            _apply_error(form, err)
            status = err.status if 400 <= err.status < 500 else 400
        else:
            messages.success(request, message)
            return redirect(reverse("cases:detail", args=[case.pk]) + f"#{action}")
    case.refresh_from_db()
    if form_class is forms.HearingScheduleForm:
        # shown again with the page's own list (names, never every account of the system)
        form.fields["presider"].choices = _presider_choices(case)
    context = _context(request, case, {action: form})
    context["failed_action"] = action
    context["action_errors"] = [str(e) for errors in form.errors.values() for e in errors]
    return render(request, "cases/detail.html", context, status=status)

