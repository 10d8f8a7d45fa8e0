"""The import page, its JSON status, the REST API and the management command."""
from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import include, path
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from config import urls as root_urls
from zhifa.accounts.choices import Role
from zhifa.common.ids import make_uscc
from zhifa.ledger.models import LedgerEntry
from zhifa.subjects.importing import runner
from zhifa.subjects.importing.progress import ImportProgress
from zhifa.subjects.importing.spec import KINDS
from zhifa.subjects.models import Enterprise, ImportJob, Licence
from zhifa.subjects.tests.factories import EnterpriseFactory

from .test_import_support import (  # noqa: F401 (import_var_dir is an autouse fixture)
    U1,
    U2,
    U3,
    csv_bytes,
    enterprise_row,
    import_var_dir,
    licence_row,
    table,
    write_csv,
)

# The lead wires these into config/urls.py; the tests use the same routes on top of the project's.
urlpatterns = [
    *root_urls.urlpatterns,
    path("import/", include("zhifa.subjects.urls_import")),
    path("api/v1/", include("zhifa.subjects.api_import_urls")),
]
handler403 = root_urls.handler403
handler404 = root_urls.handler404
handler500 = root_urls.handler500
pytestmark = pytest.mark.urls(__name__)

FORBIDDEN_TEXT = "只有设备/数据管理员或系统管理员可以导入登记数据"


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _enterprises_csv(*rows) -> bytes:
    return csv_bytes(table("enterprises", list(rows)))


