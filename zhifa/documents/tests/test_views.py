"""Pages and API: access matrix (role × document × endpoint), downloads logged, admin versioning."""
from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhifa.documents.models import DocumentTemplate
from zhifa.ledger.models import LedgerEntry

# user key → can open Putuo's party-facing decision issued to `enterprise`
MATRIX = {
    "officer": True,  # staff of the issuing organisation
    "city_supervisor": True,  # staff of the parent organisation (subtree)
    "street_officer": False,  # staff of a child organisation do not see the parent's documents
    "sibling_officer": False,  # Jing'an: a sibling organisation
    "auditor": True,
    "sysadmin": True,
    "contact": True,  # the enterprise's authorised contact
    "other_contact": False,  # another enterprise's contact
}


@pytest.fixture
def decision(issue, world):
    return issue("PENALTY_DECISION", enterprise_id=world["enterprise"].pk)


def _login(client, user):
    client.force_login(user)


@pytest.mark.parametrize(("who", "allowed"), list(MATRIX.items()))
def test_access_matrix__pages(client, world, decision, who, allowed):
    # given a decision of Putuo issued to the enterprise, when `who` opens its page and its PDF,
    _login(client, world[who])
    page = client.get(reverse("documents:detail", args=[decision.pk]))
    pdf = client.get(reverse("documents:pdf", args=[decision.pk]))
    listed = client.get(reverse("documents:list"))
    # then it is shown and downloadable, or a 404 (existence does not leak)
    if allowed:
        assert page.status_code == 200 and decision.number in page.content.decode()
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
        assert pdf["X-Document-SHA256"] == decision.sha256
        assert decision.number in listed.content.decode()
    else:
        assert (page.status_code, pdf.status_code) == (404, 404)
        assert decision.number not in listed.content.decode()


@pytest.mark.parametrize(("who", "allowed"), list(MATRIX.items()))
def test_access_matrix__api(world, decision, who, allowed):
    api = APIClient()
    token, _ = Token.objects.get_or_create(user=world[who])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    meta = api.get(f"/api/v1/documents/{decision.pk}/")
    pdf = api.get(f"/api/v1/documents/{decision.pk}/pdf", HTTP_ACCEPT="application/pdf")
    if allowed:
        assert meta.status_code == 200
        body = meta.json()
        assert body["number"] == decision.number and body["sha256"] == decision.sha256 and body["template_version"] == 1
        assert body["pdf_url"] == f"/api/v1/documents/{decision.pk}/pdf"
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    else:
        assert meta.status_code == 404 and meta.json()["error"]["code"] == "COMMON_NOT_FOUND"
        assert pdf.status_code == 404 and pdf["Content-Type"].startswith("application/json")


def test_access__anonymous_is_sent_to_login(client, decision):
    for url in (reverse("documents:detail", args=[decision.pk]), reverse("documents:pdf", args=[decision.pk]), reverse("documents:list")):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert APIClient().get(f"/api/v1/documents/{decision.pk}/").status_code == 401
    assert APIClient().get(f"/api/v1/documents/{decision.pk}/pdf").status_code == 401


def test_access__internal_forms_are_not_shown_to_the_enterprise(client, issue, world):
    # given a legal-review opinion (internal) linked to the enterprise
    opinion = issue("LEGAL_REVIEW_OPINION", enterprise_id=world["enterprise"].pk)
    # when the enterprise's contact asks for it, then it does not exist for them; staff see it
    _login(client, world["contact"])
    assert client.get(reverse("documents:detail", args=[opinion.pk])).status_code == 404
    _login(client, world["officer"])
    assert client.get(reverse("documents:detail", args=[opinion.pk])).status_code == 200


