"""Procedure rules: simple procedure (CAS-03), officers (CAS-04, RCS-04), closure (CLS-01) and the
case file (CLS-03)."""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from .findings import Finding, rule_input_error
from .hearing import PARTY_KIND_LABELS, check_party_kind
from .penalties import SIMPLE_PROCEDURE_TYPES, parse_types

# --- simple procedure (CAS-03) ------------------------------------------------------------------


def simple_procedure_findings(*, party_kind: str, penalty_types: Iterable[str], fine, max_fine_individual, max_fine_org) -> list[Finding]:
    """CAS-03 (APL art. 51): an on-the-spot decision only for a warning or a fine of at most 200 yuan
    (citizen) or 3,000 yuan (legal person or other organisation) — "以下" includes the amount
    (CAL-11). The maxima come from the rule set (`simple_procedure.max_fine`, kinds
    INDIVIDUAL/ORG)."""
    check_party_kind(party_kind, "CAS-03")
    types = parse_types(penalty_types, rule="CAS-03")
    amount = Decimal(str(fine or 0))
    if amount < 0:
        raise rule_input_error("罚款金额不得为负数", rule="CAS-03", field="fine")
    findings: list[Finding] = []
    other = sorted(types - SIMPLE_PROCEDURE_TYPES, key=lambda t: t.rank)
    if other:
        findings.append(Finding("CAS-03", "SIMPLE_TYPE_NOT_ALLOWED",
                                "简易程序只能当场作出警告或者小额罚款，不能适用于：" + "、".join(t.label for t in other)))
    if not types:
        findings.append(Finding("CAS-03", "SIMPLE_NO_PENALTY", "简易程序当场处罚须写明处罚种类（警告或罚款）"))
    limit = Decimal(str(max_fine_org if party_kind == "ORG" else max_fine_individual))
    if amount > limit:
        findings.append(Finding("CAS-03", "SIMPLE_FINE_TOO_HIGH",
                                f"简易程序对{PARTY_KIND_LABELS[party_kind]}的罚款不得超过{limit.normalize():f}元，拟罚{amount.normalize():f}元，应适用普通程序"))
    return findings


# --- officers (CAS-04, RCS-04) ---------------------------------------------------------------------


@dataclass(frozen=True)
class OfficerFacts:
    """An officer assigned to the case, as of the day of the act: qualified = holds enforcement
    qualification (role), credential_valid = the enforcement certificate is valid that day,
    recused = removed from the case after a granted recusal (RCS-04)."""

    user_id: int
    qualified: bool
    credential_valid: bool
    recused: bool = False

    @property
    def can_act(self) -> bool:
        return self.qualified and self.credential_valid and not self.recused


MIN_OFFICERS = 2


def officer_findings(officers: Sequence[OfficerFacts], *, act: str, acting_user_ids: Collection[int] | None = None,
                     min_officers: int = MIN_OFFICERS) -> list[Finding]:
    """CAS-04 (APL art. 42; S4-A1 #2): at least two officers with enforcement qualification and a
    certificate valid on the day carry out every investigative act. RCS-04 (APL art. 43): an officer
    whose recusal was granted is removed — never counted, and (when `acting_user_ids` names who
    acts) never acting. With `acting_user_ids`, every acting officer must be assigned and able to
    act."""
    findings: list[Finding] = []
    able = {o.user_id for o in officers if o.can_act}
    if acting_user_ids is not None:
        by_id = {o.user_id: o for o in officers}
        acting = set(acting_user_ids)
        recused = sorted(u for u in acting if u in by_id and by_id[u].recused)
        if recused:
            findings.append(Finding("RCS-04", "RECUSED_OFFICER_ACTING", f"已决定回避的执法人员不得参与{act}"))
        strangers = sorted(u for u in acting if u not in by_id)
        if strangers:
            findings.append(Finding("CAS-04", "OFFICER_NOT_ASSIGNED", f"参与{act}的人员不是本案承办人员"))
        unable = sorted(u for u in acting if u in by_id and not by_id[u].recused and not by_id[u].can_act)
        if unable:
            findings.append(Finding("CAS-04", "OFFICER_NOT_QUALIFIED", f"参与{act}的人员须具有执法资格且执法证件在有效期内"))
        able &= acting
    if len(able) < min_officers:
        note = "（已回避的人员不计入）" if any(o.recused for o in officers) else ""
        findings.append(Finding("CAS-04", "TOO_FEW_OFFICERS",
                                f"{act}须由两名以上具有执法资格、执法证件有效的执法人员实施，目前符合条件的只有{len(able)}名{note}"))
    return findings


# --- closure (CLS-01) ---------------------------------------------------------------------------------

CLOSURE_REASONS: Mapping[str, str] = MappingProxyType({
    "PERFORMED": "罚款已缴清/已履行",
    "ENFORCED": "强制执行完毕",
    "NO_PENALTY_SERVED": "不予处罚决定已送达（附教育记录）",
    "TRANSFERRED": "移送司法机关",
    "TERMINATED": "依法终止",
})

