"""Reads of the case app: who sees which case, the guard snapshot (`case_facts`), and the
deadlines of every open step (the officer's workbench)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from zhifa.accounts.access import org_scope_q, sees_everything
from zhifa.accounts.choices import Role
from zhifa.accounts.models import OfficerCredential
from zhifa.clues.rules import snapshot_hash
from zhifa.common.calendar_store import get_calendar
from zhifa.common.timeutil import today
from zhifa.evidence.selectors import admissibility_of
from zhifa.rulesets.errors import RuleNotConfigured
from zhifa.rulesets.selectors import rs
from zhifa.subjects.selectors import contact_enterprise_ids

from . import guards
from .choices import OPEN_STATES, CaseState, DecisionKind, PartyKind
from .models import Case, CaseParty, LegalReview, Notice, Proposal, Service
from .rules import deadlines, procedure, review
from .rules.findings import Finding
from .rules.procedure import OfficerFacts


def name_of(user) -> str:
    """A person's name as shown to people: the full name, else 姓名 (User.__str__), else the login."""
    return user.get_full_name() or str(user)


def cases_visible_to(user) -> QuerySet[Case]:
    """Staff see the cases of their organisation subtree, auditors everything, an enterprise
    contact the cases of its enterprises (as a party), others nothing."""
    qs = Case.objects.select_related("organisation", "enterprise")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if sees_everything(user):
        return qs
    if user.role == Role.ENTERPRISE_CONTACT:
        return qs.filter(enterprise_id__in=contact_enterprise_ids(user)).exclude(state__in=[CaseState.PENDING_FILING, CaseState.NOT_FILED])
    return qs.filter(org_scope_q(user))


def latest_proposal(party: CaseParty) -> Proposal | None:
    return party.proposals.order_by("-created_at", "-id").first()


def latest_notice(party: CaseParty) -> Notice | None:
    return party.notices.order_by("-issued_at", "-id").first()


def served_on(party: CaseParty, document_id: int | None) -> date | None:
    """The date `document_id` was served on the party (the first completed service counts)."""
    if document_id is None:
        return None
    row = Service.objects.filter(party=party, document_id=document_id, served_on__isnull=False).order_by("served_on").first()
    return row.served_on if row else None


def decision_ref(decision) -> str:
    """The generic reference a payment notice carries for a decision (payments never imports cases)."""
    return f"cases.Decision:{decision.pk}"


def decision_for_ref(ref: str):
    from .models import Decision

    if not ref.startswith("cases.Decision:"):
        return None
    try:
        return Decision.objects.select_related("party__case").filter(pk=int(ref.split(":", 1)[1])).first()
    except ValueError:
        return None


def payment_notice_for(decision):
    from zhifa.payments.models import PaymentNotice

    return PaymentNotice.objects.filter(ref=decision_ref(decision)).order_by("-id").first()


def decision_settled(decision, on: date | None = None) -> bool:
    """PAY-01/PAY-02: settled exactly when the platform's receipts cover the amount due."""
    from zhifa.payments.selectors import notice_status

    notice = payment_notice_for(decision)
    return notice is not None and notice_status(notice, on=on or today()).settled


def _rule(key: str, case: Case, on: date, kind: str | None = None):
    return rs(key, organisation=case.organisation, on=on, kind=kind).value


def rights_deadlines(case: Case, notice: Notice, notice_served_on: date) -> tuple[date, date | None]:
    """RTS-04 statement window and HRG-04 hearing-request deadline from the notice's service date."""
    cal = get_calendar()
    stmt = deadlines.statement_window_end(notice_served_on, int(_rule("statement.days", case, notice_served_on)), cal).due_date
    hearing = None
    if notice.hearing_right:
        hearing = deadlines.hearing_request_deadline(notice_served_on, int(_rule("hearing.request_wd", case, notice_served_on)), cal).due_date
    return stmt, hearing


def proposal_snapshot(case: Case) -> dict:
    """What a legal review sees: the facts and every party's latest proposal (AMB-06 compares its hash)."""
    parties = []
    for party in case.parties.order_by("id"):
        p = latest_proposal(party)
        parties.append({"party": party.pk, "kind": p.kind if p else None, "penalty_types": sorted(p.penalty_types) if p else [],
                        "fine": str(p.fine) if p else None, "confiscation": str(p.confiscation) if p else None,
                        "facts": p.facts if p else "", "law": p.law if p else ""})
    return {"case": case.pk, "facts": case.facts, "parties": parties}


def officer_facts(case: Case, on: date) -> tuple[OfficerFacts, ...]:
    rows = case.officers.select_related("user")
    valid = {c.user_id for c in OfficerCredential.objects.filter(user_id__in=[r.user_id for r in rows]) if c.is_valid_on(on)}
    return tuple(OfficerFacts(user_id=r.user_id, qualified=r.user.role in (Role.OFFICER, Role.SUPERVISOR), credential_valid=r.user_id in valid,
                              recused=r.removed_at is not None) for r in rows)


