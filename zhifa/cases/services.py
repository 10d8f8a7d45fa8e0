"""Writes of the case procedure. Each service checks permission and input, builds the guard
snapshot, refuses with the rule's Chinese message on a blocking finding, and only then writes its
rows, the documents, a `CaseEvent` and a ledger entry — all in one transaction, so nothing is ever
half-saved (issue 5 "Bad input").

Who may do what (docs/cases.md):
- officers and supervisors of the case's organisation subtree handle a case they are assigned to
  (supervisors may act on any case of their subtree);
- a supervisor (机关负责人) approves filing, decides recusals, records the committee and decides;
- a legal reviewer (法制审核人员) who is not a handler of the case reviews it (LRV-06, LRV-08);
- an enterprise contact acts for its enterprise's party: statements, waivers, hearing and recusal
  requests (its user account is the actor);
- auditors write nothing.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhifa.accounts.access import require_writer as _require_writer
from zhifa.accounts.choices import Role
from zhifa.accounts.models import OfficerCredential, User
from zhifa.clues.facts import flatten_facts
from zhifa.clues.models import Clue
from zhifa.clues.rules import canonical_json, snapshot_hash
from zhifa.common.calendar_store import get_calendar
from zhifa.common.text import clean_text as _clean_text
from zhifa.common.timeutil import local_date, today
from zhifa.evidence.choices import LinkTarget
from zhifa.evidence.models import EvidenceItem
from zhifa.evidence.selectors import evidence_visible_to
from zhifa.evidence.services import evidence_link
from zhifa.ledger.services import ledger_append
from zhifa.rulesets.errors import RuleNotConfigured
from zhifa.rulesets.selectors import rs
from zhifa.subjects.models import Enterprise

from . import casedocs, guards, selectors, signals
from .choices import (
    NO_PENALTY_KINDS,
    ActKind,
    CaseState,
    ChangeAuthority,
    CommitteeConclusion,
    Confirmation,
    DecisionChangeKind,
    DecisionKind,
    EventKind,
    MeasureHandling,
    MeasureKind,
    OfficerRole,
    Origin,
    PartyKind,
    PartyRole,
    ReadMode,
    ReviewOpinion,
    ServiceMethod,
    StatementChannel,
    StatementReview,
)
from .errors import CaseErrorCode, case_error, not_found, refused
from .models import (
    Case,
    CaseEvent,
    CaseEvidence,
    CaseNumberSequence,
    CaseOfficer,
    CaseParty,
    CommitteeDecision,
    Decision,
    DecisionChange,
    Hearing,
    InvestigationAct,
    LegalReview,
    Measure,
    Notice,
    Proposal,
    Recusal,
    Service,
    Statement,
    StatementReply,
)
from .rules import deadlines, discretion, penalties, procedure
from .rules import hearing as hearing_rules
from .rules import review as review_rules
from .rules.findings import Finding, blocking_only

HANDLER_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})
MAX_TEXT = 20000
OPEN_BEFORE_DECISION = frozenset({CaseState.INVESTIGATING, CaseState.PROPOSED, CaseState.NOTICED, CaseState.HEARING, CaseState.REVIEW,
                                  CaseState.COMMITTEE, CaseState.READY})


# --- helpers ------------------------------------------------------------------------------------


def clean_text(value: Any, max_length: int = MAX_TEXT) -> str:
    return _clean_text(value, max_length)


def _required(value: Any, field: str, label: str, max_length: int = MAX_TEXT) -> str:
    text = clean_text(value, max_length)
    if not text:
        raise case_error(CaseErrorCode.INVALID_INPUT, f"请填写{label}", field=field)
    return text


def money(value: Any, field: str, label: str) -> Decimal:
    """A non-negative amount in yuan with at most two decimals (分)."""
    if value in (None, ""):
        return Decimal("0")
    try:
        raw = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise case_error(CaseErrorCode.INVALID_INPUT, f"{label}不是有效的金额", field=field) from None
    if not raw.is_finite() or raw < 0:
        raise case_error(CaseErrorCode.INVALID_INPUT, f"{label}不能为负数", field=field)
    if raw != raw.quantize(Decimal("0.01")):
        raise case_error(CaseErrorCode.INVALID_INPUT, f"{label}最多保留两位小数（分）", field=field)
    if raw >= Decimal("1e12"):
        raise case_error(CaseErrorCode.INVALID_INPUT, f"{label}超出允许范围", field=field)
    return raw.quantize(Decimal("0.01"))


def _visible(actor, case: Case) -> None:
    if not selectors.cases_visible_to(actor).filter(pk=case.pk).exists():
        raise not_found()


def is_head(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role == Role.SUPERVISOR)


def _require_handler(actor, case: Case, *, head: bool = False) -> None:
    """Officers act on cases they are assigned to; supervisors on any case of their subtree."""
    _require_writer(actor)
    _visible(actor, case)
    if actor.role not in HANDLER_ROLES:
        raise case_error(CaseErrorCode.PERMISSION_DENIED, "只有执法人员或机关负责人可以办理案件", status=403)
    if head and actor.role != Role.SUPERVISOR:
        raise case_error(CaseErrorCode.PERMISSION_DENIED, "该事项须由机关负责人（科室负责人/局领导）决定", status=403, rule="CAS-14")
    if actor.role == Role.OFFICER:
        row = case.officers.filter(user=actor).first()
        if row is None and case.created_by_id != actor.pk:
            raise case_error(CaseErrorCode.PERMISSION_DENIED, "您不是本案的办案人员", status=403)
        if row is not None and row.removed_at is not None:
            raise case_error(CaseErrorCode.PERMISSION_DENIED, "您已回避或退出本案，不得再参与办理", status=403, rule="RCS-04")


def _require_party_actor(actor, party: CaseParty) -> None:
    """The enterprise's authorised contact acts for the unit and, in its portal, for the principal
    person of that unit (who may also be represented by staff recording a written statement)."""
    _require_writer(actor)
    if actor.role == Role.ENTERPRISE_CONTACT:
        if party.case.enterprise_id not in selectors.contact_enterprise_ids(actor):
            raise not_found()
        return
    _require_handler(actor, party.case)


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _event(case: Case, kind: str, summary: str, *, actor, state_from: str = "", payload: Mapping[str, Any] | None = None) -> CaseEvent:
    data = json.loads(canonical_json(dict(payload or {})))
    entry = ledger_append(actor=actor, action=f"cases.{kind.lower()}", object_type="cases.case", object_id=case.pk,
                          payload={"summary": summary, "state": case.state, **data})
    return CaseEvent.objects.create(case=case, actor=actor, kind=kind, state_from=state_from, state_to=case.state if state_from else "",
                                    summary=summary[:300], payload=data, ledger_index=getattr(entry, "index", None))


def _check(findings: Sequence[Finding]) -> list[Finding]:
    """Raise on blocking findings; return the rest (warnings shown to the user)."""
    block = blocking_only(findings)
    if block:
        raise refused(block)
    return [f for f in findings if not f.blocking]


def _move(case: Case, transition: str, kind: str, summary: str, *, actor, payload: Mapping[str, Any] | None = None) -> None:
    before = case.state
    method = getattr(case, f"do_{transition}")
    try:
        method()
    except Exception as exc:  # django_fsm.TransitionNotAllowed
        if exc.__class__.__name__ != "TransitionNotAllowed":
            raise
        raise case_error(CaseErrorCode.WRONG_STATE, f"案件当前处于「{case.get_state_display()}」，按法定程序的顺序不能进行此操作（不得跳过或颠倒法定步骤）",
                         rule="CAS-01", status=409) from None
    case.save()
    _event(case, kind, summary, actor=actor, state_from=before, payload=payload)


def _rule(key: str, case: Case, on: date, kind: str | None = None):
    try:
        return rs(key, organisation=case.organisation, on=on, kind=kind).value
    except RuleNotConfigured as exc:
        raise case_error(CaseErrorCode.CONFIG_MISSING, str(exc.message), rule="JUR-01", status=409, key=key) from None


def _next_number(organisation, year: int) -> str:
    seq, _ = CaseNumberSequence.objects.select_for_update().get_or_create(organisation=organisation, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    short = organisation.name.replace("应急管理局", "应急").replace("区", "")[:8]
    return f"{short}立〔{year}〕{seq.last}号"


# --- opening and filing -------------------------------------------------------------------------


def _enforcement_body(organisation):
    """The enforcement body an organisation works for: itself or its nearest ancestor that is one
    (a street office acts for its district bureau). Case officers come from its subtree."""
    node = organisation
    while node is not None and not node.is_enforcement_body:
        node = node.parent
    return node or organisation


def case_open(*, actor, enterprise: Enterprise, title: str, facts: str, origin: str, officers: Sequence[User], clue: Clue | None = None,
              benchmark_code: str = "", dual_penalty: bool = False, act_key: str = "") -> Case:
    """Propose a case for filing (拟立案, CAS-02): the unit is a party; with 一案双罚 (DEC-03) the
    principal person is a second party. Officers are assigned now; CAS-04 is checked at filing."""
    _require_writer(actor)
    if actor.role not in HANDLER_ROLES or not actor.organisation_id:
        raise case_error(CaseErrorCode.PERMISSION_DENIED, "只有执法人员或机关负责人可以拟立案", status=403)
    if origin not in Origin.values:
        raise case_error(CaseErrorCode.INVALID_INPUT, "案件来源无效", field="origin")
    title = _required(title, "title", "案由", 300)
    facts = _required(facts, "facts", "涉嫌违法事实")
    from zhifa.subjects.selectors import enterprises_visible_to

    if not enterprises_visible_to(actor).filter(pk=enterprise.pk).exists():
        raise not_found("企业")
    team = list(dict.fromkeys([actor, *officers]))
    body = _enforcement_body(actor.organisation)
    for u in team:
        if u.role not in HANDLER_ROLES or not u.organisation_id or not u.organisation.path.startswith(body.path):
            raise case_error(CaseErrorCode.INVALID_INPUT, f"「{selectors.name_of(u)}」不是{body.name}的执法人员", field="officers")
    principal = enterprise.principal if dual_penalty else None
    if dual_penalty and principal is None:
        raise case_error(CaseErrorCode.INVALID_INPUT, "该企业未登记主要负责人，无法适用一案双罚", field="dual_penalty", rule="DEC-03")
    with transaction.atomic():
        case = Case(number=_next_number(actor.organisation, today().year), organisation=actor.organisation, enterprise=enterprise, clue=clue,
                    origin=origin, title=title, facts=facts, benchmark_code=clean_text(benchmark_code, 64),
                    act_key=clean_text(act_key, 120) or (f"clue:{clue.pk}" if clue else ""), created_by=actor)
        case.save()
        CaseParty.objects.create(case=case, role=PartyRole.UNIT, kind=PartyKind.ORG, enterprise=enterprise, name=enterprise.name)
        if principal is not None:
            CaseParty.objects.create(case=case, role=PartyRole.PRINCIPAL, kind=PartyKind.INDIVIDUAL, person=principal, name=principal.name)
        for i, u in enumerate(team):
            CaseOfficer.objects.create(case=case, user=u, role=OfficerRole.LEAD if i == 0 else OfficerRole.ASSIST)
        _event(case, EventKind.CREATED, f"拟立案：{title}", actor=actor, state_from="",
               payload={"origin": origin, "clue": clue.pk if clue else None, "officers": [u.pk for u in team], "dual_penalty": dual_penalty})
    return case


def case_open_from_clue(*, actor, clue: Clue, officers: Sequence[User], dual_penalty: bool | None = None) -> Case:
    """A clue transferred to enforcement becomes a proposed case with its facts (CLU-X01, issue 4
    item 5 "open a case"). The clue's data snapshot is the first evidence candidate."""
    from zhifa.clues.selectors import clues_for_staff

    if not clues_for_staff(actor).filter(pk=clue.pk).exists():
        raise not_found("线索")
    if Case.objects.filter(clue=clue).exclude(state=CaseState.NOT_FILED).exists():
        raise case_error(CaseErrorCode.INVALID_INPUT, "该线索已立案", field="clue")
    rows = flatten_facts(clue.facts)
    facts = (f"{clue.title}。\n" + "\n".join(f"{label}：{value}" for label, value in rows))[:4000]
    case = case_open(actor=actor, enterprise=clue.enterprise, title=clue.title, facts=facts, officers=officers, clue=clue,
                     origin=Origin.NON_SITE if clue.scenario_id else Origin.COMPLAINT,
                     benchmark_code=benchmark_code_for_scenario(actor.organisation, clue.rule_id),
                     dual_penalty=clue.dual_penalty_hint if dual_penalty is None else dual_penalty)
    if clue.snapshot_evidence_id:
        with transaction.atomic():
            _link_evidence(actor, case, clue.snapshot_evidence, "线索数据快照（非现场数据）")
    return case


