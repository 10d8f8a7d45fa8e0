"""The case procedure through its services, on the database: the three journeys of issue 5 and
the forbidden moves, each refused with the rule that forbids it and nothing half-saved."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from zhifa.cases import selectors, services
from zhifa.cases.choices import CaseState, Origin
from zhifa.cases.models import Case, CaseEvent, Decision, Notice
from zhifa.common.calendar_store import get_calendar
from zhifa.common.errors import ZhifaError
from zhifa.common.timeutil import today
from zhifa.documents.models import IssuedDocument

SH = ZoneInfo("Asia/Shanghai")
# Documents carry the real issue time, so the story starts today and later days are computed.
FILED = today()


def wd(n: int) -> date:
    """The n-th working day after FILED."""
    return get_calendar().add_working_days(FILED, n).due_date

SCORES = dict.fromkeys(("RISK", "CIRCUMSTANCE_MANNER", "CONSEQUENCE_IMPACT", "FAULT", "CORRECTION", "COOPERATION"), "NORMAL")


def _open(w, **kw) -> Case:
    return services.case_open(actor=w.officer, enterprise=w.enterprise, title="未按规定如实记录隐患排查治理情况", facts="2026年5月隐患排查记录缺失",
                              origin=Origin.NON_SITE, officers=[w.officer2], benchmark_code="WSL101", **kw)


def _investigated(w, on_day, fine="30000", **kw) -> Case:
    on_day(FILED)
    case = _open(w, **kw)
    services.case_file(actor=w.head, case=case)
    services.case_evidence_link(actor=w.officer, case=case, item=w.evidence, proves="隐患排查记录缺失")
    for party in case.parties.all():
        services.case_propose(actor=w.officer, party=party, kind="PENALTY", penalty_types=["FINE"], fine=fine, facts="查明未如实记录隐患排查治理情况",
                              law="《安全生产法》第一百零一条第五项", scores=SCORES, correction_order="责令于十个工作日内改正", discretion_text="一般情节")
    services.case_close_investigation(actor=w.officer, case=case)
    case.refresh_from_db()
    return case


def _serve_direct(w, case, document, on: date):
    for party in case.parties.all():
        services.case_serve(actor=w.officer, party=party, document=document, method="DIRECT", served_on=on, recipient="王安全", recipient_role="安全员")


def refused_rule(call) -> str:
    with pytest.raises(ZhifaError) as exc:
        call()
    return exc.value.rule


def test_cas_02__journey_a_filing_notice_statement_review_decision_eservice_payment_closure_archive(world, on_day, django_capture_on_commit_callbacks):
    w = world
    case = _investigated(w, on_day)
    assert case.state == CaseState.PROPOSED and case.number.endswith("号")
    # notice (RTS-01), served directly the same day
    (notice,) = services.case_notice_issue(actor=w.officer, case=case)
    assert notice.hearing_right is False  # 30,000 yuan is below the configured large-fine threshold
    _serve_direct(w, case, notice.document, FILED)
    unit = case.parties.get()
    # the enterprise states its defence online; the officer answers it (RTS-03)
    st = services.case_statement_submit(actor=w.contact, party=unit, text="已整改，请求从轻处罚", objects_to_evidence=False)
    services.case_statement_reply(actor=w.officer, statement=st, result="PARTLY", reasons="整改属实，已在裁量中考虑")
    # the window (3 WD from service) must have run before review and decision (RTS-04)
    on_day(wd(4))
    review = services.case_review_submit(actor=w.officer, case=case, materials="案卷全部材料")
    items = {k: "PASS" for k in ("SUBJECT_LEGAL", "OFFICER_QUALIFIED", "PROCEDURE_LEGAL", "FACTS_CLEAR", "EVIDENCE_SUFFICIENT", "LAW_CITED",
                                  "DISCRETION_APPROPRIATE", "WITHIN_AUTHORITY", "DOCUMENTS_COMPLETE", "CRIME_TRANSFER", "NON_SITE_AV_EDATA")}
    services.case_review_complete(actor=w.reviewer, review=review, items=items, opinion="PASS", opinion_text="事实清楚，证据确凿，程序合法")
    services.case_review_respond(actor=w.officer, review=review, agrees=True)
    (decision,) = services.case_decide(actor=w.head, case=case)
    assert decision.fine == Decimal("30000.00") and decision.reasoning["statements_response"].startswith("部分采纳")
    # e-service with the enterprise's signed consent (SRV-02); the date is the arrival (SRV-03)
    from zhifa.accounts.tests.factories import TEST_PASSWORD
    from zhifa.notifications.services import eservice_consent_sign

    eservice_consent_sign(enterprise_id=w.enterprise.pk, party_name=w.enterprise.name, channels=[{"channel": "IN_APP", "address": ""}],
                          user=w.contact, password=TEST_PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_serve(actor=w.officer, party=unit, document=decision.document, method="ELECTRONIC", channel="IN_APP")
    case.refresh_from_db()
    assert case.state == CaseState.SERVED
    notice_row = selectors.payment_notice_for(decision)
    assert notice_row is not None and notice_row.fine == Decimal("30000.00")
    # closure is refused until the platform reports payment (CLS-01, PAY-02)
    assert refused_rule(lambda: services.case_close(actor=w.officer, case=case)) == "CLS-01"
    from zhifa.payments.services import payment_callback_record
    from zhifa.payments.tests.helpers import payload, signed

    with django_capture_on_commit_callbacks(execute=True):
        payment_callback_record(*signed(payload(notice_row, amount="30000.00", paid_at=datetime.now(SH))))
    services.case_close(actor=w.officer, case=case)
    services.case_archive(actor=w.officer, case=case)
    case.refresh_from_db()
    assert case.state == CaseState.ARCHIVED
    kinds = set(IssuedDocument.objects.filter(ref=case.ref).values_list("kind", flat=True))
    assert {"FILING_APPROVAL", "PRE_DECISION_NOTICE", "LEGAL_REVIEW_OPINION", "PENALTY_DECISION", "CLOSURE_REPORT"} <= kinds
    assert CaseEvent.objects.filter(case=case, kind="PAID").exists()


def test_rts_02__no_decision_before_the_notice_window_ran_out(world, on_day):
    w = world
    case = _investigated(w, on_day)
    (notice,) = services.case_notice_issue(actor=w.officer, case=case)
    # given an unserved notice, then nothing can go to review
    assert refused_rule(lambda: services.case_review_submit(actor=w.officer, case=case, materials="材料")) == "RTS-02"
    _serve_direct(w, case, notice.document, FILED)
    # when the window is still open (its last day is the 3rd working day), review is refused (RTS-04)
    on_day(wd(3))
    assert refused_rule(lambda: services.case_review_submit(actor=w.officer, case=case, materials="材料")) == "RTS-04"
    # and an explicit waiver lifts it
    services.case_statement_submit(actor=w.contact, party=case.parties.get(), waiver=True)
    services.case_review_submit(actor=w.officer, case=case, materials="材料")


def test_rts_03__a_heavier_proposal_after_the_notice_is_refused(world, on_day):
    w = world
    case = _investigated(w, on_day)
    services.case_notice_issue(actor=w.officer, case=case)
    with pytest.raises(ZhifaError) as exc:
        services.case_propose(actor=w.officer, party=case.parties.get(), kind="PENALTY", penalty_types=["FINE"], fine="40000", facts="事实",
                              law="依据", correction_order="改正", scores=SCORES)
    assert exc.value.rule in ("RTS-03", "EVI-08")


def test_dsc_03__fine_outside_the_statutory_range_is_refused_and_nothing_saved(world, on_day):
    w = world
    on_day(FILED)
    case = _open(w)
    services.case_file(actor=w.head, case=case)
    party = case.parties.get()
    with pytest.raises(ZhifaError) as exc:
        services.case_propose(actor=w.officer, party=party, kind="PENALTY", penalty_types=["FINE"], fine="150000", facts="事实", law="依据", correction_order="改正", scores=SCORES)
    assert exc.value.rule == "DSC-03"
    with pytest.raises(ZhifaError) as neg:
        services.case_propose(actor=w.officer, party=party, kind="PENALTY", penalty_types=["FINE"], fine="-5", facts="事实", law="依据", correction_order="改正", scores=SCORES)
    assert neg.value.field == "fine"
    assert not party.proposals.exists()


def test_cas_04__one_officer_alone_cannot_have_the_case_filed(world, on_day):
    w = world
    on_day(FILED)
    case = services.case_open(actor=w.officer, enterprise=w.enterprise, title="案由", facts="事实", origin=Origin.OTHER, officers=[])
    assert refused_rule(lambda: services.case_file(actor=w.head, case=case)) == "CAS-04"
    case.refresh_from_db()
    assert case.state == CaseState.PENDING_FILING and not IssuedDocument.objects.filter(ref=case.ref).exists()


def test_cas_14__an_officer_cannot_approve_filing_or_decide(world, on_day):
    w = world
    on_day(FILED)
    case = _open(w)
    assert refused_rule(lambda: services.case_file(actor=w.officer2, case=case)) == "CAS-14"


def test_rcs_04__a_recused_officer_is_removed_and_can_no_longer_act(world, on_day):
    w = world
    on_day(FILED)
    case = _open(w, )
    services.case_officer_assign(actor=w.head, case=case, user=w.officer3)
    services.case_file(actor=w.head, case=case)
    r = services.case_recusal_apply(actor=w.contact, case=case, officer=w.officer2, reason="与企业负责人系亲属")
    assert r.due_on == wd(3)  # RCS-03: 3 working days
    services.case_recusal_decide(actor=w.head, recusal=r, granted=True, reason="情况属实")
    with pytest.raises(ZhifaError) as exc:
        services.case_evidence_link(actor=w.officer2, case=case, item=w.evidence, proves="x")
    assert exc.value.rule == "RCS-04"


def test_srv_02__no_electronic_service_without_consent(world, on_day):
    w = world
    case = _investigated(w, on_day)
    (notice,) = services.case_notice_issue(actor=w.officer, case=case)
    rule = refused_rule(lambda: services.case_serve(actor=w.officer, party=case.parties.get(), document=notice.document, method="ELECTRONIC", channel="IN_APP"))
    assert rule == "SRV-02"


def test_clu_l04__journey_c_first_violation_no_penalty_with_education(world, on_day):
    w = world
    on_day(FILED)
    case = _open(w)
    services.case_file(actor=w.head, case=case)
    party = case.parties.get()
    with pytest.raises(ZhifaError) as exc:
        services.case_propose(actor=w.officer, party=party, kind="NO_PENALTY_FIRST", facts="初次违法，已及时改正", law="《行政处罚法》第三十三条第一款")
    assert exc.value.rule == "CLU-L04"
    services.case_propose(actor=w.officer, party=party, kind="NO_PENALTY_FIRST", facts="初次违法，已及时改正", law="《行政处罚法》第三十三条第一款",
                          education="约谈主要负责人，讲解隐患排查治理规定")
    services.case_close_investigation(actor=w.officer, case=case)
    assert refused_rule(lambda: services.case_notice_issue(actor=w.officer, case=case)) == "RTS-01"
    services.case_skip_review(actor=w.officer, case=case)
    (decision,) = services.case_decide(actor=w.head, case=case)
    assert decision.document.kind == "NO_PENALTY_DECISION"
    _serve_direct(w, case, decision.document, FILED)
    services.case_close(actor=w.officer, case=case)
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.closure_reason == "NO_PENALTY_SERVED"


def test_evi_09__case_records_refuse_update_and_delete(world, on_day):
    w = world
    case = _investigated(w, on_day)
    with pytest.raises(PermissionError):
        CaseEvent.objects.filter(case=case).update(summary="改")
    with pytest.raises(PermissionError):
        Notice.objects.all().delete()
    assert Decision.objects.count() == 0


def test_cas_01__access_foreign_officer_and_auditor(world, on_day):
    w = world
    on_day(FILED)
    case = _open(w)
    assert not selectors.cases_visible_to(w.foreign_officer).filter(pk=case.pk).exists()
    assert selectors.cases_visible_to(w.auditor).filter(pk=case.pk).exists()
    with pytest.raises(ZhifaError) as exc:
        services.case_file(actor=w.auditor, case=case)
    assert exc.value.status == 403
    # the enterprise sees its case only once it is filed
    assert not selectors.cases_visible_to(w.contact).filter(pk=case.pk).exists()



def test_cas_03__simple_procedure_only_for_a_warning_or_a_small_fine(world, on_day):
    w = world
    # given a 5,000 yuan fine on a unit: above the 3,000 yuan limit, refused
    with pytest.raises(ZhifaError) as exc:
        services.case_decide_simple(actor=w.officer, enterprise=w.enterprise, officers=[w.officer2], facts="安全出口堵塞", law="《消防法》",
                                    place="厂区", penalty_types=["FINE"], fine="5000")
    assert exc.value.rule == "CAS-03"
    # an officer alone cannot do it either (CAS-04)
    with pytest.raises(ZhifaError) as alone:
        services.case_decide_simple(actor=w.officer, enterprise=w.enterprise, officers=[], facts="安全出口堵塞", law="《消防法》",
                                    place="厂区", penalty_types=["WARNING"])
    assert alone.value.rule == "CAS-04"
    assert not Case.objects.exists()
    d = services.case_decide_simple(actor=w.officer, enterprise=w.enterprise, officers=[w.officer2], facts="安全出口堵塞", law="《消防法》",
                                    place="厂区", penalty_types=["FINE"], fine="3000")
    case = d.party.case
    assert case.state == CaseState.DECIDED and case.procedure == "SIMPLE" and d.document.kind == "SIMPLE_PENALTY_DECISION"


def test_cas_02__demo_cases_are_made_through_the_services(world, make_user, django_capture_on_commit_callbacks):
    from zhifa.accounts.choices import Role
    from zhifa.accounts.tests.factories import OfficerCredentialFactory
    from zhifa.cases.demo import demo_cases_create
    from zhifa.subjects.tests.factories import ContactAuthorisationFactory

    w = world
    for name, role in (("officer1", Role.OFFICER), ("officer2", Role.OFFICER), ("supervisor", Role.SUPERVISOR)):
        OfficerCredentialFactory(user=make_user(role, w.org, username=name))
    make_user(Role.LEGAL_REVIEWER, w.org, username="legal")
    ContactAuthorisationFactory(enterprise=w.enterprise, user=make_user(Role.ENTERPRISE_CONTACT, None, username="enterprise"))
    (case,) = demo_cases_create()  # no clues in this world: only the enterprise's own case
    case.refresh_from_db()
    assert case.state == CaseState.NOTICED and selectors.cases_visible_to(w.contact).filter(pk=case.pk).exists()
    assert demo_cases_create() == []  # once only


ITEMS = [{"name": "液氯钢瓶", "quantity": "3只", "location": "甲类仓库"}]


def test_cas_12__preservation_needs_prior_approval_and_a_decision_within_7_working_days(world, on_day):
    w = world
    on_day(FILED)
    case = _open(w)
    services.case_file(actor=w.head, case=case)
    # an emergency is no reason to skip the head's approval for preservation
    with pytest.raises(ZhifaError) as exc:
        services.case_measure_request(actor=w.officer, case=case, kind="PRESERVATION", items=ITEMS, reason="证据可能灭失", basis="《行政处罚法》第五十六条",
                                      related_confirmed=True, emergency=True)
    assert exc.value.rule == "CAS-12"
    m = services.case_measure_request(actor=w.officer, case=case, kind="PRESERVATION", items=ITEMS, reason="证据可能灭失", basis="《行政处罚法》第五十六条",
                                      related_confirmed=True)
    assert m.started_on is None  # nothing happens before approval
    m = services.case_measure_approve(actor=w.head, measure=m, approve=True)
    assert m.due_on == wd(7)
    assert any(d.rule == "CAS-12" and d.due_on == wd(7) for d in selectors.case_deadlines(case))
    m = services.case_measure_handle(actor=w.officer, measure=m, handling="RELEASE", note="已完成取证")
    assert m.handled_on == FILED


def test_crc_06__sealing_period_at_most_30_days_and_one_extension_of_30(world, on_day):
    w = world
    on_day(FILED)
    case = _open(w)
    services.case_file(actor=w.head, case=case)
    with pytest.raises(ZhifaError) as exc:
        services.case_measure_request(actor=w.officer, case=case, kind="SEAL", items=ITEMS, reason="违法储存", basis="《安全生产法》第六十五条",
                                      related_confirmed=True, period_days=45)
    assert exc.value.rule == "CRC-06"
    with pytest.raises(ZhifaError) as crc04:
        services.case_measure_request(actor=w.officer, case=case, kind="SEAL", items=ITEMS, reason="违法储存", basis="《安全生产法》第六十五条",
                                      related_confirmed=False)
    assert crc04.value.rule == "CRC-04"
    m = services.case_measure_request(actor=w.officer, case=case, kind="SEAL", items=ITEMS, reason="违法储存", basis="《安全生产法》第六十五条",
                                      related_confirmed=True, emergency=True)
    assert m.started_on == FILED and m.document.kind == "SEALING_DECISION"  # CRC-02: on the spot, approval afterwards
    with pytest.raises(ZhifaError) as too_long:
        services.case_measure_extend(actor=w.head, measure=m, days=31, reason="案情复杂")
    assert too_long.value.rule == "CRC-06"
    m = services.case_measure_extend(actor=w.head, measure=m, days=30, reason="案情复杂")
    assert (m.due_on - FILED).days == 60
    with pytest.raises(ZhifaError) as twice:
        services.case_measure_extend(actor=w.head, measure=m, days=5, reason="再延")
    assert twice.value.rule == "CRC-06"


def test_crc_02__a_rejected_emergency_measure_is_released_at_once(world, on_day):
    w = world
    on_day(FILED)
    case = _open(w)
    services.case_file(actor=w.head, case=case)
    m = services.case_measure_request(actor=w.officer, case=case, kind="SEIZE", items=ITEMS, reason="违法运输", basis="《安全生产法》第六十五条",
                                      related_confirmed=True, emergency=True)
    m = services.case_measure_approve(actor=w.head, measure=m, approve=False)
    assert m.rejected and m.handling == "RELEASE" and m.handled_on == FILED


def test_dec_02__the_decision_limit_is_extended_only_by_the_head_and_up_to_the_ceiling(world, on_day):
    w = world
    on_day(FILED)
    case = _open(w)
    services.case_file(actor=w.head, case=case)
    with pytest.raises(ZhifaError) as officer:
        services.case_extension_approve(actor=w.officer, case=case, days=30, reason="案情复杂")
    assert officer.value.status == 403
    with pytest.raises(ZhifaError) as too_far:
        services.case_extension_approve(actor=w.head, case=case, days=400, reason="案情复杂")
    assert too_far.value.rule == "DEC-02"
    services.case_extension_approve(actor=w.head, case=case, days=30, reason="案情复杂")
    case.refresh_from_db()
    (due,) = [d for d in selectors.case_deadlines(case) if d.rule == "DEC-02"]
    limit = (due.due_on - FILED).days
    assert limit >= 30 + 30  # the base limit plus the approved extension (rolled forward over rest days)


def test_pay_08__no_court_enforcement_without_a_reminder(world, on_day):
    w = world
    case = _investigated(w, on_day)
    (notice,) = services.case_notice_issue(actor=w.officer, case=case)
    _serve_direct(w, case, notice.document, FILED)
    services.case_statement_submit(actor=w.contact, party=case.parties.get(), waiver=True)
    services.case_skip_review(actor=w.officer, case=case)
    (decision,) = services.case_decide(actor=w.head, case=case)
    _serve_direct(w, case, decision.document, FILED)
    with pytest.raises(ZhifaError) as exc:
        services.case_enforcement_apply(actor=w.head, party=case.parties.get(), court="上海市普陀区人民法院")
    assert exc.value.rule == "PAY-08"


def test_dec_03__dual_penalty_makes_the_principal_a_party_with_his_own_benchmark(world, on_day):
    w = world
    on_day(FILED)
    case = _open(w, dual_penalty=True)
    services.case_file(actor=w.head, case=case)
    unit, principal = case.parties.order_by("id")
    assert principal.role == "PRINCIPAL" and principal.name == "赵总"
    # the unit's article does not apply to the principal person
    with pytest.raises(ZhifaError) as exc:
        services.case_propose(actor=w.officer, party=principal, kind="PENALTY", penalty_types=["FINE"], fine="30000", facts="事实", law="依据",
                              correction_order="改正", scores=SCORES)
    assert exc.value.rule == "DEC-03"
    services.case_propose(actor=w.officer, party=principal, kind="PENALTY", penalty_types=["FINE"], fine="30000", facts="未履行安全生产管理职责",
                          law="《安全生产法》第九十四条第一款", correction_order="限期改正", scores=SCORES, benchmark_code="WSL94.1")
    assert principal.proposals.get().benchmark_code == "WSL94.1"


def test_evi_05__inadmissible_evidence_is_left_out_of_the_notice(world, on_day):
    from zhifa.cases import casedocs
    from zhifa.evidence.services import evidence_register
    from zhifa.evidence.tests.samples import chunked, jpeg_bytes, metadata

    w = world
    case = _investigated(w, on_day)
    unreviewed = evidence_register(actor=w.officer, chunks=chunked(jpeg_bytes(seed=9)), original_filename="b.jpg", declared_content_type="image/jpeg",
                                   **metadata(enterprise=w.enterprise, title="未审核照片"))
    services._link_evidence(w.officer, case, unreviewed, "待核实")
    listed = casedocs._evidence(case)
    assert any("现场照片" in e for e in listed) and not any("未审核照片" in e for e in listed)


def test_dec_11__a_directly_responsible_person_is_added_as_a_party(world, on_day):
    from zhifa.subjects.models import EnterprisePerson
    from zhifa.subjects.tests.factories import PersonFactory

    w = world
    on_day(FILED)
    case = _open(w)
    services.case_file(actor=w.head, case=case)
    manager = PersonFactory(name="钱经理")
    stranger = PersonFactory(name="孙路人")
    EnterprisePerson.objects.create(enterprise=w.enterprise, person=manager, role="SAFETY_MANAGER")
    with pytest.raises(ZhifaError) as exc:
        services.case_party_add(actor=w.officer, case=case, person=stranger, reason="第九十六条")
    assert exc.value.field == "person"
    party = services.case_party_add(actor=w.officer, case=case, person=manager, reason="《安全生产法》第九十六条")
    assert party.role == "RESPONSIBLE" and party.kind == "INDIVIDUAL"


def test_cas_04__officers_of_another_bureau_cannot_join_the_case(world, on_day):
    w = world
    on_day(FILED)
    with pytest.raises(ZhifaError) as exc:
        services.case_open(actor=w.officer, enterprise=w.enterprise, title="案由", facts="事实", origin=Origin.OTHER, officers=[w.foreign_officer])
    assert exc.value.field == "officers" and not Case.objects.exists()
