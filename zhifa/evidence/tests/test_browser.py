"""Playwright journey (issue 3 item 6): an officer uploads a photo, a legal reviewer reviews it,
and the detail page shows 可作为定案依据."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from zhifa.accounts.choices import Role
from zhifa.accounts.tests.factories import OfficerCredentialFactory, OrganisationFactory, UserFactory
from zhifa.evidence.models import EvidenceItem

from .samples import png_bytes

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()
            # Playwright's sync API runs the test in a greenlet with its own context, hence its
            # own database connection; close it so the test database can be dropped afterwards.
            connections.close_all()


def _signed_in_page(browser, live_server, user):
    """A browser context carrying a real session for `user` (the login page is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN")
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "domain": host, "path": "/"}])
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.mark.browser
def test_browser__officer_uploads_reviewer_reviews_detail_shows_admissible(transactional_db, live_server, browser):
    # given an officer with a credential and a legal reviewer in the same district
    org = OrganisationFactory(name="普陀区应急管理局", code="SH-PT-B")
    officer = UserFactory(role=Role.OFFICER, organisation=org, display_name="李执法")
    OfficerCredentialFactory(user=officer)
    reviewer = UserFactory(role=Role.LEGAL_REVIEWER, organisation=org, display_name="周法审")

    # when the officer uploads a photo through the form
    page = _signed_in_page(browser, live_server, officer)
    page.goto(f"{live_server.url}/evidence/upload/")
    page.set_input_files("#id_file", files=[{"name": "现场照片.png", "mimeType": "image/png", "buffer": png_bytes(8, 8, seed=42)}])
    page.select_option("#id_kind", "AUDIO_VISUAL")
    page.fill("#id_title", "仓库东侧堆放点照片")
    page.select_option("#id_source", "OFFICER")
    page.fill("#id_production_method", "现场拍摄")
    page.fill("#id_produced_at", "2026-01-05T09:30")
    page.fill("#id_producer", "李执法")
    page.fill("#id_object_proven", "仓库东侧露天堆放危险化学品")
    page.click("button[type=submit]:has-text('上传并登记')")
    page.wait_for_url(f"{live_server.url}/evidence/*/")
    assert "不得作为定案依据" in page.inner_text("#admissibility")
    item = EvidenceItem.objects.get()
    assert page.inner_text("#sha256") == item.file.sha256
    page.context.close()

    # and the legal reviewer finds it, reviews every criterion as passed
    page = _signed_in_page(browser, live_server, reviewer)
    page.goto(f"{live_server.url}/evidence/")
    page.click("text=仓库东侧堆放点照片")
    page.click("a:has-text('审核')")
    for criterion in ("true", "clear", "complete", "accurate", "lawful"):
        page.check(f"input[name={criterion}_result][value=PASS]")
    page.fill("#id_opinion", "照片清晰，拍摄时间地点明确，取证合法")
    page.click("button[type=submit]:has-text('提交审核结论')")
    page.wait_for_url(f"{live_server.url}/evidence/{item.pk}/")

    # then the detail page says the evidence may found a decision, and custody shows the review
    assert "可作为定案依据" in page.inner_text("#admissibility")
    custody = page.inner_text("#custody")
    assert "登记" in custody and "审核" in custody and "查看" in custody
    page.context.close()
