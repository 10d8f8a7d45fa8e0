"""Case pages and API through the test client: pages render for each role, a refused step shows
the Chinese message with its rule and answers 4xx (never 500), foreign cases are 404."""
from __future__ import annotations

import pytest
from django.test import Client

from zhifa.cases import services
from zhifa.cases.choices import CaseState, Origin
from zhifa.cases.models import Case


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def case(world) -> Case:
    return services.case_open(actor=world.officer, enterprise=world.enterprise, title="未如实记录隐患排查治理情况", facts="记录缺失",
                              origin=Origin.NON_SITE, officers=[world.officer2], benchmark_code="WSL101")


def test_cas_02__pages_render_and_filing_works_through_the_page(world, case):
    officer = client_for(world.officer)
    assert officer.get("/cases/").status_code == 200
    page = officer.get(f"/cases/{case.pk}/")
    assert page.status_code == 200 and case.number in page.content.decode()
    # an officer may not approve filing: refused with the rule, 403, nothing changed
    refused = officer.post(f"/cases/{case.pk}/file/")
    assert refused.status_code == 403 and "CAS-14" in refused.content.decode()
    head = client_for(world.head)
    done = head.post(f"/cases/{case.pk}/file/")
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING
    assert head.get(f"/cases/{case.pk}/").status_code == 200


def test_dsc_03__bad_money_in_the_proposal_form_is_a_clear_error(world, case):
    services.case_file(actor=world.head, case=case)
    party = case.parties.get()
    officer = client_for(world.officer)
    form = {"party": party.pk, "kind": "PENALTY", "penalty_types": ["FINE"], "fine": "-1", "facts": "事实", "law": "依据", "correction_order": "改正",
            **dict.fromkeys(("RISK", "CIRCUMSTANCE_MANNER", "CONSEQUENCE_IMPACT", "FAULT", "CORRECTION", "COOPERATION"), "NORMAL")}
    response = officer.post(f"/cases/{case.pk}/propose/", form)
    assert response.status_code == 400 and "不能为负数" in response.content.decode()
    response = officer.post(f"/cases/{case.pk}/propose/", form | {"fine": "abc"})
    assert response.status_code == 400
    response = officer.post(f"/cases/{case.pk}/propose/", form | {"fine": "999999"})
    assert response.status_code == 409 and "DSC-03" in response.content.decode()
    assert not party.proposals.exists()


def test_cas_01__foreign_and_enterprise_access(world, case):
    assert client_for(world.foreign_officer).get(f"/cases/{case.pk}/").status_code == 404
    contact = client_for(world.contact)
    assert contact.get(f"/cases/{case.pk}/").status_code == 404  # not yet filed
    services.case_file(actor=world.head, case=case)
    page = contact.get(f"/cases/{case.pk}/")
    assert page.status_code == 200 and "时间线" not in page.content.decode()
    assert contact.get("/cases/mine/").status_code == 200
    assert client_for(world.auditor).post(f"/cases/{case.pk}/file/").status_code in (403, 409)


def test_cas_14__api_refusal_is_structured_with_the_rule(world, case):
    officer = client_for(world.officer)
    listing = officer.get("/api/v1/cases/")
    assert listing.status_code == 200 and listing.json()["count"] == 1
    detail = officer.get(f"/api/v1/cases/{case.pk}/")
    assert detail.status_code == 200 and detail.json()["allowed_transitions"] == ["file", "refuse_filing"]
    refused = officer.post(f"/api/v1/cases/{case.pk}/actions/file/", {}, content_type="application/json")
    body = refused.json()
    assert refused.status_code == 403 and body["error"]["rule"] == "CAS-14"
    assert client_for(world.head).post(f"/api/v1/cases/{case.pk}/actions/file/", {}, content_type="application/json").status_code == 200
    assert officer.post(f"/api/v1/cases/{case.pk}/actions/nope/", {}, content_type="application/json").status_code == 404
    assert client_for(world.foreign_officer).get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_crc_04__measure_request_through_the_page(world, case):
    services.case_file(actor=world.head, case=case)
    officer = client_for(world.officer)
    form = {"kind": "SEAL", "items": "液氯钢瓶,3只,甲类仓库", "reason": "违法储存", "basis": "《安全生产法》第六十五条", "period_days": 30}
    refused = officer.post(f"/cases/{case.pk}/measure_request/", form)
    assert refused.status_code == 409 and "CRC-04" in refused.content.decode()
    done = officer.post(f"/cases/{case.pk}/measure_request/", form | {"related_confirmed": "on"})
    assert done.status_code == 302
    page = client_for(world.head).get(f"/cases/{case.pk}/")
    assert "液氯钢瓶" in page.content.decode() and 'id="form-measure_approve-' in page.content.decode()
