"""API of the subject register: filters, pagination, masking, reveal logging, bad input.

The role × endpoint × own/foreign matrix lives in tests/api/test_access_matrix.py; these tests
cover what each endpoint does with its parameters.
"""
from __future__ import annotations

import base64
import json
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhifa.access.tests.factories import approved_grant
from zhifa.accounts.choices import Role
from zhifa.accounts.tests.factories import UserFactory
from zhifa.common.ids import ID_NUMBER_RE, MOBILE_RE
from zhifa.common.timeutil import today
from zhifa.ledger.models import LedgerEntry
from zhifa.subjects.choices import (
    ApplicationKind,
    ApplicationStatus,
    ChangeField,
    Industry,
    LicenceStatus,
    LicenceType,
    PersonRole,
    ReportKind,
)
from zhifa.subjects.models import (
    EmergencyPlanFiling,
    EnterprisePerson,
    LicenceApplication,
    MajorHazardSource,
    PrecursorAnnualReport,
    RegistrationChange,
    ReportObligation,
)
from zhifa.subjects.tests.factories import (
    ActivitySignalFactory,
    ContactAuthorisationFactory,
    EnterpriseFactory,
    LicenceFactory,
    PersonFactory,
)


@pytest.fixture
def officer(org_tree):
    return UserFactory(role=Role.OFFICER, organisation=org_tree["putuo"])


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def client(officer) -> APIClient:
    return token_client(officer)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def assert_invalid(response, parameter: str) -> None:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "COMMON_INVALID_INPUT"
    assert parameter in (error.get("fields") or {}) or error.get("field") == parameter


# --- enterprises ---------------------------------------------------------------------------


@pytest.fixture
def enterprises(org_tree):
    """Three Putuo enterprises (one in the street, one key unit, one with an expired licence) and one in Jing'an."""
    day = today()
    chem = EnterpriseFactory(name="上海普陀化工有限公司", organisation=org_tree["putuo"], industry=Industry.CHEMICAL, is_key_unit=True)
    street = EnterpriseFactory(name="上海长寿仓储有限公司", organisation=org_tree["street"], industry=Industry.WAREHOUSING)
    expired = EnterpriseFactory(name="上海真南危化品经营部", organisation=org_tree["putuo"], industry=Industry.HAZCHEM)
    foreign = EnterpriseFactory(name="上海静安化工有限公司", organisation=org_tree["jingan"], industry=Industry.CHEMICAL)
    LicenceFactory(enterprise=chem, valid_from=day - timedelta(days=400), valid_to=day + timedelta(days=500))
    LicenceFactory(enterprise=street, valid_from=day - timedelta(days=400), valid_to=day + timedelta(days=30))
    LicenceFactory(enterprise=expired, valid_from=day - timedelta(days=1200), valid_to=day - timedelta(days=1))
    return {"chem": chem, "street": street, "expired": expired, "foreign": foreign}


def test_enterprises__list_is_scoped_sorted_and_paginated(client, enterprises):
    # when a Putuo officer lists enterprises
    response = client.get("/api/v1/enterprises/")
    # then it sees the three Putuo ones (including the street's), by name, with a count
    body = response.json()
    assert body["count"] == 3
    assert [row["name"] for row in body["results"]] == sorted(row["name"] for row in body["results"])
    assert enterprises["foreign"].pk not in ids(response)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "长寿"}, {"street"}),
        ({"q": "化工"}, {"chem"}),
        ({"industry": "HAZCHEM"}, {"expired"}),
        ({"licence_state": "EXPIRED"}, {"expired"}),
        ({"licence_state": "EXPIRING"}, {"street"}),
        ({"licence_state": "VALID"}, {"chem"}),
        ({"is_key_unit": "true"}, {"chem"}),
        ({"is_key_unit": "false"}, {"street", "expired"}),
    ],
)
def test_enterprises__filters(client, enterprises, params, expected):
    # given a filter, when the list is requested, then exactly the matching visible enterprises come back
    assert set(ids(client.get("/api/v1/enterprises/", params))) == {enterprises[k].pk for k in expected}


def test_enterprises__q_matches_uscc_prefix(client, enterprises):
    prefix = enterprises["chem"].uscc[:16].lower()
    assert ids(client.get("/api/v1/enterprises/", {"q": prefix})) == [enterprises["chem"].pk]


