"""Legal review (法制审核, LRV-01…LRV-11): scope, checklist, reviewer, second review, committee.

Scope is the union of every applicable trigger (AMB-04): the four statutory categories of APL art.
58 (LRV-01, HRG-11), Yuyao's mandatory list (LRV-02) and, for non-site cases, the review of
audio-visual materials and electronic data (LRV-05, EVI-06, S1 §7 para 5). A local list may add
triggers, never remove a statutory one. LRV-03 (review every general-procedure case) is a SHOULD:
`review_recommended` flags it without blocking.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from .findings import Finding, rule_input_error
from .penalties import YUYAO_REVIEW_TYPES, parse_types

# LRV-04 (S4 二(三)3; GOB-118): the ten items, in the order of the source, each recorded PASS/FAIL.
CHECKLIST: Mapping[str, str] = MappingProxyType({
    "SUBJECT_LEGAL": "执法主体是否合法",
    "OFFICER_QUALIFIED": "执法人员是否具备执法资格",
    "PROCEDURE_LEGAL": "执法程序是否合法",
    "FACTS_CLEAR": "案件事实是否清楚",
    "EVIDENCE_SUFFICIENT": "证据是否确凿、充分",
    "LAW_CITED": "适用法律、法规、规章是否准确",
    "DISCRETION_APPROPRIATE": "裁量基准运用是否适当",
    "WITHIN_AUTHORITY": "是否在法定权限内",
    "DOCUMENTS_COMPLETE": "执法文书是否完备、规范",
    "CRIME_TRANSFER": "违法行为是否涉嫌犯罪、需要移送司法机关（已审查并依法处理）",
})

# LRV-05 (S1 §7 para 5; EVI-06): the added item for non-site cases.
NON_SITE_ITEM = "NON_SITE_AV_EDATA"
NON_SITE_ITEM_LABEL = "非现场视听资料、电子数据是否真实、清晰、完整、准确、合法"

ITEM_LABELS: Mapping[str, str] = MappingProxyType({**CHECKLIST, NON_SITE_ITEM: NON_SITE_ITEM_LABEL})

# CAS-15 (APL art. 40): no penalty where facts are unclear or evidence insufficient.
PENALTY_PREREQUISITE_ITEMS = ("FACTS_CLEAR", "EVIDENCE_SUFFICIENT")

RESULTS = ("PASS", "FAIL")
OPINIONS = {"PASS": "同意", "AMEND": "修改后同意", "RETURN": "退回补充调查"}

# Trigger codes of review_triggers, with the rule and a Chinese label.
TRIGGER_LABELS: Mapping[str, str] = MappingProxyType({
    "MAJOR_PUBLIC_INTEREST": "涉及重大公共利益（行政处罚法第58条第1款第1项）",
    "MAJOR_RIGHTS_HEARING": "直接关系当事人或者第三人重大权益且经过听证（行政处罚法第58条第1款第2项）",
    "COMPLEX_CASE": "案件情况疑难复杂、涉及多个法律关系（行政处罚法第58条第1款第3项）",
    "REQUIRED_BY_RULE": "法律、法规规定应当进行法制审核的其他情形（行政处罚法第58条第1款第4项）",
    "YUYAO_PENALTY_TYPE": "余姚市必审清单：责令停产停业（整顿）、停止建设施工、吊销证照、撤销资格证书、没收违法所得或提请关闭",
    "YUYAO_LARGE_FINE": "余姚市必审清单：罚款数额达到必审标准",
    "YUYAO_LARGE_GOODS": "余姚市必审清单：没收非法生产经营物品、设备价值达到必审标准",
    "NON_SITE_EVIDENCE": "非现场执法案件：视听资料、电子数据须经法制审核（上海S1第七条第五款）",
})
TRIGGER_RULES: Mapping[str, str] = MappingProxyType({
    "MAJOR_PUBLIC_INTEREST": "LRV-01",
    "MAJOR_RIGHTS_HEARING": "HRG-11",
    "COMPLEX_CASE": "LRV-01",
    "REQUIRED_BY_RULE": "LRV-01",
    "YUYAO_PENALTY_TYPE": "LRV-02",
    "YUYAO_LARGE_FINE": "LRV-02",
    "YUYAO_LARGE_GOODS": "LRV-02",
    "NON_SITE_EVIDENCE": "LRV-05",
})


def checklist_for(*, non_site: bool) -> list[str]:
    """LRV-04 items, plus LRV-05's item for a non-site case."""
    items = list(CHECKLIST)
    if non_site:
        items.append(NON_SITE_ITEM)
    return items


