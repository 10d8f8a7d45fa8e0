"""Penalty types and "statements never make the penalty heavier" (RTS-03, EVI-08)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.cases.rules import penalties
from zhifa.cases.rules.findings import RuleInputError
from zhifa.cases.rules.penalties import HEARING_TYPES, YUYAO_REVIEW_TYPES, PenaltyType, penalty_not_heavier

ALL = [t.value for t in PenaltyType]


def test_rts_03__vocabulary_has_chinese_labels_and_lookup_by_name():
    # given the ten penalty types / then each has its Chinese label and is found by name and value
    assert PenaltyType["FINE"].label == "罚款"
    assert PenaltyType("SUSPEND_RECTIFY").label == "责令停产停业整顿"
    assert PenaltyType.STOP_CONSTRUCTION.label == "责令停止建设/施工"
    assert PenaltyType.QUALIFICATION_REVOKE.label == "撤销执业资格或岗位证书"
    assert PenaltyType.CLOSURE_REQUEST.label == "提请关闭"
    assert len(PenaltyType) == 10 and all(t.label for t in PenaltyType)
    assert PenaltyType.WARNING.rank < PenaltyType.FINE.rank < PenaltyType.SUSPEND_RECTIFY.rank < PenaltyType.LICENCE_REVOKE.rank


def test_hrg_01__hearing_types_are_the_heavier_penalties_of_apl_63():
    assert {PenaltyType.SUSPEND, PenaltyType.SUSPEND_RECTIFY, PenaltyType.LICENCE_REVOKE, PenaltyType.QUALIFICATION_REVOKE,
            PenaltyType.CLOSURE_REQUEST} <= HEARING_TYPES
    assert PenaltyType.FINE not in HEARING_TYPES and PenaltyType.WARNING not in HEARING_TYPES


def test_lrv_02__yuyao_list_includes_confiscation_of_gains_but_not_of_property():
    assert PenaltyType.CONFISCATE_GAINS in YUYAO_REVIEW_TYPES
    assert PenaltyType.CONFISCATE_PROPERTY not in YUYAO_REVIEW_TYPES  # only from 50,000 yuan of value


def test_rts_03__same_penalty_as_notice_is_not_heavier():
    assert penalty_not_heavier(["FINE"], Decimal("30000"), ["FINE"], Decimal("30000")) == []


def test_rts_03__lower_fine_after_statements_is_allowed():
    assert penalty_not_heavier(["FINE", "WARNING"], 30000, ["FINE"], 20000) == []


def test_rts_03__higher_fine_than_notice_is_blocked():
    # given a notice proposing 30,000 yuan / when the decision fines 30,001
    findings = penalty_not_heavier(["FINE"], Decimal("30000"), ["FINE"], Decimal("30001"))
    # then the decision is refused: no heavier penalty because of statements (new facts → new notice)
    assert [(f.rule, f.code, f.blocking) for f in findings] == [("RTS-03", "HEAVIER_FINE", True)]
    assert "不得因当事人陈述、申辩" in findings[0].message and "重新告知" in findings[0].message


def test_evi_08__adding_a_suspension_after_an_objection_is_blocked():
    # given a notice proposing a fine only, and the party objected to non-site evidence
    # when the decision adds an order to suspend for rectification
    findings = penalty_not_heavier(["FINE"], 50000, ["FINE", "SUSPEND_RECTIFY"], 50000)
    # then it is heavier and refused
    assert [f.code for f in findings] == ["HEAVIER_TYPE"]
    assert "责令停产停业整顿" in findings[0].message


def test_rts_03__a_lighter_type_may_replace_a_dropped_heavier_one():
    # given a notice proposing suspension / when the decision replaces it by a warning
    assert penalty_not_heavier(["SUSPEND"], 0, ["WARNING"], 0) == []
    # but not by a type of the same rank (fine ↔ confiscation are one APL group)
    assert [f.code for f in penalty_not_heavier(["FINE"], 0, ["CONFISCATE_PROPERTY"], 0)] == ["HEAVIER_TYPE"]
    # and adding a warning to a proposed fine adds a penalty
    assert [f.code for f in penalty_not_heavier(["FINE"], 1000, ["FINE", "WARNING"], 1000)] == ["HEAVIER_TYPE"]


def test_rts_03__unknown_type_or_negative_fine_is_an_input_error():
    with pytest.raises(RuleInputError) as exc:
        penalty_not_heavier(["FINE", "JAIL"], 1, ["FINE"], 1)
    assert "JAIL" in exc.value.message
    with pytest.raises(RuleInputError):
        penalty_not_heavier(["FINE"], -1, ["FINE"], 1)


@given(types=st.sets(st.sampled_from(ALL)), fine=st.integers(min_value=0, max_value=10**7))
def test_rts_03__a_decision_equal_to_the_notice_is_never_heavier(types, fine):
    assert penalty_not_heavier(types, fine, types, fine) == []


@given(types=st.sets(st.sampled_from(ALL), min_size=1), fine=st.integers(min_value=0, max_value=10**7),
       extra=st.integers(min_value=1, max_value=10**6))
def test_rts_03__any_increase_of_the_fine_is_found(types, fine, extra):
    codes = [f.code for f in penalty_not_heavier(types, fine, types, fine + extra)]
    assert codes == ["HEAVIER_FINE"]


@given(proposed=st.sets(st.sampled_from(ALL)), added=st.sampled_from(ALL))
def test_rts_03__adding_a_type_never_lighter_than_everything_dropped_is_found(proposed, added):
    # given a decision that keeps every proposed type and adds one more
    if added in proposed:
        return
    findings = penalty_not_heavier(proposed, 0, proposed | {added}, 0)
    # then nothing was dropped, so the addition is heavier
    assert [f.code for f in findings] == ["HEAVIER_TYPE"]


def test_rts_01__labels_lists_types_lightest_first():
    assert penalties.labels(["LICENCE_REVOKE", "WARNING", "FINE"]) == "警告、罚款、吊销许可证"
