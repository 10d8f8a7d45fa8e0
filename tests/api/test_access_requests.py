"""Access matrix of the access-request API (调阅申请): role × endpoint × own/foreign object.

Given the world of conftest plus an "own" request (a 长寿路街道 officer's, for an evidence item of
the street) and a "foreign" one (a 静安 officer's, for an item of 静安), when each role calls each
endpoint on each, then: requesters see their own requests, supervisors those of their subtree,
auditors and system admins all; only a supervisor covering the requester's unit or a system admin
decides (REC-17, SEC-01); everything else is a structured 404/403, never a 500.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from zhifa.access.models import AccessDecision, AccessRequest
from zhifa.access.tests.factories import pending_request
from zhifa.accounts.choices import Role
from zhifa.accounts.tests.factories import UserFactory
from zhifa.evidence.services import evidence_register
from zhifa.evidence.tests.samples import chunked, jpeg_bytes, metadata
from zhifa.ledger.models import LedgerEntry

URL = "/api/v1/access-requests/"
# the users of conftest.World, one per role
ROLES = ["officer", "supervisor", "legal_reviewer", "device_admin", "enterprise_contact", "auditor", "system_admin"]
SEES_ALL = {"auditor", "system_admin"}
STAFF = {"officer", "supervisor", "legal_reviewer", "device_admin"}


@pytest.fixture
def access_world(world, settings, tmp_path):
    settings.ZHIFA_EVIDENCE_DIR = tmp_path / "evidence"
    street_officer = UserFactory(username="api_street_officer", role=Role.OFFICER, organisation=world.orgs["street"])
    jingan_officer = UserFactory(username="api_jingan_officer", role=Role.OFFICER, organisation=world.orgs["jingan"])
    items = {}
    for which, actor, seed in (("own", street_officer, 1), ("foreign", jingan_officer, 2)):
        items[which] = evidence_register(
            actor=actor, chunks=chunked(jpeg_bytes(seed=seed)), original_filename="p.jpg", declared_content_type="image/jpeg", **metadata()
        )
    requests = {
        "own": pending_request(street_officer, [items["own"]]),
        "foreign": pending_request(jingan_officer, [items["foreign"]]),
    }
    return {"items": items, "requests": requests, "requesters": {"own": street_officer, "foreign": jingan_officer}}


def request_visible(role: str, which: str) -> bool:
    return role in SEES_ALL or (role == "supervisor" and which == "own")


def body(**overrides):
    now = timezone.now()
    data = {
        "purpose": "核对检查记录与现场照片",
        "case_reference": "2026-普应急-007",
        "starts_at": now.isoformat(),
        "ends_at": (now + timedelta(days=2)).isoformat(),
        "items": [],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("which", ["own", "foreign"])
@pytest.mark.parametrize("role", list(ROLES))
def test_access_matrix__request_detail_and_list(world, access_world, client_for, role, which):
    # given a role and the own/foreign request
    client = client_for(world.users[role])
    target = access_world["requests"][which]
    # when it reads the request and the list
    response = client.get(f"{URL}{target.pk}/")
    listed = {row["id"] for row in client.get(URL, {"page_size": 200}).json()["results"]}
    # then it sees it exactly when its scope covers the requester's unit
    if request_visible(role, which):
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "PENDING" and response.json()["items"][0]["object_id"] == access_world["items"][which].pk
    else:
        assert response.status_code == 404 and response.json()["error"]["code"] == "COMMON_NOT_FOUND"
    assert (target.pk in listed) is request_visible(role, which)


@pytest.mark.parametrize("which", ["own", "foreign"])
@pytest.mark.parametrize("role", list(ROLES))
def test_access_matrix__decision(world, access_world, client_for, role, which):
    # given a pending request / when the role approves it
    target = access_world["requests"][which]
    response = client_for(world.users[role]).post(f"{URL}{target.pk}/decision/", {"outcome": "APPROVED"}, format="json")
    # then only a supervisor covering the requester's unit or a system admin succeeds (REC-17)
    if role == "auditor":
        expected = (403, "COMMON_READ_ONLY_ROLE")
    elif not request_visible(role, which):
        expected = (404, "COMMON_NOT_FOUND")
    else:
        expected = (201, None)
    got = (response.status_code, response.json().get("error", {}).get("code"))
    assert got == expected, response.content
    assert AccessDecision.objects.filter(request=target).exists() is (expected[0] == 201)
    if expected[0] == 201:
        assert response.json()["status"] == "APPROVED" and response.json()["decision"]["decided_by"] == world.users[role].pk


@pytest.mark.parametrize("which", ["own", "foreign"])
@pytest.mark.parametrize("role", list(ROLES))
def test_access_matrix__withdraw_is_for_the_requester_only(world, access_world, client_for, role, which):
    target = access_world["requests"][which]
    response = client_for(world.users[role]).post(f"{URL}{target.pk}/withdraw/", {}, format="json")
    expected = (403, "ACCESS_NOT_REQUESTER") if request_visible(role, which) else (404, "COMMON_NOT_FOUND")
    assert (response.status_code, response.json()["error"]["code"]) == expected
    assert not AccessDecision.objects.exists()


def test_access_requests__the_requester_reads_and_withdraws_their_own(world, access_world, client_for):
    requester = access_world["requesters"]["own"]
    target = access_world["requests"]["own"]
    client = client_for(requester)
    assert client.get(f"{URL}{target.pk}/").status_code == 200
    assert {r["id"] for r in client.get(URL, {"mine": "true"}).json()["results"]} == {target.pk}
    response = client.post(f"{URL}{target.pk}/withdraw/", {"reason": "不再需要"}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "WITHDRAWN"
    again = client.post(f"{URL}{target.pk}/withdraw/", {}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "ACCESS_ALREADY_DECIDED"


def create_expected(role: str, kind: str, which: str) -> tuple[int, str | None]:
    if role == "enterprise_contact" or (role == "auditor" and kind == "person_personal_data"):
        return 403, "ACCESS_ROLE_NOT_ALLOWED"
    if role in SEES_ALL or which == "own":
        return 201, None
    return 400, "ACCESS_OBJECT_NOT_FOUND"


@pytest.mark.parametrize("which", ["own", "foreign"])
@pytest.mark.parametrize("kind", ["evidence_item", "person_personal_data"])
@pytest.mark.parametrize("role", list(ROLES))
def test_access_matrix__create(world, access_world, client_for, role, kind, which):
    # given an evidence item or a person inside or outside the role's scope
    target = access_world["items"][which] if kind == "evidence_item" else world.own["persons"] if which == "own" else world.foreign["persons"]
    before = AccessRequest.objects.count()
    # when the role applies for it
    response = client_for(world.users[role]).post(URL, body(items=[{"object_type": kind, "object_id": target.pk}]), format="json")
    # then staff apply for what they see, auditors for evidence files, contacts for nothing (SEC-01)
    expected = create_expected(role, kind, which)
    assert (response.status_code, response.json().get("error", {}).get("code")) == expected, response.content
    assert AccessRequest.objects.count() == before + (expected[0] == 201)
    if expected[0] == 201:
        data = response.json()
        assert data["status"] == "PENDING" and data["requester"] == world.users[role].pk and data["decision"] is None
        assert LedgerEntry.objects.filter(action="access.request.create", object_id=str(data["id"])).exists()


@pytest.mark.parametrize("role", list(ROLES))
def test_access_matrix__queue(world, access_world, client_for, role):
    response = client_for(world.users[role]).get(f"{URL}queue/")
    assert response.status_code == 200
    queued = {r["id"] for r in response.json()["results"]}
    expected = set()
    if role == "supervisor":
        expected = {access_world["requests"]["own"].pk}
    elif role == "system_admin":
        expected = {access_world["requests"]["own"].pk, access_world["requests"]["foreign"].pk}
    assert queued == expected


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"purpose": "短"}, "purpose"),
        ({"case_reference": ""}, "fields"),
        ({"items": []}, "fields"),
        ({"items": [{"object_type": "cases.case", "object_id": 1}]}, "fields"),
        ({"items": [{"object_type": "evidence_item", "object_id": 2**63}]}, "fields"),
        ({"starts_at": "明天"}, "fields"),
        ({"ends_at": "2000-01-01T00:00:00+08:00"}, "ends_at"),
    ],
)
def test_access_requests__bad_input_is_a_structured_400(world, access_world, client_for, overrides, field):
    data = body(items=[{"object_type": "evidence_item", "object_id": access_world["items"]["own"].pk}])
    data.update(overrides)
    response = client_for(world.users["officer"]).post(URL, data, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error.get("field") == field or field in error
    assert AccessRequest.objects.count() == 2


def test_access_requests__anonymous_gets_401(world, access_world):
    from rest_framework.test import APIClient

    client = APIClient()
    target = access_world["requests"]["own"]
    for method, url in [("get", URL), ("post", URL), ("get", f"{URL}queue/"), ("get", f"{URL}{target.pk}/"), ("post", f"{URL}{target.pk}/decision/"), ("post", f"{URL}{target.pk}/withdraw/")]:
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 401, (method, url)
        assert response.json()["error"]["code"] == "COMMON_NOT_AUTHENTICATED"


def test_access_requests__in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in ("/api/v1/access-requests/", "/api/v1/access-requests/{id}/", "/api/v1/access-requests/{id}/decision/", "/api/v1/access-requests/{id}/withdraw/", "/api/v1/access-requests/queue/"):
        assert path in schema["paths"], path
    assert "AccessRequestStatusEnum" in schema["components"]["schemas"]
