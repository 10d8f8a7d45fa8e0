"""Evidence API under /api/v1/evidence/: structured errors, per-object access, 201 after commit."""
from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhifa.access.tests.factories import approved_grant
from zhifa.evidence.models import EvidenceItem
from zhifa.ledger.models import LedgerEntry

from .samples import ALL_PASS, jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

URL = "/api/v1/evidence/"


def _client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _upload(data: bytes, name="photo.jpg", content_type="image/jpeg", **overrides):
    form = {
        "file": SimpleUploadedFile(name, data, content_type=content_type),
        "kind": "AUDIO_VISUAL",
        "title": "接口上传照片",
        "source": "OFFICER",
        "production_method": "设备抓拍",
        "produced_at": "2026-01-05T09:30:00+08:00",
        "producer": "视频监控 3 号",
        "object_proven": "未按规定佩戴防护用品",
    }
    form.update(overrides)
    return form


def test_api_upload__201_with_hash_and_ledger(users, evidence_store):
    data = jpeg_bytes(seed=21)
    response = _client(users["officer"]).post(URL, _upload(data), format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["file"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["admissibility"]["status"] == "UNREVIEWED" and body["admissibility"]["usable"] is False
    assert evidence_store.exists(body["file"]["sha256"])
    assert LedgerEntry.objects.filter(action="evidence.register", object_id=str(body["id"])).exists()


@pytest.mark.parametrize(
    ("data", "name", "content_type", "code"),
    [
        (b"<svg><script>alert(1)</script></svg>", "x.jpg", "image/jpeg", "EVIDENCE_ACTIVE_CONTENT"),
        (pdf_bytes(), "x.jpg", "image/jpeg", "EVIDENCE_FILE_TYPE_MISMATCH"),
    ],
)
def test_api_upload__bad_file_is_a_structured_400(users, evidence_store, data, name, content_type, code):
    response = _client(users["officer"]).post(URL, _upload(data, name, content_type), format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert EvidenceItem.objects.count() == 0 and list(evidence_store.iter_stored()) == []


def test_api_upload__invalid_fields_are_a_structured_400(users):
    client = _client(users["officer"])
    response = client.post(URL, _upload(jpeg_bytes(), kind="NOPE", produced_at="yesterday"), format="multipart")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "COMMON_INVALID_INPUT" and {"kind", "produced_at"} <= set(error["fields"])
    response = client.post(URL, {"title": "no file"}, format="multipart")
    assert response.status_code == 400
    response = client.post(URL, b"garbage", content_type="multipart/form-data; boundary=zzz")
    assert response.status_code == 400 and "error" in response.json()


def test_api_upload__unknown_enterprise_is_a_field_error(users):
    response = _client(users["officer"]).post(URL, _upload(jpeg_bytes(), enterprise_uscc="91310000000000000X"), format="multipart")
    assert response.status_code == 400 and response.json()["error"]["field"] == "enterprise_uscc"


def test_api_upload__auditor_is_read_only(users):
    response = _client(users["auditor"]).post(URL, _upload(jpeg_bytes()), format="multipart")
    assert response.status_code == 403 and response.json()["error"]["code"] == "COMMON_READ_ONLY_ROLE"


def test_api_anonymous__401(users):
    assert APIClient().get(URL).status_code == 401


def test_api_list_and_detail__scoped_and_logged(users, register):
    item = register(users["officer"])
    client = _client(users["officer"])
    listing = client.get(URL, {"review_status": "UNREVIEWED"}).json()
    assert [row["id"] for row in listing["results"]] == [item.pk]
    detail = client.get(f"{URL}{item.pk}/").json()
    assert detail["file"]["sha256"] == item.file.sha256
    assert [e["action"] for e in detail["custody"]] == ["CREATED", "VIEWED"]
    foreign = _client(users["foreign_reviewer"])
    assert foreign.get(URL).json()["results"] == []
    response = foreign.get(f"{URL}{item.pk}/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "COMMON_NOT_FOUND"
    assert client.get(f"{URL}99999999999999999999/").status_code == 404


def test_api_list__bad_filters_are_400(users):
    client = _client(users["officer"])
    response = client.get(URL, {"kind": "NOPE"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "COMMON_INVALID_INPUT"
    assert client.get(URL, {"page": "999"}).status_code == 400


def test_api_review__pass_then_admissible(users, register):
    item = register(users["officer"])
    payload = {name.lower(): True for name in ALL_PASS}
    response = _client(users["reviewer"]).post(f"{URL}{item.pk}/reviews/", payload, format="json")
    assert response.status_code == 201 and response.json()["result"] == "PASS"
    detail = _client(users["officer"]).get(f"{URL}{item.pk}/").json()
    assert detail["admissibility"] == {"status": "ADMISSIBLE", "usable": True, "label": "可作为定案依据", "reason": detail["admissibility"]["reason"]}


def test_api_review__independence_and_missing_criteria(users, register):
    item = register(users["reviewer"])
    payload = {name.lower(): True for name in ALL_PASS}
    response = _client(users["reviewer"]).post(f"{URL}{item.pk}/reviews/", payload, format="json")
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "EVIDENCE_REVIEWER_NOT_INDEPENDENT",
        "message": "审核人不得审核本人登记的证据（EVI-05 审核独立性）",
        "rule": "EVI-05",
    }
    response = _client(users["supervisor"]).post(f"{URL}{item.pk}/reviews/", {"true": True}, format="json")
    assert response.status_code == 400 and "lawful" in response.json()["error"]["fields"]


def test_api_correction__new_version(users, register):
    item = register(users["officer"])
    response = _client(users["officer"]).post(f"{URL}{item.pk}/corrections/", {"reason": "补充说明", "description": "补充"}, format="json")
    assert response.status_code == 201
    assert response.json()["previous_version"] == item.pk and response.json()["version_no"] == 2
    again = _client(users["officer"]).post(f"{URL}{item.pk}/corrections/", {"reason": "再改"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "EVIDENCE_ALREADY_CORRECTED"


def test_api_download__streams_with_headers(users, register):
    data = jpeg_bytes(seed=33)
    item = register(users["officer"], data=data)
    approved_grant(users["auditor"], [item])  # REC-17: downloads need an approved access request
    response = _client(users["auditor"]).get(f"{URL}{item.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Disposition"].startswith("attachment;")