def case_file(*, actor, case: Case) -> Case:
    """Filing approval by the head (CAS-02) with two qualified officers (CAS-04)."""
    _require_handler(actor, case, head=True)
    with transaction.atomic():
        case = _lock(case)
        facts = selectors.case_facts(case)
        warnings = _check(guards.can_file(approver_is_head=is_head(actor), approver_is_creator=case.created_by_id == actor.pk, facts=facts))
        case.filed_on = today()
        case.filing_approved_by = actor
        doc = casedocs.issue(case, "FILING_APPROVAL", actor=actor)
        _move(case, "file", EventKind.FILED, f"立案（{doc.number}）", actor=actor, payload={"document": doc.pk, "warnings": [w.message for w in warnings]})
    return case


def case_refuse_filing(*, actor, case: Case, reason: str) -> Case:
    _require_handler(actor, case, head=True)
    reason = _required(reason, "reason", "不予立案的理由", 2000)
    with transaction.atomic():
        case = _lock(case)
        _move(case, "refuse_filing", EventKind.NOT_FILED, f"不予立案：{reason[:200]}", actor=actor, payload={"reason": reason})
    return case


def case_officer_assign(*, actor, case: Case, user: User, role: str = OfficerRole.ASSIST) -> CaseOfficer:
    """Assign another officer (e.g. after a recusal, RCS-04)."""
    _require_handler(actor, case, head=True)
    if user.role not in HANDLER_ROLES or user.organisation_id is None:
        raise case_error(CaseErrorCode.INVALID_INPUT, "只能指派执法人员", field="user")
    with transaction.atomic():
        row, created = CaseOfficer.objects.get_or_create(case=case, user=user, defaults={"role": role})
        if not created:
            raise case_error(CaseErrorCode.INVALID_INPUT, "该人员已在办案人员中（回避的人员不得重新指派）", field="user", rule="RCS-04")
        _event(case, EventKind.OFFICER_ASSIGNED, f"指派执法人员 {selectors.name_of(user)}", actor=actor, payload={"user": user.pk})
    return row


def case_party_add(*, actor, case: Case, person, role: str = PartyRole.RESPONSIBLE, reason: str = "") -> CaseParty:
    """Add a natural person as a party during investigation: the principal person (一案双罚,
    DEC-03) or a directly responsible person where the cited article also fines them (DEC-11). The
    person must be one of the enterprise's registered people."""
    from zhifa.subjects.models import EnterprisePerson

    _require_handler(actor, case)
    case = Case.objects.get(pk=case.pk)
    if case.state != CaseState.INVESTIGATING:
        raise case_error(CaseErrorCode.WRONG_STATE, "只有在调查阶段才能追加当事人", status=409, rule="CAS-01")
    if role not in (PartyRole.PRINCIPAL, PartyRole.RESPONSIBLE):
        raise case_error(CaseErrorCode.INVALID_INPUT, "只能追加主要负责人或其他直接责任人员", field="role")
    linked = case.enterprise.principal_id == person.pk or EnterprisePerson.objects.filter(enterprise=case.enterprise, person=person).exists()
    if not linked:
        raise case_error(CaseErrorCode.INVALID_INPUT, "该人员不是本单位登记的负责人或从业人员", field="person")
    if case.parties.filter(person=person).exists():
        raise case_error(CaseErrorCode.INVALID_INPUT, "该人员已是本案当事人", field="person")
    with transaction.atomic():
        party = CaseParty.objects.create(case=case, role=role, kind=PartyKind.INDIVIDUAL, person=person, name=person.name)
        _event(case, EventKind.PARTY_ADDED, f"追加当事人：{party.get_role_display()} {person.name}", actor=actor,
               payload={"party": party.pk, "reason": clean_text(reason, 500)})
    return party


# --- investigation ------------------------------------------------------------------------------


ACT_DOCUMENT = {ActKind.INQUIRY: "INQUIRY_RECORD", ActKind.EVIDENCE_ROOM: "INQUIRY_RECORD", ActKind.ONLINE_INQUIRY: "INQUIRY_RECORD",
                ActKind.INSPECTION: "INQUIRY_RECORD", ActKind.CORRECTION_ORDER: "CORRECTION_ORDER", ActKind.ONSITE_MEASURE: "ONSITE_MEASURE"}


def case_act_record(*, actor, case: Case, kind: str, occurred_at: datetime, place: str, officer_ids: Sequence[int], content: str,
                    credentials_shown: bool, rights_told: bool, interviewee: str = "", read_mode: str = "", confirmation: str = "",
                    refusal_note: str = "", presented_evidence_ids: Sequence[int] = (), correction_deadline: date | None = None) -> InvestigationAct:
    """An investigative act and its record: ≥2 qualified officers (CAS-04), credentials shown
    (CAS-05), rights told (RTS-05, CAS-10), the record read back and confirmed or the refusal noted
    (CAS-06, CAS-11), and in the evidence-collection room the non-site evidence presented (CAS-09)."""
    _require_handler(actor, case)
    if case.state != CaseState.INVESTIGATING:
        raise case_error(CaseErrorCode.WRONG_STATE, "只有在调查取证阶段才能记录调查取证", status=409)
    if kind not in ActKind.values:
        raise case_error(CaseErrorCode.INVALID_INPUT, "调查取证类别无效", field="kind")
    place = _required(place, "place", "地点", 200)
    content = _required(content, "content", "笔录内容/检查情况")
    if occurred_at > timezone.now():
        raise case_error(CaseErrorCode.INVALID_INPUT, "调查时间不能晚于当前时间", field="occurred_at")
    active = {o.user_id: o for o in selectors.officer_facts(case, local_date(occurred_at))}
    chosen = [active[i] for i in dict.fromkeys(int(i) for i in officer_ids) if i in active]
    findings = list(procedure.officer_findings(chosen, act="调查取证"))
    if not credentials_shown:
        findings.append(Finding("CAS-05", "CREDENTIALS_NOT_SHOWN", "调查或者检查时应当主动出示执法证件"))
    if kind in (ActKind.INQUIRY, ActKind.EVIDENCE_ROOM, ActKind.ONLINE_INQUIRY) and not rights_told:
        findings.append(Finding("RTS-05", "RIGHTS_NOT_TOLD", "询问前应告知当事人陈述、申辩、申请回避等权利和配合调查的义务"))
    if kind in (ActKind.INQUIRY, ActKind.EVIDENCE_ROOM, ActKind.ONLINE_INQUIRY, ActKind.INSPECTION):
        if read_mode not in ReadMode.values:
            findings.append(Finding("CAS-11", "NOT_READ_BACK", "笔录应当向当事人宣读或者由当事人阅读"))
        if confirmation not in Confirmation.values:
            findings.append(Finding("CAS-06", "NOT_CONFIRMED", "笔录应当由当事人签名确认；拒绝签名的应注明"))
        elif confirmation == Confirmation.REFUSED and not clean_text(refusal_note, 200):
            findings.append(Finding("CAS-06", "REFUSAL_NOTE_MISSING", "当事人拒绝签名的，应当注明情况"))
    if kind == ActKind.EVIDENCE_ROOM:
        non_site = set(case.evidence.filter(item__source__in=["DEVICE", "SHARED_DATA"]).values_list("item_id", flat=True))
        if not non_site.issubset(set(int(i) for i in presented_evidence_ids)):
            findings.append(Finding("CAS-09", "EVIDENCE_NOT_PRESENTED", "在固定取证室制作笔录时，应当向当事人出示全部非现场证据"))
    if kind == ActKind.CORRECTION_ORDER and not correction_deadline:
        findings.append(Finding("CAS-13", "CORRECTION_DEADLINE_MISSING", "责令限期整改须写明整改期限", True))
    _check(findings)
    with transaction.atomic():
        act = InvestigationAct(case=case, kind=kind, occurred_at=occurred_at, place=place, officer_ids=[o.user_id for o in chosen],
                               credentials_shown=True, rights_told=bool(rights_told), interviewee=clean_text(interviewee, 100), content=content,
                               presented_evidence_ids=[int(i) for i in presented_evidence_ids], read_mode=read_mode, confirmation=confirmation,
                               refusal_note=clean_text(refusal_note, 200), correction_deadline=correction_deadline, recorded_by=actor)
        act.document = casedocs.issue(case, ACT_DOCUMENT[kind], actor=actor, act=act)
        act.save()
        _event(case, EventKind.ACT_RECORDED, f"{act.get_kind_display()}（{act.document.number}）", actor=actor, payload={"act": act.pk})
    return act


