"""User journey in a real browser (issue 3 item 6): access by approval only (REC-17).

An officer is refused the file of an evidence item, applies for access (调阅申请) from the refusal
page with a two-hour window, a supervisor approves it in 调阅审批, the officer downloads the file;
then, with the access clock moved past the end of the window (no sleeping), the same download is
refused with the Chinese "不在调阅批准期限内" page and the request shows 已过期.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connections
from django.utils import timezone

from zhifa.access.models import AccessRequest
from zhifa.accounts.choices import Role
from zhifa.accounts.tests.factories import OfficerCredentialFactory, UserFactory
from zhifa.evidence.services import evidence_register
from zhifa.evidence.tests.samples import chunked, metadata, png_bytes
from zhifa.ledger.models import LedgerEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHOTO = png_bytes(8, 8, seed=77)


class OffsetClock:
    """The access clock (zhifa.access.clock.now) running with the real time plus an offset; the
    live server runs in this process, so moving it moves the server's clock too."""

    def __init__(self):
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return timezone.now() + self.offset


@pytest.fixture(autouse=True)
def _close_connections():
    """Playwright's sync API gives the test body its own context, hence its own database
    connection; close it afterwards so the test database can be dropped (PostgreSQL)."""
    yield
    connections.close_all()


@pytest.fixture
def access_clock(monkeypatch):
    clock = OffsetClock()
    monkeypatch.setattr("zhifa.access.clock.now", clock)
    return clock


@pytest.fixture
def scene(org_tree, settings, tmp_path):
    settings.ZHIFA_EVIDENCE_DIR = tmp_path / "evidence"
    uploader = UserFactory(username="uploader_aj", role=Role.OFFICER, organisation=org_tree["street"], display_name="街道执法")
    OfficerCredentialFactory(user=uploader)
    item = evidence_register(
        actor=uploader,
        chunks=chunked(PHOTO),
        original_filename="仓库照片.png",
        declared_content_type="image/png",
        **metadata(title="仓库东侧堆放点照片"),
    )
    officer = UserFactory(username="officer_aj", role=Role.OFFICER, organisation=org_tree["putuo"], display_name="李执法")
    supervisor = UserFactory(username="supervisor_aj", role=Role.SUPERVISOR, organisation=org_tree["putuo"], display_name="吴科长")
    return {"item": item, "officer": officer, "supervisor": supervisor}




def test_officer_requests_supervisor_approves_officer_views_then_window_ends(page, login, logout, scene, access_clock):
    item = scene["item"]
    download = f"/evidence/{item.pk}/download/"

    # given an officer of the district who has no access request
    login("officer_aj")
    # when it opens the evidence file
    response = page.goto(download)
    # then it is refused in Chinese and offered to apply
    assert response is not None and response.status == 403
    assert page.get_by_role("heading", name="未获调阅批准").is_visible()

    # when it applies from there, for two hours, with a purpose and a case reference
    page.get_by_role("link", name="申请调阅证据文件").click()
    page.wait_for_url("**/access/new/**")
    assert page.locator("#request-objects input[type=checkbox]").is_checked()
    assert "仓库东侧堆放点照片" in page.inner_text("#request-objects")
    page.get_by_label("调阅用途").fill("核对现场照片与检查笔录是否一致")
    page.get_by_label("案件/检查编号").fill("沪普应急罚〔2026〕12号")
    starts = datetime.strptime(page.input_value("#id_starts_at"), "%Y-%m-%dT%H:%M")
    page.fill("#id_ends_at", (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="提交调阅申请").click()
    page.wait_for_url("**/access/*/")
    request = AccessRequest.objects.get()
    assert page.inner_text("#request-status").strip() == "待审批"
    logout()

    # and the supervisor approves it from 调阅审批
    login("supervisor_aj")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="调阅审批").click()
    page.wait_for_url("**/access/queue/")
    page.locator("#queue").get_by_role("link", name=f"#{request.pk}").click()
    page.wait_for_url(f"**/access/{request.pk}/")
    page.get_by_label("批准", exact=True).check()
    page.get_by_label("理由").fill("与案件相关，同意调阅")
    page.get_by_role("button", name="提交审批结论").click()
    page.wait_for_url(f"**/access/{request.pk}/")
    assert page.inner_text("#request-status").strip() == "已批准"
    logout()

    # then the officer views the file from its request
    login("officer_aj")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="调阅申请").click()
    page.wait_for_url("**/access/")
    page.locator("#my-requests").get_by_role("link", name=f"#{request.pk}").click()
    page.wait_for_url(f"**/access/{request.pk}/")
    with page.expect_download() as downloaded:
        page.get_by_role("link", name="查看文件").click()
    with open(downloaded.value.path(), "rb") as handle:
        assert handle.read() == PHOTO
    entry = LedgerEntry.objects.get(action="evidence.download")
    assert entry.actor_id == scene["officer"].pk and entry.payload["access_request"] == request.pk

    # when the clock passes the end of the window
    access_clock.offset = request.ends_at - timezone.now() + timedelta(minutes=1)
    response = page.goto(download)
    # then the same view is refused as outside the approved window
    assert response is not None and response.status == 403
    assert page.get_by_role("heading", name="不在调阅批准期限内").is_visible()
    assert "到期" in page.inner_text("#refused-text")
    # and the request shows 已过期, without the file button
    page.goto(f"/access/{request.pk}/")
    assert page.inner_text("#request-status").strip() == "已过期"
    assert page.get_by_role("link", name="查看文件").count() == 0
    # and both refusals and the one download are in the ledger
    assert [e.payload["reason"] for e in LedgerEntry.objects.filter(action="access.refused").order_by("index")] == ["NO_REQUEST", "WINDOW_ENDED"]
    assert LedgerEntry.objects.filter(action="evidence.download").count() == 1