def test_sec_02__every_download_appends_a_ledger_entry(client, world, decision):
    _login(client, world["contact"])
    before = LedgerEntry.objects.filter(action="documents.document.download").count()
    client.get(reverse("documents:pdf", args=[decision.pk]))
    client.get(reverse("documents:pdf", args=[decision.pk]))
    APIClient().get("/")  # unrelated request writes nothing
    entries = LedgerEntry.objects.filter(action="documents.document.download").order_by("index")
    assert entries.count() == before + 2
    assert entries.last().actor_id == world["contact"].pk and entries.last().object_id == str(decision.pk)


def test_download__missing_file_is_a_clear_410(client, world, decision, documents_dir):
    blob = documents_dir / decision.sha256[:2] / decision.sha256[2:4] / decision.sha256
    blob.unlink()
    _login(client, world["officer"])
    response = client.get(reverse("documents:pdf", args=[decision.pk]))
    assert response.status_code == 410 and "文书文件缺失" in response.content.decode()


def test_detail__huge_or_foreign_ids_are_404(client, world):
    _login(client, world["officer"])
    assert client.get("/documents/999999999999999999/").status_code == 404
    assert client.get("/documents/9999999999999999999/").status_code == 404
    assert APIClient().get("/api/v1/documents/99999999999999999999/").status_code in (401, 404)


@pytest.fixture
def admin_client(client, world):
    user = world["sysadmin"]
    user.is_staff = True
    user.is_superuser = True
    user.save()
    _login(client, user)
    return client


def test_admin__editing_a_template_saves_a_new_version(admin_client, world):
    # given the active version 1 of the hearing notice
    v1 = DocumentTemplate.objects.get(kind="HEARING_NOTICE", active=True)
    url = reverse("admin:documents_documenttemplate_change", args=[v1.pk])
    assert admin_client.get(url).status_code == 200
    # when an admin saves an edit,
    body = v1.body.replace("你（单位）不承担听证的费用。", "你（单位）不承担听证的费用，听证场所设有无障碍通道。")
    response = admin_client.post(url, {"title": v1.title, "body": body, "note": "补充无障碍说明"})
    assert response.status_code == 302, response.content.decode()[:2000]
    # then version 2 exists and is active, version 1 is untouched
    v1.refresh_from_db()
    v2 = DocumentTemplate.objects.get(kind="HEARING_NOTICE", version=2)
    assert v2.active and not v1.active and "无障碍" in v2.body and "无障碍" not in v1.body
    assert v2.created_by == world["sysadmin"] and v2.note == "补充无障碍说明"


def test_admin__a_template_without_statutory_text_is_refused_with_a_message(admin_client):
    v1 = DocumentTemplate.objects.get(kind="PAYMENT_NOTICE", active=True)
    url = reverse("admin:documents_documenttemplate_change", args=[v1.pk])
    response = admin_client.post(url, {"title": v1.title, "body": v1.body.replace("3%", "百分之三"), "note": ""})
    assert response.status_code == 200 and "PAY-06" in response.content.decode()
    assert DocumentTemplate.objects.filter(kind="PAYMENT_NOTICE").count() == 1


def test_admin__preview_renders_the_version_with_sample_data(admin_client):
    v1 = DocumentTemplate.objects.get(kind="SEALING_DECISION", active=True)
    response = admin_client.get(reverse("admin:documents_documenttemplate_preview", args=[v1.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert admin_client.get(reverse("admin:documents_issueddocument_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:documents_documenttemplate_changelist")).status_code == 200


def test_list__filters_by_kind_party_and_ref(client, world, decision, issue):
    notice = issue("PRE_DECISION_NOTICE", ref="cases.Case:7")
    _login(client, world["officer"])
    page = client.get(reverse("documents:list"), {"q": "申联"}).content.decode()
    assert decision.number in page and notice.number in page
    page = client.get(reverse("documents:list"), {"kind": "PRE_DECISION_NOTICE"}).content.decode()
    assert notice.number in page and decision.number not in page
    page = client.get(reverse("documents:list"), {"ref": "cases.Case:7"}).content.decode()
    assert notice.number in page and decision.number not in page
    assert decision.number not in client.get(reverse("documents:list"), {"q": "不存在的企业"}).content.decode()