def _link_evidence(actor, case: Case, item: EvidenceItem, proves: str) -> CaseEvidence:
    link = CaseEvidence.objects.create(case=case, item=item, proves=proves, linked_by=actor)
    evidence_link(actor=actor, item=item, object_type=LinkTarget.CASE, object_id=case.pk, note=proves)
    _event(case, EventKind.EVIDENCE_LINKED, f"关联证据：{item.title}", actor=actor, payload={"item": item.pk, "proves": proves})
    return link


def case_evidence_link(*, actor, case: Case, item: EvidenceItem, proves: str) -> CaseEvidence:
    """Put an evidence item of the evidence store into the case file (EVI-03: what it proves)."""
    _require_handler(actor, case)
    proves = _required(proves, "proves", "证明事项", 300)
    if not evidence_visible_to(actor).filter(pk=item.pk).exists():
        raise not_found("证据")
    if case.evidence.filter(item=item).exists():
        raise case_error(CaseErrorCode.INVALID_INPUT, "该证据已在案卷中", field="item")
    with transaction.atomic():
        return _link_evidence(actor, case, item, proves)


# --- registration-preservation and sealing/seizure -------------------------------------------------


def case_measure_request(*, actor, case: Case, kind: str, items: Sequence[Mapping[str, str]], reason: str, basis: str, related_confirmed: bool,
                         period_days: int = 0, hazchem: bool = False, emergency: bool = False) -> Measure:
    """Ask for registration-preservation (CAS-12) or sealing/seizure (CRC-01). Prior approval of the
    head is the rule; only sealing/seizure in an emergency starts at once and must be reported to
    the head within 24 hours (CRC-02). The items must be related to the case and not daily
    necessities (CRC-04); the period is at most the rule set's maximum (CRC-06)."""
    _require_handler(actor, case)
    case = Case.objects.get(pk=case.pk)
    if case.state not in (CaseState.INVESTIGATING, CaseState.PROPOSED, CaseState.NOTICED, CaseState.HEARING):
        raise case_error(CaseErrorCode.WRONG_STATE, "立案调查期间才能采取证据保存或行政强制措施", status=409)
    if kind not in MeasureKind.values:
        raise case_error(CaseErrorCode.INVALID_INPUT, "措施种类无效", field="kind")
    rows = [{"name": clean_text(i.get("name"), 100), "quantity": clean_text(i.get("quantity"), 50), "location": clean_text(i.get("location"), 100)}
            for i in items if clean_text(i.get("name"), 100)]
    if not rows or any(not r["quantity"] for r in rows):
        raise case_error(CaseErrorCode.INVALID_INPUT, "请逐项填写物品或场所的名称和数量", field="items", rule="CRC-05")
    reason = _required(reason, "reason", "理由", 2000)
    basis = _required(basis, "basis", "依据", 300)
    findings = list(procedure.officer_findings(selectors.officer_facts(case, today()), act="采取措施"))
    if not related_confirmed:
        findings.append(Finding("CRC-04", "ITEMS_NOT_CONFIRMED", "只能查封、扣押与违法行为有关的场所、设施或者财物，不得查封、扣押与违法行为无关的或者公民个人及其所扶养家属的生活必需品"))
    if kind == MeasureKind.PRESERVATION:
        if emergency:
            findings.append(Finding("CAS-12", "PRESERVATION_NEEDS_APPROVAL", "先行登记保存须事先经行政机关负责人批准"))
        period = int(_rule("preservation.decide_wd", case, today()))
    else:
        max_days = int(_rule("coercion.max_days", case, today()))
        period = int(period_days or max_days)
        if not 1 <= period <= max_days:
            findings.append(Finding("CRC-06", "PERIOD_TOO_LONG", f"查封、扣押的期限不得超过{max_days}日"))
    _check(findings)
    with transaction.atomic():
        m = Measure.objects.create(case=case, kind=kind, items=rows, reason=reason, basis=basis, hazchem=bool(hazchem), emergency=bool(emergency),
                                   requested_by=actor, requested_at=timezone.now(), period_days=period)
        if emergency:
            _measure_start(actor, case, m)
        _event(case, EventKind.MEASURE, f"{m.get_kind_display()}{'（情况紧急，当场实施，须24小时内报告负责人）' if emergency else '申请，待负责人批准'}", actor=actor,
               payload={"measure": m.pk})
    return m


def _measure_start(actor, case: Case, m: Measure) -> None:
    m.started_on = today()
    cal = get_calendar()
    if m.kind == MeasureKind.PRESERVATION:
        m.due_on = deadlines.preservation_deadline(m.started_on, m.period_days, cal).due_date
    else:
        m.due_on = deadlines.coercion_end(m.started_on, m.period_days)
        m.document = casedocs.issue(case, "SEALING_DECISION", actor=actor, measure=m)
    m.save()
    if m.kind != MeasureKind.PRESERVATION:
        signals.coercion_decided.send(sender=Measure, measure=m, actor=actor)  # PUB-12


def case_measure_approve(*, actor, measure: Measure, approve: bool, note: str = "") -> Measure:
    """The head approves beforehand (CAS-12, CRC-01) or, after an emergency measure, confirms or
    rejects it — a rejected emergency measure is released at once (CRC-02). Hazardous chemicals need
    the principal head (CRC-03): here the supervisor role stands for the head; see docs/cases.md."""
    case = measure.case
    _require_handler(actor, case, head=True)
    with transaction.atomic():
        m = Measure.objects.select_for_update().get(pk=measure.pk)
        if m.approved_at or m.rejected:
            raise case_error(CaseErrorCode.WRONG_STATE, "该措施已审批", status=409)
        now = timezone.now()
        late = m.emergency and (now - m.requested_at).total_seconds() > float(_rule("coercion.emergency_report_h", case, today())) * 3600
        if approve:
            m.approved_by, m.approved_at = actor, now
            m.save()
            if not m.emergency:
                _measure_start(actor, case, m)
        else:
            m.rejected = True
            if m.started_on:
                m.handling, m.handled_on, m.handled_note = MeasureHandling.RELEASE, today(), "负责人不予批准，立即解除"
            m.save()
        _event(case, EventKind.MEASURE, f"负责人{'批准' if approve else '不予批准'}{m.get_kind_display()}" + ("（紧急措施超过24小时才报告）" if late else ""),
               actor=actor, payload={"measure": m.pk, "late_report": late, "note": clean_text(note, 300)})
    return m


def case_measure_extend(*, actor, measure: Measure, days: int, reason: str) -> Measure:
    """One extension of sealing/seizure, approved by the head, by at most 30 days (CRC-06)."""
    case = measure.case
    _require_handler(actor, case, head=True)
    reason = _required(reason, "reason", "延长理由", 300)
    with transaction.atomic():
        m = Measure.objects.select_for_update().get(pk=measure.pk)
        if m.kind == MeasureKind.PRESERVATION or not m.started_on or m.handled_on:
            raise case_error(CaseErrorCode.WRONG_STATE, "只有正在实施的查封、扣押可以延长", status=409)
        if m.extension_days:
            raise case_error(CaseErrorCode.FORBIDDEN_BY_RULE, "查封、扣押的期限只能延长一次", rule="CRC-06", status=409)
        if today() > m.due_on:
            raise case_error(CaseErrorCode.FORBIDDEN_BY_RULE, "期限已届满，应当解除查封、扣押", rule="CRC-07", status=409)
        m.due_on = deadlines.coercion_end(m.started_on, m.period_days, extension_days=int(days),
                                          extension_max=int(_rule("coercion.extension_max_days", case, today())))
        m.extension_days, m.extension_reason = int(days), reason
        m.save()
        _event(case, EventKind.MEASURE, f"延长{m.get_kind_display()}期限{days}日至{m.due_on:%Y-%m-%d}（书面告知当事人）", actor=actor, payload={"measure": m.pk})
    return m


def case_measure_handle(*, actor, measure: Measure, handling: str, note: str = "") -> Measure:
    """The handling decision within the period (CAS-12: 7 working days; CRC-07): release, confiscate,
    destroy or transfer. A late decision is recorded as late."""
    case = measure.case
    _require_handler(actor, case)
    if handling not in MeasureHandling.values:
        raise case_error(CaseErrorCode.INVALID_INPUT, "处理决定无效", field="handling")
    with transaction.atomic():
        m = Measure.objects.select_for_update().get(pk=measure.pk)
        if not m.started_on or m.handled_on:
            raise case_error(CaseErrorCode.WRONG_STATE, "该措施尚未实施或已处理", status=409)
        m.handling, m.handled_on, m.handled_note = handling, today(), clean_text(note, 300)
        m.save()
        late = m.handled_on > m.due_on
        _event(case, EventKind.MEASURE, f"{m.get_kind_display()}处理：{m.get_handling_display()}" + ("（已超过期限）" if late else ""), actor=actor,
               payload={"measure": m.pk, "late": late})
    return m