def review_triggers(*, major_public_interest: bool, major_rights: bool, hearing_held: bool, complex_case: bool, required_by_rule: bool,
                    yuyao_list: bool, penalty_types: Iterable[str], fine, confiscated_goods_value, general_procedure: bool,
                    non_site: bool = False, yuyao_fine_threshold=Decimal("50000"), yuyao_goods_threshold=Decimal("50000")) -> frozenset[str]:
    """The legal-review scope as the union of all triggers (AMB-04); empty = review not mandatory.

    - LRV-01 (APL art. 58 para 1): major public interest; major rights of the party or a third
      party **and** a hearing held (also HRG-11); difficult/complex; required by other rules.
    - LRV-02 (S4 二(三)2), where `yuyao_list` applies: a type on the list (incl. confiscation of
      illegal gains, whatever the amount); a fine ≥ 50,000 yuan; confiscated goods/equipment worth
      ≥ 50,000 yuan ("以上" includes the amount, CAL-11; thresholds from `legal_review.*`).
    - LRV-05 (S1 §7 para 5, EVI-06): a non-site case, whose audio-visual and electronic evidence
      must pass legal review.

    `general_procedure` does not narrow the statutory triggers (CAS-01); it matters only for the
    LRV-03 recommendation (`review_recommended`).
    """
    types = parse_types(penalty_types, rule="LRV-02")
    fine_amount = Decimal(str(fine or 0))
    goods = Decimal(str(confiscated_goods_value or 0))
    if fine_amount < 0 or goods < 0:
        raise rule_input_error("金额不得为负数", rule="LRV-02")
    found: set[str] = set()
    if major_public_interest:
        found.add("MAJOR_PUBLIC_INTEREST")
    if major_rights and hearing_held:
        found.add("MAJOR_RIGHTS_HEARING")
    if complex_case:
        found.add("COMPLEX_CASE")
    if required_by_rule:
        found.add("REQUIRED_BY_RULE")
    if yuyao_list:
        if types & YUYAO_REVIEW_TYPES:
            found.add("YUYAO_PENALTY_TYPE")
        if fine_amount > 0 and fine_amount >= Decimal(str(yuyao_fine_threshold)):
            found.add("YUYAO_LARGE_FINE")
        if goods > 0 and goods >= Decimal(str(yuyao_goods_threshold)):
            found.add("YUYAO_LARGE_GOODS")
    if non_site:
        found.add("NON_SITE_EVIDENCE")
    return frozenset(found)


def describe_triggers(triggers: Iterable[str]) -> str:
    """The triggers in Chinese, in a stable order, for messages and the review queue."""
    order = list(TRIGGER_LABELS)
    known = sorted((t for t in triggers if t in TRIGGER_LABELS), key=order.index)
    return "；".join(TRIGGER_LABELS[t] for t in known)


def review_recommended(*, general_procedure: bool, reviewed: bool = False) -> list[Finding]:
    """LRV-03 (S4 二(三)2, SHOULD): every general-procedure decision should be reviewed
    ("一案一卷一审"). A non-blocking flag when a general-procedure case skips review."""
    if general_procedure and not reviewed:
        return [Finding("LRV-03", "REVIEW_RECOMMENDED", "建议对普通程序案件一律进行法制审核（一案一卷一审）", blocking=False)]
    return []


def _check_items(items: Mapping[str, Any], *, non_site: bool | None) -> list[str]:
    required = checklist_for(non_site=bool(non_site) if non_site is not None else NON_SITE_ITEM in items)
    unknown = [k for k in items if k not in ITEM_LABELS]
    if unknown:
        raise rule_input_error("审核清单中有未知项目：" + "、".join(map(str, unknown)), rule="LRV-04", field="items")
    if non_site is False and NON_SITE_ITEM in items:
        raise rule_input_error("非非现场案件的审核清单不应包含非现场证据项目", rule="LRV-05", field="items")
    missing = [k for k in required if items.get(k) in (None, "")]
    if missing:
        rule = "LRV-05" if missing == [NON_SITE_ITEM] else "LRV-04"
        raise rule_input_error("审核清单须逐项填写：" + "、".join(ITEM_LABELS[k] for k in missing), rule=rule, field="items")
    bad = [k for k in required if items[k] not in RESULTS]
    if bad:
        raise rule_input_error("审核项目的结论只能为通过（PASS）或不通过（FAIL）：" + "、".join(ITEM_LABELS[k] for k in bad), rule="LRV-04",
                               field="items")
    return required


