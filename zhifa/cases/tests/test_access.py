"""Access matrix of the case pages and API: role × own/foreign case → status, and list membership.

Given a filed case of 普陀区 (own) and one of 静安区 (foreign), when each role reads both through
the page and the API, then staff see their subtree, the enterprise contact only its enterprise's
case, auditors everything; anything else is 404, and writes by auditors are refused."""
from __future__ import annotations

import pytest
from django.test import Client

from zhifa.accounts.choices import Role
from zhifa.accounts.tests.factories import OfficerCredentialFactory
from zhifa.cases import services
from zhifa.cases.choices import Origin
from zhifa.subjects.tests.factories import EnterpriseFactory

ROLES = ["officer", "head", "reviewer", "contact", "auditor", "foreign_officer"]
SEES = {"officer": {"own"}, "head": {"own"}, "reviewer": {"own"}, "contact": {"own"}, "auditor": {"own", "foreign"}, "foreign_officer": {"foreign"}}


@pytest.fixture
def cases(world, org_tree, make_user):
    own = services.case_open(actor=world.officer, enterprise=world.enterprise, title="本区案件", facts="事实", origin=Origin.OTHER, officers=[world.officer2])
    services.case_file(actor=world.head, case=own)
    jingan = org_tree["jingan"]
    a, b, head = make_user(Role.OFFICER, jingan), make_user(Role.OFFICER, jingan), make_user(Role.SUPERVISOR, jingan)
    for u in (a, b, head):
        OfficerCredentialFactory(user=u)
    world.foreign_officer = a
    foreign = services.case_open(actor=a, enterprise=EnterpriseFactory(organisation=jingan), title="外区案件", facts="事实", origin=Origin.OTHER, officers=[b])
    services.case_file(actor=head, case=foreign)
    return {"own": own, "foreign": foreign}


@pytest.mark.parametrize("which", ["own", "foreign"])
@pytest.mark.parametrize("role", ROLES)
def test_cas_01__access_matrix_pages_and_api(world, cases, role, which):
    client = Client()
    client.force_login(getattr(world, role))
    case = cases[which]
    expected = 200 if which in SEES[role] else 404
    assert client.get(f"/cases/{case.pk}/").status_code == expected
    api = client.get(f"/api/v1/cases/{case.pk}/")
    assert api.status_code == expected
    if expected == 404:
        assert api.json()["error"]["code"] == "CASE_NOT_FOUND"
    listed = {row["id"] for row in client.get("/api/v1/cases/", {"page_size": 100}).json()["results"]}
    assert (case.pk in listed) is (expected == 200)


def test_cas_01__auditor_writes_nothing_and_anonymous_is_401(world, cases):
    auditor = Client()
    auditor.force_login(world.auditor)
    response = auditor.post(f"/api/v1/cases/{cases['own'].pk}/actions/close_investigation/", {}, content_type="application/json")
    assert response.status_code == 403
    assert Client().get("/api/v1/cases/").status_code == 401
    assert Client().get(f"/cases/{cases['own'].pk}/").status_code == 302