# --- proposal and discretion --------------------------------------------------------------------


def _benchmark_table(organisation, on: date) -> list:
    try:
        return rs("discretion.benchmarks", organisation=organisation, on=on).value or []
    except RuleNotConfigured:
        return []


def benchmark_code_for_scenario(organisation, rule_id: str) -> str:
    """The unit's benchmark a detection scenario points at (the table lists its scenarios)."""
    for entry in _benchmark_table(organisation, today()):
        if rule_id in (entry.get("scenarios") or []) and entry.get("party_kind", "ORG") == "ORG":
            return str(entry.get("code", ""))
    return ""


def benchmark_for(case: Case, code: str, on: date) -> discretion.Benchmark | None:
    if not code:
        return None
    for entry in _benchmark_table(case.organisation, on):
        if entry.get("code") == code:
            return discretion.benchmark_from_value(entry)
    return None


def case_propose(*, actor, party: CaseParty, kind: str, facts: str, law: str, penalty_types: Iterable[str] = (), fine: Any = 0,
                 confiscation: Any = 0, scores: Mapping[str, str] | None = None, discretion_text: str = "", aggravation_reasons: str = "",
                 deviation_reasons: str = "", correction_order: str = "", education: str = "", benchmark_code: str = "") -> Proposal:
    """The handling body's proposal for a party (CAS-14) with its discretion sheet (DSC-01…DSC-03).
    A heavier proposal after the notice needs a new notice (RTS-03, EVI-08)."""
    case = Case.objects.get(pk=party.case_id)
    _require_handler(actor, case)
    if case.state not in (CaseState.INVESTIGATING, CaseState.NOTICED, CaseState.HEARING, CaseState.READY, CaseState.PROPOSED):
        raise case_error(CaseErrorCode.WRONG_STATE, f"案件处于「{case.get_state_display()}」，不能提出处理意见", status=409)
    if kind not in DecisionKind.values:
        raise case_error(CaseErrorCode.INVALID_INPUT, "处理意见类别无效", field="kind")
    facts = _required(facts, "facts", "认定的事实（事理）")
    law = _required(law, "law", "适用的法律（法理）")
    fine_amount = money(fine, "fine", "罚款金额")
    confiscation_amount = money(confiscation, "confiscation", "没收金额")
    types = sorted(set(penalty_types))
    unknown = [t for t in types if t not in penalties.PenaltyType.__members__]
    if unknown:
        raise case_error(CaseErrorCode.INVALID_INPUT, "处罚种类无效：" + "、".join(unknown), field="penalty_types")
    findings: list[Finding] = []
    band = None
    bench = None
    scores = dict(scores or {})
    code = clean_text(benchmark_code, 64) or case.benchmark_code
    if kind == DecisionKind.PENALTY:
        if not types:
            raise case_error(CaseErrorCode.INVALID_INPUT, "请选择处罚种类", field="penalty_types")
        if "FINE" in types and fine_amount <= 0:
            raise case_error(CaseErrorCode.INVALID_INPUT, "罚款金额必须大于零", field="fine")
        if "FINE" not in types and fine_amount:
            raise case_error(CaseErrorCode.INVALID_INPUT, "未选择罚款的，罚款金额应为零", field="fine")
        bench = benchmark_for(case, code, today())
        if "FINE" in types:
            if bench is None:
                raise case_error(CaseErrorCode.CONFIG_MISSING, "未找到该违法行为的裁量基准，无法确定罚款幅度（DSC-01）", field="benchmark_code", rule="DSC-01", status=409)
            if bench.party_kind and bench.party_kind != selectors.party_kind(party):
                # DEC-03/DEC-04: the principal person is fined under his own article (e.g. WSL94), never the unit's.
                raise case_error(CaseErrorCode.INVALID_INPUT, f"裁量基准「{bench.code}」适用于{'单位' if bench.party_kind == 'ORG' else '个人'}，"
                                 f"与当事人「{party.name}」不符，请选择适用于该当事人的条款", field="benchmark_code", rule="DEC-03")
            band = discretion.propose_band(bench, scores)
            findings += discretion.fine_findings(bench, fine_amount, band, aggravation_reasons=clean_text(aggravation_reasons, 4000),
                                                 income=party.income_prev_year)
            if any(f.code.endswith("OUTSIDE_BAND") or not f.blocking for f in findings) and not clean_text(deviation_reasons, 4000):
                findings.append(Finding("DSC-03", "DEVIATION_REASON_MISSING", "罚款偏离建议裁量档次的，须说明理由（将提交法制审核）"))
            others = Decision.objects.filter(party__case__act_key=case.act_key, kind=DecisionKind.PENALTY, fine__gt=0,
                                             party__enterprise=party.enterprise, party__person=party.person).exclude(party__case=case).count() if case.act_key else 0
            findings += discretion.ne_bis_in_idem(others)
        if not clean_text(correction_order, 4000):
            findings.append(Finding("CAS-13", "CORRECTION_ORDER_MISSING", "给予行政处罚时应当责令当事人改正或者限期改正"))
    elif types or fine_amount or confiscation_amount:
        raise case_error(CaseErrorCode.INVALID_INPUT, "不予处罚或移送的处理意见不能包含处罚种类和金额", field="kind")
    if kind in NO_PENALTY_KINDS and not clean_text(education, 4000):
        findings.append(Finding("CLU-L04", "EDUCATION_MISSING", "不予处罚的，应当对当事人进行教育并记录教育内容"))
    notice = selectors.latest_notice(party)
    if notice is not None and kind == DecisionKind.PENALTY:
        findings += penalties.penalty_not_heavier(notice.proposal.penalty_types, notice.proposal.fine, types, fine_amount)
    warnings = _check(findings)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            party=party, kind=kind, penalty_types=types, fine=fine_amount, confiscation=confiscation_amount, benchmark_code=code if bench else "",
            band_code=band.code if band else "", band_min=band.min if band else None, band_max=band.max if band else None, scores=scores,
            aggravation_reasons=clean_text(aggravation_reasons, 4000), deviation_reasons=clean_text(deviation_reasons, 4000), facts=facts, law=law,
            discretion=clean_text(discretion_text, 4000), correction_order=clean_text(correction_order, 4000), education=clean_text(education, 4000),
            created_by=actor)
        _event(case, EventKind.PROPOSAL, f"{party.name}：{proposal.get_kind_display()}" + (f"，罚款{fine_amount}元" if fine_amount else ""), actor=actor,
               payload={"proposal": proposal.pk, "warnings": [w.message for w in warnings]})
    return proposal


def case_close_investigation(*, actor, case: Case) -> Case:
    """调查终结 (CAS-14): every party has a lawful proposal."""
    _require_handler(actor, case)
    with transaction.atomic():
        case = _lock(case)
        _check(guards.can_propose(selectors.case_facts(case)))
        _move(case, "propose", EventKind.PROPOSED, "调查终结，提出处理意见", actor=actor)
    return case


# --- notice, statements, hearing ----------------------------------------------------------------


def case_notice_issue(*, actor, case: Case) -> list[Notice]:
    """The pre-decision notice for every party proposed for a penalty (RTS-01), stating the hearing
    right where the thresholds give it (HRG-01, HRG-02: a missing threshold blocks the notice)."""
    _require_handler(actor, case)
    notices = []
    with transaction.atomic():
        case = _lock(case)
        facts = selectors.case_facts(case)
        findings = list(guards.can_issue_notice(facts))
        rights: dict[int, bool] = {}
        for party in case.parties.order_by("id"):
            p = selectors.latest_proposal(party)
            if not p or p.kind != DecisionKind.PENALTY:
                continue
            kind = selectors.party_kind(party)
            large_fine = _threshold("hearing.large_fine", case, kind)
            large_conf = _threshold("hearing.large_confiscation", case, None)
            eligible, found = hearing_rules.hearing_eligible(party_kind=kind, fine=p.fine, confiscation=p.confiscation,
                                                             penalty_types=frozenset(p.penalty_types), large_fine=large_fine, large_confiscation=large_conf)
            findings += found
            rights[party.pk] = eligible
        _check(findings)
        for party in case.parties.order_by("id"):
            if party.pk not in rights:
                continue
            p = selectors.latest_proposal(party)
            doc = casedocs.issue(case, "PRE_DECISION_NOTICE", actor=actor, party=party, proposal=p, hearing_right=rights[party.pk])
            notices.append(Notice.objects.create(party=party, proposal=p, document=doc, hearing_right=rights[party.pk], issued_by=actor))
        _move(case, "issue_notice", EventKind.NOTICE_ISSUED, "制作行政处罚告知书：" + "、".join(n.document.number for n in notices), actor=actor,
              payload={"notices": [n.pk for n in notices]})
    return notices


def _threshold(key: str, case: Case, kind: str | None) -> Decimal | None:
    try:
        value = rs(key, organisation=case.organisation, on=today(), kind=kind).value
    except RuleNotConfigured:
        return None
    return Decimal(str(value)) if value is not None else None


def case_statement_submit(*, actor, party: CaseParty, text: str = "", channel: str = StatementChannel.PORTAL, objects_to_evidence: bool = False,
                          waiver: bool = False, waive_hearing: bool = False) -> Statement:
    """A statement/defence, or an explicit waiver (RTS-02), from the party or recorded for it."""
    _require_party_actor(actor, party)
    case = Case.objects.get(pk=party.case_id)
    notice = selectors.latest_notice(party)
    if notice is None or case.state not in (CaseState.NOTICED, CaseState.HEARING):
        raise case_error(CaseErrorCode.WRONG_STATE, "目前不在陈述申辩期内", status=409, rule="RTS-04")
    text = clean_text(text)
    if not waiver and not text:
        raise case_error(CaseErrorCode.INVALID_INPUT, "请填写陈述申辩内容，或明确表示放弃", field="text")
    if channel not in StatementChannel.values:
        raise case_error(CaseErrorCode.INVALID_INPUT, "提交方式无效", field="channel")
    with transaction.atomic():
        st = Statement.objects.create(party=party, notice=notice, channel=channel, waiver=bool(waiver), waive_hearing=bool(waive_hearing) and notice.hearing_right,
                                      text=text, objects_to_evidence=bool(objects_to_evidence), submitted_by=actor)
        what = "明确放弃陈述申辩" if waiver else "提出陈述申辩" + ("（对非现场证据提出异议）" if objects_to_evidence else "")
        _event(case, EventKind.WAIVER if waiver else EventKind.STATEMENT, f"{party.name}{what}", actor=actor, payload={"statement": st.pk})
    return st


