"""Whether the pre-decision notice must state the right to a hearing (HRG-01, HRG-02).

The thresholds ("较大数额") are set per province/municipality, per party kind and per date
(HRG-02, AMB-19); they come from the rule set (`hearing.large_fine` with kind ORG/INDIVIDUAL,
`hearing.large_confiscation`). A missing threshold is never guessed: where the answer depends on
it, the notice is blocked with CONFIG_MISSING.
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .findings import Finding, rule_input_error
from .penalties import HEARING_TYPES, parse_types

PARTY_KINDS = ("ORG", "INDIVIDUAL")
PARTY_KIND_LABELS = {"ORG": "单位", "INDIVIDUAL": "个人"}


def check_party_kind(party_kind: str, rule: str) -> str:
    if party_kind not in PARTY_KINDS:
        raise rule_input_error(f"当事人类别无效：{party_kind}（应为单位 ORG 或个人 INDIVIDUAL）", rule=rule, field="party_kind")
    return party_kind


def _money(value, field: str, rule: str) -> Decimal:
    amount = Decimal(str(value if value is not None else 0))
    if amount < 0:
        raise rule_input_error("金额不得为负数", rule=rule, field=field)
    return amount


def hearing_eligible(*, party_kind: str, fine, confiscation, penalty_types: Iterable[str],
                     large_fine: Decimal | None, large_confiscation: Decimal | None) -> tuple[bool, list[Finding]]:
    """HRG-01 (APL art. 63): the party may request a hearing before a large fine, confiscation of a
    large amount, or a heavier penalty type (`HEARING_TYPES`); HRG-02: thresholds per jurisdiction,
    party kind and date. "X以上" includes X (CAL-11), so a fine equal to the threshold qualifies.

    Returns (eligible, findings). A missing threshold (None) gives a blocking HRG-02 CONFIG_MISSING
    finding whenever the answer depends on it — i.e. unless a heavier type already gives the right,
    which no threshold can take away.
    """
    check_party_kind(party_kind, "HRG-01")
    types = parse_types(penalty_types, rule="HRG-01")
    fine_amount = _money(fine, "fine", "HRG-01")
    confiscated = _money(confiscation, "confiscation", "HRG-01")
    if types & HEARING_TYPES:
        return True, []
    findings: list[Finding] = []
    eligible = False
    if fine_amount > 0:
        if large_fine is None:
            findings.append(Finding(
                "HRG-02", "CONFIG_MISSING",
                f"本辖区对{PARTY_KIND_LABELS[party_kind]}「较大数额罚款」的听证标准未配置，无法确定是否应告知听证权利，"
                "须由管理员在规则集中配置后方可制作告知书（AMB-19）",
            ))
        elif fine_amount >= Decimal(str(large_fine)):
            eligible = True
    if confiscated > 0:
        if large_confiscation is None:
            findings.append(Finding(
                "HRG-02", "CONFIG_MISSING",
                "本辖区「没收较大数额违法所得、较大价值非法财物」的听证标准未配置，无法确定是否应告知听证权利，"
                "须由管理员在规则集中配置后方可制作告知书（AMB-19）",
            ))
        elif confiscated >= Decimal(str(large_confiscation)):
            eligible = True
    if eligible:
        return True, []  # the right exists whatever the other, unknown threshold says
    return False, findings