def review_triggers_for(case: Case, on: date) -> frozenset[str]:
    """LRV-01/LRV-02/HRG-11 scope as the union of all triggers (AMB-04). EVI-06 (non-site
    audio-visual and electronic evidence reviewed for truth, clarity, completeness, accuracy and
    legality) is enforced per item by the evidence app's review — only reviewed items are
    admissible — and LRV-05 adds the item to the checklist whenever the case is reviewed; a
    non-site origin alone does not put the case in review scope."""
    fines = []
    types: set[str] = set()
    confiscated = Decimal("0")
    for party in case.parties.all():
        p = latest_proposal(party)
        if p and p.kind == DecisionKind.PENALTY:
            fines.append(p.fine)
            types |= set(p.penalty_types)
            confiscated = max(confiscated, p.confiscation)
    hearing_held = case.parties.filter(hearings__held_at__isnull=False).exists()
    yuyao = case.organisation.effective_jurisdiction.upper().startswith("CN-ZJ-YUYAO")
    return review.review_triggers(
        major_public_interest=case.major_public_interest, major_rights=case.major_rights, hearing_held=hearing_held,
        complex_case=case.complex_case, required_by_rule=case.crime_suspected, yuyao_list=yuyao, penalty_types=frozenset(types),
        fine=max(fines, default=Decimal("0")), confiscated_goods_value=confiscated, general_procedure=case.procedure == "GENERAL",
    )


def case_facts(case: Case, on: date | None = None) -> guards.CaseFacts:
    """The plain snapshot the guards judge (guards.py)."""
    day = on or today()
    parties = []
    config: list[Finding] = []
    for party in case.parties.order_by("id"):
        p = latest_proposal(party)
        pf = None
        if p:
            pf = guards.ProposalFacts(kind=p.kind, penalty_types=tuple(p.penalty_types), fine=p.fine, confiscation=p.confiscation,
                                      has_correction_order=bool(p.correction_order.strip()), has_education=bool(p.education.strip()))
        n = latest_notice(party)
        n_served = served_on(party, n.document_id) if n else None
        stmt_end = hearing_end = None
        if n and n_served:
            try:
                stmt_end, hearing_end = rights_deadlines(case, n, n_served)
            except RuleNotConfigured as exc:
                config.append(Finding("HRG-02", "CONFIG_MISSING", str(exc.message)))
        statements = list(party.statements.filter(notice=n)) if n else []
        hearings = list(party.hearings.all())
        decision = getattr(party, "decision", None)
        settled = bool(decision) and decision_settled(decision, day)
        parties.append(guards.PartyFacts(
            party_id=party.pk, name=party.name, proposal=pf, notice_issued=n is not None, notice_served_on=n_served,
            hearing_right=bool(n and n.hearing_right), statement_window_end=stmt_end, hearing_request_deadline=hearing_end,
            waived_statement=any(s.waiver for s in statements), waived_hearing=any(s.waive_hearing for s in statements),
            statements=sum(1 for s in statements if not s.waiver), statements_unanswered=sum(1 for s in statements if not s.waiver and not hasattr(s, "reply")),
            hearing_requested=bool(hearings), hearing_finished=bool(hearings) and all(h.outcome for h in hearings),
            decided=decision is not None, decision_kind=decision.kind if decision else "",
            decision_fine=decision.fine if decision else Decimal("0"),
            decision_served=bool(decision and served_on(party, decision.document_id)), payment_settled=settled,
        ))
    admissible = sum(1 for link in case.evidence.select_related("item") if admissibility_of(link.item).usable)
    reviews = tuple(guards.ReviewFacts(round_no=r.round_no, opinion=r.opinion, handler_agrees=r.handler_agrees, snapshot_sha256=r.snapshot_sha256,
                                       committee_decided=case.committee_decisions.filter(review=r).exists())
                    for r in LegalReview.objects.filter(case=case).order_by("round_no"))
    return guards.CaseFacts(
        today=day, state=case.state, procedure=case.procedure, officers=officer_facts(case, day), parties=tuple(parties),
        admissible_evidence=admissible, review_triggers=review_triggers_for(case, day), reviews=reviews,
        current_snapshot_sha256=snapshot_hash(proposal_snapshot(case)), complex_or_major=case.complex_case or case.major_public_interest,
        committee_decided=case.committee_decisions.exists(), pending_recusals=case.recusals.filter(granted__isnull=True).count(),
        config_findings=tuple(config),
    )


@dataclass(frozen=True)
class Due:
    """One open step with its deadline, for the workbench and the case page."""

    case_id: int
    label: str
    due_on: date | None
    rule: str

    def overdue(self, on: date) -> bool:
        return self.due_on is not None and on > self.due_on