def case_statement_reply(*, actor, statement: Statement, result: str, reasons: str) -> StatementReply:
    """Review of a statement: adopted or not, with reasons (RTS-03, EVI-08, RTS-06)."""
    case = statement.party.case
    _require_handler(actor, case)
    if result not in StatementReview.values:
        raise case_error(CaseErrorCode.INVALID_INPUT, "复核结论无效", field="result")
    reasons = _required(reasons, "reasons", "采纳或不予采纳的理由", 4000)
    if statement.waiver or hasattr(statement, "reply"):
        raise case_error(CaseErrorCode.INVALID_INPUT, "该陈述申辩无需或已经复核", field="statement")
    with transaction.atomic():
        reply = StatementReply.objects.create(statement=statement, result=result, reasons=reasons, reviewed_by=actor)
        _event(case, EventKind.STATEMENT_REVIEWED, f"复核{statement.party.name}的陈述申辩：{reply.get_result_display()}", actor=actor, payload={"statement": statement.pk})
    return reply


def case_hearing_request(*, actor, party: CaseParty, agents: Sequence[str] = ()) -> Hearing:
    """A hearing request within 5 working days of the notice's service (HRG-04), by a party that
    was told of the right (HRG-01, HRG-03), with at most two agents."""
    _require_party_actor(actor, party)
    case = Case.objects.get(pk=party.case_id)
    notice = selectors.latest_notice(party)
    if notice is None or case.state not in (CaseState.NOTICED, CaseState.HEARING):
        raise case_error(CaseErrorCode.WRONG_STATE, "目前不能申请听证", status=409)
    if not notice.hearing_right:
        raise case_error(CaseErrorCode.FORBIDDEN_BY_RULE, "本案拟作出的处罚不属于听证范围", rule="HRG-01", status=409)
    served = selectors.served_on(party, notice.document_id)
    if served is None:
        raise case_error(CaseErrorCode.WRONG_STATE, "告知书尚未送达", status=409)
    _, deadline = selectors.rights_deadlines(case, notice, served)
    if today() > deadline:
        raise case_error(CaseErrorCode.DEADLINE_PASSED, f"申请听证的期限已于 {deadline:%Y-%m-%d} 届满", rule="HRG-04", status=409)
    names = [clean_text(a, 50) for a in agents if clean_text(a, 50)]
    max_agents = int(_rule("hearing.max_agents", case, today()))
    if len(names) > max_agents:
        raise case_error(CaseErrorCode.INVALID_INPUT, f"委托代理人不得超过{max_agents}人", field="agents", rule="HRG-03")
    if party.hearings.exists():
        raise case_error(CaseErrorCode.INVALID_INPUT, "已经申请过听证", field="party")
    with transaction.atomic():
        locked = _lock(case)
        h = Hearing.objects.create(party=party, notice=notice, requested_at=timezone.now(), agents=names)
        if locked.state == CaseState.NOTICED:
            _move(locked, "open_hearing", EventKind.HEARING_REQUESTED, f"{party.name}申请听证", actor=actor, payload={"hearing": h.pk})
        else:
            _event(locked, EventKind.HEARING_REQUESTED, f"{party.name}申请听证", actor=actor, payload={"hearing": h.pk})
    return h


def case_hearing_schedule(*, actor, hearing: Hearing, presider: User, scheduled_on: date, place: str, public: bool = True, closed_reason: str = "") -> Hearing:
    """Hearing notice at least 7 working days ahead (HRG-05), a presider who is not an
    investigator (HRG-08), public unless secrets or privacy (HRG-07)."""
    case = hearing.party.case
    _require_handler(actor, case, head=True)
    place = _required(place, "place", "听证地点", 200)
    if case.officers.filter(user=presider).exists() or presider.role not in (Role.OFFICER, Role.SUPERVISOR, Role.LEGAL_REVIEWER):
        raise case_error(CaseErrorCode.FORBIDDEN_BY_RULE, "听证主持人须由机关指定的非本案调查人员担任", field="presider", rule="HRG-08", status=409)
    cal = get_calendar()
    earliest = deadlines.earliest_hearing_day(today(), int(_rule("hearing.notice_wd", case, today())), cal)
    if scheduled_on < earliest:
        raise case_error(CaseErrorCode.FORBIDDEN_BY_RULE, f"应当在举行听证的七个工作日前通知当事人，最早可定于 {earliest:%Y-%m-%d}", field="scheduled_on", rule="HRG-05", status=409)
    if not public and not clean_text(closed_reason, 200):
        raise case_error(CaseErrorCode.INVALID_INPUT, "不公开举行听证的，须说明涉及国家秘密、商业秘密或者个人隐私的理由", field="closed_reason", rule="HRG-07")
    late_hold = None
    try:
        hold_days = int(rs("hearing.hold_within_days", organisation=case.organisation, on=today()).value)
        if (scheduled_on - local_date(hearing.requested_at)).days > hold_days:
            # HRG-06 (SHOULD): a warning on the timeline, not a refusal.
            late_hold = f"听证日期距申请已超过{hold_days}日（HRG-06）"
    except RuleNotConfigured:
        pass
    with transaction.atomic():
        hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
        if hearing.outcome:
            raise case_error(CaseErrorCode.WRONG_STATE, "听证已结束", status=409)
        hearing.presider, hearing.scheduled_on, hearing.place, hearing.public, hearing.closed_reason = presider, scheduled_on, place, bool(public), clean_text(closed_reason, 200)
        hearing.notice_document = casedocs.issue(case, "HEARING_NOTICE", actor=actor, party=hearing.party, hearing=hearing)
        hearing.save()
        _event(case, EventKind.HEARING_SCHEDULED, f"听证通知：{scheduled_on:%Y-%m-%d} {place}" + (f"；{late_hold}" if late_hold else ""), actor=actor,
               payload={"hearing": hearing.pk, "warning": late_hold})
    return hearing


def case_hearing_record(*, actor, hearing: Hearing, outcome: str, summary: str, party_signed: bool, refusal_note: str = "") -> Hearing:
    """The hearing record (HRG-09, HRG-10): signed by the party or the refusal noted; absence
    without reason ends the hearing as waived."""
    case = hearing.party.case
    _require_writer(actor)
    _visible(actor, case)
    if hearing.presider_id != actor.pk:
        raise case_error(CaseErrorCode.PERMISSION_DENIED, "听证笔录由听证主持人制作", status=403, rule="HRG-08")
    if hearing.scheduled_on is None or today() < hearing.scheduled_on:
        raise case_error(CaseErrorCode.WRONG_STATE, "听证尚未举行", status=409)
    from .choices import HearingOutcome

    if outcome not in HearingOutcome.values:
        raise case_error(CaseErrorCode.INVALID_INPUT, "听证结果无效", field="outcome")
    summary = _required(summary, "summary", "听证笔录内容")
    if outcome == HearingOutcome.HELD and not party_signed and not clean_text(refusal_note, 200):
        raise case_error(CaseErrorCode.FORBIDDEN_BY_RULE, "听证笔录应当由当事人签字，拒绝签字的由主持人注明", field="refusal_note", rule="HRG-10", status=409)
    with transaction.atomic():
        hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
        if hearing.outcome:
            raise case_error(CaseErrorCode.WRONG_STATE, "听证笔录已制作", status=409)
        hearing.outcome, hearing.party_signed, hearing.refusal_note, hearing.held_at = outcome, bool(party_signed), clean_text(refusal_note, 200), timezone.now()
        hearing.record_document = casedocs.issue(case, "HEARING_RECORD", actor=actor, party=hearing.party, hearing=hearing, summary=summary)
        hearing.save()
        _event(case, EventKind.HEARING_RECORDED, f"听证笔录（{hearing.get_outcome_display()}）", actor=actor, payload={"hearing": hearing.pk})
    return hearing


# --- recusal ------------------------------------------------------------------------------------


def case_recusal_apply(*, actor, case: Case, officer: User, reason: str, applicant: str = "") -> Recusal:
    """A recusal application (RCS-02) by the party or an officer's own (RCS-01); investigation goes
    on meanwhile, the head decides within 3 working days (RCS-03)."""
    _require_writer(actor)
    _visible(actor, case)
    reason = _required(reason, "reason", "申请回避的理由", 2000)
    if not case.officers.filter(user=officer, removed_at__isnull=True).exists():
        raise case_error(CaseErrorCode.INVALID_INPUT, "被申请回避的人员不是本案在办人员", field="officer")
    applicant = clean_text(applicant, 200) or (case.enterprise.name if actor.role == Role.ENTERPRISE_CONTACT else (selectors.name_of(actor)))
    now = timezone.now()
    due = deadlines.recusal_deadline(local_date(now), int(_rule("recusal.decide_wd", case, local_date(now))), get_calendar()).due_date
    with transaction.atomic():
        r = Recusal.objects.create(case=case, officer=officer, applicant=applicant, reason=reason, applied_at=now, due_on=due)
        _event(case, EventKind.RECUSAL_APPLIED, f"{applicant}申请{selectors.name_of(officer)}回避", actor=actor, payload={"recusal": r.pk})
    return r


