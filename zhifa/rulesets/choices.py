"""Vocabulary of rule packs: resolution strategies, verification tags, units and flags.

Plain enums (no Django import) so that the pure pack parser and resolver can use them;
models turn them into Django choices with `as_choices`.
"""
from __future__ import annotations

import enum


class Strategy(enum.StrEnum):
    """How a parameter is resolved across the jurisdiction chain (RULES §12)."""

    STATUTE_FLOOR = "STATUTE_FLOOR"  # JUR-02: a statute bounds the value; local values only if at least as strict
    LOCAL_OVERRIDE = "LOCAL_OVERRIDE"  # the most specific jurisdiction governs inside its territory
    PARTY_FAVOURABLE = "PARTY_FAVOURABLE"  # periods granted to the party: the longer reading
    AUTHORITY_STRICT = "AUTHORITY_STRICT"  # deadlines binding the authority: the shorter reading


STRATEGY_LABELS = {
    Strategy.STATUTE_FLOOR: "上位法底线",
    Strategy.LOCAL_OVERRIDE: "地方规定优先",
    Strategy.PARTY_FAVOURABLE: "有利于当事人",
    Strategy.AUTHORITY_STRICT: "从严约束机关",
}


class Verification(enum.StrEnum):
    """Verification tags of RULES §0.2."""

    L = "L"
    W = "W"
    S = "S"
    U = "U"


VERIFICATION_LABELS = {
    Verification.L: "L 已核对法条原文",
    Verification.W: "W 已核对二手网络文本",
    Verification.S: "S 仅见于种子文件",
    Verification.U: "U 未核实",
}


class StatuteBound(enum.StrEnum):
    """Which side a STATUTE_FLOOR value bounds (JUR-02)."""

    UPPER = "upper"  # authority deadlines: a local value may be shorter, never longer
    LOWER = "lower"  # periods protecting the party: a local value may be longer, never shorter


STATUTE_BOUND_LABELS = {
    StatuteBound.UPPER: "法定值为上限（地方只可更短）",
    StatuteBound.LOWER: "法定值为下限（地方只可更长）",
}

# Units of parameter values. CD/WD follow CAL-08…CAL-10; H is clock hours (CAL-12).
UNIT_LABELS = {
    "WD": "工作日",
    "CD": "自然日",
    "H": "小时",
    "S": "秒",
    "months": "个月",
    "years": "年",
    "yuan": "元",
    "ratio": "比例",
    "percent": "百分比",
    "count": "次/个",
    "kg": "千克",
    "MM-DD": "每年月-日",
    "date": "日期",
}

# Suffixes used when a value is written out in a sentence ("20个工作日").
UNIT_SUFFIX = {
    "WD": "个工作日",
    "CD": "日",
    "H": "小时",
    "S": "秒",
    "months": "个月",
    "years": "年",
    "yuan": "元",
    "count": "次",
    "kg": "千克",
    "ratio": "",
    "percent": "%",
    "MM-DD": "",
    "date": "",
}

# A period of n calendar days never ends later than n working days (CAL-10 vs CAL-08), so for
# comparisons CD is the shorter (stricter for the authority) reading.
PERIOD_UNIT_RANK = {"CD": 0, "WD": 1}


class Flag(enum.StrEnum):
    """Flags a pack may set on a parameter; each shows as a warning or a note where it matters."""

    NEEDS_LEGAL_SIGNOFF = "needs_legal_signoff"  # must be confirmed by the client's lawyers (AMB-01, AMB-14)
    EXTENSION_UNVERIFIED = "extension_unverified"  # S1 pilot may have been extended after 2025-11-30 (JUR-03)
    ANALOGY = "analogy"  # applied by analogy, not expressly stated (CAL-10)
    LOCAL_POLICY = "local_policy"  # a policy value chosen locally, shown as such in the UI (AMB-08)
    ADVISORY = "advisory"  # SHOULD-level value: warn, do not block (RULES §0.3)
    POSSIBLY_SUPERSEDED = "possibly_superseded"  # may have been replaced by later rules (AMB-03, AMB-18)
    DESIGN_CHOICE = "design_choice"  # not from a legal source; a documented design default


FLAG_LABELS = {
    Flag.NEEDS_LEGAL_SIGNOFF: "需法律顾问确认",
    Flag.EXTENSION_UNVERIFIED: "延期未核实",
    Flag.ANALOGY: "类推适用",
    Flag.LOCAL_POLICY: "地方政策值",
    Flag.ADVISORY: "建议性（不阻断）",
    Flag.POSSIBLY_SUPERSEDED: "可能已被取代",
    Flag.DESIGN_CHOICE: "设计默认值",
}


class WarningCode(enum.StrEnum):
    """Codes of resolution warnings (shown in Chinese, tested by code)."""

    EXPIRED = "EXPIRED"
    EXTENSION_UNVERIFIED = "EXTENSION_UNVERIFIED"
    SUPERSEDED = "SUPERSEDED"
    POSSIBLY_SUPERSEDED = "POSSIBLY_SUPERSEDED"
    UNVERIFIED = "UNVERIFIED"
    NEEDS_SIGNOFF = "NEEDS_SIGNOFF"
    OVERRIDE_NOT_APPROVED = "OVERRIDE_NOT_APPROVED"
    STATUTE_FLOOR_APPLIED = "STATUTE_FLOOR_APPLIED"
    ANALOGY = "ANALOGY"
    ADVISORY = "ADVISORY"
    LOCAL_POLICY = "LOCAL_POLICY"
    DESIGN_CHOICE = "DESIGN_CHOICE"
    JURISDICTION_FALLBACK = "JURISDICTION_FALLBACK"
    RULESET_EXPIRED = "RULESET_EXPIRED"


# Warnings that mean "do not rely on this value without a human check" (highlighted on pages).
SERIOUS_WARNINGS = frozenset(
    {
        WarningCode.EXPIRED,
        WarningCode.SUPERSEDED,
        WarningCode.UNVERIFIED,
        WarningCode.NEEDS_SIGNOFF,
        WarningCode.OVERRIDE_NOT_APPROVED,
        WarningCode.EXTENSION_UNVERIFIED,
        WarningCode.RULESET_EXPIRED,
        WarningCode.POSSIBLY_SUPERSEDED,
    }
)


def as_choices(labels: dict) -> list[tuple[str, str]]:
    return [(str(k), v) for k, v in labels.items()]