def test_enterprises__organisation_filter_covers_the_subtree_and_never_widens_scope(client, enterprises, org_tree):
    # given the organisation filter
    # when it names Putuo, then the street's enterprise is included
    assert set(ids(client.get("/api/v1/enterprises/", {"organisation": org_tree["putuo"].pk}))) == {
        enterprises[k].pk for k in ("chem", "street", "expired")
    }
    # when it names the street, then only the street's enterprise
    assert ids(client.get("/api/v1/enterprises/", {"organisation": org_tree["street"].pk})) == [enterprises["street"].pk]
    # when it names a foreign district or an unknown id, then nothing (never the foreign enterprises)
    assert ids(client.get("/api/v1/enterprises/", {"organisation": org_tree["jingan"].pk})) == []
    assert ids(client.get("/api/v1/enterprises/", {"organisation": 987654321})) == []


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"industry": "SPACE"}, "industry"),
        ({"licence_state": "SOON"}, "licence_state"),
        ({"is_key_unit": "maybe"}, "is_key_unit"),
        ({"organisation": "abc"}, "organisation"),
        ({"organisation": str(10**30)}, "organisation"),
        ({"organisation": "-3"}, "organisation"),
        ({"q": "长" * 101}, "q"),
    ],
)
def test_enterprises__invalid_filter_values_are_structured_400(client, enterprises, params, parameter):
    assert_invalid(client.get("/api/v1/enterprises/", params), parameter)


@pytest.mark.parametrize("page", ["2", "0", "-1", "abc", str(10**40), "1.5"])
def test_enterprises__invalid_or_out_of_range_page_is_400_never_404_or_500(client, enterprises, page):
    assert_invalid(client.get("/api/v1/enterprises/", {"page": page}), "page")


def test_enterprises__page_size_is_honoured_and_capped(client, enterprises):
    body = client.get("/api/v1/enterprises/", {"page_size": 2}).json()
    assert len(body["results"]) == 2
    assert body["next"] is not None
    assert len(client.get("/api/v1/enterprises/", {"page": 2, "page_size": 2}).json()["results"]) == 1
    # a garbage page size falls back to the default rather than failing
    assert len(client.get("/api/v1/enterprises/", {"page_size": "lots"}).json()["results"]) == 3


def test_enterprises__detail_has_masked_principal_people_and_licences(client, org_tree):
    # given an enterprise with a principal, a contact and a licence with a pending extension
    enterprise = EnterpriseFactory(organisation=org_tree["putuo"])
    contact = PersonFactory(phone="13700001111")
    EnterprisePerson.objects.create(enterprise=enterprise, person=contact, role=PersonRole.CONTACT)
    licence = LicenceFactory(enterprise=enterprise)
    LicenceApplication.objects.create(licence=licence, kind=ApplicationKind.EXTENSION, submitted_on=date(2026, 9, 1))
    LicenceApplication.objects.create(licence=licence, kind=ApplicationKind.CHANGE, submitted_on=date(2025, 1, 2), status=ApplicationStatus.APPROVED)
    # when it is read
    response = client.get(f"/api/v1/enterprises/{enterprise.pk}/")
    # then persons are masked and the licence lists only its pending application
    body = response.json()
    principal = enterprise.principal
    assert body["principal"]["id_number_masked"] == principal.id_number[:4] + "*" * 12 + principal.id_number[-2:]
    assert body["principal"]["phone_masked"] == principal.phone[:3] + "****" + principal.phone[-4:]
    assert body["principal"]["address_masked"] == "上海市普陀区****"
    assert body["people"][0]["person"]["phone_masked"] == "137****1111"
    assert body["people"][0]["role_display"] == "联系人"
    assert [lic["id"] for lic in body["licences"]] == [licence.pk]
    assert [a["kind"] for a in body["licences"][0]["pending_applications"]] == ["EXTENSION"]
    text = response.content.decode()
    assert principal.id_number not in text and principal.phone not in text and contact.phone not in text


def test_enterprises__detail_ignores_list_filters(client, enterprises):
    # given a detail URL with a nonsense list filter, then the filter does not apply to a single object
    assert client.get(f"/api/v1/enterprises/{enterprises['chem'].pk}/", {"industry": "SPACE"}).status_code == 200