def case_recusal_decide(*, actor, recusal: Recusal, granted: bool, reason: str) -> Recusal:
    """The head decides (RCS-02); a granted recusal removes the officer from the case (RCS-04)."""
    case = recusal.case
    _require_handler(actor, case, head=True)
    if recusal.officer_id == actor.pk:
        raise case_error(CaseErrorCode.FORBIDDEN_BY_RULE, "被申请回避人员不得决定本人的回避", rule="RCS-02", status=409)
    reason = _required(reason, "reason", "决定理由", 2000)
    with transaction.atomic():
        recusal = Recusal.objects.select_for_update().get(pk=recusal.pk)
        if recusal.granted is not None:
            raise case_error(CaseErrorCode.WRONG_STATE, "该回避申请已作出决定", status=409)
        recusal.granted, recusal.decided_by, recusal.decided_at, recusal.decision_reason = bool(granted), actor, timezone.now(), reason
        recusal.save()
        if granted:
            CaseOfficer.objects.filter(case=case, user=recusal.officer).update(removed_at=recusal.decided_at, removed_reason=f"准予回避：{reason[:150]}")
        _event(case, EventKind.RECUSAL_DECIDED, f"回避申请{'准予' if granted else '驳回'}", actor=actor,
               payload={"recusal": recusal.pk, "granted": bool(granted), "late": local_date(recusal.decided_at) > recusal.due_on})
    return recusal


# --- legal review and committee -----------------------------------------------------------------


def case_review_submit(*, actor, case: Case, materials: str) -> LegalReview:
    """Submit for legal review (LRV-01) with a snapshot of facts and proposals; the submitter is
    recorded (LRV-10)."""
    _require_handler(actor, case)
    materials = _required(materials, "materials", "送审材料说明", 4000)
    with transaction.atomic():
        case = _lock(case)
        facts = selectors.case_facts(case)
        _check(guards.can_submit_review(facts))
        snap = selectors.proposal_snapshot(case)
        round_no = (case.reviews.order_by("-round_no").values_list("round_no", flat=True).first() or 0) + 1
        r = LegalReview.objects.create(case=case, round_no=round_no, triggers=sorted(facts.review_triggers), submitted_by=actor, submitted_at=timezone.now(),
                                       materials=materials, snapshot=json.loads(canonical_json(snap)), snapshot_sha256=snapshot_hash(snap))
        _move(case, "submit_review", EventKind.REVIEW_SUBMITTED, f"提交第{round_no}轮法制审核", actor=actor, payload={"review": r.pk})
    return r


def case_review_complete(*, actor, review: LegalReview, items: Mapping[str, str], opinion: str, opinion_text: str, comments: Mapping[str, str] | None = None) -> LegalReview:
    """The reviewer's opinion with every checklist item (LRV-04, LRV-05 for non-site cases),
    by a qualified reviewer who is not a handler (LRV-06, LRV-08)."""
    case = review.case
    _require_writer(actor)
    _visible(actor, case)
    if actor.role != Role.LEGAL_REVIEWER:
        raise case_error(CaseErrorCode.PERMISSION_DENIED, "法制审核须由法制审核人员进行", status=403, rule="LRV-06")
    creds = list(actor.credentials.all())
    first = LegalReview.objects.filter(reviewer=actor).order_by("completed_at").values_list("completed_at", flat=True).first()
    qual_from = date.fromisoformat(str(_rule("legal_review.qualification_from", case, today())))
    _check(review_rules.reviewer_problems(
        qualified=any(c.legal_review_qualified for c in creds), first_review_on=local_date(first) if first else today(), qualification_from=qual_from,
        is_handler=case.officers.filter(user=actor).exists() or case.created_by_id == actor.pk,
        holds_enforcement_cert=any(c.is_valid_on(today()) for c in creds), yuyao=case.organisation.effective_jurisdiction.upper().startswith("CN-ZJ-YUYAO")))
    if opinion not in ReviewOpinion.values:
        raise case_error(CaseErrorCode.INVALID_INPUT, "审核意见无效", field="opinion")
    opinion_text = _required(opinion_text, "opinion_text", "审核意见", 8000)
    required = review_rules.checklist_for(non_site=case.origin == Origin.NON_SITE)
    answers = {k: str(items.get(k, "")) for k in required}
    missing = [k for k, v in answers.items() if v not in ("PASS", "FAIL")]
    if missing:
        raise case_error(CaseErrorCode.FORBIDDEN_BY_RULE, "审核清单须逐项填写：" + "、".join(review_rules.CHECKLIST.get(k, k) if k in review_rules.CHECKLIST else k for k in missing),
                         field="items", rule="LRV-05" if review_rules.NON_SITE_ITEM in missing else "LRV-04", status=409)
    outcome = review_rules.review_outcome(answers)
    if opinion == ReviewOpinion.PASS and outcome != "PASS":
        raise case_error(CaseErrorCode.FORBIDDEN_BY_RULE, "审核清单有不通过的项目，不能出具同意意见（事实不清、证据不足的不得给予处罚）", field="opinion", rule="CAS-15", status=409)
    with transaction.atomic():
        review = LegalReview.objects.select_for_update().get(pk=review.pk)
        if review.opinion:
            raise case_error(CaseErrorCode.WRONG_STATE, "本轮审核已完成", status=409)
        review.reviewer, review.opinion, review.opinion_text, review.completed_at = actor, opinion, opinion_text, timezone.now()
        review.items = {k: {"result": v, "comment": clean_text((comments or {}).get(k, ""), 1000)} for k, v in answers.items()}
        review.document = casedocs.issue(case, "LEGAL_REVIEW_OPINION", actor=actor, review=review)
        review.save()
        _event(case, EventKind.REVIEW_OPINION, f"法制审核意见：{review.get_opinion_display()}（{review.document.number}）", actor=actor, payload={"review": review.pk})
    return review


def case_review_respond(*, actor, review: LegalReview, agrees: bool, note: str = "") -> Case:
    """The handling body answers the opinion: agreeing moves on (PASS/AMEND → ready, RETURN → back to
    investigation); disagreeing sends the case to the review committee (LRV-09)."""
    review = LegalReview.objects.select_related("case").get(pk=review.pk)
    case = review.case
    _require_handler(actor, case)
    if not review.opinion:
        raise case_error(CaseErrorCode.WRONG_STATE, "审核意见尚未出具", status=409)
    with transaction.atomic():
        case = _lock(case)
        review = LegalReview.objects.select_for_update().get(pk=review.pk)
        if review.handler_agrees is not None:
            raise case_error(CaseErrorCode.WRONG_STATE, "已对本轮审核意见作出回应", status=409)
        review.handler_agrees = bool(agrees)
        review.save(update_fields=["handler_agrees", "updated_at"])
        note = clean_text(note, 2000)
        if not agrees:
            _move(case, "to_committee", EventKind.COMMITTEE, "承办机构不同意审核意见，提交案审会", actor=actor, payload={"review": review.pk, "note": note})
        elif review.opinion == ReviewOpinion.RETURN:
            _move(case, "return_to_investigation", EventKind.REVIEW_OPINION, "按审核意见退回补充调查", actor=actor, payload={"review": review.pk})
        else:
            _move(case, "review_done", EventKind.REVIEW_OPINION, "法制审核通过", actor=actor, payload={"review": review.pk})
    return case


def case_committee_record(*, actor, case: Case, held_on: date, members: str, conclusion: str, text: str) -> CommitteeDecision:
    """The review committee's collective decision (LRV-09, CAS-14), recorded by the head."""
    _require_handler(actor, case, head=True)
    members = _required(members, "members", "参会人员", 2000)
    text = _required(text, "text", "讨论记录与决定")
    if conclusion not in CommitteeConclusion.values:
        raise case_error(CaseErrorCode.INVALID_INPUT, "结论无效", field="conclusion")
    if held_on > today():
        raise case_error(CaseErrorCode.INVALID_INPUT, "会议日期不能晚于今天", field="held_on")
    with transaction.atomic():
        case = _lock(case)
        if case.state not in (CaseState.COMMITTEE, CaseState.READY):
            raise case_error(CaseErrorCode.WRONG_STATE, f"案件处于「{case.get_state_display()}」，无需集体讨论", status=409)
        last = case.reviews.order_by("-round_no").first()
        cd = CommitteeDecision(case=case, review=last, held_on=held_on, members=members, conclusion=conclusion, text=text, recorded_by=actor)
        cd.document = casedocs.issue(case, "COMMITTEE_DECISION", actor=actor, committee=cd)
        cd.save()
        if case.state == CaseState.COMMITTEE:
            _move(case, "committee_done", EventKind.COMMITTEE, f"案审会集体讨论：{cd.get_conclusion_display()}", actor=actor, payload={"committee": cd.pk})
        else:
            _event(case, EventKind.COMMITTEE, f"机关负责人集体讨论：{cd.get_conclusion_display()}", actor=actor, payload={"committee": cd.pk})
    return cd


def case_skip_review(*, actor, case: Case) -> Case:
    """Outside the statutory review scope the case goes to the head without review; LRV-03 (review
    every general-procedure case) is a recommendation, shown as a warning."""
    _require_handler(actor, case)
    with transaction.atomic():
        case = _lock(case)
        facts = selectors.case_facts(case)
        findings = list(guards.can_submit_review(facts))
        if facts.review_triggers:
            findings.append(Finding("LRV-01", "REVIEW_REQUIRED", "本案属于法制审核范围（" + review_rules.describe_triggers(facts.review_triggers) + "），不得跳过法制审核"))
        _check(findings)
        _move(case, "skip_review", EventKind.REVIEW_OPINION, "不属于法制审核范围，报机关负责人决定（建议一案一审，LRV-03）", actor=actor)
    return case


# --- decision, service, payment, closure --------------------------------------------------------


