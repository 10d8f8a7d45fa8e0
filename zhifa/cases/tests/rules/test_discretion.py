"""Discretion (DSC-01…DSC-05) and the fines of 一案双罚 and accidents (DEC-04…DEC-06, DEC-10, DEC-12)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.cases.rules import discretion as dsc
from zhifa.cases.rules.findings import RuleInputError

THREE = [
    {"code": "LIGHTER", "label": "从轻", "share_from": 0, "share_to": 0.3},
    {"code": "NORMAL", "label": "一般", "share_from": 0.3, "share_to": 0.7},
    {"code": "HEAVIER", "label": "从重", "share_from": 0.7, "share_to": 1},
]
FOUR = [
    {"code": "LIGHTER", "share_from": 0, "share_to": 0.25},
    {"code": "NORMAL", "share_from": 0.25, "share_to": 0.5},
    {"code": "HEAVIER", "share_from": 0.5, "share_to": 0.8},
    {"code": "SEVERE", "share_from": 0.8, "share_to": 1},
]
HCR80 = dsc.benchmark_from_value({"code": "HCR80.1", "article": "《危险化学品安全管理条例》第八十条第一款", "statutory_min": 50000,
                                  "statutory_max": 100000, "bands": THREE, "verification": "L", "valid_to": "2026-04-30",
                                  "superseded_by": "危险化学品安全法"})
WSL114 = dsc.benchmark_from_value({"code": "WSL114.GENERAL", "article": "《安全生产法》第一百一十四条", "statutory_min": 300000,
                                   "statutory_max": 1000000, "bands": FOUR, "verification": "L"})
WSL95 = dsc.benchmark_from_value({"code": "WSL95.GENERAL", "article": "《安全生产法》第九十五条第一项", "kind": "PCT_OF_INCOME",
                                  "statutory_min": 0.4, "statutory_max": 0.4, "bands": [{"code": "FIXED", "share_from": 0, "share_to": 1}]})
WSL96A = dsc.benchmark_from_value({"code": "WSL96.ACCIDENT", "article": "《安全生产法》第九十六条", "kind": "PCT_OF_INCOME",
                                   "statutory_min": 0.2, "statutory_max": 0.5, "bands": THREE})


def scores(**kw):
    return {k: kw.get(k, "NORMAL") for k in dsc.DIMENSIONS}


# --- benchmark data (DSC-01) ---------------------------------------------------------------------


def test_dsc_01__bands_are_computed_from_shares_of_the_statutory_range():
    assert [(b.code, b.label, b.min, b.max) for b in HCR80.bands] == [
        ("LIGHTER", "从轻", Decimal("50000"), Decimal("65000")),
        ("NORMAL", "一般", Decimal("65000"), Decimal("85000")),
        ("HEAVIER", "从重", Decimal("85000"), Decimal("100000")),
    ]
    assert (HCR80.kind, HCR80.statutory_min, HCR80.statutory_max, HCR80.valid_to) == ("RANGE", 50000, 100000, date(2026, 4, 30))
    assert [b.label for b in WSL114.bands] == ["从轻", "一般", "从重", "严重"]


def test_dsc_01__explicit_band_amounts_are_accepted():
    b = dsc.benchmark_from_value({"code": "X", "article": "某条", "statutory_min": 0, "statutory_max": 100, "bands": [
        {"code": "LIGHTER", "min": 0, "max": 40}, {"code": "NORMAL", "min": 40, "max": 100}]})
    assert [(x.min, x.max) for x in b.bands] == [(0, 40), (40, 100)]


@pytest.mark.parametrize(("change", "words"), [
    ({"statutory_max": 10}, "法定幅度无效"),
    ({"bands": [THREE[1], THREE[0], THREE[2]]}, "顺序"),
    ({"bands": THREE[:2]}, "覆盖"),
    ({"bands": [THREE[0], {"code": "NORMAL", "share_from": 0.4, "share_to": 1}]}, "间隔或重叠"),
    ({"kind": "DAILY"}, "种类"),
    ({"article": ""}, "article"),
    ({"bands": [{"code": "HUGE", "share_from": 0, "share_to": 1}]}, "编号"),
    ({"statutory_max": "很多"}, "不是有效的数值"),
])
def test_dsc_01__invalid_benchmark_configuration_is_reported_in_chinese(change, words):
    value = {"code": "HCR80.1", "article": "第八十条", "statutory_min": 50000, "statutory_max": 100000, "bands": THREE} | change
    with pytest.raises(RuleInputError) as exc:
        dsc.benchmark_from_value(value)
    assert exc.value.rule == "DSC-01" and words in exc.value.message and "HCR80.1" in exc.value.message


def test_dsc_01__duplicate_codes_in_the_table_are_refused():
    entry = {"code": "A", "article": "某条", "statutory_min": 0, "statutory_max": 10, "bands": THREE}
    with pytest.raises(RuleInputError):
        dsc.benchmarks_from_table([entry, entry])


# --- proposing a band (DSC-01) ---------------------------------------------------------------------


@pytest.mark.parametrize(("kw", "band"), [
    ({}, "NORMAL"),
    ({"RISK": "HEAVIER"}, "NORMAL"),                                      # one factor alone stays normal
    ({"RISK": "HEAVIER", "FAULT": "HEAVIER"}, "HEAVIER"),                 # net +2
    ({"CORRECTION": "LIGHTER", "COOPERATION": "LIGHTER"}, "LIGHTER"),     # net −2
    ({"RISK": "HEAVIER", "FAULT": "HEAVIER", "CORRECTION": "LIGHTER"}, "NORMAL"),  # net +1
    ({k: "HEAVIER" for k in ["RISK", "FAULT", "CIRCUMSTANCE_MANNER", "CONSEQUENCE_IMPACT"]}, "HEAVIER"),  # no 严重 band here
])
def test_dsc_01__net_score_selects_the_band(kw, band):
    assert dsc.propose_band(HCR80, scores(**kw)).code == band


def test_dsc_01__four_heavier_factors_select_the_severe_band_where_there_is_one():
    heavy = scores(RISK="HEAVIER", FAULT="HEAVIER", CIRCUMSTANCE_MANNER="HEAVIER", CONSEQUENCE_IMPACT="HEAVIER")
    assert dsc.propose_band(WSL114, heavy).code == "SEVERE"


def test_dsc_01__every_dimension_must_be_scored():
    incomplete = scores()
    del incomplete["COOPERATION"]
    with pytest.raises(RuleInputError) as exc:
        dsc.propose_band(HCR80, incomplete)
    assert exc.value.rule == "DSC-01" and "配合调查态度" in exc.value.message
    assert [f.code for f in dsc.scoring_findings(incomplete | {"MOOD": "NORMAL"})] == ["UNKNOWN_DIMENSION", "DIMENSION_NOT_SCORED"]
    assert [f.code for f in dsc.scoring_findings(scores(RISK="EXTREME"))] == ["INVALID_SCORE"]


def test_dsc_01__missing_band_falls_back_to_the_nearest_lighter_on_a_tie():
    two = dsc.benchmark_from_value({"code": "Y", "article": "某条", "statutory_min": 0, "statutory_max": 10, "bands": [
        {"code": "LIGHTER", "min": 0, "max": 5}, {"code": "HEAVIER", "min": 5, "max": 10}]})
    assert dsc.propose_band(two, scores()).code == "LIGHTER"


score_maps = st.fixed_dictionaries({k: st.sampled_from(list(dsc.SCORES)) for k in dsc.DIMENSIONS})


@given(s=score_maps, dim=st.sampled_from(list(dsc.DIMENSIONS)))
def test_dsc_01__raising_one_dimension_never_proposes_a_lighter_band(s, dim):
    order = dsc.BAND_ORDER
    before = dsc.propose_band(WSL114, s).code
    after = dsc.propose_band(WSL114, s | {dim: "HEAVIER"}).code
    assert order.index(after) >= order.index(before)


# --- the fine (DSC-02, DSC-03) ---------------------------------------------------------------------


def normal():
    return HCR80.band("NORMAL")


def test_dsc_03__fine_inside_the_proposed_band_is_fine():
    assert dsc.fine_findings(HCR80, Decimal("70000"), normal()) == []
    assert dsc.fine_findings(HCR80, Decimal("65000"), normal()) == []  # band bounds included


@pytest.mark.parametrize(("fine", "code"), [
    (Decimal("-1"), "NEGATIVE_FINE"),
    (Decimal("0"), "ZERO_FINE"),
    (Decimal("49999.99"), "OUTSIDE_STATUTORY_RANGE"),
    (Decimal("100000.01"), "OUTSIDE_STATUTORY_RANGE"),
])
def test_dsc_03__fine_outside_the_statutory_range_is_blocked(fine, code):
    (f,) = dsc.fine_findings(HCR80, fine, normal())
    assert (f.rule, f.code, f.blocking) == ("DSC-03", code, True)
    if code == "OUTSIDE_STATUTORY_RANGE":
        assert "50000元至100000元" in f.message


def test_dsc_03__deviation_from_the_band_is_flagged_for_legal_review():
    # given the proposed band 一般 (65,000–85,000) / when the officer chooses 55,000 (within the statute)
    (f,) = dsc.fine_findings(HCR80, Decimal("55000"), normal())
    # then a non-blocking flag goes to legal review
    assert (f.rule, f.code, f.blocking) == ("DSC-03", "OUTSIDE_BAND", False)
    assert f.message.startswith("偏离裁量基准，须法制审核说明")


def test_dsc_02__statutory_maximum_needs_aggravation_reasons():
    # given the maximum fine without reasons / then blocked; with reasons / then only the band flag remains
    findings = dsc.fine_findings(HCR80, Decimal("100000"), normal())
    assert [(f.rule, f.code, f.blocking) for f in findings] == [("DSC-02", "MAX_WITHOUT_REASONS", True), ("DSC-03", "OUTSIDE_BAND", False)]
    with_reasons = dsc.fine_findings(HCR80, Decimal("100000"), normal(), aggravation_reasons="多次责令改正拒不改正，储存量超标三倍")
    assert [f.code for f in with_reasons] == ["OUTSIDE_BAND"]
    assert [f.code for f in dsc.fine_findings(HCR80, Decimal("100000"), HCR80.band("HEAVIER"), aggravation_reasons="  ")] == ["MAX_WITHOUT_REASONS"]


def test_dsc_03__fixed_share_fine_is_computed_not_chosen():
    # given WSL art. 95 (general accident, 40 %) and an income of 312,345.67 yuan
    income = Decimal("312345.67")
    band = dsc.propose_band(WSL95, scores(RISK="HEAVIER", FAULT="HEAVIER"))
    assert band.code == "FIXED"
    # then only the computed amount is accepted
    assert dsc.fine_findings(WSL95, Decimal("124938.27"), band, income=income) == []
    (f,) = dsc.fine_findings(WSL95, Decimal("125000"), band, income=income)
    assert (f.code, f.blocking) == ("FIXED_SHARE_MISMATCH", True) and "124938.27元" in f.message
    (f,) = dsc.fine_findings(WSL95, Decimal("125000"), band)
    assert (f.rule, f.code) == ("DEC-05", "INCOME_MISSING")


def test_dec_06__income_share_range_is_checked_against_the_income():
    # given WSL art. 96 with an accident (20 %–50 % of 200,000 = 40,000–100,000)
    income = Decimal("200000")
    band = WSL96A.band("NORMAL")  # 29 %–41 % = 58,000–82,000
    assert dsc.fine_findings(WSL96A, Decimal("60000"), band, income=income) == []
    assert [f.code for f in dsc.fine_findings(WSL96A, Decimal("100001"), band, income=income)] == ["OUTSIDE_STATUTORY_RANGE"]
    assert [f.code for f in dsc.fine_findings(WSL96A, Decimal("45000"), band, income=income)] == ["OUTSIDE_BAND"]
    assert dsc.manager_fine_range(accident=True, income_prev_year=income) == (Decimal("40000.00"), Decimal("100000.00"))
    assert dsc.manager_fine_range(accident=False) == (Decimal("10000"), Decimal("30000"))
    with pytest.raises(RuleInputError):
        dsc.manager_fine_range(accident=True)


@given(fine=st.decimals(min_value=1, max_value=200000, places=2))
def test_dsc_03__blocked_exactly_when_outside_the_statutory_range(fine):
    blocked = [f for f in dsc.fine_findings(HCR80, fine, normal(), aggravation_reasons="理由") if f.blocking]
    assert bool(blocked) == (not (Decimal("50000") <= fine <= Decimal("100000")))


def test_dsc_03__basis_past_its_end_or_unverified_is_flagged():
    (f,) = dsc.basis_findings(HCR80, on=date(2026, 5, 1))
    assert (f.code, f.blocking) == ("BASIS_EXPIRED", False) and "危险化学品安全法" in f.message
    assert dsc.basis_findings(HCR80, on=date(2026, 4, 30)) == []
    assert [f.code for f in dsc.basis_findings(WSL95, on=date(2026, 1, 1))] == ["BASIS_UNVERIFIED"]
    later = dsc.benchmark_from_value({"code": "Z", "article": "某条", "statutory_min": 0, "statutory_max": 1, "bands": THREE,
                                      "verification": "L", "valid_from": "2021-09-01"})
    assert [f.code for f in dsc.basis_findings(later, on=date(2021, 8, 31))] == ["BASIS_NOT_YET_IN_FORCE"]


# --- 一案双罚 and accidents -------------------------------------------------------------------------


@pytest.mark.parametrize(("grade", "fine"), [
    ("GENERAL", Decimal("40000.00")), ("LARGER", Decimal("60000.00")), ("MAJOR", Decimal("80000.00")), ("ESPECIALLY_MAJOR", Decimal("100000.00")),
])
def test_dec_05__principal_fine_is_a_fixed_share_of_last_years_income(grade, fine):
    assert dsc.pct_of_income_fine(grade, Decimal("100000")) == fine


def test_dec_05__rounded_to_the_cent_and_shares_from_the_rule_set():
    assert dsc.pct_of_income_fine("LARGER", Decimal("123456.78")) == Decimal("74074.07")
    assert dsc.pct_of_income_fine("GENERAL", 1000, shares={"GENERAL": 0.5}) == Decimal("500.00")
    with pytest.raises(RuleInputError):
        dsc.pct_of_income_fine("HUGE", 1000)
    with pytest.raises(RuleInputError):
        dsc.pct_of_income_fine("GENERAL", -1)


@given(income=st.decimals(min_value=0, max_value=10**8, places=2), grade=st.sampled_from(list(dsc.ACCIDENT_GRADES)))
def test_dec_05__fine_never_exceeds_the_income(income, grade):
    fine = dsc.pct_of_income_fine(grade, income)
    assert Decimal("0") <= fine <= income and abs(fine - income * dsc.WSL95_SHARES[grade]) <= Decimal("0.005")


def test_dec_04__principal_person_ranges():
    assert dsc.principal_fine_range(overdue=False) == (Decimal("20000"), Decimal("50000"))
    assert dsc.principal_fine_range(overdue=True) == (Decimal("50000"), Decimal("100000"))


def test_dec_04__overdue_principal_requires_the_unit_suspension():
    (f,) = dsc.principal_overdue_findings(overdue=True, unit_penalty_types=["FINE"])
    assert (f.rule, f.code) == ("DEC-04", "UNIT_SUSPENSION_MISSING")
    assert dsc.principal_overdue_findings(overdue=True, unit_penalty_types=["FINE", "SUSPEND_RECTIFY"]) == []
    assert dsc.principal_overdue_findings(overdue=False, unit_penalty_types=[]) == []


@pytest.mark.parametrize(("grade", "plain", "aggravated"), [
    ("GENERAL", (300000, 1000000), (600000, 5000000)),
    ("LARGER", (1000000, 2000000), (2000000, 10000000)),
    ("MAJOR", (2000000, 10000000), (4000000, 50000000)),
    ("ESPECIALLY_MAJOR", (10000000, 20000000), (20000000, 100000000)),
])
def test_dec_10__unit_accident_fines_by_grade_and_aggravation(grade, plain, aggravated):
    assert dsc.unit_accident_fine_range(grade, aggravated=False) == tuple(map(Decimal, plain))
    assert dsc.unit_accident_fine_range(grade, aggravated=True) == tuple(map(Decimal, aggravated))


def test_dec_10__multiplier_needs_a_reason():
    assert [f.code for f in dsc.accident_aggravation_findings(aggravated=True, reasons=" ")] == ["AGGRAVATION_REASON_MISSING"]
    assert dsc.accident_aggravation_findings(aggravated=True, reasons="造成恶劣社会影响") == []
    assert dsc.accident_aggravation_findings(aggravated=False, reasons="") == []


# --- DSC-04 -------------------------------------------------------------------------------------------


def test_dsc_04__the_same_act_is_not_fined_twice():
    assert dsc.ne_bis_in_idem(0) == []
    (f,) = dsc.ne_bis_in_idem(1)
    assert (f.rule, f.code, f.blocking) == ("DSC-04", "ALREADY_FINED", True) and "一事不二罚" in f.message
    with pytest.raises(RuleInputError):
        dsc.ne_bis_in_idem(-1)


def test_dsc_04__several_norms_apply_the_one_with_the_higher_fine():
    assert dsc.highest_fine_basis([HCR80, WSL114]) is WSL114
    assert dsc.highest_fine_basis([WSL114, HCR80]) is WSL114
    # a tie keeps the first cited
    twin = dsc.benchmark_from_value({"code": "TWIN", "article": "另一条", "statutory_min": 0, "statutory_max": 100000, "bands": THREE})
    assert dsc.highest_fine_basis([HCR80, twin]) is HCR80
    # an income-based candidate needs the income to compare: 50 % of 3,000,000 beats 1,000,000
    assert dsc.highest_fine_basis([WSL114, WSL96A], income=Decimal("3000000")) is WSL96A
    with pytest.raises(RuleInputError):
        dsc.highest_fine_basis([WSL114, WSL96A])
    with pytest.raises(RuleInputError):
        dsc.highest_fine_basis([])


# --- DSC-05, RTS-06, DEC-12 ------------------------------------------------------------------------

FULL = {"facts": "2026年3月储存超量", "law": "条例第八十条", "discretion": "一般档次", "statements_response": "当事人未提出陈述、申辩"}


def test_dsc_05__all_four_reasons_present():
    assert dsc.reasoning_findings(FULL, statements_received=False, non_site_objections=False) == []


def test_dsc_05__each_missing_reason_is_named():
    findings = dsc.reasoning_findings(FULL | {"law": " ", "discretion": ""}, statements_received=False, non_site_objections=False)
    assert [(f.rule, f.code) for f in findings] == [("DSC-05", "LAW_MISSING"), ("DSC-05", "DISCRETION_MISSING")]
    assert "法理" in findings[0].message and "道理" in findings[1].message


def test_dsc_05__statements_received_need_a_response():
    (f,) = dsc.reasoning_findings(FULL | {"statements_response": ""}, statements_received=True, non_site_objections=False)
    assert (f.rule, f.code) == ("DSC-05", "STATEMENTS_RESPONSE_MISSING")


def test_rts_06__objection_to_non_site_evidence_needs_a_reasoned_answer_dec_12():
    (f,) = dsc.reasoning_findings(FULL | {"statements_response": ""}, statements_received=True, non_site_objections=True)
    assert (f.rule, f.code, f.blocking) == ("RTS-06", "OBJECTION_RESPONSE_MISSING", True)
    assert "非现场证据" in f.message and "DEC-12" in f.message
