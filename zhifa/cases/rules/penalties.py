"""Penalty types of work-safety cases and the rule that statements never make a penalty heavier.

The vocabulary follows the kinds of penalty in APL art. 9 as they appear in the Work Safety Law
and the Yuyao legal-review list (S4 二(三)2). Each type has a Chinese label and a severity rank.

Severity rank (design choice, documented because RTS-03 needs an order): the APL art. 9 groups,
lightest first — warning; fine and confiscations (one group, the same rank: swapping a fine for a
confiscation is never treated as "lighter"); orders to stop building, to suspend for rectification,
to suspend; revocation of qualifications and licences; closure. Only a type of a strictly lower
rank can stand in for a dropped one.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from decimal import Decimal

from .findings import Finding, rule_input_error


class PenaltyType(enum.StrEnum):
    """Penalty types (value = name, so `PenaltyType["FINE"]` and `PenaltyType("FINE")` both work)."""

    WARNING = "WARNING"
    FINE = "FINE"
    CONFISCATE_GAINS = "CONFISCATE_GAINS"
    CONFISCATE_PROPERTY = "CONFISCATE_PROPERTY"
    STOP_CONSTRUCTION = "STOP_CONSTRUCTION"
    SUSPEND_RECTIFY = "SUSPEND_RECTIFY"
    SUSPEND = "SUSPEND"
    QUALIFICATION_REVOKE = "QUALIFICATION_REVOKE"
    LICENCE_REVOKE = "LICENCE_REVOKE"
    CLOSURE_REQUEST = "CLOSURE_REQUEST"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def rank(self) -> int:
        return RANKS[self]


LABELS: dict[PenaltyType, str] = {
    PenaltyType.WARNING: "警告",
    PenaltyType.FINE: "罚款",
    PenaltyType.CONFISCATE_GAINS: "没收违法所得",
    PenaltyType.CONFISCATE_PROPERTY: "没收非法财物",
    PenaltyType.STOP_CONSTRUCTION: "责令停止建设/施工",
    PenaltyType.SUSPEND_RECTIFY: "责令停产停业整顿",
    PenaltyType.SUSPEND: "责令停产停业",
    PenaltyType.QUALIFICATION_REVOKE: "撤销执业资格或岗位证书",
    PenaltyType.LICENCE_REVOKE: "吊销许可证",
    PenaltyType.CLOSURE_REQUEST: "提请关闭",
}

RANKS: dict[PenaltyType, int] = {
    PenaltyType.WARNING: 10,
    PenaltyType.FINE: 20,
    PenaltyType.CONFISCATE_GAINS: 20,
    PenaltyType.CONFISCATE_PROPERTY: 20,
    PenaltyType.STOP_CONSTRUCTION: 40,
    PenaltyType.SUSPEND_RECTIFY: 50,
    PenaltyType.SUSPEND: 55,
    PenaltyType.QUALIFICATION_REVOKE: 60,
    PenaltyType.LICENCE_REVOKE: 70,
    PenaltyType.CLOSURE_REQUEST: 80,
}

# HRG-01 (APL art. 63): types that give the right to a hearing whatever the amount — lowering of
# qualification or revocation of a licence; suspension of production/business, closure, restriction
# on practice; other heavier penalties (an order to stop construction is read as one, in the
# party's favour).
HEARING_TYPES: frozenset[PenaltyType] = frozenset({
    PenaltyType.STOP_CONSTRUCTION,
    PenaltyType.SUSPEND_RECTIFY,
    PenaltyType.SUSPEND,
    PenaltyType.QUALIFICATION_REVOKE,
    PenaltyType.LICENCE_REVOKE,
    PenaltyType.CLOSURE_REQUEST,
})

# LRV-02 (S4 二(三)2): types on Yuyao's mandatory legal-review list whatever the amount.
YUYAO_REVIEW_TYPES: frozenset[PenaltyType] = frozenset({
    PenaltyType.SUSPEND_RECTIFY,
    PenaltyType.SUSPEND,
    PenaltyType.STOP_CONSTRUCTION,
    PenaltyType.LICENCE_REVOKE,
    PenaltyType.QUALIFICATION_REVOKE,
    PenaltyType.CONFISCATE_GAINS,
    PenaltyType.CLOSURE_REQUEST,
})

# CAS-03 (APL art. 51): the only types a simple-procedure decision may impose.
SIMPLE_PROCEDURE_TYPES: frozenset[PenaltyType] = frozenset({PenaltyType.WARNING, PenaltyType.FINE})


def parse_types(types: Iterable[str], *, rule: str = "RTS-01") -> frozenset[PenaltyType]:
    """The penalty types named by code; an unknown code is a Chinese input error."""
    result: set[PenaltyType] = set()
    unknown: list[str] = []
    for t in types:
        try:
            result.add(PenaltyType(str(t)))
        except ValueError:
            unknown.append(str(t))
    if unknown:
        raise rule_input_error("处罚种类无效：" + "、".join(unknown), rule=rule, field="penalty_types")
    return frozenset(result)


def labels(types: Iterable[str]) -> str:
    """Chinese list of penalty types, heaviest last (for documents and messages)."""
    parsed = sorted(parse_types(types), key=lambda t: (t.rank, t.value))
    return "、".join(t.label for t in parsed)


def _amount(value, field: str, rule: str) -> Decimal:
    amount = Decimal(str(value if value is not None else 0))
    if amount < 0:
        raise rule_input_error("金额不得为负数", rule=rule, field=field)
    return amount


def penalty_not_heavier(proposed_types: Iterable[str], proposed_fine, decided_types: Iterable[str], decided_fine) -> list[Finding]:
    """RTS-03 (APL art. 45) and EVI-08 (S1 §7 para 6, S5 art. 40): the decision may not be heavier
    than the penalty proposed in the pre-decision notice — the party is never penalised more for
    stating, defending or objecting to non-site evidence. A heavier penalty needs a new notice on
    new facts.

    Heavier means: a higher fine; or a decided type that the notice did not propose, unless it is
    strictly lighter than a proposed type that was dropped (e.g. a warning instead of a fine).
    """
    proposed = parse_types(proposed_types)
    decided = parse_types(decided_types)
    p_fine = _amount(proposed_fine, "fine", "RTS-03")
    d_fine = _amount(decided_fine, "fine", "RTS-03")
    findings: list[Finding] = []
    if d_fine > p_fine:
        findings.append(Finding(
            "RTS-03", "HEAVIER_FINE",
            f"决定的罚款（{d_fine}元）高于告知书拟处罚款（{p_fine}元）：不得因当事人陈述、申辩或对非现场证据提出异议而加重处罚；"
            "确有新的事实的，须重新告知",
        ))
    dropped = proposed - decided
    ceiling = max((t.rank for t in dropped), default=0)
    added = sorted((t for t in decided - proposed if t.rank >= ceiling), key=lambda t: t.rank)
    if added:
        findings.append(Finding(
            "RTS-03", "HEAVIER_TYPE",
            "决定增加了告知书未拟处的处罚种类（" + "、".join(t.label for t in added) + "）：不得加重处罚；确有新的事实的，须重新告知",
        ))
    return findings