# Codes used by the rule-set value `case_closure.reasons` (CN pack) for the same conditions.
PACK_REASON_CODES: Mapping[str, str] = MappingProxyType({
    "PENALTY_PERFORMED": "PERFORMED",
    "NO_PENALTY_SERVED": "NO_PENALTY_SERVED",
    "TRANSFERRED_JUDICIAL": "TRANSFERRED",
    "TERMINATED_LAWFULLY": "TERMINATED",
})

CLOSURE_FACT_LABELS: Mapping[str, str] = MappingProxyType({
    "decision_served": "处理决定书已送达",
    "performed": "处罚决定已全部履行（罚款已缴清）",
    "enforcement_completed": "强制执行已执行完毕",
    "education_recorded": "已记录对当事人的教育（CLU-L04）",
    "transfer_recorded": "移送司法机关的移送书及回执已入卷",
    "termination_approved": "终止理由已记录并经机关负责人批准",
})

CLOSURE_PREREQUISITES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "PERFORMED": ("decision_served", "performed"),
    "ENFORCED": ("decision_served", "enforcement_completed"),
    "NO_PENALTY_SERVED": ("decision_served", "education_recorded"),
    "TRANSFERRED": ("transfer_recorded",),
    "TERMINATED": ("termination_approved",),
})


def closure_findings(reason: str, *, facts: Mapping[str, bool], allowed_reasons: Collection[str] | None = None) -> list[Finding]:
    """CLS-01 (APL arts. 57, 33; closure list a design choice, `[U]`): a case closes only on a
    terminal condition in `CLOSURE_REASONS` whose prerequisites are recorded (a fact not given
    counts as not met). `allowed_reasons` (e.g. the rule set's `case_closure.reasons`, pack codes
    accepted) narrows the list."""
    if reason not in CLOSURE_REASONS:
        return [Finding("CLS-01", "UNKNOWN_REASON", f"结案情形无效：{reason}")]
    if allowed_reasons is not None and reason not in {PACK_REASON_CODES.get(r, r) for r in allowed_reasons}:
        return [Finding("CLS-01", "REASON_NOT_ALLOWED", f"本辖区规则集未将「{CLOSURE_REASONS[reason]}」列为结案情形")]
    missing = [CLOSURE_FACT_LABELS[f] for f in CLOSURE_PREREQUISITES[reason] if not facts.get(f)]
    if missing:
        return [Finding("CLS-01", "PREREQUISITE_MISSING", f"以「{CLOSURE_REASONS[reason]}」结案，须先满足：" + "、".join(missing))]
    return []


# --- the case file (CLS-03) -------------------------------------------------------------------------

FILE_ITEMS: Mapping[str, str] = MappingProxyType({
    "FILING_APPROVAL": "立案审批表",
    "NOTICE": "行政处罚告知书",
    "HEARING_RECORD": "听证笔录",
    "LEGAL_REVIEW_OPINION": "法制审核意见书",
    "COMMITTEE_DECISION": "案审会集体讨论决定记录",
    "DECISION": "处理决定书",
    "SERVICE_RECEIPT": "送达回证",
    "PAYMENT_PROOF": "罚款缴纳凭证",
    "EVIDENCE_LIST": "证据清单（含每项证据的制作方法、时间、制作人和证明对象）",
})


def required_file_items(*, review_done: bool, committee_held: bool, hearing_held: bool, served: bool, fined: bool, evidence_count: int,
                        noticed: bool = False) -> list[str]:
    """CLS-03 (S4 二(三)4; S1 §7 para 5; APL art. 47): the file holds the filing approval; the
    pre-decision notice (if one was issued); any hearing record, legal review opinion and committee
    decision; the decision and its service receipts; payment proofs where a fine was imposed; and
    the list of all evidence with its metadata (EVI-03)."""
    if evidence_count < 0:
        raise rule_input_error("证据数不得为负数", rule="CLS-03")
    wanted = {
        "FILING_APPROVAL": True,
        "NOTICE": noticed,
        "HEARING_RECORD": hearing_held,
        "LEGAL_REVIEW_OPINION": review_done,
        "COMMITTEE_DECISION": committee_held,
        "DECISION": served,
        "SERVICE_RECEIPT": served,
        "PAYMENT_PROOF": fined,
        "EVIDENCE_LIST": evidence_count > 0,
    }
    return [code for code in FILE_ITEMS if wanted[code]]


def archive_missing(required: Sequence[str], manifest: Set[str] | Iterable[Any]) -> list[Finding]:
    """CLS-03: one blocking finding per required item the file's manifest lacks."""
    present = set(manifest)
    return [
        Finding("CLS-03", "FILE_ITEM_MISSING", f"案卷缺少：{FILE_ITEMS.get(code, code)}，不得归档")
        for code in required
        if code not in present
    ]
