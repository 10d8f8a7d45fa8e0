"""Evidence pages: access per object, upload/correct/review forms, download headers."""
from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhifa.access.tests.factories import approved_grant
from zhifa.evidence import services
from zhifa.evidence.choices import CustodyAction, EvidenceSource
from zhifa.evidence.models import EvidenceItem

from .samples import ALL_PASS, jpeg_bytes, png_bytes

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def _upload_form(data: bytes, name="photo.jpg", content_type="image/jpeg", **overrides):
    form = {
        "file": SimpleUploadedFile(name, data, content_type=content_type),
        "kind": "AUDIO_VISUAL",
        "title": "仓库现场照片",
        "source": "OFFICER",
        "enterprise": "",
        "production_method": "现场拍摄",
        "produced_at": "2026-01-05T09:30",
        "producer": "李执法",
        "object_proven": "仓库内超量储存",
        "is_original_carrier": "on",
        "copy_method": "",
    }
    form.update(overrides)
    return form


def test_list__shows_visible_items_and_filters(client, users, register):
    mine = register(users["officer"], seed=1, title="普陀的证据")
    _login(client, users["foreign_reviewer"])
    response = client.get(reverse("evidence:list"))
    assert response.status_code == 200 and "普陀的证据" not in response.content.decode()
    _login(client, users["officer"])
    page = client.get(reverse("evidence:list"), {"review_status": "UNREVIEWED", "kind": "AUDIO_VISUAL"}).content.decode()
    assert mine.title in page and "未审核" in page
    page = client.get(reverse("evidence:list"), {"review_status": "ADMISSIBLE"}).content.decode()
    assert mine.title not in page
    page = client.get(reverse("evidence:list"), {"enterprise": "91310000000000000X"}).content.decode()
    assert "未找到该统一社会信用代码" in page


def test_list__garbage_filters_are_not_errors(client, users):
    _login(client, users["officer"])
    response = client.get(reverse("evidence:list"), {"kind": "NOPE", "page": "abc", "review_status": "<script>"})
    assert response.status_code == 200


def test_detail__shows_metadata_hash_status_and_logs_the_view(client, users, register):
    item = register(users["officer"])
    _login(client, users["reviewer"])
    page = client.get(reverse("evidence:detail", args=[item.pk])).content.decode()
    for text in (item.file.sha256, "现场拍摄", "仓库内超量储存危险化学品", "不得作为定案依据", "保管链", "第1版"):
        assert text in page
    assert item.custody_events.filter(action=CustodyAction.VIEWED, actor=users["reviewer"]).exists()
    assert f'href="/evidence/{item.pk}/review/"' in page


def test_detail__foreign_item_is_404_and_not_logged(client, users, register):
    item = register(users["officer"])
    _login(client, users["foreign_reviewer"])
    assert client.get(reverse("evidence:detail", args=[item.pk])).status_code == 404
    assert client.get(reverse("evidence:download", args=[item.pk])).status_code == 404
    assert not item.custody_events.filter(action=CustodyAction.VIEWED).exists()