def case_deadlines(case: Case) -> list[Due]:
    """Every deadline the case is running against now (CAL-08…CAL-10), soonest first."""
    cal = get_calendar()
    out: list[Due] = []
    if case.filed_on and case.state in OPEN_STATES and case.state not in (CaseState.DECIDED, CaseState.SERVED):
        try:
            limit = int(_rule("decision.limit_days", case, case.filed_on))
            due = deadlines.decision_deadline(case.filed_on, limit, cal, extension_days=case.decision_extension_days).due_date
            out.append(Due(case.pk, "作出处理决定", due, "DEC-02"))
        except RuleNotConfigured:
            out.append(Due(case.pk, "作出处理决定（期限未配置）", None, "DEC-02"))
    for party in case.parties.all():
        n = latest_notice(party)
        n_served = served_on(party, n.document_id) if n else None
        if n and n_served and case.state in (CaseState.NOTICED, CaseState.HEARING):
            try:
                stmt, hearing = rights_deadlines(case, n, n_served)
                out.append(Due(case.pk, f"{party.name} 陈述申辩期届满", stmt, "RTS-04"))
                if hearing:
                    out.append(Due(case.pk, f"{party.name} 听证申请期届满", hearing, "HRG-04"))
            except RuleNotConfigured:
                pass
        decision = getattr(party, "decision", None)
        if decision and not served_on(party, decision.document_id):
            wd = int(_rule("service.absent_wd", case, decision.decided_on))
            out.append(Due(case.pk, f"向{party.name}送达决定书", deadlines.service_deadline(decision.decided_on, wd, cal).due_date, "SRV-01"))
    for m in case.measures.filter(handled_on__isnull=True, started_on__isnull=False):
        out.append(Due(case.pk, f"{m.get_kind_display()}处理决定", m.due_on, "CAS-12" if m.kind == "PRESERVATION" else "CRC-07"))
    for r in case.recusals.filter(granted__isnull=True):
        out.append(Due(case.pk, "回避申请决定", r.due_on, "RCS-03"))
    if case.state == CaseState.CLOSED and case.closed_on:
        wd = int(_rule("archive.wd", case, case.closed_on))
        out.append(Due(case.pk, "立卷归档", deadlines.archive_deadline(case.closed_on, wd, cal).due_date, "CLS-02"))
    return sorted(out, key=lambda d: (d.due_on is None, d.due_on or date.max))


def workbench(user, on: date | None = None) -> list[tuple[Case, Due | None]]:
    """The officer's open cases with their next deadline, overdue ones first (issue 5 item 2)."""
    day = on or today()
    qs = cases_visible_to(user).filter(state__in=OPEN_STATES)
    if user.role == Role.OFFICER:
        qs = qs.filter(Q(officers__user=user, officers__removed_at__isnull=True) | Q(created_by=user)).distinct()
    rows = []
    for case in qs[:500]:
        dues = case_deadlines(case)
        rows.append((case, dues[0] if dues else None))
    return sorted(rows, key=lambda r: (not (r[1] and r[1].overdue(day)), r[1].due_on if r[1] and r[1].due_on else date.max))


def party_kind(party: CaseParty) -> str:
    return "ORG" if party.kind == PartyKind.ORG else "INDIVIDUAL"


def file_manifest(case: Case) -> tuple[list[str], set[str]]:
    """CLS-03: what the file must contain and what it does contain."""
    from zhifa.documents.models import IssuedDocument

    kinds = set(IssuedDocument.objects.filter(ref=case.ref).values_list("kind", flat=True))
    decisions = [p.decision for p in case.parties.all() if hasattr(p, "decision")]
    fined = any(d.fine > 0 for d in decisions)
    manifest = set()
    mapping = {"FILING_APPROVAL": "FILING_APPROVAL", "LEGAL_REVIEW_OPINION": "LEGAL_REVIEW_OPINION", "COMMITTEE_DECISION": "COMMITTEE_DECISION",
               "HEARING_RECORD": "HEARING_RECORD", "PRE_DECISION_NOTICE": "NOTICE", "PENALTY_DECISION": "DECISION", "NO_PENALTY_DECISION": "DECISION"}
    for k in kinds:
        if k in mapping:
            manifest.add(mapping[k])
    if decisions and all(case.services.filter(document=d.document, served_on__isnull=False).exists() for d in decisions):
        manifest.add("SERVICE_RECEIPT")
    if fined and all(not d.fine or decision_settled(d) for d in decisions):
        manifest.add("PAYMENT_PROOF")
    if case.evidence.exists():
        manifest.add("EVIDENCE_LIST")
    required = procedure.required_file_items(review_done=case.reviews.filter(completed_at__isnull=False).exists(),
                                             committee_held=case.committee_decisions.exists(),
                                             hearing_held=case.parties.filter(hearings__held_at__isnull=False).exists(),
                                             served=bool(decisions), fined=fined, evidence_count=case.evidence.count(),
                                             noticed=Notice.objects.filter(party__case=case).exists())
    return list(required), manifest