@pytest.mark.parametrize("suffix", ["0", "999999999999999999", "9" * 19, "9" * 40, "abc", "-1"])
def test_enterprises__unknown_or_absurd_ids_are_structured_404(client, enterprises, suffix):
    response = client.get(f"/api/v1/enterprises/{suffix}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "COMMON_NOT_FOUND"


def test_enterprises__by_uscc_normalises_and_scopes(client, enterprises):
    # given a visible enterprise's code typed in lower case with spaces
    code = enterprises["chem"].uscc
    # when it is looked up, then it is found
    assert client.get(f"/api/v1/enterprises/by-uscc/{code.lower()}/").json()["id"] == enterprises["chem"].pk
    # when a foreign enterprise's valid code is looked up, then 404 as if it did not exist
    response = client.get(f"/api/v1/enterprises/by-uscc/{enterprises['foreign'].uscc}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "COMMON_NOT_FOUND"


@pytest.mark.parametrize("bad", ["913101070000000000", "91310107MA1G", "ZZZZZZZZZZZZZZZZZZ", "%00"])
def test_sub_01__by_uscc_rejects_invalid_codes_with_the_reason(client, enterprises, bad):
    # given a code that fails GB 32100 validation, then 400 SUBJECTS_INVALID_USCC with a Chinese reason
    response = client.get(f"/api/v1/enterprises/by-uscc/{bad}/")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "SUBJECTS_INVALID_USCC"
    assert error["field"] == "uscc"
    assert "统一社会信用代码" in error["message"]


# --- licences -----------------------------------------------------------------------------


@pytest.fixture
def licences(org_tree):
    day = today()
    enterprise = EnterpriseFactory(organisation=org_tree["putuo"])
    other = EnterpriseFactory(organisation=org_tree["street"])
    return {
        "expired": LicenceFactory(enterprise=enterprise, valid_from=day - timedelta(days=1200), valid_to=day - timedelta(days=3)),
        "expiring": LicenceFactory(enterprise=enterprise, licence_type=LicenceType.HC_USE, valid_from=day - timedelta(days=900), valid_to=day + timedelta(days=90)),
        "valid": LicenceFactory(enterprise=other, licence_type=LicenceType.SAFETY_PROD, valid_from=day - timedelta(days=10), valid_to=day + timedelta(days=91)),
        "open": LicenceFactory(enterprise=other, licence_type=LicenceType.PRECURSOR_FILING, valid_from=day - timedelta(days=10), valid_to=None),
        "revoked": LicenceFactory(enterprise=other, status=LicenceStatus.REVOKED, valid_from=day - timedelta(days=10), valid_to=day + timedelta(days=900)),
        "foreign": LicenceFactory(enterprise=EnterpriseFactory(organisation=org_tree["jingan"]), valid_from=day - timedelta(days=1200), valid_to=day - timedelta(days=3)),
        "enterprise": enterprise,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "EXPIRED"}, {"expired"}),
        ({"state": "EXPIRING"}, {"expiring"}),
        ({"state": "VALID"}, {"valid", "open"}),
        ({"state": "INACTIVE"}, {"revoked"}),
        ({"type": "LIC_HC_USE"}, {"expiring"}),
        ({"type": "FILING_PRECURSOR"}, {"open"}),
    ],
)
def test_licences__state_and_type_filters(client, licences, params, expected):
    assert set(ids(client.get("/api/v1/licences/", params))) == {licences[k].pk for k in expected}


def test_licences__state_shown_matches_state_filtered(client, licences):
    # given every visible licence, then the state field equals the filter that selects it
    rows = client.get("/api/v1/licences/").json()["results"]
    by_id = {row["id"]: row["state"] for row in rows}
    for state in ("EXPIRED", "EXPIRING", "VALID", "INACTIVE"):
        for pk in ids(client.get("/api/v1/licences/", {"state": state})):
            assert by_id[pk] == state


def test_licences__enterprise_and_valid_to_range(client, licences):
    day = today()
    assert set(ids(client.get("/api/v1/licences/", {"enterprise": licences["enterprise"].pk}))) == {licences["expired"].pk, licences["expiring"].pk}
    in_range = {"valid_to_after": (day - timedelta(days=5)).isoformat(), "valid_to_before": (day + timedelta(days=90)).isoformat()}
    assert set(ids(client.get("/api/v1/licences/", in_range))) == {licences["expired"].pk, licences["expiring"].pk}


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"valid_to_after": "2026-13-45"}, "valid_to_after"),
        ({"valid_to_before": "yesterday"}, "valid_to_before"),
        ({"valid_to_after": "2026/10/01"}, "valid_to_after"),
        ({"type": "LIC_FIREWORKS"}, "type"),
        ({"state": "expired"}, "state"),
        ({"enterprise": "1.5"}, "enterprise"),
        ({"enterprise": str(2**63)}, "enterprise"),
    ],
)
def test_licences__invalid_filters_are_structured_400(client, licences, params, parameter):
    assert_invalid(client.get("/api/v1/licences/", params), parameter)