def case_decide(*, actor, case: Case, statements_response: Mapping[int, str] | None = None) -> list[Decision]:
    """The head's decision for every party (CAS-14), on the proposal that passed review, with the
    four reasons (DSC-05, RTS-06), never heavier than the notice (RTS-03, EVI-08)."""
    _require_handler(actor, case, head=True)
    decisions = []
    with transaction.atomic():
        case = _lock(case)
        facts = selectors.case_facts(case)
        findings = list(guards.can_decide(facts, decider_is_head=is_head(actor)))
        plan = []
        for party in case.parties.order_by("id"):
            p = selectors.latest_proposal(party)
            if p is None:
                findings.append(Finding("CAS-14", "PROPOSAL_MISSING", f"「{party.name}」尚无处理意见"))
                continue
            statements = list(party.statements.filter(waiver=False))
            response = clean_text((statements_response or {}).get(party.pk, ""), 4000)
            if not response:
                response = "；".join(f"{s.reply.get_result_display()}：{s.reply.reasons}" for s in statements if hasattr(s, "reply")) or "当事人未提出陈述、申辩"
            reasoning = {"facts": p.facts, "law": p.law, "discretion": p.discretion or (p.band_code and f"适用裁量档次 {p.band_code}") or "", "statements_response": response}
            if p.kind == DecisionKind.PENALTY:
                findings += discretion.reasoning_findings(reasoning, statements_received=bool(statements),
                                                          non_site_objections=any(s.objects_to_evidence for s in statements))
                notice = selectors.latest_notice(party)
                if notice is not None:
                    findings += penalties.penalty_not_heavier(notice.proposal.penalty_types, notice.proposal.fine, p.penalty_types, p.fine)
            plan.append((party, p, reasoning))
        _check(findings)
        for party, p, reasoning in plan:
            kind_doc = "PENALTY_DECISION" if p.kind == DecisionKind.PENALTY else "NO_PENALTY_DECISION"
            d = Decision(party=party, proposal=p, kind=p.kind, penalty_types=p.penalty_types, fine=p.fine, confiscation=p.confiscation,
                         reasoning=reasoning, decided_on=today(), decided_by=actor)
            d.document = casedocs.issue(case, kind_doc, actor=actor, party=party, decision=d)
            d.save()
            decisions.append(d)
            signals.decision_made.send(sender=Decision, decision=d, actor=actor)  # PUB-11, PUB-12
        _move(case, "decide", EventKind.DECIDED, "作出处理决定：" + "、".join(d.document.number for d in decisions), actor=actor,
              payload={"decisions": [d.pk for d in decisions]})
    return decisions


def case_decide_simple(*, actor, enterprise: Enterprise, officers: Sequence[User], facts: str, law: str, place: str, penalty_types: Iterable[str],
                       fine: Any = 0, title: str = "") -> Decision:
    """Simple procedure (简易程序, CAS-03, APL arts. 51–52): on the spot, only a warning or a fine up
    to the rule set's limit for the party kind, by two officers (CAS-04) who show their credentials;
    the numbered pre-formatted decision is handed over at once (service is recorded next)."""
    _require_writer(actor)
    if actor.role not in HANDLER_ROLES or not actor.organisation_id:
        raise case_error(CaseErrorCode.PERMISSION_DENIED, "只有执法人员可以当场作出处罚决定", status=403)
    from zhifa.subjects.selectors import enterprises_visible_to

    if not enterprises_visible_to(actor).filter(pk=enterprise.pk).exists():
        raise not_found("企业")
    facts = _required(facts, "facts", "违法行为")
    law = _required(law, "law", "处罚依据")
    place = _required(place, "place", "地点", 200)
    amount = money(fine, "fine", "罚款金额")
    types = sorted(set(penalty_types))
    day = today()
    team = list(dict.fromkeys([actor, *officers]))
    valid = {c.user_id for c in OfficerCredential.objects.filter(user__in=team) if c.is_valid_on(day)}
    team_facts = [procedure.OfficerFacts(user_id=u.pk, qualified=u.role in HANDLER_ROLES, credential_valid=u.pk in valid, recused=False) for u in team]
    findings = list(procedure.officer_findings(team_facts, act="当场处罚"))
    findings += procedure.simple_procedure_findings(party_kind="ORG", penalty_types=types, fine=amount,
                                                    max_fine_individual=_simple_max(actor.organisation, "INDIVIDUAL"), max_fine_org=_simple_max(actor.organisation, "ORG"))
    _check(findings)
    with transaction.atomic():
        case = Case(number=_next_number(actor.organisation, day.year), organisation=actor.organisation, enterprise=enterprise, origin=Origin.INSPECTION,
                    procedure="SIMPLE", title=clean_text(title, 300) or facts[:300], facts=facts, created_by=actor, filed_on=day)
        case.save()
        party = CaseParty.objects.create(case=case, role=PartyRole.UNIT, kind=PartyKind.ORG, enterprise=enterprise, name=enterprise.name)
        for i, u in enumerate(team):
            CaseOfficer.objects.create(case=case, user=u, role=OfficerRole.LEAD if i == 0 else OfficerRole.ASSIST)
        p = Proposal.objects.create(party=party, kind=DecisionKind.PENALTY, penalty_types=types, fine=amount, facts=facts, law=law, created_by=actor,
                                    correction_order="当场责令改正")
        d = Decision(party=party, proposal=p, kind=DecisionKind.PENALTY, penalty_types=types, fine=amount, decided_on=day, decided_by=actor,
                     reasoning={"facts": facts, "law": law, "discretion": "简易程序", "statements_response": "当场听取当事人陈述、申辩"})
        d.document = casedocs.issue(case, "SIMPLE_PENALTY_DECISION", actor=actor, decision=d, place=place)
        d.save()
        signals.decision_made.send(sender=Decision, decision=d, actor=actor)  # PUB-11
        _move(case, "decide_simple", EventKind.DECIDED, f"简易程序当场处罚（{d.document.number}）", actor=actor, payload={"decision": d.pk})
    return d


def _simple_max(organisation, kind: str) -> Decimal:
    try:
        return Decimal(str(rs("simple_procedure.max_fine", organisation=organisation, on=today(), kind=kind).value))
    except RuleNotConfigured as exc:
        raise case_error(CaseErrorCode.CONFIG_MISSING, str(exc.message), rule="CAS-03", status=409) from None


def case_serve(*, actor, party: CaseParty, document, method: str, served_on: date | None = None, recipient: str = "", recipient_role: str = "",
               witnesses: str = "", av_record: str = "", note: str = "", channel: str = "", address: str = "") -> Service:
    """Serve a document on a party (SRV-01…SRV-09). Electronic service needs the party's signed
    consent covering the channel (SRV-02) and its date is the arrival (SRV-03); refusal needs
    witnesses or an audio-video record (SRV-05); public notice only after other methods failed and is
    deemed served after 30 days (SRV-07)."""
    case = party.case
    _require_handler(actor, case)
    if method not in ServiceMethod.values:
        raise case_error(CaseErrorCode.INVALID_INPUT, "送达方式无效", field="method")
    if document.ref != case.ref:
        raise case_error(CaseErrorCode.INVALID_INPUT, "该文书不属于本案该当事人", field="document")
    if Service.objects.filter(party=party, document=document, served_on__isnull=False).exists():
        raise case_error(CaseErrorCode.INVALID_INPUT, "该文书已经送达", field="document")
    consent = message = None
    findings: list[Finding] = []
    if method == ServiceMethod.ELECTRONIC:
        from zhifa.notifications import rules as notification_rules
        from zhifa.notifications.selectors import active_consent

        consent = active_consent(case.enterprise_id, timezone.now(), party_name=party.name)
        if channel == "IN_APP" and not address:
            address = notification_rules.in_app_address(enterprise_id=case.enterprise_id)
        if consent is None or not notification_rules.consent_covers(consent, channel, address):
            findings.append(Finding("SRV-02", "NO_CONSENT", "当事人未签署送达地址确认书或未同意以该方式电子送达，不得电子送达"))
        served_on = None
    else:
        if served_on is None:
            raise case_error(CaseErrorCode.INVALID_INPUT, "请填写送达日期", field="served_on")
        if served_on > today():
            raise case_error(CaseErrorCode.INVALID_INPUT, "送达日期不能晚于今天", field="served_on")
        issued_on = local_date(document.issued_at)
        if served_on < issued_on:
            raise case_error(CaseErrorCode.INVALID_INPUT, "送达日期不能早于文书制作日期", field="served_on")
        if method == ServiceMethod.DIRECT and not clean_text(recipient, 100):
            findings.append(Finding("SRV-04", "RECEIPT_SIGNER_MISSING", "直接送达须由受送达人在送达回证上签收"))
        if method == ServiceMethod.LEFT and not (clean_text(witnesses, 200) or clean_text(av_record, 100)):
            findings.append(Finding("SRV-05", "LEFT_WITHOUT_WITNESS", "留置送达须有见证人签名或以拍照录像记录送达过程"))
        if method == ServiceMethod.LEFT and case.organisation.effective_jurisdiction.upper().startswith("CN-SH-PUTUO") and not clean_text(av_record, 100):
            findings.append(Finding("SRV-05", "LEFT_WITHOUT_AV", "普陀区留置送达须全程音像记录"))
        if method == ServiceMethod.PUBLIC_NOTICE:
            if not Service.objects.filter(party=party, document=document).exclude(method=ServiceMethod.PUBLIC_NOTICE).exists():
                findings.append(Finding("SRV-07", "NO_PRIOR_ATTEMPT", "公告送达仅在受送达人下落不明或者其他方式无法送达时适用"))
            served_on = deadlines.public_notice_served_on(served_on, int(_rule("service.public_notice_days", case, served_on)))
    _check(findings)
    with transaction.atomic():
        if method == ServiceMethod.ELECTRONIC:
            from zhifa.notifications.selectors import message_service_date
            from zhifa.notifications.services import notification_send

            message = notification_send(channel=channel, address=address, subject=f"{document.number} 电子送达",
                                        body=f"{case.organisation.name}向您送达《{casedocs.title_of(document)}》（{document.number}），请登录企业端查看。",
                                        actor=actor, ref=case.ref, enterprise_id=case.enterprise_id, attachments=[document.pk], eservice=True, party_name=party.name)
            served_on = message_service_date(message)
        svc = Service.objects.create(case=case, party=party, document=document, method=method, consent=consent, message=message,
                                     recipient=clean_text(recipient, 100), recipient_role=clean_text(recipient_role, 50), witnesses=clean_text(witnesses, 200),
                                     av_record=clean_text(av_record, 100), note=clean_text(note, 300), served_on=served_on, recorded_by=actor)
        _event(case, EventKind.DOCUMENT_SERVED, f"{svc.get_method_display()}{document.number}" + (f"，送达日期 {served_on:%Y-%m-%d}" if served_on else "（等待到达回执）"),
               actor=actor, payload={"service": svc.pk})
        if served_on:
            _after_service(actor, case, party, document, served_on)
        elif message is not None:
            # The channel delivers after commit (in-app arrival is immediate then); record the arrival
            # as soon as it is known (SRV-03). Channels that report later are refreshed by the task.
            transaction.on_commit(lambda: case_service_refresh(actor=actor, service=svc))
    return svc