def review_outcome(items: Mapping[str, str], *, non_site: bool | None = None) -> str:
    """LRV-04/LRV-05: "PASS" only when every required item is PASS, else "FAIL". A missing, unknown
    or unanswered item is an input error (every item must be recorded). `non_site=None` infers the
    LRV-05 item from its presence. CAS-15: FACTS_CLEAR and EVIDENCE_SUFFICIENT are among the
    required items, so a review that fails either can never pass (see `penalty_basis_findings`)."""
    required = _check_items(items, non_site=non_site)
    return "PASS" if all(items[k] == "PASS" for k in required) else "FAIL"


def failed_items(items: Mapping[str, str]) -> list[str]:
    """The items recorded FAIL, in checklist order."""
    return [k for k in ITEM_LABELS if items.get(k) == "FAIL"]


def penalty_basis_findings(items: Mapping[str, str]) -> list[Finding]:
    """CAS-15 (APL art. 40): facts unclear or evidence insufficient → no penalty may be imposed.
    Blocking unless both items were reviewed PASS."""
    return [
        Finding("CAS-15", f"{k}_NOT_PASSED", f"法制审核「{CHECKLIST[k]}」未通过：事实不清、证据不足的，不得给予行政处罚")
        for k in PENALTY_PREREQUISITE_ITEMS
        if items.get(k) != "PASS"
    ]


def reviewer_problems(*, qualified: bool, first_review_on: date | None, qualification_from: date, is_handler: bool,
                      holds_enforcement_cert: bool, yuyao: bool) -> list[Finding]:
    """LRV-06 (APL art. 58 para 2): a person first doing legal review of penalty decisions on or
    after `qualification_from` (2021-07-15) must hold the national legal professional qualification;
    a reviewer who began earlier may continue. `first_review_on=None` means this is the first
    review. Yuyao adds that reviewers should generally hold enforcement qualification (S4 二(三)1:
    a non-blocking flag).
    LRV-08 (derived from S4 二(三)4–5): the reviewer may not be a handler of the same case."""
    findings: list[Finding] = []
    first = first_review_on
    if (first is None or first >= qualification_from) and not qualified:
        findings.append(Finding("LRV-06", "REVIEWER_NOT_QUALIFIED",
                                f"自{qualification_from:%Y年%m月%d日}起初次从事行政处罚决定法制审核的人员，应当取得法律职业资格"))
    if is_handler:
        findings.append(Finding("LRV-08", "REVIEWER_IS_HANDLER", "法制审核人员不得是本案的承办或调查人员"))
    if yuyao and not holds_enforcement_cert:
        findings.append(Finding("LRV-06", "REVIEWER_NO_ENFORCEMENT_CERT", "余姚市：法制审核人员原则上应当具有行政执法资格", blocking=False))
    return findings


def needs_second_review(*, reviewed_facts_hash: str | None, current_facts_hash: str, reviewed_penalty: Any, current_penalty: Any) -> bool:
    """AMB-06 (APL art. 58): a review covers the facts and penalty it saw. If either changed since
    (e.g. after statements or a hearing), the decision needs a new review. No earlier review
    (`reviewed_facts_hash=None`) also means a review is needed."""
    if reviewed_facts_hash is None:
        return True
    return reviewed_facts_hash != current_facts_hash or reviewed_penalty != current_penalty


def needs_committee(opinion: str, handler_agrees: bool) -> bool:
    """LRV-09 (S4 二(三)4): where the review body's opinion (amend or return) and the handling body
    disagree, the case review committee decides collectively. A PASS opinion endorses the handler's
    proposal, so there is nothing to escalate."""
    if opinion not in OPINIONS:
        raise rule_input_error(f"审核意见无效：{opinion}", rule="LRV-09", field="opinion")
    return opinion != "PASS" and not handler_agrees
