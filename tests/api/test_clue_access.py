"""Access matrix of the clue API and pages: role × endpoint × own/foreign object → expected status.

Given the world of conftest (own objects under 普陀区/长寿路街道, foreign ones in 静安区, the
enterprise contact authorised for the own enterprise) plus one clue with a reminder, one trigger
and one complaint on each side: staff see their subtree, auditors and system admins everything,
the contact only the reminders of its enterprise (never clue internals); officers and
supervisors act on their own clues only; anything out of scope is a structured 404.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from zhifa.clues.choices import ClueStatus, TriggerKind
from zhifa.clues.models import Complaint
from zhifa.clues.tests.factories import ClueFactory, ReminderFactory, TriggerFactory

ROLES = ["officer", "supervisor", "legal_reviewer", "device_admin", "enterprise_contact", "auditor", "system_admin"]
SUBTREE = {"officer", "supervisor", "legal_reviewer", "device_admin"}
ALL = {"auditor", "system_admin"}
HANDLERS = {"officer", "supervisor"}


@pytest.fixture
def cw(world):
    """The API world plus clue objects on both sides."""
    for side, objects in (("own", world.own), ("foreign", world.foreign)):
        enterprise = objects["enterprises"]
        clue = ClueFactory(enterprise=enterprise, status=ClueStatus.REMINDED, title=f"{side} 线索")
        objects["clues"] = clue
        objects["reminders"] = ReminderFactory(clue=clue, sent_by=world.users["officer"])
        objects["triggers"] = TriggerFactory(enterprise=enterprise)
        complaint_trigger = TriggerFactory(enterprise=enterprise, kind=TriggerKind.COMPLAINT)
        objects["complaints"] = Complaint.objects.create(trigger=complaint_trigger, content=f"{side} 举报内容")
    return world


def visible(role: str, endpoint: str, which: str) -> bool:
    if role in ALL:
        return True
    if role == "enterprise_contact":
        return endpoint == "reminders" and which == "own"
    return which == "own"


@pytest.mark.parametrize("which", ["own", "foreign"])
@pytest.mark.parametrize("endpoint", ["clues", "reminders", "triggers", "complaints"])
@pytest.mark.parametrize("role", ROLES)
def test_clue_access_matrix__read(cw, client_for, role, endpoint, which):
    # given a role and an own/foreign object
    client = client_for(cw.users[role])
    obj = (cw.own if which == "own" else cw.foreign)[endpoint]
    # when it reads the detail and the list
    response = client.get(f"/api/v1/{endpoint}/{obj.pk}/")
    listed = client.get(f"/api/v1/{endpoint}/", {"page_size": 200})
    # then the object is visible exactly per scope; otherwise a structured 404 and absent from the list
    expected = 200 if visible(role, endpoint, which) else 404
    assert response.status_code == expected, response.content
    if expected == 404:
        assert response.json()["error"]["code"] == "COMMON_NOT_FOUND"
    assert listed.status_code == 200
    assert (obj.pk in {row["id"] for row in listed.json()["results"]}) is visible(role, endpoint, which)


def expected_dismiss(role: str, which: str) -> tuple[int, str]:
    if role == "auditor":
        return 403, "COMMON_READ_ONLY_ROLE"
    if not (role in ALL or (role in SUBTREE and which == "own")):
        return 404, "COMMON_NOT_FOUND"
    if role in HANDLERS:
        return 200, ""
    return 403, "CLUE_PERMISSION_DENIED"


@pytest.mark.parametrize("which", ["own", "foreign"])
@pytest.mark.parametrize("role", ROLES)
def test_clue_access_matrix__act_on_a_clue(cw, client_for, role, which):
    # given a role and an own/foreign clue
    clue = (cw.own if which == "own" else cw.foreign)["clues"]
    # when it tries to dismiss it
    response = client_for(cw.users[role]).post(f"/api/v1/clues/{clue.pk}/dismiss/", {"reason": "经核实数据错误，予以排除"}, format="json")
    # then only officers and supervisors of the subtree succeed
    status, code = expected_dismiss(role, which)
    assert response.status_code == status, response.content
    if code:
        assert response.json()["error"]["code"] == code
    clue.refresh_from_db()
    assert clue.is_open is (status != 200)


@pytest.mark.parametrize("which", ["own", "foreign"])
@pytest.mark.parametrize("role", ROLES)
def test_clue_access_matrix__answer_a_reminder(cw, client_for, role, which):
    reminder = (cw.own if which == "own" else cw.foreign)["reminders"]
    response = client_for(cw.users[role]).post(f"/api/v1/reminders/{reminder.pk}/answers/", {"text": "已按要求整改完毕"}, format="multipart")
    if role == "auditor":
        expected = 403
    elif role == "enterprise_contact" and which == "own":
        expected = 201
    else:
        expected = 404  # only the authorised contact answers; to everybody else it is not found
    assert response.status_code == expected, response.content
    assert reminder.answers.exists() is (expected == 201)


@pytest.mark.parametrize("which", ["own", "foreign"])
@pytest.mark.parametrize("role", ROLES)
def test_clue_access_matrix__post_a_trigger(cw, client_for, role, which):
    enterprise = (cw.own if which == "own" else cw.foreign)["enterprises"]
    body = {"kind": "RISK_ALARM", "source": "matrix", "external_ref": f"{role}-{which}", "uscc": enterprise.uscc,
            "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(), "summary": "可燃气体浓度报警"}
    response = client_for(cw.users[role]).post("/api/v1/triggers/", body, format="json")
    if role == "auditor":
        expected, code = 403, "COMMON_READ_ONLY_ROLE"
    elif role == "enterprise_contact":
        expected, code = 403, "CLUE_PERMISSION_DENIED"
    elif role in ALL or which == "own":
        expected, code = 201, ""
    else:
        expected, code = 403, "CLUE_SUBJECT_OUT_OF_SCOPE"
    assert response.status_code == expected, response.content
    if code:
        assert response.json()["error"]["code"] == code


@pytest.mark.parametrize(
    ("role", "own", "foreign"),
    [("officer", 200, 404), ("auditor", 200, 200), ("enterprise_contact", 404, 404), ("device_admin", 200, 404)],
)
def test_clue_access_matrix__pages(cw, role, own, foreign):
    client = Client()
    client.force_login(cw.users[role])
    assert client.get(f"/clues/{cw.own['clues'].pk}/").status_code == own
    assert client.get(f"/clues/{cw.foreign['clues'].pk}/").status_code == foreign
    assert client.get(f"/clues/complaints/{cw.foreign['complaints'].pk}/").status_code == foreign


def test_clue_access_matrix__anonymous(cw):
    from rest_framework.test import APIClient

    client = APIClient()
    for url in ["/api/v1/clues/", f"/api/v1/clues/{cw.own['clues'].pk}/", "/api/v1/reminders/", "/api/v1/triggers/", "/api/v1/complaints/", "/api/v1/clues/statistics/"]:
        response = client.get(url)
        assert response.status_code == 401 and response.json()["error"]["code"] == "COMMON_NOT_AUTHENTICATED", url
    assert Client().get("/clues/").status_code == 302