def test_licences__detail_lists_applications(client, licences):
    LicenceApplication.objects.create(licence=licences["expiring"], kind=ApplicationKind.EXTENSION, submitted_on=date(2026, 8, 1))
    body = client.get(f"/api/v1/licences/{licences['expiring'].pk}/").json()
    assert body["state"] == "EXPIRING"
    assert body["enterprise"]["uscc"] == licences["enterprise"].uscc
    assert [a["kind"] for a in body["applications"]] == ["EXTENSION"]


# --- filings, changes, obligations --------------------------------------------------------


def test_filings_changes_and_obligations__filters(client, org_tree):
    # given one Putuo enterprise with two records of each kind
    e = EnterpriseFactory(organisation=org_tree["putuo"])
    filed = EmergencyPlanFiling.objects.create(enterprise=e, plan_title="综合预案", published_on=date(2025, 1, 1), filed_on=date(2025, 1, 20))
    unfiled = EmergencyPlanFiling.objects.create(enterprise=e, plan_title="专项预案", published_on=date(2025, 6, 1))
    grade1 = MajorHazardSource.objects.create(enterprise=e, code="MHS-1", name="罐区", grade=1, identified_on=date(2024, 1, 1))
    MajorHazardSource.objects.create(enterprise=e, code="MHS-2", name="库区", grade=4, identified_on=date(2024, 1, 1))
    old = RegistrationChange.objects.create(enterprise=e, field=ChangeField.NAME, old_value="甲", new_value="乙", changed_on=date(2024, 3, 1))
    RegistrationChange.objects.create(enterprise=e, field=ChangeField.REG_ADDRESS, old_value="甲路", new_value="乙路", changed_on=date(2026, 3, 1))
    late = ReportObligation.objects.create(enterprise=e, kind=ReportKind.HIDDEN_DANGER, period="2026-Q1", due_on=date(2026, 4, 15))
    ReportObligation.objects.create(enterprise=e, kind=ReportKind.SAFETY_STATS, period="2026-Q1", due_on=date(2026, 4, 15), submitted_on=date(2026, 4, 1))
    y2024 = PrecursorAnnualReport.objects.create(enterprise=e, year=2024)
    PrecursorAnnualReport.objects.create(enterprise=e, year=2025)
    # when filtered, then each filter selects its record
    assert ids(client.get("/api/v1/plan-filings/", {"filed": "true"})) == [filed.pk]
    assert ids(client.get("/api/v1/plan-filings/", {"filed": "false"})) == [unfiled.pk]
    assert ids(client.get("/api/v1/hazard-sources/", {"grade": 1})) == [grade1.pk]
    assert ids(client.get("/api/v1/registration-changes/", {"changed_before": "2025-01-01"})) == [old.pk]
    assert ids(client.get("/api/v1/registration-changes/", {"field": "name"})) == [old.pk]
    assert ids(client.get("/api/v1/report-obligations/", {"submitted": "false"})) == [late.pk]
    assert ids(client.get("/api/v1/precursor-reports/", {"year": 2024})) == [y2024.pk]
    # and invalid values are structured 400s
    assert_invalid(client.get("/api/v1/hazard-sources/", {"grade": 7}), "grade")
    assert_invalid(client.get("/api/v1/precursor-reports/", {"year": "MMXXIV"}), "year")
    assert_invalid(client.get("/api/v1/report-obligations/", {"due_after": "2026-02-30"}), "due_after")
    assert_invalid(client.get("/api/v1/licence-applications/", {"status": "LOST"}), "status")


# --- activities (cursor pagination) -------------------------------------------------------


@pytest.fixture
def activities(org_tree):
    e = EnterpriseFactory(organisation=org_tree["putuo"])
    rows = [ActivitySignalFactory(enterprise=e, occurred_on=date(2026, 1, 1) + timedelta(days=i)) for i in range(7)]
    ActivitySignalFactory(enterprise=EnterpriseFactory(organisation=org_tree["jingan"]))
    return rows


def test_activities__cursor_pages_cover_every_visible_row_once(client, activities):
    # given a page size of 3
    seen: list[int] = []
    url = "/api/v1/activities/?page_size=3"
    # when following next links to the end
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    # then every visible row came exactly once, newest id first
    assert seen == sorted((a.pk for a in activities), reverse=True)