def case_service_refresh(*, actor, service: Service) -> Service:
    """Record the arrival of an electronic service once the channel reports it (SRV-03) — a new
    service row with the date, the pending one stays as it was."""
    if service.served_on or service.message_id is None:
        return service
    from zhifa.notifications.selectors import message_service_date

    arrived_on = message_service_date(service.message)
    if arrived_on is None or Service.objects.filter(message=service.message, served_on__isnull=False).exists():
        return service
    with transaction.atomic():
        svc = Service.objects.create(case=service.case, party=service.party, document=service.document, method=service.method, consent=service.consent,
                                     message=service.message, note="到达回执", served_on=arrived_on, recorded_by=service.recorded_by)
        _event(service.case, EventKind.DOCUMENT_SERVED, f"电子送达到达：{svc.served_on:%Y-%m-%d}", actor=actor, payload={"service": svc.pk})
        _after_service(actor, service.case, service.party, service.document, svc.served_on)
    return svc


def _after_service(actor, case: Case, party: CaseParty, document, served: date) -> None:
    """A served decision opens payment (PAY-01: due 15 days after service) and, once every party's
    decision is served, the case moves to 已送达."""
    decision = getattr(party, "decision", None)
    if decision is None or decision.document_id != document.pk:
        return
    if decision.kind == DecisionKind.PENALTY and decision.fine > 0 and selectors.payment_notice_for(decision) is None:
        from zhifa.payments.services import payment_notice_issue

        cal = get_calendar()
        due = deadlines.payment_due(served, int(_rule("payment.days", case, served)), cal).due_date
        notice = payment_notice_issue(ref=selectors.decision_ref(decision), organisation=case.organisation, payer_name=party.name,
                                      payer_id_masked=case.enterprise.uscc if party.kind == PartyKind.ORG else "", enterprise_id=case.enterprise_id,
                                      amount=decision.fine, due_on=due, rate=Decimal(str(_rule("payment.late_fee_rate", case, served))),
                                      cap_ratio=Decimal(str(_rule("payment.late_fee_cap_ratio", case, served))), actor=actor,
                                      decision_number=document.number, decision_served_on=served)
        _event(case, EventKind.PAYMENT_NOTICE, f"开具缴款通知（缴款码 {notice.payment_code}，{due:%Y-%m-%d} 前缴纳）", actor=actor, payload={"notice": notice.pk})
    case = _lock(case)
    if case.state == CaseState.DECIDED and all(
        selectors.served_on(p, p.decision.document_id) for p in case.parties.all() if hasattr(p, "decision") and p.decision.kind != DecisionKind.TRANSFER
    ):
        _move(case, "served", EventKind.DOCUMENT_SERVED, "处理决定书已全部送达", actor=actor)


def case_extension_approve(*, actor, case: Case, days: int, reason: str) -> Case:
    """Extend the decision time limit with the head's approval (DEC-02): the total never exceeds
    the rule set's extended limit (`decision.extension_limit_days`, a total counted from filing)."""
    _require_handler(actor, case, head=True)
    reason = _required(reason, "reason", "延长理由", 1000)
    with transaction.atomic():
        case = _lock(case)
        if case.state not in OPEN_BEFORE_DECISION or not case.filed_on:
            raise case_error(CaseErrorCode.WRONG_STATE, "只有已立案、尚未作出决定的案件可以延长办案期限", status=409)
        limit = int(_rule("decision.limit_days", case, case.filed_on))
        ceiling = int(_rule("decision.extension_limit_days", case, case.filed_on))
        total = case.decision_extension_days + int(days)
        if int(days) < 1 or limit + total > ceiling:
            raise case_error(CaseErrorCode.FORBIDDEN_BY_RULE, f"延长后的办案期限不得超过立案之日起{ceiling}日", field="days", rule="DEC-02", status=409)
        case.decision_extension_days = total
        case.save(update_fields=["decision_extension_days", "updated_at"])
        _event(case, EventKind.EXTENDED, f"批准延长办案期限{days}日：{reason[:150]}", actor=actor, payload={"days": int(days), "total": total})
    return case


def case_enforcement_apply(*, actor, party: CaseParty, court: str) -> CaseEvent:
    """Apply to the court for enforcement of an unpaid fine (PAY-08, ACL arts. 53–54): only after
    a written reminder was served and 10 working days passed, and within 3 months after the
    reconsideration and litigation periods ran out without payment."""
    case = Case.objects.get(pk=party.case_id)
    _require_handler(actor, case, head=True)
    court = _required(court, "court", "受理法院", 100)
    decision = getattr(party, "decision", None)
    notice = selectors.payment_notice_for(decision) if decision else None
    if notice is None:
        raise case_error(CaseErrorCode.WRONG_STATE, "该当事人没有待缴的罚款", status=409)
    from zhifa.payments.selectors import enforcement_window, notice_status

    status = notice_status(notice, on=today())
    window = enforcement_window(notice, status)
    if window is None:
        raise case_error(CaseErrorCode.FORBIDDEN_BY_RULE, "申请法院强制执行前，须先书面催告当事人（罚款已缴清的无须执行）", rule="PAY-08", status=409)
    if not window.earliest <= today() <= window.latest:
        raise case_error(CaseErrorCode.FORBIDDEN_BY_RULE, f"申请强制执行的期间为 {window.earliest:%Y-%m-%d} 至 {window.latest:%Y-%m-%d}", rule="PAY-08", status=409)
    with transaction.atomic():
        return _event(case, EventKind.ENFORCEMENT, f"向{court}申请强制执行（{party.name}，应缴 {status.amount_due} 元）", actor=actor,
                      payload={"notice": notice.pk, "court": court})


def case_decision_change(*, actor, decision: Decision, kind: str, authority: str, occurred_on: date, reference: str, reason: str) -> DecisionChange:
    """Record that a decision was changed, revoked, confirmed illegal or void, or ordered to be
    re-made (reconsideration, litigation or the bureau's own correction). The reason is written for
    the public: it becomes the explanation of the withdrawal (PUB-14, PUB-26)."""
    case = decision.party.case
    _require_handler(actor, case, head=True)
    if kind not in DecisionChangeKind.values:
        raise case_error(CaseErrorCode.INVALID_INPUT, "请选择决定发生的变化", field="kind")
    if authority not in ChangeAuthority.values:
        raise case_error(CaseErrorCode.INVALID_INPUT, "请选择作出变化的机关", field="authority")
    day = occurred_on
    if not isinstance(day, date) or day < decision.decided_on or day > today():
        raise case_error(CaseErrorCode.INVALID_INPUT, "变化日期须在原决定作出之后且不晚于今天", field="occurred_on")
    reference = _required(reference, "reference", "文书编号", 100)
    reason = _required(reason, "reason", "理由", 2000)
    with transaction.atomic():
        _lock(case)
        if decision.changes.filter(kind__in=[k for k in DecisionChangeKind.values if k != DecisionChangeKind.CHANGED]).exists():
            raise case_error(CaseErrorCode.WRONG_STATE, "该决定已被撤销、确认违法或无效，不能再登记变化", status=409)
        change = DecisionChange.objects.create(decision=decision, kind=kind, authority=authority, occurred_on=day, reference=reference,
                                               reason=reason, recorded_by=actor)
        _event(case, EventKind.DECISION_CHANGED, f"{change.get_kind_display()}（{change.get_authority_display()}，{reference}）", actor=actor,
               payload={"decision": decision.pk, "change": change.pk, "kind": kind, "occurred_on": day.isoformat()})
        signals.decision_changed.send(sender=DecisionChange, change=change, actor=actor)
    return change


def case_close(*, actor, case: Case) -> Case:
    """Closure on a terminal condition for every party (CLS-01); the closure report is issued."""
    _require_handler(actor, case)
    with transaction.atomic():
        case = _lock(case)
        _check(guards.can_close(selectors.case_facts(case)))
        kinds = {p.decision.kind for p in case.parties.all() if hasattr(p, "decision")}
        reason = "TRANSFERRED" if kinds == {DecisionKind.TRANSFER} else ("PERFORMED" if DecisionKind.PENALTY in kinds else "NO_PENALTY_SERVED")
        case.closed_on = today()
        case.closure_reason = reason
        doc = casedocs.issue(case, "CLOSURE_REPORT", actor=actor)
        _move(case, "close", EventKind.CLOSED, f"结案（{procedure.CLOSURE_REASONS.get(reason, reason)}，{doc.number}）", actor=actor, payload={"document": doc.pk})
    return case


def case_archive(*, actor, case: Case) -> Case:
    """Archive the file within 30 working days of closure (CLS-02) once it holds every required
    item (CLS-03)."""
    _require_handler(actor, case)
    with transaction.atomic():
        case = _lock(case)
        required, manifest = selectors.file_manifest(case)
        _check(procedure.archive_missing(required, manifest))
        case.archived_on = today()
        late = False
        if case.closed_on:
            due = deadlines.archive_deadline(case.closed_on, int(_rule("archive.wd", case, case.closed_on)), get_calendar()).due_date
            late = case.archived_on > due
        _move(case, "archive", EventKind.ARCHIVED, "立卷归档" + ("（已超过归档期限）" if late else ""), actor=actor, payload={"manifest": sorted(manifest), "late": late})
    return case


def on_payment_settled(notice) -> None:
    """payments.payment_settled → the case timeline records the payment (PAY-02: the platform's
    receipt, never an officer, marks a fine as paid)."""
    decision = selectors.decision_for_ref(getattr(notice, "ref", ""))
    if decision is not None:
        case = decision.party.case
        with transaction.atomic():
            _event(case, EventKind.PAID, f"{decision.party.name}罚款已缴清（缴款码 {notice.payment_code}）", actor=None, payload={"notice": notice.pk})
