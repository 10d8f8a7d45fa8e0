"""Pure evidence rules, one test per rule ID (given/when/then)."""
from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.evidence import rules
from zhifa.evidence.choices import AdmissibilityStatus, EvidenceKind, EvidenceSource, ReviewResult

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
CRITERIA = ["TRUE", "CLEAR", "COMPLETE", "ACCURATE", "LAWFUL"]


def test_evi_01__eight_statutory_kinds():
    # given APL art. 46 / then the store offers exactly the eight kinds of evidence
    assert [label for _, label in EvidenceKind.choices] == [
        "书证",
        "物证",
        "视听资料",
        "电子数据",
        "证人证言",
        "当事人陈述",
        "鉴定意见",
        "勘验笔录、现场笔录",
    ]


def test_evi_03__complete_metadata_passes():
    assert rules.missing_production_metadata(production_method="现场拍摄", produced_at=NOW, producer="李执法", object_proven="超量储存") == []


@pytest.mark.parametrize("blank", ["production_method", "produced_at", "producer", "object_proven"])
def test_evi_03__each_missing_field_is_named(blank):
    # given metadata with one required field blank (whitespace counts as blank)
    values = {"production_method": "现场拍摄", "produced_at": NOW, "producer": "李执法", "object_proven": "超量储存"}
    values[blank] = None if blank == "produced_at" else "   "
    # when checked / then exactly that field is reported
    assert rules.missing_production_metadata(**values) == [blank]


def test_evi_03__production_time_in_the_future_rejected_beyond_skew():
    assert rules.produced_at_problem(NOW + timedelta(minutes=5), NOW) is None
    assert rules.produced_at_problem(NOW + timedelta(hours=1), NOW) == "制作时间不能晚于当前时间"


@pytest.mark.parametrize("method", ["TRANSCRIPT", "PHOTO_VIDEO", "COPY"])
def test_evi_04__derived_copy_with_method_accepted(method):
    assert rules.carrier_problem(is_original_carrier=False, copy_method=method) is None


@pytest.mark.parametrize("method", ["", "SCAN", None])
def test_evi_04__derived_copy_without_valid_method_rejected(method):
    # given a copy (not the original carrier) without a recognised fixing method
    problem = rules.carrier_problem(is_original_carrier=False, copy_method=method or "")
    # then the EVI-04 problem is reported
    assert problem and "EVI-04" in problem


def test_evi_04__original_carrier_names_no_copy_method():
    assert rules.carrier_problem(is_original_carrier=True, copy_method="") is None
    assert rules.carrier_problem(is_original_carrier=True, copy_method="COPY") == "原始载体无需填写复制/固定方式"


def test_evi_03__enterprise_contact_may_only_claim_enterprise_upload():
    assert rules.allowed_sources(is_enterprise_contact=True) == {EvidenceSource.ENTERPRISE_UPLOAD}
    assert EvidenceSource.ENTERPRISE_UPLOAD not in rules.allowed_sources(is_enterprise_contact=False)


@pytest.mark.parametrize("values", list(itertools.product([True, False], repeat=5)))
def test_evi_06__review_passes_only_if_all_five_criteria_pass(values):
    # given every combination of the five criteria
    criteria = dict(zip(CRITERIA, values))
    # when the result is computed / then PASS iff all pass
    assert rules.review_result(criteria) == (ReviewResult.PASS if all(values) else ReviewResult.FAIL)


def test_evi_06__a_review_missing_a_criterion_is_refused():
    with pytest.raises(ValueError, match="LAWFUL"):
        rules.review_result({"TRUE": True, "CLEAR": True, "COMPLETE": True, "ACCURATE": True})


def test_evi_06__failed_criterion_needs_reason():
    criteria = {"TRUE": True, "CLEAR": False, "COMPLETE": True, "ACCURATE": False, "LAWFUL": True}
    assert rules.review_reason_problems(criteria, {"CLEAR": "画面模糊"}) == ["ACCURATE"]
    assert rules.review_reason_problems(criteria, {"CLEAR": "画面模糊", "ACCURATE": "时间戳偏差"}) == []


@pytest.mark.parametrize(
    ("role", "credential", "allowed"),
    [
        ("LEGAL_REVIEWER", False, True),
        ("SUPERVISOR", False, True),
        ("OFFICER", True, True),
        ("OFFICER", False, False),
        ("DEVICE_ADMIN", True, False),
    ],
)
def test_evi_06__who_may_review(role, credential, allowed):
    problem = rules.reviewer_qualification_problem(role=role, is_staff_role=True, holds_valid_credential=credential, read_only=False)
    assert (problem is None) is allowed


@pytest.mark.parametrize("role", ["AUDITOR", "ENTERPRISE_CONTACT", "SYSTEM_ADMIN"])
def test_evi_06__read_only_and_outside_roles_never_review(role):
    problem = rules.reviewer_qualification_problem(role=role, is_staff_role=False, holds_valid_credential=True, read_only=role == "AUDITOR")
    assert problem == "您的角色无权审核证据"


def test_evi_05__reviewer_must_not_be_uploader():
    # given the same person registered and would review the item / then independence is violated
    assert "EVI-05" in rules.reviewer_independence_problem(reviewer_id=7, uploader_id=7)
    assert rules.reviewer_independence_problem(reviewer_id=8, uploader_id=7) is None


def test_evi_06__unreviewed_evidence_is_not_usable():
    verdict = rules.admissibility(latest_review_result=None, superseded=False)
    assert verdict.status == AdmissibilityStatus.UNREVIEWED and not verdict.usable
    assert verdict.label == "不得作为定案依据"


def test_evi_06__passed_latest_review_makes_it_usable():
    verdict = rules.admissibility(latest_review_result="PASS", superseded=False)
    assert verdict.status == AdmissibilityStatus.ADMISSIBLE and verdict.usable
    assert verdict.label == "可作为定案依据"


def test_evi_05__failed_latest_review_is_not_usable():
    verdict = rules.admissibility(latest_review_result="FAIL", superseded=False)
    assert verdict.status == AdmissibilityStatus.REJECTED and not verdict.usable


def test_evi_09__superseded_version_is_not_usable_even_if_passed():
    verdict = rules.admissibility(latest_review_result="PASS", superseded=True)
    assert verdict.status == AdmissibilityStatus.SUPERSEDED and not verdict.usable


@given(result=st.sampled_from([None, "PASS", "FAIL"]), superseded=st.booleans())
def test_evi_05__usable_iff_current_and_latest_review_passed(result, superseded):
    # property: the only way to be usable is a passed latest review of the current version
    assert rules.admissibility(latest_review_result=result, superseded=superseded).usable == (result == "PASS" and not superseded)
