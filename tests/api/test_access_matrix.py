"""Access matrix of the REST API: role × endpoint × own/foreign object → expected status.

Given the world of conftest (own objects under 普陀区/长寿路街道, foreign objects in 静安区, the
enterprise contact authorised for the own enterprise), when each role reads each endpoint's own
and foreign object, then staff see their subtree, the contact only its enterprise, auditors and
system admins everything; anything out of scope is a structured 404 and never appears in lists.
"""
from __future__ import annotations

import pytest

from zhifa.access.tests.factories import approved_grant

REGISTER_ENDPOINTS = [
    "enterprises",
    "licences",
    "licence-applications",
    "registration-changes",
    "plan-filings",
    "hazard-sources",
    "report-obligations",
    "precursor-reports",
    "activities",
]
LISTED_ENDPOINTS = [*REGISTER_ENDPOINTS, "organisations"]
DETAIL_ENDPOINTS = [*LISTED_ENDPOINTS, "enterprises/by-uscc", "persons/reveal"]

# role → what it sees (the users are built in conftest.World, one per role)
SCOPE = {
    "officer": "subtree",
    "supervisor": "subtree",
    "legal_reviewer": "subtree",
    "device_admin": "subtree",
    "enterprise_contact": "contact",
    "auditor": "all",
    "system_admin": "all",
}
REVEAL_ROLES = {"officer", "supervisor", "legal_reviewer", "device_admin", "system_admin"}


def visible(role: str, endpoint: str, which: str) -> bool:
    scope = SCOPE[role]
    if scope == "all":
        return True
    if endpoint == "organisations":
        # Enterprise contacts belong to no bureau organisation and see no part of the tree.
        return scope == "subtree" and which == "own"
    return which == "own"


def expected_status(role: str, endpoint: str, which: str) -> int:
    if not visible(role, endpoint, which):
        return 404
    if endpoint == "persons/reveal" and role not in REVEAL_ROLES:
        return 403  # SEC-03: auditors and enterprise contacts see masked values only
    return 200


def request_detail(client, endpoint: str, objects: dict):
    if endpoint == "enterprises/by-uscc":
        return client.get(f"/api/v1/enterprises/by-uscc/{objects['enterprises'].uscc}/")
    if endpoint == "persons/reveal":
        return client.post(f"/api/v1/persons/{objects['persons'].pk}/reveal/", {"field": "phone", "purpose": "核查案件当事人"}, format="json")
    return client.get(f"/api/v1/{endpoint}/{objects[endpoint].pk}/")


def listed_ids(client, endpoint: str) -> set[int]:
    response = client.get(f"/api/v1/{endpoint}/", {"page_size": 200})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("which", ["own", "foreign"])
@pytest.mark.parametrize("endpoint", DETAIL_ENDPOINTS)
@pytest.mark.parametrize("role", list(SCOPE))
def test_access_matrix__detail_and_list(world, client_for, role, endpoint, which):
    # given
    client = client_for(world.users[role])
    objects = world.own if which == "own" else world.foreign
    if endpoint == "persons/reveal" and expected_status(role, endpoint, which) == 200:
        # REC-17: a reveal needs an approved access request; without one it is a structured 403
        refused = request_detail(client, endpoint, objects)
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "ACCESS_NOT_GRANTED")
        approved_grant(world.users[role], [objects["persons"]])
    # when
    response = request_detail(client, endpoint, objects)
    # then
    expected = expected_status(role, endpoint, which)
    assert response.status_code == expected, response.content
    if expected == 404:
        assert response.json()["error"]["code"] == "COMMON_NOT_FOUND"
    if expected == 403:
        assert response.json()["error"]["code"] == "SUBJECTS_REVEAL_NOT_ALLOWED"
    if endpoint in LISTED_ENDPOINTS:
        assert (objects[endpoint].pk in listed_ids(client, endpoint)) is visible(role, endpoint, which)


@pytest.mark.parametrize("role", list(SCOPE))
def test_access_matrix__writes_are_refused(world, client_for, role):
    # given any role and any read endpoint
    client = client_for(world.users[role])
    failures = []
    for endpoint in LISTED_ENDPOINTS:
        detail = f"/api/v1/{endpoint}/{world.own[endpoint].pk}/"
        attempts = [("post", f"/api/v1/{endpoint}/"), ("put", detail), ("patch", detail), ("delete", detail)]
        for method, url in attempts:
            # when it tries to write
            response = getattr(client, method)(url, {"name": "改名"}, format="json")
            # then auditors are refused as read-only, everybody else learns the method does not exist
            expected = (403, "COMMON_READ_ONLY_ROLE") if role == "auditor" else (405, "COMMON_INVALID_INPUT")
            got = (response.status_code, response.json().get("error", {}).get("code"))
            if got != expected:
                failures.append((method, url, got))
    assert failures == []
    # and nothing changed
    world.own["enterprises"].refresh_from_db()
    assert world.own["enterprises"].name == "上海长寿化工有限公司"


def test_access_matrix__anonymous_gets_401_everywhere(world):
    # given no credentials
    from rest_framework.test import APIClient

    client = APIClient()
    urls = [f"/api/v1/{e}/" for e in LISTED_ENDPOINTS] + [f"/api/v1/{e}/{world.own[e].pk}/" for e in LISTED_ENDPOINTS] + ["/api/v1/me/"]
    for url in urls:
        # when
        response = client.get(url)
        # then
        assert response.status_code == 401, url
        assert response.json()["error"]["code"] == "COMMON_NOT_AUTHENTICATED"
        assert response["WWW-Authenticate"] == "Token"
    response = client.post(f"/api/v1/persons/{world.own['persons'].pk}/reveal/", {"field": "phone", "purpose": "核查"}, format="json")
    assert response.status_code == 401
