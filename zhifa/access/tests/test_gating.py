"""The gate at work where protected data is opened: evidence downloads (page and API) and the
reveal of unmasked personal data (page and API). REC-17: approved and in the window, or refused
with a clear Chinese page / a structured 403; SEC-02: every view and every refusal is ledgered."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhifa.access.tests.factories import approved_grant, pending_request
from zhifa.evidence.choices import CustodyAction, EvidenceSource
from zhifa.evidence.tests.samples import jpeg_bytes
from zhifa.ledger.models import LedgerEntry

from .conftest import register_item

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _download_url(item) -> str:
    return reverse("evidence:download", args=[item.pk])


# --- evidence downloads -----------------------------------------------------------------------------


def test_rec_17__download_page_without_approval_is_a_chinese_403_with_a_way_to_apply(client, world):
    # given an officer of the district without any request
    item = world.items["own"]
    client.force_login(world.users["officer"])
    # when it downloads the file
    response = client.get(_download_url(item))
    # then it gets the refusal page, no bytes, and an "申请调阅" link pre-filled with the item
    assert response.status_code == 403
    page = response.content.decode()
    assert "未获调阅批准" in page and "ACCESS_NOT_GRANTED" in page and "申请调阅" in page
    assert f"/access/new/?object_type=evidence_item&amp;object_id={item.pk}" in page
    assert response["Content-Type"].startswith("text/html")
    # and the refusal is ledgered, while no download was recorded
    assert LedgerEntry.objects.filter(action="access.refused", object_id=str(item.pk)).count() == 1
    assert not item.custody_events.filter(action=CustodyAction.DOWNLOADED).exists()
    assert not LedgerEntry.objects.filter(action="evidence.download").exists()


def test_sec_02__an_approved_download_logs_who_what_when_purpose_and_the_request(client, world):
    # given an approved request of the officer for the item
    item = world.items["own"]
    grant = approved_grant(world.users["officer"], [item], approver=world.users["supervisor"], purpose="核对现场照片与笔录是否一致")
    client.force_login(world.users["officer"])
    # when it downloads the file (no ?purpose= given)
    response = client.get(_download_url(item))
    # then it gets the bytes
    assert response.status_code == 200 and b"".join(response.streaming_content) == jpeg_bytes(seed=1)
    # and the ledger entry names the request, its purpose, case reference and approver
    entry = LedgerEntry.objects.get(action="evidence.download")
    assert entry.actor_id == world.users["officer"].pk and entry.object_id == str(item.pk)
    assert entry.payload["access_request"] == grant.pk and entry.payload["purpose"] == "核对现场照片与笔录是否一致"
    assert entry.payload["case_reference"] == grant.case_reference and entry.payload["access_approved_by"] == world.users["supervisor"].pk
    assert entry.payload["sha256"] == item.file.sha256
    # and the custody trail shows the download with the request's purpose
    assert item.custody_events.filter(action=CustodyAction.DOWNLOADED, actor=world.users["officer"], purpose="核对现场照片与笔录是否一致").exists()


def test_rec_17__after_the_window_the_download_page_says_so(client, world, clock):
    item = world.items["own"]
    approved_grant(world.users["officer"], [item], ends_at=clock.current + timedelta(hours=1))
    client.force_login(world.users["officer"])
    assert client.get(_download_url(item)).status_code == 200
    # when the clock passes the end of the window
    clock.advance(timedelta(hours=1, seconds=1))
    response = client.get(_download_url(item))
    # then the page says the approval has expired
    assert response.status_code == 403
    page = response.content.decode()
    assert "不在调阅批准期限内" in page and "ACCESS_OUTSIDE_WINDOW" in page and "到期" in page
    assert LedgerEntry.objects.filter(action="evidence.download").count() == 1
    assert LedgerEntry.objects.get(action="access.refused").payload["reason"] == "WINDOW_ENDED"


def test_rec_17__a_foreign_item_stays_a_404_and_is_not_logged_as_a_refusal(client, world):
    client.force_login(world.users["officer"])
    assert client.get(_download_url(world.items["foreign"])).status_code == 404
    assert not LedgerEntry.objects.filter(action="access.refused").exists()


def test_sec_05__the_uploader_downloads_their_own_upload_and_the_exemption_is_logged(client, world):
    client.force_login(world.users["uploader"])
    response = client.get(_download_url(world.items["own"]))
    assert response.status_code == 200
    assert LedgerEntry.objects.get(action="evidence.download").payload["access_exemption"] == "UPLOADER"


def test_sec_05__an_enterprise_contact_opens_its_own_upload(client, world):
    # given an enterprise contact's own upload (contacts cannot apply for access at all)
    item = register_item(world.users["contact"], seed=9, source=EvidenceSource.ENTERPRISE_UPLOAD, enterprise=world.enterprises["own"])
    client.force_login(world.users["contact"])
    # when it downloads it / then the uploader exemption lets it, and it is logged as such
    assert client.get(_download_url(item)).status_code == 200
    assert LedgerEntry.objects.get(action="evidence.download").payload["access_exemption"] == "UPLOADER"
    # and a staff member of the district still needs a request for the same file
    client.force_login(world.users["officer"])
    assert client.get(_download_url(item)).status_code == 403


def test_rec_17__api_download_without_approval_is_a_structured_403(world):
    item = world.items["own"]
    pending_request(world.users["auditor"], [item])
    response = _api(world.users["auditor"]).get(f"/api/v1/evidence/{item.pk}/download/")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "ACCESS_NOT_GRANTED" and error["rule"] == "REC-17" and error["details"]["reason"] == "NOT_APPROVED"
    assert LedgerEntry.objects.filter(action="access.refused").count() == 1


def test_rec_17__api_download_with_approval_streams_and_after_the_window_is_refused(world, clock):
    item = world.items["foreign"]
    grant = approved_grant(world.users["auditor"], [item], ends_at=clock.current + timedelta(minutes=30))
    client = _api(world.users["auditor"])
    response = client.get(f"/api/v1/evidence/{item.pk}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == jpeg_bytes(seed=2)
    assert LedgerEntry.objects.get(action="evidence.download").payload["access_request"] == grant.pk
    clock.advance(timedelta(minutes=30))
    response = client.get(f"/api/v1/evidence/{item.pk}/download/")
    assert response.status_code == 403 and response.json()["error"]["code"] == "ACCESS_OUTSIDE_WINDOW"


def test_rec_17__evidence_detail_offers_the_request_link_metadata_stays_open(client, world):
    # given no request / when the officer opens the item's page (metadata, not bytes)
    client.force_login(world.users["officer"])
    response = client.get(reverse("evidence:detail", args=[world.items["own"].pk]))
    # then the page opens and offers 申请调阅
    assert response.status_code == 200
    assert f"/access/new/?object_type=evidence_item&amp;object_id={world.items['own'].pk}" in response.content.decode()


# --- personal-data reveal -----------------------------------------------------------------------------


def _reveal(client, world, which="own", field="phone"):
    enterprise, person = world.enterprises[which], world.persons[which]
    return client.post(reverse("subjects:person_reveal", args=[enterprise.pk, person.pk]), {"field": field, "purpose": "联系当事人核实情况"})


def test_rec_17__reveal_page_without_approval_is_refused_and_logged(client, world):
    client.force_login(world.users["officer"])
    response = _reveal(client, world)
    assert response.status_code == 403
    page = response.content.decode()
    assert "未获调阅批准" in page and "13812345678" not in page
    assert f"object_type=person_personal_data&amp;object_id={world.persons['own'].pk}" in page
    assert not LedgerEntry.objects.filter(action="personal_data.reveal").exists()
    assert LedgerEntry.objects.get(action="access.refused").object_type == "subjects.person"


def test_sec_02__an_approved_reveal_shows_the_value_and_logs_the_request(client, world):
    grant = approved_grant(world.users["officer"], [world.persons["own"]])
    client.force_login(world.users["officer"])
    response = _reveal(client, world)
    assert response.status_code == 200 and "13812345678" in response.content.decode()
    entry = LedgerEntry.objects.get(action="personal_data.reveal")
    assert entry.payload["access_request"] == grant.pk and entry.payload["purpose"] == "联系当事人核实情况"
    assert entry.payload["access_purpose"] == grant.purpose


def test_rec_17__reveal_role_rules_come_before_the_gate(client, world):
    # given an auditor (never reveals, SEC-03) / when it posts a reveal
    client.force_login(world.users["auditor"])
    response = _reveal(client, world)
    # then it is the SEC-03 refusal, and nothing at all is ledgered
    assert response.status_code == 403 and "SUBJECTS_REVEAL_NOT_ALLOWED" in response.content.decode()
    assert not LedgerEntry.objects.filter(action__in=["access.refused", "personal_data.reveal"]).exists()


def test_rec_17__api_reveal_needs_an_approved_request(world, clock):
    person = world.persons["own"]
    client = _api(world.users["device_admin"])
    response = client.post(f"/api/v1/persons/{person.pk}/reveal/", {"field": "phone", "purpose": "核查"}, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "ACCESS_NOT_GRANTED"
    approved_grant(world.users["device_admin"], [person], ends_at=clock.current + timedelta(hours=1))
    response = client.post(f"/api/v1/persons/{person.pk}/reveal/", {"field": "phone", "purpose": "核查"}, format="json")
    assert response.status_code == 200 and response.json()["value"] == "13812345678"
    clock.advance(timedelta(hours=1))
    response = client.post(f"/api/v1/persons/{person.pk}/reveal/", {"field": "phone", "purpose": "核查"}, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "ACCESS_OUTSIDE_WINDOW"


def test_rec_17__the_reveal_form_offers_the_request_link(client, world):
    client.force_login(world.users["officer"])
    page = client.get(reverse("subjects:enterprise_detail", args=[world.enterprises["own"].pk])).content.decode()
    assert f"/access/new/?object_type=person_personal_data&amp;object_id={world.persons['own'].pk}" in page
