"""Legal review: scope (LRV-01/02/05, HRG-11, AMB-04), checklist (LRV-04/05, CAS-15), reviewer
(LRV-06/08), second review (AMB-06) and committee (LRV-09)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.cases.rules import review
from zhifa.cases.rules.findings import RuleInputError

NONE = {"major_public_interest": False, "major_rights": False, "hearing_held": False, "complex_case": False, "required_by_rule": False,
        "yuyao_list": False, "penalty_types": frozenset({"FINE"}), "fine": Decimal("1000"), "confiscated_goods_value": Decimal("0"),
        "general_procedure": True}


def triggers(**kw):
    return review.review_triggers(**{**NONE, **kw})


# --- scope ------------------------------------------------------------------------------------


def test_lrv_01__an_ordinary_fine_is_outside_the_statutory_scope():
    assert triggers() == frozenset()


@pytest.mark.parametrize(("flags", "code"), [
    ({"major_public_interest": True}, "MAJOR_PUBLIC_INTEREST"),
    ({"complex_case": True}, "COMPLEX_CASE"),
    ({"required_by_rule": True}, "REQUIRED_BY_RULE"),
])
def test_lrv_01__each_statutory_category_triggers_review(flags, code):
    assert triggers(**flags) == {code}


def test_hrg_11__major_rights_trigger_only_after_a_hearing():
    # given major rights without a hearing / then no trigger; with a hearing held / then review is required
    assert triggers(major_rights=True) == frozenset()
    assert triggers(major_rights=True, hearing_held=True) == {"MAJOR_RIGHTS_HEARING"}
    assert triggers(hearing_held=True) == frozenset()


@pytest.mark.parametrize(("kw", "code"), [
    ({"penalty_types": frozenset({"SUSPEND_RECTIFY"}), "fine": 0}, "YUYAO_PENALTY_TYPE"),
    ({"penalty_types": frozenset({"CONFISCATE_GAINS"}), "fine": 0}, "YUYAO_PENALTY_TYPE"),
    ({"penalty_types": frozenset({"CLOSURE_REQUEST"}), "fine": 0}, "YUYAO_PENALTY_TYPE"),
    ({"fine": Decimal("50000")}, "YUYAO_LARGE_FINE"),
    ({"penalty_types": frozenset({"CONFISCATE_PROPERTY"}), "fine": 0, "confiscated_goods_value": Decimal("50000")}, "YUYAO_LARGE_GOODS"),
])
def test_lrv_02__yuyao_mandatory_list(kw, code):
    # given a Yuyao case on the mandatory list / then review is required (50,000 included, CAL-11)
    assert triggers(yuyao_list=True, **kw) == {code}
    # and the same case elsewhere is not on a mandatory list
    assert triggers(yuyao_list=False, **kw) == frozenset()


def test_lrv_02__just_below_the_yuyao_thresholds_no_trigger():
    assert triggers(yuyao_list=True, fine=Decimal("49999.99")) == frozenset()
    assert triggers(yuyao_list=True, penalty_types=frozenset({"CONFISCATE_PROPERTY"}), fine=0, confiscated_goods_value=Decimal("49999")) == frozenset()


def test_lrv_02__thresholds_come_from_the_rule_set():
    assert triggers(yuyao_list=True, fine=Decimal("30000"), yuyao_fine_threshold=Decimal("30000")) == {"YUYAO_LARGE_FINE"}


def test_lrv_05__non_site_case_requires_review_of_av_and_electronic_evidence():
    assert triggers(non_site=True) == {"NON_SITE_EVIDENCE"}


def test_amb_04__scope_is_the_union_of_all_triggers():
    # given a Yuyao non-site case that is complex, went through a hearing on major rights, with a 60,000 fine
    found = triggers(yuyao_list=True, non_site=True, complex_case=True, major_rights=True, hearing_held=True, fine=Decimal("60000"))
    # then every applicable trigger is kept (a local list never removes a statutory one)
    assert found == {"COMPLEX_CASE", "MAJOR_RIGHTS_HEARING", "YUYAO_LARGE_FINE", "NON_SITE_EVIDENCE"}
    text = review.describe_triggers(found)
    assert "疑难复杂" in text and "听证" in text and "非现场" in text


@given(a=st.booleans(), b=st.booleans(), c=st.booleans(), d=st.booleans(), y=st.booleans(), n=st.booleans(),
       fine=st.integers(min_value=0, max_value=200000))
def test_amb_04__adding_a_trigger_never_removes_one(a, b, c, d, y, n, fine):
    base = triggers(major_public_interest=a, complex_case=b, required_by_rule=c, major_rights=d, hearing_held=True, yuyao_list=y,
                    non_site=n, fine=Decimal(fine))
    more = triggers(major_public_interest=True, complex_case=b, required_by_rule=c, major_rights=d, hearing_held=True, yuyao_list=y,
                    non_site=n, fine=Decimal(fine))
    assert base <= more and set(base) <= set(review.TRIGGER_LABELS)


def test_lrv_03__general_procedure_without_review_is_only_recommended():
    (f,) = review.review_recommended(general_procedure=True)
    assert (f.rule, f.blocking) == ("LRV-03", False) and "一案一卷一审" in f.message
    assert review.review_recommended(general_procedure=False) == []
    assert review.review_recommended(general_procedure=True, reviewed=True) == []


# --- checklist --------------------------------------------------------------------------------------


def all_pass(non_site=False):
    return {k: "PASS" for k in review.checklist_for(non_site=non_site)}


def test_lrv_04__ten_items_in_order_with_chinese_labels():
    assert list(review.CHECKLIST) == ["SUBJECT_LEGAL", "OFFICER_QUALIFIED", "PROCEDURE_LEGAL", "FACTS_CLEAR", "EVIDENCE_SUFFICIENT",
                                      "LAW_CITED", "DISCRETION_APPROPRIATE", "WITHIN_AUTHORITY", "DOCUMENTS_COMPLETE", "CRIME_TRANSFER"]
    assert review.CHECKLIST["FACTS_CLEAR"] == "案件事实是否清楚"
    assert review.checklist_for(non_site=False) == list(review.CHECKLIST)


def test_lrv_05__non_site_case_adds_the_av_edata_item():
    items = review.checklist_for(non_site=True)
    assert items[-1] == review.NON_SITE_ITEM == "NON_SITE_AV_EDATA" and len(items) == 11
    assert "真实、清晰、完整、准确、合法" in review.ITEM_LABELS[review.NON_SITE_ITEM]


def test_lrv_04__all_items_pass_means_pass():
    assert review.review_outcome(all_pass()) == "PASS"
    assert review.review_outcome(all_pass(non_site=True), non_site=True) == "PASS"


def test_lrv_04__one_failed_item_means_fail():
    items = all_pass() | {"DOCUMENTS_COMPLETE": "FAIL"}
    assert review.review_outcome(items) == "FAIL"
    assert review.failed_items(items) == ["DOCUMENTS_COMPLETE"]


def test_lrv_04__a_missing_item_is_an_error_not_a_pass():
    items = all_pass()
    del items["LAW_CITED"]
    with pytest.raises(RuleInputError) as exc:
        review.review_outcome(items)
    assert exc.value.rule == "LRV-04" and "适用法律、法规、规章是否准确" in exc.value.message


def test_lrv_05__non_site_review_without_the_av_item_is_an_error():
    with pytest.raises(RuleInputError) as exc:
        review.review_outcome(all_pass(), non_site=True)
    assert exc.value.rule == "LRV-05"


def test_lrv_04__unknown_items_or_answers_are_errors():
    with pytest.raises(RuleInputError):
        review.review_outcome(all_pass() | {"MOOD": "PASS"})
    with pytest.raises(RuleInputError):
        review.review_outcome(all_pass() | {"FACTS_CLEAR": "MAYBE"})


def test_cas_15__unclear_facts_or_insufficient_evidence_block_a_penalty():
    # given a review where evidence was found insufficient
    items = all_pass() | {"EVIDENCE_SUFFICIENT": "FAIL"}
    # then the review cannot pass and a penalty is blocked
    assert review.review_outcome(items) == "FAIL"
    findings = review.penalty_basis_findings(items)
    assert [(f.rule, f.code) for f in findings] == [("CAS-15", "EVIDENCE_SUFFICIENT_NOT_PASSED")]
    assert review.penalty_basis_findings(all_pass()) == []


# --- reviewer ---------------------------------------------------------------------------------------

QUAL_FROM = date(2021, 7, 15)


def reviewer(**kw):
    base = {"qualified": True, "first_review_on": date(2024, 1, 1), "qualification_from": QUAL_FROM, "is_handler": False,
            "holds_enforcement_cert": True, "yuyao": False}
    return review.reviewer_problems(**{**base, **kw})


def test_lrv_06__a_new_reviewer_needs_the_legal_professional_qualification():
    # given a reviewer starting after 2021-07-15 without the qualification
    findings = reviewer(qualified=False, first_review_on=None)
    assert [(f.rule, f.code, f.blocking) for f in findings] == [("LRV-06", "REVIEWER_NOT_QUALIFIED", True)]
    assert "法律职业资格" in findings[0].message
    assert [f.code for f in reviewer(qualified=False, first_review_on=QUAL_FROM)] == ["REVIEWER_NOT_QUALIFIED"]


def test_lrv_06__a_reviewer_who_started_before_2021_07_15_may_continue():
    assert reviewer(qualified=False, first_review_on=date(2021, 7, 14)) == []


def test_lrv_06__yuyao_reviewer_without_enforcement_cert_is_flagged_not_blocked():
    (f,) = reviewer(yuyao=True, holds_enforcement_cert=False)
    assert (f.rule, f.blocking) == ("LRV-06", False)
    assert reviewer(yuyao=False, holds_enforcement_cert=False) == []


def test_lrv_08__a_handler_may_not_review_the_same_case():
    findings = reviewer(is_handler=True)
    assert [(f.rule, f.code, f.blocking) for f in findings] == [("LRV-08", "REVIEWER_IS_HANDLER", True)]


# --- second review, committee ------------------------------------------------------------------------


def test_amb_06__changed_facts_or_penalty_after_statements_need_a_second_review():
    same = {"reviewed_facts_hash": "a1", "current_facts_hash": "a1", "reviewed_penalty": ("FINE", "30000"), "current_penalty": ("FINE", "30000")}
    assert review.needs_second_review(**same) is False
    assert review.needs_second_review(**(same | {"current_facts_hash": "b2"})) is True
    assert review.needs_second_review(**(same | {"current_penalty": ("FINE", "20000")})) is True
    assert review.needs_second_review(**(same | {"reviewed_facts_hash": None})) is True


def test_lrv_09__disagreement_goes_to_the_committee():
    assert review.needs_committee("AMEND", handler_agrees=False) is True
    assert review.needs_committee("RETURN", handler_agrees=False) is True
    assert review.needs_committee("AMEND", handler_agrees=True) is False
    assert review.needs_committee("PASS", handler_agrees=False) is False
    with pytest.raises(RuleInputError):
        review.needs_committee("MAYBE", handler_agrees=True)
