"""REST API of the clue triage: the documented alarm endpoint, actions as POSTs, structured errors."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhifa.clues.choices import CloseReason, ClueStatus, ReminderStatus
from zhifa.clues.models import Clue, DataQualityFinding, Trigger
from zhifa.common.ids import make_uscc

from .factories import ClueFactory, pdf_upload


def api(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def alarm(w, **overrides) -> dict:
    body = {
        "kind": "RISK_ALARM",
        "source": "iot-platform",
        "external_ref": "ALM-20261120-0001",
        "uscc": w["enterprise"].uscc,
        "occurred_at": (timezone.now() - timedelta(hours=2)).isoformat(),
        "summary": "1号储罐区可燃气体浓度 35%LEL，超过二级报警值",
        "payload": {"device": "GT-101", "value": 35, "unit": "%LEL", "level": 2},
    }
    body.update(overrides)
    return body


def test_clu_t01__alarm_api_new_then_duplicate(w):
    client = api(w["device_admin"])
    # when a monitoring platform posts an alarm
    first = client.post("/api/v1/triggers/", alarm(w), format="json")
    # then it is accepted (201) with the trigger and the clue it opened
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["created"] is True and body["clue"] == Clue.objects.get().pk
    assert body["trigger"]["external_ref"] == "ALM-20261120-0001"
    # when the same alarm is posted again, then 200 with the first trigger, nothing new
    again = client.post("/api/v1/triggers/", alarm(w, summary="重复推送"), format="json")
    assert again.status_code == 200 and again.json()["created"] is False and again.json()["trigger"]["id"] == body["trigger"]["id"]
    assert Trigger.objects.count() == 1 and Clue.objects.count() == 1


def test_clu_t01__alarm_api_unknown_subject_is_422_with_finding(w):
    response = api(w["device_admin"]).post("/api/v1/triggers/", alarm(w, uscc=make_uscc("310107", 777_777)), format="json")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "CLUE_UNKNOWN_SUBJECT" and error["field"] == "uscc" and "未生成线索" in error["message"]
    assert DataQualityFinding.objects.filter(pk=error["details"]["finding"]).exists() and not Clue.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"uscc": "123"}, "uscc"), ({"occurred_at": "2099-01-01T00:00:00+08:00"}, "occurred_at"), ({"summary": "\x00\x00"}, "summary")],
)
def test_clu_t01__bad_alarms_are_structured_400(w, overrides, field):
    response = api(w["device_admin"]).post("/api/v1/triggers/", alarm(w, **overrides), format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error.get("field") == field or field in error.get("fields", {})


def test_clu_t01__payload_with_nul_is_stored_safely(w):
    response = api(w["device_admin"]).post("/api/v1/triggers/", alarm(w, payload={"note\x00": "a\x00b", "nested": [{"x": 1}]}), format="json")
    assert response.status_code == 201
    assert Trigger.objects.get().payload == {"note\ufffd": "a\ufffdb", "nested": [{"x": 1}]}


def test_clu_t01__session_auth_and_auditor_refused(w):
    session = APIClient()
    session.force_login(w["officer"])
    assert session.post("/api/v1/triggers/", alarm(w), format="json").status_code == 201  # a signed-in officer (session) may post too
    response = api(w["auditor"]).post("/api/v1/triggers/", alarm(w), format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "COMMON_READ_ONLY_ROLE"
    assert APIClient().post("/api/v1/triggers/", alarm(w), format="json").status_code == 401


def test_clu_l04__reminder_answer_verify_over_the_api(w):
    clue = ClueFactory(enterprise=w["enterprise"])
    officer = api(w["officer"])
    reminder = officer.post(f"/api/v1/clues/{clue.pk}/remind/", {}, format="json")
    assert reminder.status_code == 201, reminder.content
    rid = reminder.json()["id"]
    # the contact sees and answers it (multipart with a file)
    contact = api(w["contact"])
    assert [r["id"] for r in contact.get("/api/v1/reminders/").json()["results"]] == [rid]
    assert contact.get(f"/api/v1/clues/{clue.pk}/").status_code == 404  # no clue internals for contacts
    answer = contact.post(f"/api/v1/reminders/{rid}/answers/", {"text": "已换发许可证", "files": [pdf_upload()]}, format="multipart")
    assert answer.status_code == 201, answer.content
    assert answer.json()["evidence"][0]["source"] == "ENTERPRISE_UPLOAD"
    # another enterprise's contact cannot answer it
    assert api(w["other_contact"]).post(f"/api/v1/reminders/{rid}/answers/", {"text": "已整改"}, format="multipart").status_code == 404
    # the officer verifies
    verified = officer.post(f"/api/v1/reminders/{rid}/verify/", {"corrected": True, "education": "已讲解许可证延续规定"}, format="json")
    assert verified.status_code == 200 and verified.json()["status"] == ReminderStatus.CORRECTED
    detail = officer.get(f"/api/v1/clues/{clue.pk}/").json()
    assert detail["status"] == ClueStatus.CLOSED and detail["close_reason"] == CloseReason.CORRECTED
    assert [e["kind"] for e in detail["events"]][-1] == "CLOSED"


def test_clu_x02__major_hazard_and_transfer_over_the_api(w):
    clue = ClueFactory(enterprise=w["enterprise"])
    officer = api(w["officer"])
    marked = officer.post(f"/api/v1/clues/{clue.pk}/major-hazard/", {}, format="json")
    assert marked.status_code == 200 and marked.json()["transfer_due_on"] and marked.json()["suggestion"]["rule"] == "CLU-X02"
    # without facts: a structured 400, nothing written
    refused = officer.post(f"/api/v1/clues/{clue.pk}/transfer/", {"facts_summary": ""}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "CLUE_FACTS_REQUIRED"
    missing = officer.post(f"/api/v1/clues/{clue.pk}/transfer/", {"facts_summary": "重大事故隐患，需立案查处", "evidence_ids": [999999]}, format="json")
    assert missing.status_code == 404
    sent = officer.post(f"/api/v1/clues/{clue.pk}/transfer/", {"facts_summary": "重大事故隐患，需立案查处"}, format="json")
    assert sent.status_code == 201 and sent.json()["late"] is False and sent.json()["due_on"] == marked.json()["transfer_due_on"]
    again = officer.post(f"/api/v1/clues/{clue.pk}/transfer/", {"facts_summary": "重大事故隐患，需立案查处"}, format="json")
    assert again.status_code == 409


def test_clu_t03__complaint_close_without_report_is_409(w):
    officer = api(w["officer"])
    created = officer.post("/api/v1/complaints/", {"content": "举报夜间违规装卸危险化学品", "uscc": w["enterprise"].uscc, "complainant_phone": "13912345678"}, format="json")
    assert created.status_code == 201 and created.json()["complainant_phone"] == "139****5678"
    cid = created.json()["id"]
    closed = officer.post(f"/api/v1/complaints/{cid}/close/", {}, format="json")
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "CLUE_COMPLAINT_NOT_CLOSABLE"
    officer.post(f"/api/v1/complaints/{cid}/verify/", {"report": "经核查举报属实，需整改装卸作业", "substantiated": True, "needs_rectification": True}, format="json")
    assert officer.post(f"/api/v1/complaints/{cid}/signoff/", {}, format="json").status_code == 403
    assert api(w["supervisor"]).post(f"/api/v1/complaints/{cid}/signoff/", {}, format="json").status_code == 200
    assert officer.post(f"/api/v1/complaints/{cid}/close/", {}, format="json").json()["closed_at"]


def test_clu_x02__statistics_and_list_filters(w):
    ClueFactory(enterprise=w["enterprise"])
    client = api(w["officer"])
    assert client.get("/api/v1/clues/statistics/").json()["per_scenario"][0]["rule_id"] == "CLU-S07"
    assert client.get("/api/v1/clues/", {"status": "OPEN"}).json()["count"] == 1
    assert client.get("/api/v1/clues/", {"status": "NOPE"}).status_code == 400
    assert client.get("/api/v1/clues/", {"organisation": 99999}).status_code == 400
    assert client.get("/api/v1/clues/999999999999999999/").status_code == 404


def test_schema_lists_the_clue_endpoints(w):
    schema = api(w["officer"]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/v1/triggers/", "/api/v1/clues/{id}/transfer/", "/api/v1/reminders/{id}/answers/", "/api/v1/complaints/{id}/close/"):
        assert path in schema["paths"], path
