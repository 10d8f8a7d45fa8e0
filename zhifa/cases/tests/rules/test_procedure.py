"""Simple procedure (CAS-03), officers (CAS-04, RCS-04), closure (CLS-01), case file (CLS-03)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.cases.rules import procedure
from zhifa.cases.rules.findings import RuleInputError
from zhifa.cases.rules.procedure import OfficerFacts, archive_missing, closure_findings, officer_findings, required_file_items

# --- CAS-03 ----------------------------------------------------------------------------------


def simple(**kw):
    base = {"party_kind": "ORG", "penalty_types": ["FINE"], "fine": Decimal("3000"), "max_fine_individual": 200, "max_fine_org": 3000}
    base.update(kw)
    return procedure.simple_procedure_findings(**base)


def test_cas_03__fine_at_the_limit_is_allowed():
    assert simple() == []
    assert simple(party_kind="INDIVIDUAL", fine=Decimal("200")) == []
    assert simple(penalty_types=["WARNING"], fine=0) == []


def test_cas_03__fine_above_the_limit_needs_general_procedure():
    # given a citizen fined 201 yuan on the spot
    findings = simple(party_kind="INDIVIDUAL", fine=Decimal("201"))
    # then the simple procedure is refused
    assert [(f.rule, f.code) for f in findings] == [("CAS-03", "SIMPLE_FINE_TOO_HIGH")]
    assert "200元" in findings[0].message and "普通程序" in findings[0].message
    assert [f.code for f in simple(fine=Decimal("3000.01"))] == ["SIMPLE_FINE_TOO_HIGH"]


def test_cas_03__only_warning_or_fine_on_the_spot():
    findings = simple(penalty_types=["FINE", "CONFISCATE_GAINS"], fine=100)
    assert [f.code for f in findings] == ["SIMPLE_TYPE_NOT_ALLOWED"]
    assert "没收违法所得" in findings[0].message
    assert [f.code for f in simple(penalty_types=[], fine=0)] == ["SIMPLE_NO_PENALTY"]


def test_cas_03__negative_fine_is_an_input_error():
    with pytest.raises(RuleInputError):
        simple(fine=-5)


# --- CAS-04 / RCS-04 --------------------------------------------------------------------------------


def officer(uid, qualified=True, valid=True, recused=False):
    return OfficerFacts(user_id=uid, qualified=qualified, credential_valid=valid, recused=recused)


def test_cas_04__two_qualified_officers_may_act():
    assert officer_findings([officer(1), officer(2)], act="询问") == []


def test_cas_04__one_officer_alone_is_refused():
    # given a single qualified officer / when an inquiry is recorded
    findings = officer_findings([officer(1)], act="询问")
    # then it is refused: at least two are required
    assert [(f.rule, f.code, f.blocking) for f in findings] == [("CAS-04", "TOO_FEW_OFFICERS", True)]
    assert "询问须由两名以上" in findings[0].message


def test_cas_04__expired_credential_or_no_qualification_does_not_count():
    assert [f.code for f in officer_findings([officer(1), officer(2, valid=False)], act="检查")] == ["TOO_FEW_OFFICERS"]
    assert [f.code for f in officer_findings([officer(1), officer(2, qualified=False)], act="检查")] == ["TOO_FEW_OFFICERS"]


def test_cas_04__the_same_officer_twice_counts_once():
    assert [f.code for f in officer_findings([officer(1), officer(1)], act="检查")] == ["TOO_FEW_OFFICERS"]


def test_rcs_04__recused_officer_is_excluded_from_the_count():
    # given two officers, one removed after a granted recusal
    findings = officer_findings([officer(1), officer(2, recused=True)], act="调查取证")
    # then only one remains and the act is refused, saying why
    assert [f.code for f in findings] == ["TOO_FEW_OFFICERS"]
    assert "已回避的人员不计入" in findings[0].message
    # and with a third officer the act may proceed (the recused one stays on record, not counted)
    assert officer_findings([officer(1), officer(2, recused=True), officer(3)], act="调查取证") == []


def test_rcs_04__recused_officer_acting_is_refused():
    # given three officers of whom no. 2 was recused / when no. 2 is named among those acting
    findings = officer_findings([officer(1), officer(2, recused=True), officer(3)], act="询问", acting_user_ids={1, 2, 3})
    # then the act is refused under RCS-04
    assert [(f.rule, f.code) for f in findings] == [("RCS-04", "RECUSED_OFFICER_ACTING")]


def test_cas_04__acting_officers_must_be_assigned_and_qualified():
    officers = [officer(1), officer(2), officer(3, valid=False)]
    assert officer_findings(officers, act="询问", acting_user_ids={1, 2}) == []
    assert [f.code for f in officer_findings(officers, act="询问", acting_user_ids={1, 9})] == ["OFFICER_NOT_ASSIGNED", "TOO_FEW_OFFICERS"]
    assert [f.code for f in officer_findings(officers, act="询问", acting_user_ids={1, 3})] == ["OFFICER_NOT_QUALIFIED", "TOO_FEW_OFFICERS"]


@given(st.lists(st.tuples(st.integers(1, 6), st.booleans(), st.booleans(), st.booleans()), max_size=8))
def test_cas_04__refused_exactly_when_fewer_than_two_distinct_able_officers(rows):
    officers = [officer(u, q, v, r) for u, q, v, r in rows]
    able = {o.user_id for o in officers if o.qualified and o.credential_valid and not o.recused}
    findings = officer_findings(officers, act="检查")
    assert bool(findings) == (len(able) < 2)


# --- CLS-01 --------------------------------------------------------------------------------------


def test_cls_01__closure_reasons_have_chinese_labels():
    assert list(procedure.CLOSURE_REASONS) == ["PERFORMED", "ENFORCED", "NO_PENALTY_SERVED", "TRANSFERRED", "TERMINATED"]
    assert procedure.CLOSURE_REASONS["NO_PENALTY_SERVED"] == "不予处罚决定已送达（附教育记录）"


def test_cls_01__closing_a_paid_case_is_allowed():
    assert closure_findings("PERFORMED", facts={"decision_served": True, "performed": True}) == []


def test_cls_01__closing_before_payment_is_refused():
    # given a served decision whose fine is unpaid
    findings = closure_findings("PERFORMED", facts={"decision_served": True, "performed": False})
    # then closure is refused, naming the missing condition
    assert [(f.rule, f.code) for f in findings] == [("CLS-01", "PREREQUISITE_MISSING")]
    assert "罚款已缴清" in findings[0].message


def test_cls_01__no_penalty_needs_service_and_education_record():
    findings = closure_findings("NO_PENALTY_SERVED", facts={"decision_served": True})
    assert "教育" in findings[0].message
    assert closure_findings("NO_PENALTY_SERVED", facts={"decision_served": True, "education_recorded": True}) == []


def test_cls_01__unknown_or_not_configured_reason_is_refused():
    assert [f.code for f in closure_findings("TIRED", facts={})] == ["UNKNOWN_REASON"]
    # given the CN rule set's list (pack codes) / then ENFORCED is not among the configured reasons
    allowed = ["PENALTY_PERFORMED", "NO_PENALTY_SERVED", "TRANSFERRED_JUDICIAL", "TERMINATED_LAWFULLY"]
    assert [f.code for f in closure_findings("ENFORCED", facts={"decision_served": True, "enforcement_completed": True},
                                             allowed_reasons=allowed)] == ["REASON_NOT_ALLOWED"]
    assert closure_findings("TRANSFERRED", facts={"transfer_recorded": True}, allowed_reasons=allowed) == []


# --- CLS-03 --------------------------------------------------------------------------------------


def test_cls_03__required_items_follow_what_happened_in_the_case():
    # given a case with review, hearing, service, fine and evidence but no committee
    items = required_file_items(review_done=True, committee_held=False, hearing_held=True, served=True, fined=True, evidence_count=3, noticed=True)
    assert items == ["FILING_APPROVAL", "NOTICE", "HEARING_RECORD", "LEGAL_REVIEW_OPINION", "DECISION", "SERVICE_RECEIPT", "PAYMENT_PROOF",
                     "EVIDENCE_LIST"]
    # and a minimal case needs only the filing approval
    assert required_file_items(review_done=False, committee_held=False, hearing_held=False, served=False, fined=False, evidence_count=0) == [
        "FILING_APPROVAL"]
    assert "COMMITTEE_DECISION" in required_file_items(review_done=True, committee_held=True, hearing_held=False, served=True, fined=False,
                                                       evidence_count=1)


def test_cls_03__archiving_without_the_review_opinion_is_refused():
    required = ["FILING_APPROVAL", "LEGAL_REVIEW_OPINION", "DECISION"]
    # given a manifest lacking the legal review opinion
    findings = archive_missing(required, {"FILING_APPROVAL", "DECISION", "EXTRA"})
    # then one blocking finding names the missing item in Chinese
    assert [(f.rule, f.code, f.blocking) for f in findings] == [("CLS-03", "FILE_ITEM_MISSING", True)]
    assert "法制审核意见书" in findings[0].message
    assert archive_missing(required, set(required)) == []


def test_cls_03__every_item_code_has_a_chinese_label():
    assert set(procedure.FILE_ITEMS) == {"FILING_APPROVAL", "LEGAL_REVIEW_OPINION", "COMMITTEE_DECISION", "HEARING_RECORD", "SERVICE_RECEIPT",
                                         "PAYMENT_PROOF", "EVIDENCE_LIST", "DECISION", "NOTICE"}
    assert all(label and label.isascii() is False for label in procedure.FILE_ITEMS.values())