def test_activities__date_range_and_kind(client, activities):
    params = {"occurred_after": "2026-01-02", "occurred_before": "2026-01-04", "kind": "SALE"}
    assert set(ids(client.get("/api/v1/activities/", params))) == {a.pk for a in activities[1:4]}
    assert ids(client.get("/api/v1/activities/", {"kind": "USE"})) == []


def _cursor(**fields) -> str:
    return base64.b64encode(urlencode(fields).encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "%%%",
        _cursor(o="x"),
        _cursor(p="abc"),
        _cursor(p="1e400"),
        _cursor(p=str(10**30)),
        _cursor(r="x", p="5"),
    ],
)
def test_activities__garbage_cursor_is_structured_400(client, activities, cursor):
    assert_invalid(client.get("/api/v1/activities/", {"cursor": cursor}), "cursor")


def test_activities__hand_made_valid_cursor_works(client, activities):
    # given a cursor positioned at the fourth newest row
    position = sorted(a.pk for a in activities)[-4]
    # when used, then rows older than it come back
    assert ids(client.get("/api/v1/activities/", {"cursor": _cursor(p=str(position))})) == sorted((a.pk for a in activities if a.pk < position), reverse=True)


def test_activities__next_link_is_a_parseable_cursor(client, activities):
    body = client.get("/api/v1/activities/", {"page_size": 2}).json()
    cursor = parse_qs(urlparse(body["next"]).query)["cursor"][0]
    assert "p=" in base64.b64decode(cursor).decode()


# --- reveal (SEC-02, SEC-03) --------------------------------------------------------------


@pytest.fixture
def person_at_putuo(org_tree):
    return EnterpriseFactory(organisation=org_tree["street"]).principal


def reveal(client, person, **body):
    payload = {"field": "id_number", "purpose": "核查案件当事人身份"} | body
    return client.post(f"/api/v1/persons/{person.pk}/reveal/", payload, format="json")


def test_sec_03__reveal_returns_the_raw_value_and_logs_it(client, officer, person_at_putuo):
    # given an officer with an approved access request (REC-17) for a person of its subtree
    grant = approved_grant(officer, [person_at_putuo])
    # when it reveals the ID number with a purpose
    response = reveal(client, person_at_putuo)
    # then it gets the raw value, uncached, and the ledger records who, what and why (SEC-02)
    assert response.status_code == 200, response.content
    assert response.json() == {"person": person_at_putuo.pk, "field": "id_number", "field_label": "身份证号码", "value": person_at_putuo.id_number}
    assert response["Cache-Control"] == "no-store"
    entry = LedgerEntry.objects.get(action="personal_data.reveal")
    assert (entry.actor_id, entry.object_type, entry.object_id) == (officer.pk, "subjects.person", str(person_at_putuo.pk))
    assert {k: entry.payload[k] for k in ("field", "purpose", "access_request")} == {
        "field": "id_number",
        "purpose": "核查案件当事人身份",
        "access_request": grant.pk,
    }


def test_sec_03__reveal_of_a_contact_person_works(client, officer, org_tree):
    enterprise = EnterpriseFactory(organisation=org_tree["putuo"])
    contact = PersonFactory(phone="13600002222")
    EnterprisePerson.objects.create(enterprise=enterprise, person=contact, role=PersonRole.CONTACT)
    approved_grant(officer, [contact])
    assert reveal(client, contact, field="phone").json()["value"] == "13600002222"


def test_sec_02__reveal_without_purpose_is_refused_and_not_logged(client, person_at_putuo):
    response = reveal(client, person_at_putuo, purpose=" ")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "SUBJECTS_REVEAL_PURPOSE_REQUIRED"
    assert not LedgerEntry.objects.filter(action="personal_data.reveal").exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ENTERPRISE_CONTACT])
def test_sec_03__auditors_and_contacts_cannot_reveal(org_tree, person_at_putuo, role):
    # given a role that sees masked values only (the contact is authorised for the enterprise)
    user = UserFactory(role=role, organisation=org_tree["city"] if role == Role.AUDITOR else None)
    if role == Role.ENTERPRISE_CONTACT:
        ContactAuthorisationFactory(enterprise=_enterprise_of(person_at_putuo), user=user)
    # when it tries to reveal
    response = reveal(token_client(user), person_at_putuo)
    # then 403 with the SEC-03 reason and nothing is logged
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "SUBJECTS_REVEAL_NOT_ALLOWED"
    assert response.json()["error"]["rule"] == "SEC-03"
    assert not LedgerEntry.objects.filter(action="personal_data.reveal").exists()


