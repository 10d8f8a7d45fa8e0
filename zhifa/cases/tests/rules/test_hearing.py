"""Hearing eligibility (HRG-01) with per-jurisdiction thresholds that may be missing (HRG-02, AMB-19)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from zhifa.cases.rules.findings import RuleInputError
from zhifa.cases.rules.hearing import hearing_eligible

ORG_T = Decimal("50000")
CONF_T = Decimal("50000")


def eligible(**kw):
    base = {"party_kind": "ORG", "fine": Decimal("0"), "confiscation": Decimal("0"), "penalty_types": frozenset({"FINE"}),
            "large_fine": ORG_T, "large_confiscation": CONF_T}
    base.update(kw)
    return hearing_eligible(**base)


@pytest.mark.parametrize(("fine", "expected"), [(Decimal("49999.99"), False), (Decimal("50000"), True), (Decimal("50000.01"), True)])
def test_hrg_01__large_fine_threshold_includes_the_amount(fine, expected):
    # given a 50,000-yuan threshold for units / when the proposed fine is around it
    result, findings = eligible(fine=fine)
    # then "以上" includes the threshold itself (CAL-11)
    assert (result, findings) == (expected, [])


def test_hrg_01__heavier_type_gives_the_right_whatever_the_amount():
    # given a suspension order with a small fine and no thresholds configured at all
    result, findings = eligible(fine=Decimal("1000"), penalty_types=frozenset({"FINE", "SUSPEND_RECTIFY"}), large_fine=None, large_confiscation=None)
    # then the right exists and the missing thresholds do not block (they cannot take it away)
    assert (result, findings) == (True, [])


def test_hrg_01__large_confiscation_gives_the_right():
    result, _ = eligible(penalty_types=frozenset({"CONFISCATE_PROPERTY"}), confiscation=Decimal("80000"))
    assert result is True
    result, _ = eligible(penalty_types=frozenset({"CONFISCATE_PROPERTY"}), confiscation=Decimal("100"))
    assert result is False


def test_hrg_02__missing_fine_threshold_blocks_the_notice():
    # given no configured "large fine" threshold for individuals (AMB-19)
    result, findings = eligible(party_kind="INDIVIDUAL", fine=Decimal("3000"), large_fine=None)
    # then eligibility cannot be decided and the notice is blocked with CONFIG_MISSING
    assert result is False
    assert [(f.rule, f.code, f.blocking) for f in findings] == [("HRG-02", "CONFIG_MISSING", True)]
    assert "个人" in findings[0].message and "未配置" in findings[0].message


def test_hrg_02__missing_confiscation_threshold_blocks_only_when_confiscating():
    # given no confiscation threshold but no confiscation either / then no finding
    assert eligible(fine=Decimal("100"), large_confiscation=None) == (False, [])
    # given a confiscation / then the missing threshold blocks
    result, findings = eligible(penalty_types=frozenset({"CONFISCATE_GAINS"}), confiscation=Decimal("10"), large_confiscation=None)
    assert result is False and [f.code for f in findings] == ["CONFIG_MISSING"]


def test_hrg_02__one_met_threshold_decides_even_if_the_other_is_missing():
    # given a large fine (threshold known) and a confiscation whose threshold is missing
    result, findings = eligible(fine=Decimal("60000"), penalty_types=frozenset({"FINE", "CONFISCATE_GAINS"}),
                                confiscation=Decimal("10"), large_confiscation=None)
    # then the right exists; the unknown threshold could not remove it
    assert (result, findings) == (True, [])


def test_hrg_02__thresholds_differ_by_party_kind():
    # given 10,000 for individuals / then an individual fined 10,000 has the right, a unit not (50,000)
    assert eligible(party_kind="INDIVIDUAL", fine=Decimal("10000"), large_fine=Decimal("10000"))[0] is True
    assert eligible(party_kind="ORG", fine=Decimal("10000"))[0] is False


def test_hrg_01__warning_only_gives_no_right():
    assert eligible(penalty_types=frozenset({"WARNING"})) == (False, [])


def test_hrg_01__bad_input_is_refused_in_chinese():
    with pytest.raises(RuleInputError) as exc:
        eligible(party_kind="CITIZEN")
    assert "当事人类别无效" in exc.value.message
    with pytest.raises(RuleInputError):
        eligible(fine=Decimal("-1"))