def test_detail__anonymous_is_sent_to_login(client, users, register):
    item = register(users["officer"])
    response = client.get(reverse("evidence:detail", args=[item.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_upload__officer_registers_a_photo(client, users, evidence_store):
    _login(client, users["officer"])
    data = png_bytes(seed=3)
    response = client.post(reverse("evidence:upload"), _upload_form(data, name="现场.png", content_type="image/png"))
    item = EvidenceItem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("evidence:detail", args=[item.pk])
    assert item.file.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence_store.exists(item.file.sha256)
    assert str(item.produced_at.astimezone().date()) == "2026-01-05"


@pytest.mark.parametrize(
    ("data", "name", "content_type", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "x.jpg", "image/jpeg", "可执行内容"),
        (b"%PDF-1.4 hello", "x.jpg", "image/jpeg", "不符"),
        (b"", "x.jpg", "image/jpeg", "文件"),
    ],
)
def test_upload__bad_files_get_a_chinese_error_and_nothing_is_saved(client, users, evidence_store, data, name, content_type, message):
    _login(client, users["officer"])
    response = client.post(reverse("evidence:upload"), _upload_form(data, name=name, content_type=content_type))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert EvidenceItem.objects.count() == 0 and list(evidence_store.iter_stored()) == []


def test_upload__missing_metadata_is_a_form_error(client, users):
    _login(client, users["officer"])
    response = client.post(reverse("evidence:upload"), _upload_form(jpeg_bytes(), producer="", object_proven=""))
    assert response.status_code == 400 and EvidenceItem.objects.count() == 0


def test_upload__auditor_gets_no_form(client, users):
    _login(client, users["auditor"])
    assert client.get(reverse("evidence:upload")).status_code == 404


def test_upload__enterprise_contact_for_own_enterprise(client, users):
    _login(client, users["contact"])
    page = client.get(reverse("evidence:upload")).content.decode()
    assert users["enterprise"].name in page
    response = client.post(
        reverse("evidence:upload"), _upload_form(jpeg_bytes(), source="ENTERPRISE_UPLOAD", enterprise=users["enterprise"].uscc)
    )
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert item.source == EvidenceSource.ENTERPRISE_UPLOAD and item.enterprise == users["enterprise"]


def test_review__form_submits_and_detail_shows_admissible(client, users, register):
    item = register(users["officer"])
    _login(client, users["reviewer"])
    form = {f"{c}_result": "PASS" for c in ("true", "clear", "complete", "accurate", "lawful")}
    response = client.post(reverse("evidence:review", args=[item.pk]), {**form, "opinion": "符合"})
    assert response.status_code == 302
    page = client.get(reverse("evidence:detail", args=[item.pk])).content.decode()
    assert "可作为定案依据" in page


def test_evi_06__review_form_failed_criterion_without_reason_is_an_error(client, users, register):
    item = register(users["officer"])
    _login(client, users["reviewer"])
    form = {f"{c}_result": "PASS" for c in ("true", "clear", "complete", "accurate", "lawful")}
    form["clear_result"] = "FAIL"
    response = client.post(reverse("evidence:review", args=[item.pk]), form)
    assert response.status_code == 400 and "理由" in response.content.decode()
    assert item.reviews.count() == 0


def test_evi_05__uploader_sees_no_review_button_and_is_refused(client, users, register):
    item = register(users["supervisor"])
    _login(client, users["supervisor"])
    page = client.get(reverse("evidence:detail", args=[item.pk])).content.decode()
    assert f"/evidence/{item.pk}/review/" not in page
    form = {f"{c}_result": "PASS" for c in ("true", "clear", "complete", "accurate", "lawful")}
    response = client.post(reverse("evidence:review", args=[item.pk]), form)
    assert response.status_code == 403 and "EVI-05" in response.content.decode()


def test_correct__creates_version_two(client, users, register):
    item = register(users["officer"])
    _login(client, users["officer"])
    assert client.get(reverse("evidence:correct", args=[item.pk])).status_code == 200
    form = _upload_form(b"", title="更正后的标题", reason="标题有误")
    form.pop("file")
    form.pop("source")
    form.pop("enterprise")
    response = client.post(reverse("evidence:correct", args=[item.pk]), form)
    new = EvidenceItem.objects.get(previous_version=item)
    assert response.status_code == 302 and new.title == "更正后的标题" and new.version_no == 2
    page = client.get(reverse("evidence:detail", args=[item.pk])).content.decode()
    assert "本版本已被更正" in page


def test_link__form_on_detail(client, users, register):
    item = register(users["officer"])
    _login(client, users["officer"])
    response = client.post(reverse("evidence:link", args=[item.pk]), {"object_type": "cases.case", "object_id": "2026-001"})
    assert response.status_code == 302 and item.links.get().object_id == "2026-001"
    response = client.post(reverse("evidence:link", args=[item.pk]), {"object_type": "cases.case", "object_id": "2026-001"})
    assert response.status_code == 409 and "已关联" in response.content.decode()


def test_download__attachment_nosniff_sniffed_type_and_logged(client, users, register):
    data = jpeg_bytes(seed=7)
    item = register(users["officer"], data=data, filename="<script>.jpg")
    approved_grant(users["reviewer"], [item])  # REC-17: downloads need an approved access request
    _login(client, users["reviewer"])
    response = client.get(reverse("evidence:download", args=[item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'attachment; filename="evidence-{item.pk}-v1.jpg"'
    assert "sandbox" in response["Content-Security-Policy"]
    assert item.custody_events.filter(action=CustodyAction.DOWNLOADED, actor=users["reviewer"]).exists()


def test_download__missing_file_is_a_clear_page(client, users, register, evidence_store):
    item = register(users["officer"])
    evidence_store.path_for(item.file.sha256).unlink()
    _login(client, users["officer"])
    response = client.get(reverse("evidence:download", args=[item.pk]))
    assert response.status_code == 410 and "证据文件缺失" in response.content.decode()


def test_review_page__contact_may_not_review(client, users, register):
    item = register(users["contact"], source=EvidenceSource.ENTERPRISE_UPLOAD, enterprise=users["enterprise"])
    _login(client, users["contact"])
    page = client.get(reverse("evidence:review", args=[item.pk])).content.decode()
    assert "您不能审核此证据" in page
    services.evidence_review(actor=users["reviewer"], item=item, criteria=ALL_PASS)
    assert "可作为定案依据" in client.get(reverse("evidence:detail", args=[item.pk])).content.decode()


def test_bad_input__garbage_multipart_body_is_a_400_not_a_500(client, users):
    _login(client, users["officer"])
    response = client.generic(
        "POST", reverse("evidence:upload"), b"--zzz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n\xff\xd8",
        content_type="multipart/form-data; boundary=zzz",
    )
    assert response.status_code == 400
    assert EvidenceItem.objects.count() == 0


def test_bad_input__huge_ids_and_control_characters(client, users, register):
    item = register(users["officer"])
    _login(client, users["officer"])
    assert client.get("/evidence/99999999999999999999/").status_code == 404
    response = client.get(reverse("evidence:detail", args=[item.pk]), {"purpose": "抽查\x00\x07"})
    assert response.status_code == 200
    assert item.custody_events.filter(action=CustodyAction.VIEWED).get().purpose == "抽查"