def _enterprise_of(person):
    from zhifa.subjects.models import Enterprise

    return Enterprise.objects.get(principal=person)


def test_sec_03__reveal_of_a_foreign_person_is_404_and_not_logged(client, org_tree):
    foreign = EnterpriseFactory(organisation=org_tree["jingan"]).principal
    unlinked = PersonFactory()
    for person in (foreign, unlinked):
        response = reveal(client, person)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "COMMON_NOT_FOUND"
    assert not LedgerEntry.objects.filter(action="personal_data.reveal").exists()


def test_sec_03__reveal_of_an_unknown_field_is_400(client, person_at_putuo):
    assert_invalid(reveal(client, person_at_putuo, field="bank_account"), "field")


def test_sec_03__reveal_by_session_requires_csrf(officer, person_at_putuo):
    # given a browser session without the CSRF token
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(officer)
    # when it posts a reveal, then it is refused before anything is revealed or logged
    response = reveal(client, person_at_putuo)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "COMMON_PERMISSION_DENIED"
    assert not LedgerEntry.objects.filter(action="personal_data.reveal").exists()


# --- masking everywhere (SEC-03) ----------------------------------------------------------


def test_sec_03__no_serializer_leaks_an_id_number_or_mobile(org_tree):
    # given a register whose persons, users and free-text fields carry real-looking ID numbers and mobiles
    auditor = UserFactory(role=Role.AUDITOR, organisation=org_tree["city"], phone="13912345678")
    enterprise = EnterpriseFactory(organisation=org_tree["street"])
    principal = enterprise.principal
    EnterprisePerson.objects.create(enterprise=enterprise, person=principal, role=PersonRole.PRINCIPAL)
    EnterprisePerson.objects.create(enterprise=enterprise, person=PersonFactory(), role=PersonRole.CONTACT)
    licence = LicenceFactory(enterprise=enterprise, scope=f"经营品种：甲苯（联系人 {principal.phone}）")
    LicenceApplication.objects.create(licence=licence, kind=ApplicationKind.CHANGE, change_field=ChangeField.PRINCIPAL, submitted_on=date(2026, 2, 2))
    RegistrationChange.objects.create(
        enterprise=enterprise, field=ChangeField.PRINCIPAL, old_value=f"李四 {principal.id_number}", new_value="王五 13512345678", changed_on=date(2026, 1, 5)
    )
    EmergencyPlanFiling.objects.create(enterprise=enterprise, plan_title="综合应急预案", published_on=date(2025, 1, 6))
    MajorHazardSource.objects.create(enterprise=enterprise, code="MHS-X", name="罐区", grade=2, identified_on=date(2024, 5, 1))
    ReportObligation.objects.create(enterprise=enterprise, kind=ReportKind.SAFETY_STATS, period="2026-Q1", due_on=date(2026, 4, 15))
    PrecursorAnnualReport.objects.create(enterprise=enterprise, year=2025)
    ActivitySignalFactory(enterprise=enterprise)
    client = token_client(auditor)
    endpoints = [
        "enterprises",
        "licences",
        "licence-applications",
        "registration-changes",
        "plan-filings",
        "hazard-sources",
        "report-obligations",
        "precursor-reports",
        "activities",
        "organisations",
    ]
    bodies = [client.get("/api/v1/me/").content.decode(), client.get(f"/api/v1/enterprises/by-uscc/{enterprise.uscc}/").content.decode()]
    # when every list and every detail is read
    for endpoint in endpoints:
        rows = client.get(f"/api/v1/{endpoint}/", {"page_size": 200}).json()["results"]
        assert rows, endpoint
        bodies.append(json.dumps(rows, ensure_ascii=False))
        bodies += [client.get(f"/api/v1/{endpoint}/{row['id']}/").content.decode() for row in rows]
    # then no body contains an 18-digit ID number or an 11-digit mobile
    leaks = [m.group(0) for body in bodies for m in [*ID_NUMBER_RE.finditer(body), *MOBILE_RE.finditer(body)]]
    assert leaks == []
    assert any(re.search(r"\d{4}\*{12}", body) for body in bodies)  # the masked forms are there instead
