"""Guards of the case workflow: pure functions over a plain snapshot of the case (`CaseFacts`).

Each guard returns the findings that forbid (blocking) or qualify (non-blocking) a transition,
naming the rule. The services build the snapshot from the database, call the guard, refuse the
step on a blocking finding and only then move the protected state (workflow.py). Nothing here
touches the database, so every forbidden move is tested directly (tests/test_guards.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .rules.findings import Finding
from .rules.procedure import OfficerFacts, officer_findings
from .rules.review import describe_triggers


@dataclass(frozen=True)
class ProposalFacts:
    kind: str
    penalty_types: tuple[str, ...] = ()
    fine: Decimal = Decimal("0")
    confiscation: Decimal = Decimal("0")
    has_correction_order: bool = False
    has_education: bool = False


@dataclass(frozen=True)
class PartyFacts:
    party_id: int
    name: str
    proposal: ProposalFacts | None = None
    notice_issued: bool = False
    notice_served_on: date | None = None
    hearing_right: bool = False
    statement_window_end: date | None = None
    hearing_request_deadline: date | None = None
    waived_statement: bool = False
    waived_hearing: bool = False
    statements: int = 0
    statements_unanswered: int = 0
    hearing_requested: bool = False
    hearing_finished: bool = False
    decided: bool = False
    decision_served: bool = False
    decision_kind: str = ""
    decision_fine: Decimal = Decimal("0")
    payment_settled: bool = False


@dataclass(frozen=True)
class ReviewFacts:
    round_no: int
    opinion: str  # "" while pending
    handler_agrees: bool | None
    snapshot_sha256: str
    committee_decided: bool = False


@dataclass(frozen=True)
class CaseFacts:
    """What the guards may know about a case on `today`."""

    today: date
    state: str
    procedure: str = "GENERAL"
    officers: tuple[OfficerFacts, ...] = ()
    parties: tuple[PartyFacts, ...] = ()
    admissible_evidence: int = 0
    review_triggers: frozenset[str] = frozenset()
    reviews: tuple[ReviewFacts, ...] = ()
    current_snapshot_sha256: str = ""
    complex_or_major: bool = False
    committee_decided: bool = False
    pending_recusals: int = 0
    config_findings: tuple[Finding, ...] = field(default_factory=tuple)


def _penalty_parties(facts: CaseFacts) -> list[PartyFacts]:
    return [p for p in facts.parties if p.proposal and p.proposal.kind == "PENALTY"]


def can_file(*, approver_is_head: bool, approver_is_creator: bool, facts: CaseFacts) -> list[Finding]:
    """CAS-02 filing with approval by the head (科室负责人); CAS-04 two qualified officers."""
    out: list[Finding] = []
    if not approver_is_head:
        out.append(Finding("CAS-02", "FILING_APPROVER", "立案须经机关负责人（科室负责人/局领导）审批"))
    if approver_is_creator:
        out.append(Finding("CAS-02", "FILING_SELF_APPROVAL", "拟立案人不得自行审批立案"))
    out += officer_findings(facts.officers, act="立案")
    return out


def can_propose(facts: CaseFacts) -> list[Finding]:
    """End of investigation (CAS-14): every party has a proposal; a penalty rests on admissible
    evidence (CAS-15, EVI-01, EVI-05) and orders correction (CAS-13); a no-penalty outcome under
    leniency records the education given (CLU-L04). The fine itself was checked against the
    discretion benchmark when the proposal was made (services.case_propose: DSC-02…DSC-04)."""
    out = list(officer_findings(facts.officers, act="调查终结"))
    if not facts.parties:
        out.append(Finding("CAS-14", "NO_PARTY", "案件没有当事人"))
    for p in facts.parties:
        if p.proposal is None:
            out.append(Finding("CAS-14", "PROPOSAL_MISSING", f"当事人「{p.name}」尚无处理意见"))
            continue
        if p.proposal.kind == "PENALTY":
            if facts.admissible_evidence == 0:
                out.append(Finding("CAS-15", "NO_ADMISSIBLE_EVIDENCE", "没有经审核可采信的证据，事实不清、证据不足的不得给予行政处罚"))
            if not p.proposal.has_correction_order:
                out.append(Finding("CAS-13", "CORRECTION_ORDER_MISSING", f"对「{p.name}」给予处罚时应当责令改正或限期改正"))
        if p.proposal.kind in ("NO_PENALTY_MINOR", "NO_PENALTY_FIRST") and not p.proposal.has_education:
            out.append(Finding("CLU-L04", "EDUCATION_MISSING", f"对「{p.name}」不予处罚的，应当记录对当事人的教育"))
    return out


def needs_notice(facts: CaseFacts) -> bool:
    """RTS-01: a notice precedes every penalty decision; no-penalty outcomes need none."""
    return bool(_penalty_parties(facts))


def can_issue_notice(facts: CaseFacts) -> list[Finding]:
    """RTS-01 / HRG-02: the notice states the hearing right, so its threshold must be configured."""
    out = list(facts.config_findings)
    if not needs_notice(facts):
        out.append(Finding("RTS-01", "NO_PENALTY_PROPOSED", "拟作不予处罚决定的，无须制作行政处罚告知书"))
    out += officer_findings(facts.officers, act="告知")
    return out


def rights_window_findings(p: PartyFacts, today: date) -> list[Finding]:
    """RTS-02 / RTS-04 / HRG-04: no decision before the notice was served and its windows ran out,
    unless the party waived explicitly; a requested hearing must be finished (HRG-10)."""
    out: list[Finding] = []
    if not p.notice_issued:
        out.append(Finding("RTS-02", "NOTICE_MISSING", f"未向「{p.name}」告知拟处罚内容及权利，不得作出处罚决定"))
        return out
    if p.notice_served_on is None:
        out.append(Finding("RTS-02", "NOTICE_NOT_SERVED", f"向「{p.name}」的告知书尚未送达"))
        return out
    if not p.waived_statement and p.statement_window_end and today <= p.statement_window_end:
        out.append(Finding("RTS-04", "STATEMENT_WINDOW_OPEN", f"「{p.name}」的陈述申辩期至 {p.statement_window_end:%Y-%m-%d} 届满，期内不得作出决定（当事人明确放弃的除外）"))
    if p.hearing_right and not p.hearing_requested and not p.waived_hearing and p.hearing_request_deadline and today <= p.hearing_request_deadline:
        out.append(Finding("HRG-04", "HEARING_WINDOW_OPEN", f"「{p.name}」申请听证的期限至 {p.hearing_request_deadline:%Y-%m-%d} 届满"))
    if p.hearing_requested and not p.hearing_finished:
        out.append(Finding("HRG-10", "HEARING_PENDING", f"「{p.name}」已申请听证，须依听证笔录作出决定"))
    if p.statements_unanswered:
        out.append(Finding("RTS-03", "STATEMENT_UNANSWERED", f"「{p.name}」的陈述申辩尚未复核（须记录采纳与否及理由）"))
    return out


def can_submit_review(facts: CaseFacts) -> list[Finding]:
    """Legal review follows statements and any hearing (AMB-06), so the reviewer sees them."""
    out: list[Finding] = []
    for p in _penalty_parties(facts):
        out += rights_window_findings(p, facts.today)
    if facts.reviews and facts.reviews[-1].opinion == "":
        out.append(Finding("LRV-01", "REVIEW_PENDING", "已有一轮法制审核尚未完成"))
    return out


def review_passed_for_current(facts: CaseFacts) -> bool:
    """LRV-01 and AMB-06: the latest completed review passed (or the committee decided) on the same
    facts and proposal as now; a change after review needs a second review."""
    done = [r for r in facts.reviews if r.opinion]
    if not done:
        return False
    last = done[-1]
    if last.snapshot_sha256 != facts.current_snapshot_sha256:
        return False
    if last.opinion in ("PASS", "AMEND") and last.handler_agrees is not False:
        return True
    return last.committee_decided


def can_decide(facts: CaseFacts, *, decider_is_head: bool) -> list[Finding]:
    """CAS-14 the head decides; RTS-02 rights windows; LRV-01/02/05 review passed on the current
    facts (AMB-06); LRV-09/CAS-14 collective discussion where required; CAS-15 facts proven; RCS-02
    a pending recusal does not stop investigation, but the decision waits for it."""
    out: list[Finding] = []
    if not decider_is_head:
        out.append(Finding("CAS-14", "DECIDER_NOT_HEAD", "处理决定须由行政机关负责人作出"))
    for p in _penalty_parties(facts):
        out += rights_window_findings(p, facts.today)
    if facts.review_triggers and not review_passed_for_current(facts):
        reasons = describe_triggers(facts.review_triggers)
        out.append(Finding("LRV-01", "REVIEW_REQUIRED", f"本案属于法制审核范围（{reasons}），未经审核或审核未通过的不得作出决定；审核后事实或处理意见变更的须重新审核"))
    if facts.reviews and facts.reviews[-1].opinion and facts.reviews[-1].handler_agrees is False and not facts.committee_decided:
        out.append(Finding("LRV-09", "COMMITTEE_REQUIRED", "法制审核机构与承办机构意见不一致，须提交案审会集体讨论决定"))
    if facts.complex_or_major and _penalty_parties(facts) and not facts.committee_decided:
        out.append(Finding("CAS-14", "COLLECTIVE_DISCUSSION_REQUIRED", "情节复杂或重大违法行为给予处罚，须经机关负责人集体讨论决定"))
    if facts.pending_recusals:
        out.append(Finding("RCS-02", "RECUSAL_PENDING", "尚有回避申请未作决定"))
    if _penalty_parties(facts) and facts.admissible_evidence == 0:
        out.append(Finding("CAS-15", "NO_ADMISSIBLE_EVIDENCE", "没有可采信的证据，不得给予行政处罚"))
    return out


def can_close(facts: CaseFacts) -> list[Finding]:
    """CLS-01: closure needs a terminal condition for every party — a fine paid, a no-penalty or
    not-established decision served, or a transfer."""
    out: list[Finding] = []
    for p in facts.parties:
        if not p.decided:
            out.append(Finding("CLS-01", "NOT_DECIDED", f"「{p.name}」尚未作出处理决定"))
        elif not p.decision_served and p.decision_kind != "TRANSFER":
            out.append(Finding("CLS-01", "NOT_SERVED", f"对「{p.name}」的决定书尚未送达"))
        elif p.decision_kind == "PENALTY" and p.decision_fine > 0 and not p.payment_settled:
            out.append(Finding("CLS-01", "NOT_PAID", f"「{p.name}」的罚款尚未缴清（罚缴分离，以缴款平台回执为准）"))
    return out