@pytest.fixture
def admin_user(make_user, org_tree):
    return make_user(Role.DEVICE_ADMIN, org_tree["putuo"])


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _api(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


# --- pages ----------------------------------------------------------------------------------------


def test_upload_page__requires_login(client, db):
    response = client.get("/import/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.LEGAL_REVIEWER, Role.AUDITOR, Role.ENTERPRISE_CONTACT])
def test_upload_page__refused_to_roles_that_do_not_write_the_register(client, make_user, org_tree, role):
    # given a signed-in user who may not write register data
    client.force_login(make_user(role, org_tree["putuo"]))
    # when they open or post to the import page; then 403 with a Chinese explanation, nothing stored
    page = client.get("/import/")
    post = client.post("/import/", {"file": _upload("e.csv", _enterprises_csv(enterprise_row(U1)))})
    for response in (page, post):
        assert response.status_code == 403
        assert FORBIDDEN_TEXT in response.content.decode()
    assert ImportJob.objects.count() == 0 and Enterprise.objects.count() == 0


@pytest.mark.parametrize("role", [Role.DEVICE_ADMIN, Role.SYSTEM_ADMIN])
def test_upload_page__lists_template_downloads_for_every_kind(client, make_user, org_tree, role):
    client.force_login(make_user(role, org_tree["putuo"]))
    body = client.get("/import/").content.decode()
    for kind in KINDS:
        assert f"/import/templates/{kind.key}.xlsx" in body and f"/import/templates/{kind.key}.csv" in body


def test_template_download__xlsx_and_csv(admin_client):
    response = admin_client.get("/import/templates/licences.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["许可证照", "说明"]
    assert book["许可证照"]["B1"].value == "证照类型"
    notes = [row for row in book["说明"].iter_rows(values_only=True) if row and row[0] == "证照类型"]
    assert notes and "危险化学品经营许可证（LIC_HC_OPERATION）" in notes[0][3]
    csv_response = admin_client.get("/import/templates/licences.csv")
    assert csv_response.content.startswith(b"\xef\xbb\xbf") and "证照类型" in csv_response.content.decode("utf-8-sig").splitlines()[0]
    assert admin_client.get("/import/templates/nothing.xlsx").status_code == 404


def test_upload__success_shows_counts(admin_client, admin_user):
    # given a valid enterprise CSV; when uploaded through the page
    response = admin_client.post("/import/", {"file": _upload("企业.csv", _enterprises_csv(enterprise_row(U1), enterprise_row(U2, "乙公司")))})
    job = ImportJob.objects.get()
    # then the browser goes to the job page which reports the counts and the ledger entry
    assert response.status_code == 302 and response["Location"] == f"/import/{job.pk}/"
    page = admin_client.get(response["Location"]).content.decode()
    assert "导入成功" in page and "新增 2" in page and f"序号 {job.ledger_index}" in page
    assert (job.user, job.source, job.status) == (admin_user, ImportJob.Source.WEB, ImportJob.Status.SUCCEEDED)
    assert Path(job.file_path).read_bytes().startswith(b"\xef\xbb\xbf")
    assert Enterprise.objects.count() == 2
    assert "企业.csv" in admin_client.get("/import/").content.decode()


def test_upload__errors_page_and_report_download(admin_client):
    # given a licence file with an unknown licence type and a duplicate row
    EnterpriseFactory(uscc=U1)
    content = csv_bytes(table("licences", [licence_row(U1, "L-1", 证照类型="营业执照"), licence_row(U1, "L-2"), licence_row(U1, "L-2")]))
    response = admin_client.post("/import/", {"file": _upload("证照.csv", content)}, follow=True)
    page = response.content.decode()
    # then the page lists each error by row and Chinese column, and offers the reports
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and Licence.objects.count() == 0
    assert "校验未通过，未导入任何数据" in page and "证照类型" in page and "营业执照" in page and "与第3行重复" in page
    report = admin_client.get(f"/import/{job.pk}/errors.xlsx")
    assert report.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(report.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][1:4] == (2, "证照类型", "营业执照")
    assert admin_client.get(f"/import/{job.pk}/errors.csv").status_code == 200


def test_upload__form_errors_are_chinese(admin_client):
    response = admin_client.post("/import/", {"kind": "licences"})
    assert response.status_code == 400 and "请选择要导入的文件" in response.content.decode()
    response = admin_client.post("/import/", {"file": _upload("e.csv", b"x"), "kind": "nonsense"})
    assert response.status_code == 400 and "未知的数据类型" in response.content.decode()


def test_upload__oversize_file_is_refused_before_storing(admin_client, settings):
    settings.ZHIFA_IMPORT_MAX_BYTES = 1024
    response = admin_client.post("/import/", {"file": _upload("big.csv", _enterprises_csv(*[enterprise_row(U1, f"企业{i}") for i in range(40)]))})
    assert response.status_code == 400
    assert "超过导入上限" in response.content.decode()
    assert ImportJob.objects.count() == 0 and Enterprise.objects.count() == 0


def test_job_pages__only_for_the_importer(client, admin_client, make_user, org_tree):
    admin_client.post("/import/", {"file": _upload("e.csv", _enterprises_csv(enterprise_row(U1)))})
    job = ImportJob.objects.get()
    client.force_login(make_user(Role.DEVICE_ADMIN, org_tree["jingan"]))
    assert client.get(f"/import/{job.pk}/").status_code == 404
    assert client.get(f"/import/{job.pk}/status/").status_code == 404
    client.force_login(make_user(Role.SYSTEM_ADMIN, None))
    assert client.get(f"/import/{job.pk}/").status_code == 200
    assert admin_client.get("/import/99999999999999999999/").status_code == 404


def test_status_json__finished_job(admin_client):
    admin_client.post("/import/", {"file": _upload("e.csv", _enterprises_csv(enterprise_row(U1)))})
    job = ImportJob.objects.get()
    data = admin_client.get(f"/import/{job.pk}/status/").json()
    assert data["finished"] and data["status"] == "SUCCEEDED" and data["percent"] == 100 and data["created"] == 1
    assert data["kind_label"] == "企业"


@pytest.mark.django_db(transaction=True)
def test_status_json__progress_is_visible_while_the_import_transaction_is_open(client, make_user, org_tree, monkeypatch, settings):
    # given an upload running in the background thread, held inside its write transaction after
    # the first batch of rows has been written
    settings.ZHIFA_IMPORT_BACKGROUND = True
    from zhifa.subjects.importing import validation

    monkeypatch.setattr(validation, "BATCH_SIZE", 5)
    reached, release = threading.Event(), threading.Event()
    original = ImportProgress.advance

    def advance(self, phase, processed, total=None, **extra):
        original(self, phase, processed, total, **extra)
        if phase == "writing" and not reached.is_set():
            self.flush()
            reached.set()
            release.wait(timeout=30)

    monkeypatch.setattr(ImportProgress, "advance", advance)
    user = make_user(Role.DEVICE_ADMIN, org_tree["putuo"])
    client.force_login(user)
    rows = [enterprise_row(make_uscc("310107", 3000 + n), f"企业{n}") for n in range(12)]
    response = client.post("/import/", {"file": _upload("e.csv", _enterprises_csv(*rows))})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    try:
        assert reached.wait(timeout=30), "the import did not reach the write phase"
        # when the status endpoint and the progress page are requested meanwhile
        data = client.get(f"/import/{job.pk}/status/").json()
        page = client.get(f"/import/{job.pk}/")
        # then they show the running write with its progress, while nothing is committed yet
        assert (data["status"], data["phase"], data["processed_rows"], data["total_rows"]) == ("RUNNING", "writing", 5, 12)
        assert data["phase_label"] == "正在写入数据库" and not data["finished"] and data["percent"] == 41
        assert page.status_code == 200 and "正在写入数据库" in page.content.decode()
    finally:
        release.set()
        for thread in threading.enumerate():
            if thread.name == f"zhifa-import-{job.pk}":
                thread.join(timeout=60)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED and Enterprise.objects.count() == 12
    assert client.get(f"/import/{job.pk}/status/").json()["finished"]


# --- API ------------------------------------------------------------------------------------------


def test_api_import__201_with_job_summary(admin_user):
    api = _api(admin_user)
    response = api.post("/api/v1/imports/", {"file": _upload("e.csv", _enterprises_csv(enterprise_row(U1), enterprise_row(U2, "乙")))}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["created"], body["kind"], body["total_rows"]) == ("SUCCEEDED", 2, "enterprises", 2)
    assert LedgerEntry.objects.filter(action="subjects.import", index=body["ledger_index"]).exists()
    detail = api.get(f"/api/v1/imports/{body['id']}/")
    assert detail.status_code == 200 and detail.json()["counts"]["enterprises"]["created"] == 2


def test_api_import__400_lists_the_first_100_errors(admin_user):
    # given 150 licence rows for an unknown enterprise
    rows = [licence_row(U3, f"L-{i}") for i in range(150)]
    response = _api(admin_user).post("/api/v1/imports/", {"file": _upload("l.csv", csv_bytes(table("licences", rows)))}, format="multipart")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "SUBJECTS_IMPORT_INVALID" and "发现 150 处错误" in error["message"]
    assert len(error["details"]["errors"]) == 100 and error["details"]["errors_truncated"]
    first = error["details"]["errors"][0]
    assert (first["row"], first["column"], first["value"]) == (2, "统一社会信用代码", U3)
    assert Licence.objects.count() == 0


def test_api_import__bad_requests(admin_user):
    api = _api(admin_user)
    missing = api.post("/api/v1/imports/", {}, format="multipart")
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "SUBJECTS_IMPORT_INVALID"
    unknown_kind = api.post("/api/v1/imports/", {"file": _upload("e.csv", b"a,b"), "kind": "x"}, format="multipart")
    assert unknown_kind.status_code == 400 and unknown_kind.json()["error"]["field"] == "kind"
    garbage = api.post("/api/v1/imports/", {"file": _upload("e.xlsx", b"PK\x03\x04garbage")}, format="multipart")
    assert garbage.status_code == 400 and "无法读取该 Excel 文件" in garbage.json()["error"]["message"]
    assert api.get("/api/v1/imports/123456789012345678901/").status_code == 404


def test_api_import__50_mb_file_is_rejected(admin_user, tmp_path):
    # given a 50 MB upload (sparse file on disk) and the default 40 MB limit
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:
        handle.write("统一社会信用代码,单位名称\n".encode())
        handle.truncate(50 * 1024 * 1024)
    with open(path, "rb") as handle:
        response = _api(admin_user).post("/api/v1/imports/", {"file": handle}, format="multipart")
    # then a structured 400 in Chinese and nothing stored or written
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("文件大小为 50.0 MB，超过导入上限 40 MB")
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize("role, code", [(Role.OFFICER, "COMMON_PERMISSION_DENIED"), (Role.ENTERPRISE_CONTACT, "COMMON_PERMISSION_DENIED"), (Role.AUDITOR, "COMMON_READ_ONLY_ROLE")])
def test_api_import__refused_to_other_roles(make_user, org_tree, role, code):
    response = _api(make_user(role, org_tree["putuo"])).post("/api/v1/imports/", {"file": _upload("e.csv", _enterprises_csv(enterprise_row(U1)))}, format="multipart")
    assert response.status_code == 403 and response.json()["error"]["code"] == code
    assert ImportJob.objects.count() == 0


def test_api_import__anonymous_is_401(db):
    assert APIClient().post("/api/v1/imports/", {}, format="multipart").status_code == 401


def test_api_status__only_importer_and_readers_of_everything(admin_user, make_user, org_tree):
    body = _api(admin_user).post("/api/v1/imports/", {"file": _upload("e.csv", _enterprises_csv(enterprise_row(U1)))}, format="multipart").json()
    assert _api(make_user(Role.DEVICE_ADMIN, org_tree["jingan"])).get(f"/api/v1/imports/{body['id']}/").status_code == 404
    assert _api(make_user(Role.AUDITOR, None)).get(f"/api/v1/imports/{body['id']}/").status_code == 200


# --- command --------------------------------------------------------------------------------------


def test_command__imports_and_exits_zero(org_tree, tmp_path, capsys, make_user):
    user = make_user(Role.SYSTEM_ADMIN, None, username="importer")
    path = write_csv(tmp_path / "e.csv", table("enterprises", [enterprise_row(U1), enterprise_row(U2, "乙")]))
    out = io.StringIO()
    call_command("import_subjects", str(path), "--user", "importer", "--no-progress", stdout=out)
    assert "导入成功：共 2 行，新增 2" in out.getvalue()
    job = ImportJob.objects.get()
    assert (job.user, job.source) == (user, ImportJob.Source.COMMAND)
    assert LedgerEntry.objects.get(action="subjects.import").actor_id == user.pk


def test_command__validation_failure_prints_errors_and_exits_non_zero(org_tree, tmp_path):
    path = write_csv(tmp_path / "e.csv", table("enterprises", [enterprise_row(U1), enterprise_row(U2, 规模="巨型")]))
    err = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("import_subjects", str(path), "--no-progress", stderr=err)
    assert info.value.returncode == 1
    assert "第3行 “规模”列（值：巨型）：未知的规模“巨型”" in err.getvalue()
    assert "errors.xlsx" in err.getvalue()
    assert Enterprise.objects.count() == 0


def test_command__refusals(org_tree, tmp_path, make_user, settings):
    path = write_csv(tmp_path / "e.csv", table("enterprises", [enterprise_row(U1)]))
    make_user(Role.OFFICER, org_tree["putuo"], username="officer")
    with pytest.raises(CommandError, match=FORBIDDEN_TEXT):
        call_command("import_subjects", str(path), "--user", "officer")
    with pytest.raises(CommandError, match="用户不存在"):
        call_command("import_subjects", str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="未知的导入类型"):
        call_command("import_subjects", str(path), "--kind", "x")
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_subjects", str(tmp_path / "missing.csv"))
    settings.ZHIFA_IMPORT_MAX_BYTES = 10
    with pytest.raises(CommandError, match="超过导入上限"):
        call_command("import_subjects", str(path))
    assert Enterprise.objects.count() == 0


def test_command__progress_bar_and_templates(org_tree, tmp_path, capsys):
    path = write_csv(tmp_path / "e.csv", table("enterprises", [enterprise_row(U1)]))
    call_command("import_subjects", str(path), stdout=io.StringIO())
    assert "正在逐行校验" in capsys.readouterr().err
    out = io.StringIO()
    call_command("import_subjects", "--templates", str(tmp_path / "tpl"), stdout=out)
    assert len(list((tmp_path / "tpl").iterdir())) == 2 * len(KINDS)


def test_runner__submit_upload_checks_permission(make_user, org_tree):
    from zhifa.common.errors import ZhifaError

    with pytest.raises(ZhifaError) as info:
        runner.submit_upload(user=make_user(Role.OFFICER, org_tree["putuo"]), uploaded=_upload("e.csv", b"x"))
    assert info.value.status == 403


@pytest.mark.django_db(transaction=True)
def test_api_import__background_returns_202_and_is_polled(make_user, org_tree):
    # given an upload with background=true
    api = _api(make_user(Role.SYSTEM_ADMIN, None))
    response = api.post("/api/v1/imports/", {"file": _upload("e.csv", _enterprises_csv(enterprise_row(U1))), "background": "true"}, format="multipart")
    # then it is accepted at once and the job can be polled until it has finished
    assert response.status_code == 202
    job_id = response.json()["id"]
    for thread in threading.enumerate():
        if thread.name == f"zhifa-import-{job_id}":
            thread.join(timeout=60)
    body = api.get(f"/api/v1/imports/{job_id}/").json()
    assert (body["status"], body["created"], body["finished"]) == ("SUCCEEDED", 1, True)
